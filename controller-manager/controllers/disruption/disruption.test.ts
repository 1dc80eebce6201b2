/**
 * The disruption controller against the in-process control plane: a Deployment of 3 (pods made
 * ready by hand: no kubelet here) and a budget of minAvailable 2 — the status numbers, then one
 * eviction allowed and the next refused with upstream's 429; a maxUnavailable percentage takes the
 * Deployment's scale as the expected count.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deployment } from '../../../pkg/api/apps/v1/deployment.ts';
import type { Pod } from '../../../pkg/api/core/v1/pod.ts';
import type { PodDisruptionBudget } from '../../../pkg/api/policy/v1/poddisruptionbudget.ts';
import { BUILTIN_COORDINATES as C } from '../../../pkg/client/index.ts';
import { ApiError } from '../../../pkg/errors/index.ts';
import { startTestControlPlane, type TestControlPlane } from '../../../pkg/testing/control-plane.ts';
import { waitFor } from '../../../pkg/testing/wait.ts';

const NS = 'disruption-test';
let cp: TestControlPlane;

beforeAll(async () => {
  cp = await startTestControlPlane({ controllers: ['replicaset', 'deployment', 'disruption'] });
  await cp.client.namespaces.create({ metadata: { name: NS } });
});
afterAll(() => cp?.stop());

function deployment(name: string, replicas: number): Deployment {
  return { metadata: { name }, spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } } } as Deployment;
}

/** Marks every pending pod of the app Running and Ready (what a kubelet would report). */
async function makeReady(app: string): Promise<Pod[]> {
  const pods = cp.client.pods.inNamespace(NS);
  const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  const list = (await pods.list({ labelSelector: `app=${app}` })).items.filter((p) => !p.metadata.deletionTimestamp);
  for (const p of list) {
    if (p.status?.phase === 'Running') continue;
    await pods.updateStatus({ ...p, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: now }] } } as Pod);
  }
  return list;
}

async function evict(name: string): Promise<unknown> {
  return cp.client.pods.inNamespace(NS).subresource(name, 'eviction', { method: 'POST', body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace: NS } } });
}

