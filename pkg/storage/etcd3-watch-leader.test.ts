/**
 * A member that loses its leader (here: the other member of a two-member cluster dies, so no
 * quorum) must end its watches with Unavailable instead of keeping them open and silent, and
 * answer calls with 'no leader' at once instead of after its own request timeout.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { createEtcd3Storage } from './etcd3.ts';
import { StorageError } from './types.ts';

const children: ChildProcess[] = [];
const dirs: string[] = [];

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

/** Two etcd members on loopback with fast elections; resolves once the cluster is healthy. */
async function startTwoMembers(): Promise<{ endpoints: string[]; members: ChildProcess[] }> {
  const ports = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
  const names = ['a', 'b'];
  const peer = (i: number) => `http://127.0.0.1:${ports[2 + i]}`;
  const endpoints = names.map((_, i) => `http://127.0.0.1:${ports[i]}`);
  const members: ChildProcess[] = [];
  for (const [i, name] of names.entries()) {
    const dir = await mkdtemp(join(tmpdir(), 'k8ts-etcd-leader-'));
    dirs.push(dir);
    const child = spawn('etcd', [
      '--name', name, '--data-dir', join(dir, 'data'),
      '--listen-client-urls', endpoints[i]!, '--advertise-client-urls', endpoints[i]!,
      '--listen-peer-urls', peer(i), '--initial-advertise-peer-urls', peer(i),
      '--initial-cluster', names.map((n, j) => `${n}=${peer(j)}`).join(','),
      '--initial-cluster-state', 'new', '--initial-cluster-token', `leader-test-${process.pid}`,
      '--heartbeat-interval', '100', '--election-timeout', '1000',
    ], { stdio: 'ignore' });
    children.push(child);
    members.push(child);
  }
  const deadline = Date.now() + 30_000;
  for (;;) {
    const health = await fetch(`${endpoints[0]}/health`, { signal: AbortSignal.timeout(1000) }).then((r) => r.json() as Promise<{ health?: string }>, () => ({}) as { health?: string });
    if (health.health === 'true') return { endpoints, members };
    if (Date.now() > deadline) throw new Error('two-member etcd cluster not healthy');
    await new Promise((r) => setTimeout(r, 100));
  }
}

it('ends a watch and fails calls fast with Unavailable when their member loses the leader', async () => {
  const { endpoints, members } = await startTwoMembers();
  const storage = createEtcd3Storage({ endpoints: [endpoints[0]!] });
  try {
    const created = await storage.create('/leader/a', { metadata: { name: 'a', uid: 'u' } });
    const ac = new AbortController();
    const seen: string[] = [];
    const watching = (async () => {
      for await (const e of storage.watch('/leader/', Number(created.metadata!.resourceVersion) - 1, ac.signal)) seen.push(e.key);
    })().then(() => 'ended quietly', (err: unknown) => err);
    // The watch delivers the object (bounded wait: a loaded machine is slow to open the stream).
    for (const deadline = Date.now() + 10_000; !seen.length && Date.now() < deadline;) await new Promise((r) => setTimeout(r, 50));
    expect(seen).toEqual(['/leader/a']);
    members[1]!.kill('SIGKILL'); // member a is now alone: no quorum, no leader
    const outcome = await Promise.race([watching, new Promise((r) => setTimeout(() => r('still open'), 10_000))]);
    ac.abort();
    expect(outcome).toBeInstanceOf(StorageError);
    expect((outcome as StorageError).code).toBe('Unavailable');

    // Unary calls too: 'no leader' at once (then the client's retries), not etcd's 7 s timeout each.
    const started = Date.now();
    await expect(storage.get('/leader/a')).rejects.toMatchObject({ code: 'Unavailable' });
    expect(Date.now() - started).toBeLessThan(6000);
  } finally {
    await storage.close();
  }
}, 90_000);
