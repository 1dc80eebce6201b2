/** persistentvolume-binder against the in-process API server: static binding, reclaim, provisioning requests. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PersistentVolume } from '../../../pkg/api/core/v1/persistentvolume.ts';
import type { PersistentVolumeClaim } from '../../../pkg/api/core/v1/persistentvolumeclaim.ts';
import type { StorageClass } from '../../../pkg/api/storage/v1/storageclass.ts';
import { BUILTIN_COORDINATES as C } from '../../../pkg/client/index.ts';
import { startTestControlPlane, type TestControlPlane } from '../../../pkg/testing/control-plane.ts';
import { waitFor } from '../../../pkg/testing/wait.ts';
import { pv, pvc, storageClass } from './test-objects.ts';

const NS = 'binder';
let cp: TestControlPlane;
const until = <T>(what: string, fn: () => Promise<T | undefined | false> | T | undefined | false): Promise<T> => waitFor(what, fn, { timeoutMs: 15_000, intervalMs: 50, retryErrors: true });
const volumes = () => cp.client.resource<PersistentVolume>(C.persistentVolumes);
const claims = () => cp.client.resource<PersistentVolumeClaim>(C.persistentVolumeClaims).inNamespace(NS);
const events = async (name: string) => (await cp.client.events.inNamespace(NS).list()).items.filter((e) => e.involvedObject?.name === name);
const volumeEvents = async (name: string) => (await cp.client.events.inNamespace('default').list()).items.filter((e) => e.involvedObject?.name === name);

beforeAll(async () => {
  cp = await startTestControlPlane({ controllers: ['persistentvolume-binder', 'pvc-protection', 'pv-protection'] });
  await cp.client.namespaces.create({ metadata: { name: NS } });
});
afterAll(() => cp?.stop());

describe('persistentvolume-binder', () => {
  it('binds a static volume and a claim both ways, then releases the Retain volume when the claim goes', async () => {
    await volumes().create(pv('static-small', { size: '1Gi', class: '' }));
    await volumes().create(pv('static-big', { size: '5Gi', class: '' }));
    await until('volumes Available', async () => (await volumes().get('static-small')).status?.phase === 'Available' && (await volumes().get('static-big')).status?.phase === 'Available');
    await claims().create(pvc('data', { size: '3Gi', class: '', namespace: NS }));
    const claim = await until('claim Bound', async () => {
      const c = await claims().get('data');
      return c.status?.phase === 'Bound' && c;
    });
    expect(claim.spec?.volumeName).toBe('static-big');
    expect(claim.metadata.annotations).toMatchObject({ 'pv.kubernetes.io/bind-completed': 'yes', 'pv.kubernetes.io/bound-by-controller': 'yes' });
    expect(claim.status).toMatchObject({ accessModes: ['ReadWriteOnce'], capacity: { storage: '5Gi' } });
    const volume = await until('volume Bound', async () => {
      const v = await volumes().get('static-big');
      return v.status?.phase === 'Bound' && v;
    });
    expect(volume.spec?.claimRef).toMatchObject({ kind: 'PersistentVolumeClaim', apiVersion: 'v1', namespace: NS, name: 'data', uid: claim.metadata.uid });
    expect(volume.metadata.annotations?.['pv.kubernetes.io/bound-by-controller']).toBe('yes');
    expect((await volumes().get('static-small')).status?.phase).toBe('Available');

    await claims().delete('data');
    await until('volume Released', async () => (await volumes().get('static-big')).status?.phase === 'Released');
    await new Promise((r) => setTimeout(r, 300));
    expect((await volumes().get('static-big')).status?.phase).toBe('Released');
  });

  it('honours a claim pre-bound by spec.volumeName and a volume pre-bound by claimRef', async () => {
    await volumes().create(pv('wanted', { size: '2Gi', class: '' }));
    await claims().create(pvc('by-name', { class: '', volumeName: 'wanted', namespace: NS }));
    await until('claim bound to the named volume', async () => (await claims().get('by-name')).status?.phase === 'Bound');
    const c1 = await claims().get('by-name');
    expect(c1.metadata.annotations?.['pv.kubernetes.io/bound-by-controller']).toBeUndefined();
    expect((await volumes().get('wanted')).metadata.annotations?.['pv.kubernetes.io/bound-by-controller']).toBe('yes');

    await volumes().create(pv('reserved', { size: '1Gi', class: '', claimRef: { namespace: NS, name: 'by-ref' } }));
    await claims().create(pvc('by-ref', { class: '', namespace: NS }));
    await until('claim bound to the reserving volume', async () => (await claims().get('by-ref')).spec?.volumeName === 'reserved' && (await volumes().get('reserved')).status?.phase === 'Bound');
    expect((await volumes().get('reserved')).metadata.annotations?.['pv.kubernetes.io/bound-by-controller']).toBeUndefined();
    expect((await claims().get('by-ref')).metadata.annotations?.['pv.kubernetes.io/bound-by-controller']).toBe('yes');
  });

  it('reports FailedBinding without a class, WaitForFirstConsumer, and asks a class provisioner', async () => {
    await claims().create(pvc('orphan', { size: '100Gi', class: '', namespace: NS }));
    await until('FailedBinding', async () => (await events('orphan')).find((e) => e.reason === 'FailedBinding' && e.message === 'no persistent volumes available for this claim and no storage class is set'));
    expect((await claims().get('orphan')).status?.phase).toBe('Pending');

    const sc = cp.client.resource<StorageClass>(C.storageClasses);
    await sc.create(storageClass('later', { mode: 'WaitForFirstConsumer', provisioner: 'example.com/ext' }));
    await claims().create(pvc('waiting', { class: 'later', namespace: NS }));
    await until('WaitForFirstConsumer', async () => (await events('waiting')).find((e) => e.reason === 'WaitForFirstConsumer' && e.message === 'waiting for first consumer to be created before binding'));
    expect((await claims().get('waiting')).metadata.annotations?.['volume.kubernetes.io/storage-provisioner']).toBeUndefined();

    const claim = await claims().get('waiting');
    await claims().update({ ...claim, metadata: { ...claim.metadata, annotations: { ...claim.metadata.annotations, 'volume.kubernetes.io/selected-node': 'node-1' } } });
    const annotated = await until('provisioner annotations', async () => {
      const c = await claims().get('waiting');
      return c.metadata.annotations?.['volume.kubernetes.io/storage-provisioner'] !== undefined && c;
    });
    expect(annotated.metadata.annotations).toMatchObject({ 'volume.kubernetes.io/storage-provisioner': 'example.com/ext', 'volume.beta.kubernetes.io/storage-provisioner': 'example.com/ext' });
    const ev = await until('ExternalProvisioning', async () => (await events('waiting')).find((e) => e.reason === 'ExternalProvisioning'));
    expect(ev.message).toBe("Waiting for a volume to be created either by the external provisioner 'example.com/ext' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.");

    await claims().create(pvc('no-class', { class: 'missing', namespace: NS }));
    await until('ProvisioningFailed', async () => (await events('no-class')).find((e) => e.reason === 'ProvisioningFailed' && e.message === 'storageclass.storage.k8s.io "missing" not found'));
  });

  it('marks a released Delete volume it cannot delete Failed with VolumeFailedDelete', async () => {
    await volumes().create(pv('doomed', { class: 'manual', policy: 'Delete' }));
    await claims().create(pvc('short', { class: 'manual', volumeName: 'doomed', namespace: NS }));
    await until('bound', async () => (await volumes().get('doomed')).status?.phase === 'Bound');
    await claims().delete('short');
    const failed = await until('Failed', async () => {
      const v = await volumes().get('doomed');
      return v.status?.phase === 'Failed' && v;
    });
    expect(failed.status?.message).toBe('error getting deleter volume plugin for volume "doomed": no deletable volume plugin matched');
    const ev = await until('event', async () => (await volumeEvents('doomed')).find((e) => e.reason === 'VolumeFailedDelete'));
    expect(ev.type).toBe('Warning');
  });
});
