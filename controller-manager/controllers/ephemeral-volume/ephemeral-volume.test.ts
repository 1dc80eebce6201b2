/** ephemeral-volume: the claim built for a generic ephemeral volume, creation and collection with the pod, name conflicts. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pod } from '../../../pkg/api/core/v1/pod.ts';
import type { PersistentVolumeClaim } from '../../../pkg/api/core/v1/persistentvolumeclaim.ts';
import { BUILTIN_COORDINATES as C } from '../../../pkg/client/index.ts';
import { startTestControlPlane, type TestControlPlane } from '../../../pkg/testing/control-plane.ts';
import { waitFor } from '../../../pkg/testing/wait.ts';
import { claimNotForPod } from '../../../pkg/volume/pod-claims.ts';
import { ephemeralClaim } from './claim.ts';

const template = { metadata: { labels: { type: 'scratch' } }, spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'standard', resources: { requests: { storage: '1Gi' } } } };
const pod = (name: string, ns = 'ns', uid?: string): Pod =>
  ({ metadata: { name, namespace: ns, ...(uid ? { uid } : {}) }, spec: { containers: [{ name: 'c', image: 'busybox' }], volumes: [{ name: 'scratch', ephemeral: { volumeClaimTemplate: template } }] } }) as Pod;

describe('ephemeralClaim', () => {
  it('names the claim <pod>-<volume>, copies the template and makes the pod its controller', () => {
    const p = pod('app', 'ns', 'pod-uid');
    const claim = ephemeralClaim(p, p.spec!.volumes![0]!);
    expect(claim.metadata).toEqual({ name: 'app-scratch', namespace: 'ns', labels: { type: 'scratch' }, ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name: 'app', uid: 'pod-uid', controller: true, blockOwnerDeletion: true }] });
    expect(claim.spec).toEqual(template.spec);
    expect(claimNotForPod(p, claim)).toBeUndefined();
    expect(claimNotForPod(pod('app', 'ns', 'other'), claim)).toBe('PVC ns/app-scratch was not created for pod ns/app (pod is not owner)');
  });
});

describe('ephemeral-volume controller', () => {
  const NS = 'eph';
  let cp: TestControlPlane;
  const until = <T>(what: string, fn: () => Promise<T | undefined | false> | T | undefined | false): Promise<T> => waitFor(what, fn, { timeoutMs: 15_000, intervalMs: 50, retryErrors: true });
  const claims = () => cp.client.resource<PersistentVolumeClaim>(C.persistentVolumeClaims).inNamespace(NS);
  beforeAll(async () => {
    cp = await startTestControlPlane({ controllers: ['ephemeral-volume', 'garbagecollector'] });
    await cp.client.namespaces.create({ metadata: { name: NS } });
  });
  afterAll(() => cp?.stop());

  it('creates the claim owned by the pod, and the garbage collector removes it with the pod', async () => {
    const created = await cp.client.pods.inNamespace(NS).create(pod('app', NS));
    const claim = await until('claim', async () => (await claims().list()).items.find((c) => c.metadata.name === 'app-scratch'));
    expect(claim.metadata.ownerReferences).toEqual([{ apiVersion: 'v1', kind: 'Pod', name: 'app', uid: created.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    expect(claim.spec?.storageClassName).toBe('standard');
    await cp.client.pods.inNamespace(NS).delete('app', { gracePeriodSeconds: 0 });
    await until('claim collected', async () => !(await claims().list()).items.some((c) => c.metadata.name === 'app-scratch' && !c.metadata.deletionTimestamp));
  });

  it('reports a claim of that name that belongs to someone else', async () => {
    await claims().create({ metadata: { name: 'clash-scratch' }, spec: template.spec } as PersistentVolumeClaim);
    await cp.client.pods.inNamespace(NS).create(pod('clash', NS));
    const ev = await until('FailedBinding', async () => (await cp.client.events.inNamespace(NS).list()).items.find((e) => e.involvedObject?.name === 'clash' && e.reason === 'FailedBinding'));
    expect(ev.message).toBe(`ephemeral volume scratch: PVC ${NS}/clash-scratch was not created for pod ${NS}/clash (pod is not owner)`);
    expect(ev.type).toBe('Warning');
  });
});
