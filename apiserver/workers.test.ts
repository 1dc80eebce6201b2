/**
 * `k8ts apiserver --workers 2` on a real etcd: two worker processes share the port; a write made
 * through one connection is read at once through the next (served by the other worker); SIGTERM
 * stops them all, and a worker that dies takes the server down.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readlinkSync } from 'node:fs';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { readProcCpuSeconds } from '../bench/lib/proc-status.ts';
import { startE2EControlPlane, type E2EControlPlane } from '../e2e/harness/control-plane.ts';
import { childPids } from '../pkg/util/process-table.ts';
import { nodeFor, startFakeStatsKubelet, summaryOf } from './metrics-api/testing/fake-kubelet.ts';

let cp: E2EControlPlane | undefined;
afterEach(async () => {
  await cp?.stop();
  cp = undefined;
});

/**
 * The primary's worker processes: its children running the same executable. Run from the
 * sources (dist/ older than them), the primary also has tsx's esbuild service as a child.
 */
function workerPids(primary: number): number[] {
  const exe = (pid: number) => readlinkSync(`/proc/${pid}/exe`);
  return childPids(primary).filter((child) => exe(child) === exe(primary));
}

/** One request on a connection of its own (closed after it), so the primary hands each to the next worker. */
async function once(server: string, method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await request(`${server}${path}`, { method, reset: true, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.statusCode, json: (await res.body.json()) as Record<string, unknown> };
}

describe('apiserver --workers', () => {
  it('serves from two worker processes sharing the port, each reading back at once what went through the other', async () => {
    cp = await startE2EControlPlane({ extraApiserverArgs: ['--workers', '2'] });
    const workers = workerPids(cp.apiserver.pid);
    expect(workers).toHaveLength(2);
    const cpuBefore = workers.map((w) => readProcCpuSeconds(w) ?? 0);
    // The primary listens with the kernel's maximum accept queue too.
    const port = new URL(cp.server).port;
    const backlog = Number(execFileSync('ss', ['-ltnH', `sport = :${port}`], { encoding: 'utf8' }).trim().split(/\s+/)[2]);
    expect(backlog).toBe(Math.min(Number(readFileSync('/proc/sys/net/core/somaxconn', 'utf8')), 65_535));

    for (let i = 0; i < 20; i++) {
      const created = await once(cp.server, 'POST', '/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `c${i}` }, data: { i: String(i) } });
      expect(created.status).toBe(201);
      const read = await once(cp.server, 'GET', `/api/v1/namespaces/default/configmaps/c${i}`);
      expect(read.status).toBe(200);
      expect((read.json.metadata as { uid: string }).uid).toBe((created.json.metadata as { uid: string }).uid);
      const list = await once(cp.server, 'GET', '/api/v1/namespaces/default/configmaps');
      expect((list.json.items as unknown[]).length).toBe(i + 1);
    }
    // Both workers did work: 200 more requests, ~100 each, well above the 10 ms resolution of the CPU counters.
    for (let i = 0; i < 200; i++) expect((await once(cp.server, 'GET', '/api/v1/namespaces/default/configmaps')).status).toBe(200);
    const cpuAfter = workers.map((w) => readProcCpuSeconds(w) ?? 0);
    for (const [k, before] of cpuBefore.entries()) expect(cpuAfter[k]).toBeGreaterThan(before);

    const exited = new Promise<number | null>((resolve) => cp!.apiserver.child.once('exit', (code) => resolve(code)));
    cp.apiserver.child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(childPids(cp.apiserver.pid)).toEqual([]);
  });

  it('serves metrics.k8s.io from every worker, each with its own summary cache', async () => {
    cp = await startE2EControlPlane({ extraApiserverArgs: ['--workers', '2'] });
    const kubelet = await startFakeStatsKubelet(summaryOf({ node: 'n1', cpu: 250_000_000, memory: 64 * 1024 * 1024 }));
    try {
      const node = nodeFor('n1', kubelet.port);
      const created = await once(cp.server, 'POST', '/api/v1/nodes', { ...node, status: undefined });
      expect(created.status).toBe(201);
      expect((await once(cp.server, 'PUT', '/api/v1/nodes/n1/status', { ...created.json, status: node.status })).status).toBe(200);
      // The second worker may still be starting when the server is first ready: let both serve first.
      for (let i = 0; i < 100; i++) expect((await once(cp.server, 'GET', '/api/v1/namespaces')).status).toBe(200);
      for (let i = 0; i < 10; i++) {
        const res = await once(cp.server, 'GET', '/apis/metrics.k8s.io/v1beta1/nodes');
        expect({ status: res.status, usage: (res.json.items as Array<{ usage: unknown }>).map((m) => m.usage) }).toEqual({ status: 200, usage: [{ cpu: '250m', memory: '64Mi' }] });
      }
      // Ten requests handed round-robin to two workers: each asked the kubelet once (5 s cache).
      expect(kubelet.requests).toHaveLength(2);
    } finally {
      await kubelet.close();
    }
  });

  it('stops the whole server with exit code 1 when a worker dies', async () => {
    cp = await startE2EControlPlane({ extraApiserverArgs: ['--workers', '2'] });
    const [victim, survivor] = workerPids(cp.apiserver.pid);
    const exited = new Promise<number | null>((resolve) => cp!.apiserver.child.once('exit', (code) => resolve(code)));
    process.kill(victim!, 'SIGKILL');
    expect(await exited).toBe(1);
    expect(() => process.kill(survivor!, 0)).toThrow();
  });
});
