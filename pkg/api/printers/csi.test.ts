import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../meta.ts';
import { csiDriverPrinter, csiNodePrinter, csiStorageCapacityPrinter, volumeAttachmentPrinter } from './csi.ts';
import { getPrinter } from './index.ts';

const now = new Date('2026-01-01T01:00:00Z');
const metadata = (name: string) => ({ name, creationTimestamp: '2026-01-01T00:00:00Z' });
const obj = (o: Record<string, unknown>) => o as unknown as KubeObject;

describe('CSI tables', () => {
  it('is registered for the four storage.k8s.io CSI kinds', () => {
    expect(getPrinter('storage.k8s.io', 'CSIDriver')).toBe(csiDriverPrinter);
    expect(getPrinter('storage.k8s.io', 'CSINode')).toBe(csiNodePrinter);
    expect(getPrinter('storage.k8s.io', 'VolumeAttachment')).toBe(volumeAttachmentPrinter);
    expect(getPrinter('storage.k8s.io', 'CSIStorageCapacity')).toBe(csiStorageCapacityPrinter);
  });

  it('prints a CSIDriver as upstream printCSIDriver', () => {
    expect(csiDriverPrinter.columns.map((c) => [c.name, c.type])).toEqual([
      ['Name', 'string'], ['AttachRequired', 'boolean'], ['PodInfoOnMount', 'boolean'], ['StorageCapacity', 'boolean'],
      ['TokenRequests', 'string'], ['RequiresRepublish', 'boolean'], ['Modes', 'string'], ['Age', 'string'],
    ]);
    const nfs = obj({ metadata: metadata('nfs.csi.k8s.io'), spec: { attachRequired: false, podInfoOnMount: false, storageCapacity: false, requiresRepublish: false, volumeLifecycleModes: ['Persistent'] } });
    expect(csiDriverPrinter.row(nfs, now)).toEqual(['nfs.csi.k8s.io', false, false, false, '<unset>', false, 'Persistent', '60m']);
    const tokens = obj({ metadata: metadata('secrets-store.csi.k8s.io'), spec: { tokenRequests: [{ audience: 'vault' }, { audience: '' }], volumeLifecycleModes: ['Persistent', 'Ephemeral'] } });
    expect(csiDriverPrinter.row(tokens, now)).toEqual(['secrets-store.csi.k8s.io', true, false, false, 'vault,', false, 'Persistent,Ephemeral', '60m']);
    expect(csiDriverPrinter.row(obj({ metadata: metadata('bare'), spec: {} }), now)[6]).toBe('<none>');
  });

  it('prints a CSINode with its driver count', () => {
    expect(csiNodePrinter.columns.map((c) => [c.name, c.type])).toEqual([['Name', 'string'], ['Drivers', 'integer'], ['Age', 'string']]);
    expect(csiNodePrinter.row(obj({ metadata: metadata('node-1'), spec: { drivers: [{ name: 'a', nodeID: 'n' }] } }), now)).toEqual(['node-1', 1, '60m']);
  });

  it('prints a VolumeAttachment (the Attacher column has format name, as upstream declares it)', () => {
    expect(volumeAttachmentPrinter.columns.map((c) => [c.name, c.type, c.format])).toEqual([
      ['Name', 'string', 'name'], ['Attacher', 'string', 'name'], ['PV', 'string', ''], ['Node', 'string', ''], ['Attached', 'boolean', ''], ['Age', 'string', ''],
    ]);
    const va = obj({ metadata: metadata('csi-1'), spec: { attacher: 'ebs.csi.aws.com', nodeName: 'node-1', source: { persistentVolumeName: 'pv-1' } }, status: { attached: true } });
    expect(volumeAttachmentPrinter.row(va, now)).toEqual(['csi-1', 'ebs.csi.aws.com', 'pv-1', 'node-1', true, '60m']);
    const inline = obj({ metadata: metadata('csi-2'), spec: { attacher: 'd', nodeName: 'n', source: { inlineVolumeSpec: {} } } });
    expect(volumeAttachmentPrinter.row(inline, now)).toEqual(['csi-2', 'd', '', 'n', false, '60m']);
  });

  it('prints a CSIStorageCapacity without an Age column, as upstream', () => {
    expect(csiStorageCapacityPrinter.columns.map((c) => c.name)).toEqual(['Name', 'StorageClassName', 'Capacity']);
    expect(csiStorageCapacityPrinter.row(obj({ metadata: metadata('c'), storageClassName: 'standard', capacity: '1024Mi' }), now)).toEqual(['c', 'standard', '1Gi']);
    expect(csiStorageCapacityPrinter.row(obj({ metadata: metadata('c'), storageClassName: 'standard' }), now)).toEqual(['c', 'standard', '<unset>']);
  });
});