describe('disruption controller', () => {
  const budgets = () => cp.client.resource<PodDisruptionBudget>(C.podDisruptionBudgets).inNamespace(NS);

  it('computes a minAvailable budget\'s status, allows one eviction and refuses the next with 429', async () => {
    await cp.client.deployments.inNamespace(NS).create(deployment('web', 3));
    await waitFor('3 pods', async () => (await cp.client.pods.inNamespace(NS).list({ labelSelector: 'app=web' })).items.length === 3);
    await makeReady('web');
    await budgets().create({ metadata: { name: 'web-pdb' }, spec: { minAvailable: 2, selector: { matchLabels: { app: 'web' } } } } as PodDisruptionBudget);
    const ready = await waitFor('budget status', async () => {
      const b = await budgets().get('web-pdb');
      return b.status?.disruptionsAllowed === 1 ? b : undefined;
    });
    expect(ready.status).toMatchObject({ currentHealthy: 3, desiredHealthy: 2, expectedPods: 3, disruptionsAllowed: 1, observedGeneration: 1 });
    expect(ready.status?.conditions).toEqual([expect.objectContaining({ type: 'DisruptionAllowed', status: 'True', reason: 'SufficientPods', message: '', observedGeneration: 1 })]);

    const [first, second] = (await cp.client.pods.inNamespace(NS).list({ labelSelector: 'app=web' })).items;
    await evict(first!.metadata.name!);
    const after = await budgets().get('web-pdb');
    expect(after.status).toMatchObject({ disruptionsAllowed: 0 });
    expect(after.status?.conditions?.[0]).toMatchObject({ status: 'False', reason: 'InsufficientPods' });

    const refused = await evict(second!.metadata.name!).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ApiError);
    expect((refused as ApiError).toStatus()).toMatchObject({
      code: 429,
      reason: 'TooManyRequests',
      message: "Cannot evict pod as it would violate the pod's disruption budget.",
      details: { causes: [{ reason: 'DisruptionBudget', message: expect.stringMatching(/^The disruption budget web-pdb needs 2 healthy pods and has [23] currently$/) }] },
    });
    // The replacement pod becomes ready: the budget allows a disruption again.
    await waitFor('replacement pod', async () => (await cp.client.pods.inNamespace(NS).list({ labelSelector: 'app=web' })).items.filter((p) => !p.metadata.deletionTimestamp).length === 3);
    await makeReady('web');
    await waitFor('disruption allowed again', async () => (await budgets().get('web-pdb')).status?.disruptionsAllowed === 1);
    expect((await budgets().get('web-pdb')).status).toMatchObject({ currentHealthy: 3, desiredHealthy: 2, expectedPods: 3 });

    // A spec change bumps the generation (a status write does not); the controller observes it.
    const raised = await budgets().patch('web-pdb', { spec: { minAvailable: 3 } }, { type: 'merge' });
    expect(raised.metadata.generation).toBe(2);
    const observed = await waitFor('generation 2 observed', async () => {
      const b = await budgets().get('web-pdb');
      return b.status?.observedGeneration === 2 ? b : undefined;
    });
    expect(observed.metadata.generation).toBe(2);
    expect(observed.status).toMatchObject({ desiredHealthy: 3, disruptionsAllowed: 0, conditions: [{ status: 'False', reason: 'InsufficientPods', observedGeneration: 2 }] });
  });

  it('a maxUnavailable percentage counts the Deployment\'s replicas as expected pods', async () => {
    await cp.client.deployments.inNamespace(NS).create(deployment('api', 4));
    await waitFor('4 pods', async () => (await cp.client.pods.inNamespace(NS).list({ labelSelector: 'app=api' })).items.length === 4);
    await makeReady('api');
    await budgets().create({ metadata: { name: 'api-pdb' }, spec: { maxUnavailable: '30%', selector: { matchLabels: { app: 'api' } } } } as PodDisruptionBudget);
    const b = await waitFor('budget status', async () => {
      const got = await budgets().get('api-pdb');
      return got.status?.expectedPods === 4 ? got : undefined;
    });
    expect(b.status).toMatchObject({ currentHealthy: 4, desiredHealthy: 2, expectedPods: 4, disruptionsAllowed: 2 });
  });

  it('a controller without a scale subresource fails the sync safely (SyncFailed, no disruptions)', async () => {
    const owner = { apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'agent', uid: '00000000-0000-0000-0000-000000000001', controller: true };
    await cp.client.pods.inNamespace(NS).create({ metadata: { name: 'agent-x', labels: { app: 'agent' }, ownerReferences: [owner] }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } as Pod);
    await budgets().create({ metadata: { name: 'agent-pdb' }, spec: { maxUnavailable: 1, selector: { matchLabels: { app: 'agent' } } } } as PodDisruptionBudget);
    const failed = await waitFor('SyncFailed', async () => {
      const b = await budgets().get('agent-pdb');
      return b.status?.conditions?.[0]?.reason === 'SyncFailed' ? b : undefined;
    });
    expect(failed.status).toMatchObject({ disruptionsAllowed: 0, conditions: [{ type: 'DisruptionAllowed', status: 'False', reason: 'SyncFailed', message: 'daemonsets.apps does not implement the scale subresource' }] });
  });

  it('sets a DisruptionTarget condition older than two minutes on a pod that is not deleting back to False', async () => {
    const pods = cp.client.pods.inNamespace(NS);
    const created = await pods.create({ metadata: { name: 'survivor' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } as Pod);
    const stale = new Date(Date.now() - 3 * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    await pods.updateStatus({ ...created, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: stale }, { type: 'DisruptionTarget', status: 'True', reason: 'EvictionByEvictionAPI', message: 'Eviction API: evicting', lastTransitionTime: stale }] } } as Pod);
    const cleaned = await waitFor('condition False', async () => {
      const p = await pods.get('survivor');
      return p.status?.conditions?.find((c) => c.type === 'DisruptionTarget')?.status === 'False' ? p : undefined;
    });
    expect(cleaned.status?.conditions?.find((c) => c.type === 'Ready')).toMatchObject({ status: 'True' });
    expect(cleaned.metadata.managedFields?.some((m) => m.manager === 'DisruptionController' && m.subresource === 'status')).toBe(true);
  });
});
