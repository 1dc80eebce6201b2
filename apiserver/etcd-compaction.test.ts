/**
 * `k8ts apiserver --workers 2 --etcd-compaction-interval 1s` on a real etcd: history older than
 * one interval is compacted (a list at an old resourceVersion is 410 as upstream's), and the two
 * worker processes compact once per interval between them, not once each.
 */
import { Etcd3 } from 'etcd3';
import { afterEach, describe, expect, it } from 'vitest';
import { startE2EControlPlane, type E2EControlPlane } from '../e2e/harness/control-plane.ts';
import { waitFor } from '../pkg/testing/wait.ts';

let cp: E2EControlPlane | undefined;
afterEach(async () => {
  await cp?.stop();
  cp = undefined;
});

describe('apiserver etcd compaction', () => {
  it('compacts history one interval back, once per interval across workers', async () => {
    const started = performance.now();
    cp = await startE2EControlPlane({ extraApiserverArgs: ['--workers', '2', '--etcd-compaction-interval', '1s'] });
    const api = async (path: string, init?: RequestInit) => {
      const res = await fetch(`${cp!.server}${path}`, { ...init, headers: { 'content-type': 'application/json' } });
      return { status: res.status, body: (await res.json()) as any };
    };
    const created = await api('/api/v1/namespaces/default/configmaps', { method: 'POST', body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'before' } }) });
    expect(created.status).toBe(201);
    const oldRv = created.body.metadata.resourceVersion as string;
    expect((await api(`/api/v1/namespaces/default/configmaps?resourceVersion=${oldRv}&resourceVersionMatch=Exact`)).status).toBe(200);

    const tooOld = await waitFor(`a list at ${oldRv} expired by compaction`, async () => {
      const res = await api(`/api/v1/namespaces/default/configmaps?resourceVersion=${oldRv}&resourceVersionMatch=Exact`);
      return res.status === 410 ? res.body : undefined;
    }, { timeoutMs: 20_000, intervalMs: 200 });
    expect(tooOld).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'Expired', code: 410, message: 'The resourceVersion for the provided list is too old.' });
    // The present is untouched.
    const now = await api('/api/v1/namespaces/default/configmaps/before');
    expect(now.status).toBe(200);

    // compact_rev_key's version counts the swaps won: one per interval (1 s) for both workers together.
    const etcd = new Etcd3({ hosts: cp.etcdEndpoint! });
    try {
      const [kv] = (await etcd.get('compact_rev_key').exec()).kvs;
      const elapsedSeconds = (performance.now() - started) / 1000;
      expect(Number(kv!.version)).toBeGreaterThanOrEqual(2);
      expect(Number(kv!.version)).toBeLessThanOrEqual(Math.ceil(elapsedSeconds) + 1);
    } finally {
      etcd.close();
    }
  }, 60_000);
});
