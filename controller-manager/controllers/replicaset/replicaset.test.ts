/**
 * The ReplicaSet controller against the in-process API server with real clients and informers
 * (no kubelet: pod readiness is written by the test).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReplicaSet } from '../../../pkg/api/apps/v1/replicaset.ts';
import type { Pod } from '../../../pkg/api/core/v1/pod.ts';
import { startTestControlPlane, type TestControlPlane } from '../../../pkg/testing/control-plane.ts';
import { waitFor } from '../../../pkg/testing/wait.ts';

let cp: TestControlPlane;
const NS = 'rs-test';

const until = <T>(what: string, fn: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 15_000): Promise<T> => waitFor(what, fn, { timeoutMs, intervalMs: 50 });

const pods = () => cp.client.pods.inNamespace(NS);
const rss = () => cp.client.replicaSets.inNamespace(NS);
const live = async (selector: string) => (await pods().list({ labelSelector: selector })).items.filter((p) => !p.metadata.deletionTimestamp);

function rs(name: string, replicas: number, app = name): ReplicaSet {
  return { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name }, spec: { replicas, selector: { matchLabels: { app } }, template: { metadata: { labels: { app } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } } } as ReplicaSet;
}

/** What a kubelet would report for a running, ready pod. */
async function markReady(pod: Pod): Promise<void> {
  const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  await pods().patch(pod.metadata.name as string, { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: now }] } }, { type: 'merge', subresource: 'status' });
}

beforeAll(async () => {
  cp = await startTestControlPlane({ controllers: ['replicaset'] });
  await cp.client.namespaces.create({ metadata: { name: NS } });
});
afterAll(() => cp?.stop());

describe('ReplicaSet controller', () => {
  it('creates pods named <rs>-<5 chars> owned by the ReplicaSet, with SuccessfulCreate events and status', async () => {
    await rss().create(rs('web', 3));
    const created = await until('3 pods', async () => {
      const items = await live('app=web');
      return items.length === 3 && items;
    });
    const owner = await rss().get('web');
    for (const p of created) {
      expect(p.metadata.name).toMatch(/^web-[a-z0-9]{5}$/);
      expect(p.metadata.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: owner.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    }
    await until('status replicas 3', async () => (await rss().get('web')).status?.replicas === 3);
    expect((await rss().get('web')).status).toMatchObject({ replicas: 3, fullyLabeledReplicas: 3, observedGeneration: 1 });
    await markReady(created[0]);
    await markReady(created[1]);
    await until('readyReplicas 2', async () => (await rss().get('web')).status?.readyReplicas === 2);
    expect((await rss().get('web')).status?.availableReplicas).toBe(2);
    const events = (await cp.client.events.inNamespace(NS).list()).items.filter((e) => e.involvedObject?.name === 'web' && e.reason === 'SuccessfulCreate');
    expect(events.map((e) => e.message).sort()).toEqual(created.map((p) => `Created pod: ${p.metadata.name}`).sort());
    expect(events[0].source?.component).toBe('replicaset-controller');
  });

  it('scales down deleting not-ready pods before ready ones', async () => {
    const before = await live('app=web');
    const ready = before.filter((p) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).map((p) => p.metadata.name);
    await rss().patch('web', { spec: { replicas: 2 } }, { type: 'merge' });
    const after = await until('2 pods', async () => {
      const items = await live('app=web');
      return items.length === 2 && items;
    });
    expect(after.map((p) => p.metadata.name).sort()).toEqual([...ready].sort());
    const deleted = (await cp.client.events.inNamespace(NS).list()).items.find((e) => e.reason === 'SuccessfulDelete');
    expect(deleted?.message).toMatch(/^Deleted pod: web-[a-z0-9]{5}$/);
  });

  it('adopts a matching orphan instead of creating, and releases a pod whose labels stop matching', async () => {
    const orphan = await pods().create({ metadata: { name: 'orphan', labels: { app: 'adopt' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } as Pod);
    await rss().create(rs('adopt', 1));
    const adopted = await until('adopted', async () => {
      const p = await pods().get('orphan');
      return p.metadata.ownerReferences?.[0]?.name === 'adopt' && p;
    });
    expect(adopted.metadata.uid).toBe(orphan.metadata.uid);
    await new Promise((r) => setTimeout(r, 300));
    expect((await live('app=adopt')).map((p) => p.metadata.name)).toEqual(['orphan']);
    await pods().patch('orphan', { metadata: { labels: { app: 'other' } } }, { type: 'merge' });
    await until('released', async () => (await pods().get('orphan')).metadata.ownerReferences === undefined);
    await until('replacement', async () => (await live('app=adopt')).length === 1);
  });

  it('never creates extra pods when replicas change quickly (expectations)', async () => {
    await rss().create(rs('burst', 5));
    for (const n of [7, 6, 8]) await rss().patch('burst', { spec: { replicas: n } }, { type: 'merge' });
    await until('8 pods', async () => (await live('app=burst')).length === 8);
    await new Promise((r) => setTimeout(r, 500));
    expect((await live('app=burst')).length).toBe(8);
  });
});
