/** pvc-protection and pv-protection: decision tables and finalizer release on the in-process API server. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pod } from '../../../pkg/api/core/v1/pod.ts';
import type { PersistentVolume } from '../../../pkg/api/core/v1/persistentvolume.ts';
import type { PersistentVolumeClaim } from '../../../pkg/api/core/v1/persistentvolumeclaim.ts';
import { BUILTIN_COORDINATES as C } from '../../../pkg/client/index.ts';
import { startTestControlPlane, type TestControlPlane } from '../../../pkg/testing/control-plane.ts';
import { waitFor } from '../../../pkg/testing/wait.ts';
import { pv, pvc } from '../persistentvolume/test-objects.ts';
import { decideVolumeProtection } from '../pv-protection/index.ts';
import { decideClaimProtection, podUsesClaim } from './decide.ts';

const TS = '2026-01-01T00:00:00Z';
const F = 'kubernetes.io/pvc-protection';
const pod = (name: string, spec: Record<string, unknown>, meta: Record<string, unknown> = {}): Pod => ({ metadata: { name, namespace: 'ns', uid: `uid-${name}`, ...meta }, spec: { containers: [{ name: 'c', image: 'busybox' }], ...spec } }) as Pod;

describe('protection decisions', () => {
  const claim = pvc('data');
  it.each([
    ['scheduled pod mounting the claim', pod('p', { nodeName: 'n', volumes: [{ name: 'v', persistentVolumeClaim: { claimName: 'data' } }] }), true],
    ['unscheduled pod', pod('p', { volumes: [{ name: 'v', persistentVolumeClaim: { claimName: 'data' } }] }), false],
    ['another claim', pod('p', { nodeName: 'n', volumes: [{ name: 'v', persistentVolumeClaim: { claimName: 'other' } }] }), false],
    ['generic ephemeral claim it controls', pod('p', { nodeName: 'n', volumes: [{ name: 'scratch', ephemeral: {} }] }), 'ephemeral'],
  ])('%s', (_what, p, expected) => {
    if (expected === 'ephemeral') {
      const eph = { ...pvc('p-scratch'), metadata: { ...pvc('p-scratch').metadata, ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name: 'p', uid: 'uid-p', controller: true }] } } as PersistentVolumeClaim;
      expect(podUsesClaim(p, eph)).toBe(true);
      expect(podUsesClaim({ ...p, metadata: { ...p.metadata, deletionTimestamp: TS, deletionGracePeriodSeconds: 0 } } as Pod, eph)).toBe(false);
      return;
    }
    expect(podUsesClaim(p, claim)).toBe(expected);
  });

  it.each([
    [{}, false, 'add'],
    [{ finalizers: [F] }, false, 'keep'],
    [{ finalizers: [F], deletionTimestamp: TS }, true, 'keep'],
    [{ finalizers: [F], deletionTimestamp: TS }, false, 'remove'],
    [{ deletionTimestamp: TS, finalizers: ['other'] }, false, 'keep'],
  ])('claim %j in use=%s → %s', (meta, used, expected) => {
    const c = { ...claim, metadata: { ...claim.metadata, ...meta } } as PersistentVolumeClaim;
    expect(decideClaimProtection(c, () => used)).toBe(expected);
  });

  it.each([
    [{}, 'Available', 'add'],
    [{ finalizers: ['kubernetes.io/pv-protection'], deletionTimestamp: TS }, 'Bound', 'keep'],
    [{ finalizers: ['kubernetes.io/pv-protection'], deletionTimestamp: TS }, 'Released', 'remove'],
  ])('volume %j %s → %s', (meta, phase, expected) => {
    const v = pv('v', { phase });
    v.metadata = { ...v.metadata, ...meta };
    expect(decideVolumeProtection(v)).toBe(expected);
  });
});

describe('pvc-protection and pv-protection controllers', () => {
  const NS = 'protect';
  let cp: TestControlPlane;
  const until = <T>(what: string, fn: () => Promise<T | undefined | false> | T | undefined | false): Promise<T> => waitFor(what, fn, { timeoutMs: 15_000, intervalMs: 50, retryErrors: true });
  const claims = () => cp.client.resource<PersistentVolumeClaim>(C.persistentVolumeClaims).inNamespace(NS);
  const volumes = () => cp.client.resource<PersistentVolume>(C.persistentVolumes);
  const gone = async (get: () => Promise<unknown>) => get().then(() => false, () => true);

  beforeAll(async () => {
    cp = await startTestControlPlane({ controllers: ['pvc-protection', 'pv-protection'] });
    await cp.client.namespaces.create({ metadata: { name: NS } });
  });
  afterAll(() => cp?.stop());

  it('keeps a deleting claim while a scheduled pod uses it, and lets it go when the pod is gone', async () => {
    await claims().create({ ...pvc('data', { namespace: NS }), metadata: { name: 'data', finalizers: [F] } } as PersistentVolumeClaim);
    await claims().create(pvc('plain', { namespace: NS }));
    await until('finalizer added to a claim admission did not protect', async () => (await claims().get('plain')).metadata.finalizers?.includes(F));
    await cp.client.pods.inNamespace(NS).create(pod('user', { nodeName: 'node-1', volumes: [{ name: 'v', persistentVolumeClaim: { claimName: 'data' } }] }, { namespace: NS, uid: undefined }));
    await claims().delete('data');
    await new Promise((r) => setTimeout(r, 500));
    const held = await claims().get('data');
    expect(held.metadata.deletionTimestamp).toBeDefined();
    expect(held.metadata.finalizers).toEqual([F]);

    await cp.client.pods.inNamespace(NS).delete('user', { gracePeriodSeconds: 0 });
    await until('claim deleted', () => gone(() => claims().get('data')));
  });

  it('keeps a deleting volume while Bound and lets it go once it is not', async () => {
    await volumes().create({ ...pv('vol'), metadata: { name: 'vol', finalizers: ['kubernetes.io/pv-protection'] } } as PersistentVolume);
    const v = await volumes().get('vol');
    await volumes().updateStatus({ ...v, status: { phase: 'Bound' } });
    await volumes().delete('vol');
    await new Promise((r) => setTimeout(r, 500));
    expect((await volumes().get('vol')).metadata.finalizers).toEqual(['kubernetes.io/pv-protection']);
    const bound = await volumes().get('vol');
    await volumes().updateStatus({ ...bound, status: { phase: 'Released' } });
    await until('volume deleted', () => gone(() => volumes().get('vol')));
  });
});

describe('namespace deletion with claims in use', () => {
  it('empties the namespace: pods go, then the protected claims', async () => {
    const cp = await startTestControlPlane({ controllers: ['namespace', 'pvc-protection', 'pv-protection'] });
    try {
      const NS = 'doomed';
      await cp.client.namespaces.create({ metadata: { name: NS } });
      const claims = cp.client.resource<PersistentVolumeClaim>(C.persistentVolumeClaims).inNamespace(NS);
      await claims.create({ ...pvc('data', { namespace: NS }), metadata: { name: 'data', finalizers: [F] } } as PersistentVolumeClaim);
      await cp.client.pods.inNamespace(NS).create(pod('user', { nodeName: 'node-1', volumes: [{ name: 'v', persistentVolumeClaim: { claimName: 'data' } }] }, { namespace: NS, uid: undefined }));
      await cp.client.namespaces.delete(NS);
      // No kubelet: finish the pod's graceful deletion as one would.
      await waitFor('pod terminating', async () => (await cp.client.pods.inNamespace(NS).get('user')).metadata.deletionTimestamp, { timeoutMs: 15_000, intervalMs: 50, retryErrors: true });
      await cp.client.pods.inNamespace(NS).delete('user', { gracePeriodSeconds: 0 });
      await waitFor('namespace gone', async () => cp.client.namespaces.get(NS).then(() => false, () => true), { timeoutMs: 30_000, intervalMs: 100 });
    } finally {
      await cp.stop();
    }
  });
});
