/**
 * The API server's listener: its accept queue is as long as the kernel allows (net.core.somaxconn),
 * as a Go listener's is, not Node's default 511 (a thousand kubelets connecting at once must queue,
 * not time out; `ss` shows a listening socket's backlog in its Send-Q column), and idle
 * connections stay open 90 s, upstream's IdleTimeout, not Node's 5 s.
 */
import { Agent, request } from 'node:http';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterEach, expect, it } from 'vitest';
import { MemoryStorage } from '../pkg/storage/index.ts';
import { createTestRegistry } from './handlers/test-resources.ts';
import { createApiServer, type ApiServer } from './server.ts';

let server: ApiServer | undefined;
let storage: MemoryStorage | undefined;

afterEach(async () => {
  await server?.close();
  await storage?.close();
});

it('listens with the kernel maximum accept queue', async () => {
  storage = new MemoryStorage();
  server = await createApiServer({ storage, registry: createTestRegistry() });
  const url = await server.listen({ host: '127.0.0.1', port: 0 });
  const port = new URL(url).port;
  const somaxconn = Number(readFileSync('/proc/sys/net/core/somaxconn', 'utf8'));
  // -l listening, -t tcp, -n numeric, -H no header: "LISTEN 0 <backlog> 127.0.0.1:<port> …"
  const line = execFileSync('ss', ['-ltnH', `sport = :${port}`], { encoding: 'utf8' }).trim();
  const backlog = Number(line.split(/\s+/)[2]);
  expect(backlog).toBe(Math.min(somaxconn, 65_535));
  expect(backlog).toBeGreaterThan(511);
});

it('keeps an idle connection open across a kubelet heartbeat period, and says so to the client', async () => {
  storage = new MemoryStorage();
  server = await createApiServer({ storage, registry: createTestRegistry() });
  const url = new URL(await server.listen({ host: '127.0.0.1', port: 0 }));
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const sockets = new Set<unknown>();
  const get = () =>
    new Promise<string | undefined>((resolve, reject) => {
      const req = request({ host: url.hostname, port: url.port, path: '/healthz', agent }, (res) => {
        sockets.add(req.socket);
        res.resume();
        res.on('end', () => resolve(res.headers['keep-alive'] as string | undefined));
      });
      req.on('error', reject).end();
    });
  try {
    expect(await get()).toBe('timeout=90');
    await new Promise((r) => setTimeout(r, 5_500)); // past Node's default 5 s idle timeout
    await get();
    expect(sockets.size).toBe(1); // the same connection served both
  } finally {
    agent.destroy();
  }
}, 15_000);
