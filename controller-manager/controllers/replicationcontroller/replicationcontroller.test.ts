/**
 * The ReplicationController controller (the ReplicaSet reconciler through conversion) and the
 * garbage collector against the in-process API server (no kubelet: readiness is written here).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pod } from '../../../pkg/api/core/v1/pod.ts';
import type { ReplicationController } from '../../../pkg/api/core/v1/replicationcontroller.ts';
import { startTestControlPlane, type TestControlPlane } from '../../../pkg/testing/control-plane.ts';
import { waitFor } from '../../../pkg/testing/wait.ts';
import { rcFromReplicaSet, replicaSetFromRC } from './conversion.ts';

let cp: TestControlPlane;
const NS = 'rc-test';

const until = <T>(what: string, fn: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 15_000): Promise<T> => waitFor(what, fn, { timeoutMs, intervalMs: 50 });
const pods = () => cp.client.pods.inNamespace(NS);
const rcs = () => cp.client.replicationControllers.inNamespace(NS);
const live = async (selector: string) => (await pods().list({ labelSelector: selector })).items.filter((p) => !p.metadata.deletionTimestamp);

function rc(name: string, replicas: number): ReplicationController {
  // No selector: the API server defaults it from the template labels.
  return { apiVersion: 'v1', kind: 'ReplicationController', metadata: { name }, spec: { replicas, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } } } as ReplicationController;
}

beforeAll(async () => {
  cp = await startTestControlPlane({ controllers: ['replicationcontroller', 'garbagecollector'] });
  await cp.client.namespaces.create({ metadata: { name: NS } });
});
afterAll(() => cp?.stop());

describe('ReplicationController ⇄ ReplicaSet conversion', () => {
  it('maps the selector map to matchLabels and back, dropping terminatingReplicas', () => {
    const obj = { apiVersion: 'v1', kind: 'ReplicationController', metadata: { name: 'a', namespace: 'n', uid: 'u' }, spec: { replicas: 2, selector: { app: 'a' } }, status: { replicas: 1 } } as ReplicationController;
    const rs = replicaSetFromRC(obj);
    expect(rs.spec).toEqual({ replicas: 2, selector: { matchLabels: { app: 'a' } }, template: {} });
    const back = rcFromReplicaSet({ ...rs, status: { replicas: 1, terminatingReplicas: 0 } });
    expect(back).toMatchObject({ apiVersion: 'v1', kind: 'ReplicationController', metadata: { uid: 'u' }, spec: { selector: { app: 'a' } }, status: { replicas: 1 } });
    expect(back.status).not.toHaveProperty('terminatingReplicas');
  });
});

describe('ReplicationController controller', () => {
  it('creates pods controlled by the ReplicationController, with events from replication-controller and status', async () => {
    await rcs().create(rc('web', 3));
    const created = await until('3 pods', async () => {
      const items = await live('app=web');
      return items.length === 3 && items;
    });
    const owner = await rcs().get('web');
    expect(owner.spec?.selector).toEqual({ app: 'web' });
    for (const p of created) {
      expect(p.metadata.name).toMatch(/^web-[a-z0-9]{5}$/);
      expect(p.metadata.ownerReferences).toEqual([{ apiVersion: 'v1', kind: 'ReplicationController', name: 'web', uid: owner.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    }
    await until('status replicas 3', async () => (await rcs().get('web')).status?.replicas === 3);
    expect((await rcs().get('web')).status).toEqual({ replicas: 3, fullyLabeledReplicas: 3, observedGeneration: 1 });
    const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    await pods().patch(created[0].metadata.name as string, { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: now }] } }, { type: 'merge', subresource: 'status' });
    await until('readyReplicas 1', async () => (await rcs().get('web')).status?.readyReplicas === 1);
    const events = (await cp.client.events.inNamespace(NS).list()).items.filter((e) => e.involvedObject?.name === 'web' && e.reason === 'SuccessfulCreate');
    expect(events).toHaveLength(3);
    expect(events[0]).toMatchObject({ involvedObject: { kind: 'ReplicationController', apiVersion: 'v1' }, source: { component: 'replication-controller' } });
  });

  it('scales through the scale subresource, and the scale reports the selector string', async () => {
    const scale = await rcs().subresource<{ spec: { replicas: number }; status: { selector: string } }>('web', 'scale', { method: 'GET' });
    expect(scale.status.selector).toBe('app=web');
    await rcs().patch('web', { spec: { replicas: 1 } }, { type: 'merge', subresource: 'scale' });
    await until('1 pod', async () => (await live('app=web')).length === 1);
    expect((await rcs().get('web')).metadata.generation).toBe(2);
    await until('observedGeneration 2', async () => (await rcs().get('web')).status?.observedGeneration === 2);
  });

  it('adopts a matching orphan', async () => {
    await pods().create({ metadata: { name: 'orphan', labels: { app: 'adopt' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } as Pod);
    await rcs().create(rc('adopt', 1));
    await until('adopted', async () => (await pods().get('orphan')).metadata.ownerReferences?.[0]?.kind === 'ReplicationController');
    await new Promise((r) => setTimeout(r, 300));
    expect((await live('app=adopt')).map((p) => p.metadata.name)).toEqual(['orphan']);
  });

  it('has its pods garbage-collected when deleted', async () => {
    await rcs().delete('web');
    await until('pods collected', async () => (await live('app=web')).length === 0);
  });
});
