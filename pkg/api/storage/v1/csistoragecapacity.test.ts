import { describe, expect, it } from 'vitest';
import { applyCSIStorageCapacityDefaults, csiStorageCapacityResource, validateCSIStorageCapacity, type CSIStorageCapacity } from './csistoragecapacity.ts';

function capacity(fields: Record<string, unknown>): CSIStorageCapacity {
  const obj = csiStorageCapacityResource.schema.parse({ metadata: { name: 'csisc-abc', namespace: 'kube-system' }, storageClassName: 'standard', ...fields });
  applyCSIStorageCapacityDefaults(obj);
  return obj;
}
const show = (errs: { field: string; detail: string }[]) => errs.map((e) => `${e.field}: ${e.detail}`);
const zone = { matchLabels: { 'topology.kubernetes.io/zone': 'us-east-1a' } };

describe('CSIStorageCapacity', () => {
  it('stores quantities canonical and accepts a reported capacity', () => {
    const obj = capacity({ nodeTopology: zone, capacity: '1024Mi', maximumVolumeSize: 1073741824 });
    expect(obj).toMatchObject({ capacity: '1Gi', maximumVolumeSize: '1073741824' });
    expect(validateCSIStorageCapacity(obj)).toEqual([]);
  });

  it.each([
    ['no storage class', { storageClassName: '' }, [expect.stringMatching(/^storageClassName: Invalid value: "": a lowercase RFC 1123 subdomain/)]],
    ['a negative capacity', { capacity: '-1Gi' }, ['capacity: Invalid value: "-1Gi": must be greater than or equal to 0']],
    ['a bad topology', { nodeTopology: { matchExpressions: [{ key: 'zone', operator: 'Near' }] } }, [expect.stringMatching(/^nodeTopology\.matchExpressions\[0\]\.operator: /)]],
  ])('refuses %s', (_n, fields, expected) => {
    expect(show(validateCSIStorageCapacity(capacity(fields)))).toEqual(expected);
  });

  it('warns of deprecated node labels in the topology on create, as upstream', () => {
    const obj = capacity({ nodeTopology: { matchLabels: { 'failure-domain.beta.kubernetes.io/zone': 'a' }, matchExpressions: [{ key: 'beta.kubernetes.io/os', operator: 'In', values: ['linux'] }] } });
    expect(csiStorageCapacityResource.warningsOnCreate?.(obj)).toEqual([
      'nodeTopology.matchExpressions[0].key: beta.kubernetes.io/os is deprecated since v1.14; use "kubernetes.io/os" instead',
      'nodeTopology.matchLabels.failure-domain.beta.kubernetes.io/zone: deprecated since v1.17; use "topology.kubernetes.io/zone" instead',
    ]);
    expect(csiStorageCapacityResource.warningsOnCreate?.(capacity({ nodeTopology: zone }))).toEqual([]);
  });

  it('keeps class and topology immutable; capacity may change', () => {
    const old = capacity({ nodeTopology: zone, capacity: '1Gi' });
    expect(show(validateCSIStorageCapacity(capacity({ nodeTopology: { matchLabels: { 'topology.kubernetes.io/zone': 'b' } }, storageClassName: 'fast', capacity: '1Gi' }), old))).toEqual([
      'nodeTopology: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"topology.kubernetes.io/zone":"b"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
      'storageClassName: Invalid value: "fast": field is immutable',
    ]);
    expect(validateCSIStorageCapacity(capacity({ nodeTopology: zone, capacity: '2Gi', maximumVolumeSize: '1Gi' }), old)).toEqual([]);
  });
});
