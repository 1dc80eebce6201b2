import { describe, expect, it } from 'vitest';
import { applyCSINodeDefaults, csiNodeResource, validateCSINode, type CSINode } from './csinode.ts';

function node(drivers?: unknown[], name = 'node-1'): CSINode {
  const obj = csiNodeResource.schema.parse({ metadata: { name }, spec: drivers ? { drivers } : {} });
  applyCSINodeDefaults(obj);
  return obj;
}
const show = (errs: { field: string; detail: string }[]) => errs.map((e) => `${e.field}: ${e.detail}`);
const nfs = { name: 'nfs.csi.k8s.io', nodeID: 'node-1', topologyKeys: ['topology.kubernetes.io/zone'], allocatable: { count: 10 } };

describe('CSINode', () => {
  it('always carries a driver list', () => {
    expect(node().spec).toEqual({ drivers: [] });
    expect(validateCSINode(node([nfs]))).toEqual([]);
  });

  it('validates each driver as upstream validateCSINodeDriver', () => {
    const errs = show(validateCSINode(node([
      { name: '', nodeID: '' },
      { name: 'Bad_Name', nodeID: 'x'.repeat(257), allocatable: { count: -1 } },
      { name: 'a.example.com', nodeID: 'n', topologyKeys: ['zone', 'zone', ''] },
      { name: 'a.example.com', nodeID: 'n' },
    ])));
    expect(errs).toEqual([
      'spec.drivers[0].name: Required value',
      expect.stringMatching(/^spec\.drivers\[0\]\.name: Invalid value: "": a lowercase RFC 1123 subdomain/),
      'spec.drivers[0].nodeID: Required value',
      expect.stringMatching(/^spec\.drivers\[1\]\.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain/),
      `spec.drivers[1].nodeID: Invalid value: "${'x'.repeat(257)}": must be 256 characters or less`,
      'spec.drivers[1].allocatable.count: Invalid value: -1: must be greater than or equal to 0',
      'spec.drivers[2]: Duplicate value: "zone"',
      'spec.drivers[2]: Required value',
      expect.stringMatching(/^spec\.drivers\[2\]: Invalid value: "": name part must be non-empty/),
      'spec.drivers[3].name: Duplicate value: "a.example.com"',
    ]);
  });

  it('never changes a registered driver, but drivers may come and go', () => {
    const old = node([nfs]);
    expect(show(validateCSINode(node([{ ...nfs, nodeID: 'other' }]), old))).toEqual([
      'spec.drivers: Invalid value: storage.CSINodeDriver{Name:"nfs.csi.k8s.io", NodeID:"other", TopologyKeys:[]string{"topology.kubernetes.io/zone"}, Allocatable:(*storage.VolumeNodeResources)(0xc000b4e030)}: field is immutable',
    ]);
    expect(validateCSINode(node([nfs, { name: 'ebs.csi.aws.com', nodeID: 'i-1' }]), old)).toEqual([]);
    expect(validateCSINode(node([]), old)).toEqual([]);
  });
});
