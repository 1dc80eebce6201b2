import { describe, expect, it } from 'vitest';
import { getPrinter } from './index.ts';
import { accessModesString, persistentVolumeClaimPrinter, persistentVolumePrinter, storageClassPrinter } from './storage.ts';

const now = new Date('2026-01-01T01:00:00Z');
const created = '2026-01-01T00:00:00Z';

describe('storage tables', () => {
  it('is registered for PV, PVC and StorageClass', () => {
    expect(getPrinter('', 'PersistentVolume')).toBe(persistentVolumePrinter);
    expect(getPrinter('', 'PersistentVolumeClaim')).toBe(persistentVolumeClaimPrinter);
    expect(getPrinter('storage.k8s.io', 'StorageClass')).toBe(storageClassPrinter);
  });

  it.each([
    [['ReadWriteOncePod', 'ReadWriteMany', 'ReadOnlyMany', 'ReadWriteOnce', 'ReadWriteOnce'], 'RWO,ROX,RWX,RWOP'],
    [['ReadWriteMany'], 'RWX'],
    [undefined, ''],
  ])('shortens access modes %j to %s', (modes, expected) => {
    expect(accessModesString(modes)).toBe(expected);
  });

  it('prints a PersistentVolume as upstream 1.33 (wide VolumeMode)', () => {
    expect(persistentVolumePrinter.columns.map((c) => [c.name, c.priority])).toEqual([
      ['Name', 0], ['Capacity', 0], ['Access Modes', 0], ['Reclaim Policy', 0], ['Status', 0], ['Claim', 0],
      ['StorageClass', 0], ['VolumeAttributesClass', 0], ['Reason', 0], ['Age', 0], ['VolumeMode', 1],
    ]);
    const pv = {
      metadata: { name: 'task-pv-volume', creationTimestamp: created },
      spec: { capacity: { storage: '10Gi' }, accessModes: ['ReadWriteOnce'], persistentVolumeReclaimPolicy: 'Retain', storageClassName: 'manual', volumeMode: 'Filesystem', claimRef: { namespace: 'default', name: 'task-pv-claim' } },
      status: { phase: 'Bound' },
    };
    expect(persistentVolumePrinter.row(pv, now)).toEqual(['task-pv-volume', '10Gi', 'RWO', 'Retain', 'Bound', 'default/task-pv-claim', 'manual', '<unset>', '', '60m', 'Filesystem']);
    const deleting = { metadata: { name: 'x', deletionTimestamp: created, annotations: { 'volume.beta.kubernetes.io/storage-class': 'old' } }, spec: {} };
    expect(persistentVolumePrinter.row(deleting, now)).toEqual(['x', '0', '', '', 'Terminating', '', 'old', '<unset>', '', '<unknown>', '<unset>']);
  });

  it('prints a claim\'s capacity and modes only once it names a volume', () => {
    expect(persistentVolumeClaimPrinter.columns.map((c) => c.name)).toEqual(['Name', 'Status', 'Volume', 'Capacity', 'Access Modes', 'StorageClass', 'VolumeAttributesClass', 'Age', 'VolumeMode']);
    const pending = { metadata: { name: 'task-pv-claim', creationTimestamp: created }, spec: { storageClassName: 'manual', volumeMode: 'Filesystem', resources: { requests: { storage: '3Gi' } } }, status: { phase: 'Pending' } };
    expect(persistentVolumeClaimPrinter.row(pending, now)).toEqual(['task-pv-claim', 'Pending', '', '', '', 'manual', '<unset>', '60m', 'Filesystem']);
    const bound = { ...pending, spec: { ...pending.spec, volumeName: 'task-pv-volume' }, status: { phase: 'Bound', capacity: { storage: '10Gi' }, accessModes: ['ReadWriteOnce'] } };
    expect(persistentVolumeClaimPrinter.row(bound, now)).toEqual(['task-pv-claim', 'Bound', 'task-pv-volume', '10Gi', 'RWO', 'manual', '<unset>', '60m', 'Filesystem']);
  });

  it('marks the default StorageClass and fills unset policies as upstream', () => {
    expect(storageClassPrinter.columns.map((c) => c.name)).toEqual(['Name', 'Provisioner', 'ReclaimPolicy', 'VolumeBindingMode', 'AllowVolumeExpansion', 'Age']);
    const sc = { metadata: { name: 'standard', creationTimestamp: created, annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } }, provisioner: 'k8ts.io/hostpath', reclaimPolicy: 'Delete', volumeBindingMode: 'WaitForFirstConsumer', allowVolumeExpansion: true };
    expect(storageClassPrinter.row(sc, now)).toEqual(['standard (default)', 'k8ts.io/hostpath', 'Delete', 'WaitForFirstConsumer', true, '60m']);
    const beta = { metadata: { name: 'b', annotations: { 'storageclass.beta.kubernetes.io/is-default-class': 'true' } }, provisioner: 'p' };
    expect(storageClassPrinter.row(beta, now)).toEqual(['b (default)', 'p', 'Delete', 'Immediate', false, '<unknown>']);
    expect(storageClassPrinter.row({ metadata: { name: 'c', annotations: { 'storageclass.kubernetes.io/is-default-class': 'True' } }, provisioner: 'p' }, now)[0]).toBe('c');
  });
});
