/** k8ts.io/hostpath: pure volume/helper-pod shapes, and provisioning + deletion with the binder on the in-process API server. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pod } from '../../../pkg/api/core/v1/pod.ts';
import type { PersistentVolume } from '../../../pkg/api/core/v1/persistentvolume.ts';
import type { PersistentVolumeClaim } from '../../../pkg/api/core/v1/persistentvolumeclaim.ts';
import type { StorageClass } from '../../../pkg/api/storage/v1/storageclass.ts';
import { BUILTIN_COORDINATES as C } from '../../../pkg/client/index.ts';
import { startTestControlPlane, type TestControlPlane } from '../../../pkg/testing/control-plane.ts';
import { waitFor } from '../../../pkg/testing/wait.ts';
import { pv, pvc, storageClass } from '../persistentvolume/test-objects.ts';
import { helperPod, shouldDelete, splitVolumePath } from './helper-pod.ts';
import { baseDir, newVolume, shouldProvision } from './volume.ts';

const ASKED = { 'volume.kubernetes.io/storage-provisioner': 'k8ts.io/hostpath' };

describe('shouldProvision / newVolume / helperPod', () => {
  const wffc = storageClass('local', { mode: 'WaitForFirstConsumer' });
  it.each([
    ['Immediate class, annotated', pvc('c', { class: 'now', annotations: ASKED }), storageClass('now'), true],
    ['not annotated for us', pvc('c', { class: 'now' }), storageClass('now'), false],
    ['class of another provisioner', pvc('c', { class: 'x', annotations: ASKED }), storageClass('x', { provisioner: 'other.io/p' }), false],
    ['WaitForFirstConsumer without node', pvc('c', { class: 'local', annotations: ASKED }), wffc, false],
    ['WaitForFirstConsumer with node', pvc('c', { class: 'local', annotations: { ...ASKED, 'volume.kubernetes.io/selected-node': 'n1' } }), wffc, true],
    ['already bound', pvc('c', { class: 'now', volumeName: 'v', annotations: ASKED }), storageClass('now'), false],
    ['class missing', pvc('c', { class: 'now', annotations: ASKED }), undefined, false],
  ])('%s', (_what, claim, klass, expected) => {
    expect(shouldProvision(claim, klass)).toBe(expected);
  });

  it('builds the pre-bound volume from the claim and class', () => {
    const claim = pvc('data', { size: '2Gi', class: 'local', uid: 'u-1', modes: ['ReadWriteOnce'] });
    const klass = storageClass('local', { policy: 'Retain', mountOptions: ['noatime'], parameters: { path: '/mnt/disks/' } });
    expect(baseDir(klass, '/flag')).toBe('/mnt/disks');
    expect(baseDir(storageClass('x'), undefined)).toBe('/var/lib/k8ts/storage');
    expect(newVolume({ claim, klass, base: baseDir(klass, undefined), hostname: 'node-a' })).toEqual({
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name: 'pvc-u-1', annotations: { 'pv.kubernetes.io/provisioned-by': 'k8ts.io/hostpath' } },
      spec: {
        capacity: { storage: '2Gi' },
        accessModes: ['ReadWriteOnce'],
        persistentVolumeReclaimPolicy: 'Retain',
        storageClassName: 'local',
        volumeMode: 'Filesystem',
        mountOptions: ['noatime'],
        hostPath: { path: '/mnt/disks/pvc-u-1_ns_data', type: 'DirectoryOrCreate' },
        claimRef: { kind: 'PersistentVolumeClaim', namespace: 'ns', name: 'data', uid: 'u-1', apiVersion: 'v1' },
        nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['node-a'] }] }] } },
      },
    });
  });

  it('deletes only its own Released Delete volumes, with paths it made', () => {
    const mine = { 'pv.kubernetes.io/provisioned-by': 'k8ts.io/hostpath' };
    expect(shouldDelete(pv('v', { policy: 'Delete', phase: 'Released', annotations: mine }))).toBe(true);
    expect(shouldDelete(pv('v', { policy: 'Retain', phase: 'Released', annotations: mine }))).toBe(false);
    expect(shouldDelete(pv('v', { policy: 'Delete', phase: 'Bound', annotations: mine }))).toBe(false);
    expect(shouldDelete(pv('v', { policy: 'Delete', phase: 'Released' }))).toBe(false);
    const odd = pv('v');
    odd.spec!.hostPath = { path: '/etc' };
    expect(splitVolumePath(odd)).toBeUndefined();
    expect(helperPod(odd)).toBeUndefined();
  });
});

describe('hostpath-provisioner with persistentvolume-binder', () => {
  const NS = 'hostpath';
  let cp: TestControlPlane;
  const until = <T>(what: string, fn: () => Promise<T | undefined | false> | T | undefined | false): Promise<T> => waitFor(what, fn, { timeoutMs: 15_000, intervalMs: 50, retryErrors: true });
  const volumes = () => cp.client.resource<PersistentVolume>(C.persistentVolumes);
  const claims = () => cp.client.resource<PersistentVolumeClaim>(C.persistentVolumeClaims).inNamespace(NS);
  const events = async (name: string) => (await cp.client.events.inNamespace(NS).list()).items.filter((e) => e.involvedObject?.name === name);

  beforeAll(async () => {
    cp = await startTestControlPlane({ controllers: ['persistentvolume-binder', 'hostpath-provisioner', 'statefulset', 'pvc-protection', 'pv-protection'], controllerSettings: { hostpathProvisionerDir: '/srv/k8ts-volumes' } });
    await cp.client.namespaces.create({ metadata: { name: NS } });
    await cp.client.namespaces.create({ metadata: { name: 'kube-system' } }).catch(() => undefined);
    await cp.client.resource<StorageClass>(C.storageClasses).create(storageClass('standard', { mode: 'WaitForFirstConsumer', policy: 'Delete' }));
  });
  afterAll(() => cp?.stop());

  it('provisions a volume on the selected node, binds it, and deletes it through a helper pod when the claim goes', async () => {
    await cp.client.nodes.create({ metadata: { name: 'node-1', labels: { 'kubernetes.io/hostname': 'node-1-host' } } });
    await claims().create(pvc('www', { size: '3Gi', class: 'standard', namespace: NS }));
    await until('WaitForFirstConsumer', async () => (await events('www')).find((e) => e.reason === 'WaitForFirstConsumer'));
    expect((await volumes().list()).items).toHaveLength(0);

    // The scheduler's part: pick a node.
    const claim = await claims().get('www');
    await claims().update({ ...claim, metadata: { ...claim.metadata, annotations: { ...claim.metadata.annotations, 'volume.kubernetes.io/selected-node': 'node-1' } } });
    const bound = await until('claim Bound', async () => {
      const c = await claims().get('www');
      return c.status?.phase === 'Bound' && c;
    });
    const name = `pvc-${claim.metadata.uid}`;
    expect(bound.spec?.volumeName).toBe(name);
    expect(bound.status?.capacity).toEqual({ storage: '3Gi' });
    const volume = await until('volume Bound', async () => {
      const v = await volumes().get(name);
      return v.status?.phase === 'Bound' && v;
    });
    expect(volume.spec?.hostPath).toEqual({ path: `/srv/k8ts-volumes/${name}_${NS}_www`, type: 'DirectoryOrCreate' });
    expect(volume.spec?.nodeAffinity?.required?.nodeSelectorTerms).toEqual([{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['node-1-host'] }] }]);
    expect(volume.spec?.persistentVolumeReclaimPolicy).toBe('Delete');
    expect(volume.metadata.annotations?.['pv.kubernetes.io/provisioned-by']).toBe('k8ts.io/hostpath');
    const reasons = (await events('www')).map((e) => `${e.reason}: ${e.message}`);
    expect(reasons).toContain(`Provisioning: External provisioner is provisioning volume for claim "${NS}/www"`);
    expect(reasons).toContain(`ProvisioningSucceeded: Successfully provisioned volume ${name}`);

    await claims().delete('www');
    const helpers = () => cp.client.pods.inNamespace('kube-system');
    const helper = await until('helper pod', async () => (await helpers().list()).items.find((p) => p.metadata.name === `helper-pod-delete-${name}`));
    expect(helper.spec).toMatchObject({
      nodeName: 'node-1-host',
      restartPolicy: 'Never',
      containers: [{ image: 'busybox', command: ['rm', '-rf', `/srv/k8ts-volumes/${name}_${NS}_www`], volumeMounts: [{ name: 'data', mountPath: '/srv/k8ts-volumes' }] }],
      volumes: [{ name: 'data', hostPath: { path: '/srv/k8ts-volumes', type: 'DirectoryOrCreate' } }],
    });
    expect((await volumes().get(name)).status?.phase).toBe('Released');

    // The kubelet's part: the helper pod ran and succeeded.
    await helpers().patch(helper.metadata.name as string, { status: { phase: 'Succeeded' } }, { type: 'merge', subresource: 'status' });
    await until('volume deleted', async () => !(await volumes().list()).items.some((v) => v.metadata.name === name));
    await until('helper pod deleted', async () => !(await helpers().list()).items.some((p) => p.metadata.name === helper.metadata.name && !p.metadata.deletionTimestamp));
  });

  it('reports VolumeFailedDelete and retries with a new helper pod when the helper fails', async () => {
    const sc = cp.client.resource<StorageClass>(C.storageClasses);
    await sc.create(storageClass('now', { mode: 'Immediate' }));
    await claims().create(pvc('tmp', { class: 'now', namespace: NS }));
    const c = await until('bound', async () => {
      const x = await claims().get('tmp');
      return x.status?.phase === 'Bound' && x;
    });
    const name = c.spec?.volumeName as string;
    expect((await volumes().get(name)).spec?.nodeAffinity).toBeUndefined();
    await claims().delete('tmp');
    const helpers = () => cp.client.pods.inNamespace('kube-system');
    const first = await until('helper pod', async () => (await helpers().list()).items.find((p) => p.metadata.name === `helper-pod-delete-${name}`));
    expect(first.spec?.nodeName).toBeUndefined();
    await helpers().patch(first.metadata.name as string, { status: { phase: 'Failed' } }, { type: 'merge', subresource: 'status' });
    const ev = await until('VolumeFailedDelete', async () => (await cp.client.events.inNamespace('default').list()).items.find((e) => e.involvedObject?.name === name && e.reason === 'VolumeFailedDelete'));
    expect(ev.type).toBe('Warning');
    const second = await until('a new helper pod', async () => (await helpers().list()).items.find((p: Pod) => p.metadata.name === first.metadata.name && p.metadata.uid !== first.metadata.uid && !p.metadata.deletionTimestamp));
    await helpers().patch(second.metadata.name as string, { status: { phase: 'Succeeded' } }, { type: 'merge', subresource: 'status' });
    await until('volume deleted', async () => !(await volumes().list()).items.some((v) => v.metadata.name === name));
  });

  it('a StatefulSet claim of the default-style class is provisioned and bound once the scheduler picks a node', async () => {
    await cp.client.statefulSets.inNamespace(NS).create({
      metadata: { name: 'web' },
      spec: {
        replicas: 1,
        serviceName: 'web',
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } },
        volumeClaimTemplates: [{ metadata: { name: 'www' }, spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'standard', resources: { requests: { storage: '1Gi' } } } }],
      },
    } as never);
    const claim = await until('claim www-web-0', async () => (await claims().list()).items.find((c) => c.metadata.name === 'www-web-0'));
    await until('pod web-0', async () => (await cp.client.pods.inNamespace(NS).list()).items.find((p) => p.metadata.name === 'web-0'));
    expect((await claims().get('www-web-0')).status?.phase).toBe('Pending');
    await claims().patch('www-web-0', { metadata: { annotations: { 'volume.kubernetes.io/selected-node': 'node-1' } } }, { type: 'merge' });
    const bound = await until('bound', async () => {
      const c = await claims().get('www-web-0');
      return c.status?.phase === 'Bound' && c;
    });
    expect(bound.spec?.volumeName).toBe(`pvc-${claim.metadata.uid}`);
  });
});
