import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../pkg/api/meta.ts';
import type { PatchMeta } from '../../pkg/api/resource.ts';
import { trackUpdate } from './managed-fields.ts';

const meta: PatchMeta = {
  'spec.containers': { strategy: 'merge', mergeKey: 'name' },
  'metadata.finalizers': { strategy: 'merge' },
};
const now = '2026-12-03T12:00:00Z';

const objects: Array<[string, KubeObject, boolean]> = [
  ['a ConfigMap', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'ns', labels: { app: 'x' } }, data: { k: 'v' } }, false],
  ['only identity fields', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'ns', uid: 'u' } }, false],
  ['empty maps and lists', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', annotations: {}, finalizers: [] }, data: {} }, false],
  [
    'a pod with keyed lists, sets and status',
    { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', finalizers: ['f'] }, spec: { containers: [{ name: 'c', image: 'i', args: ['a'] }] }, status: { phase: 'Pending' } },
    true,
  ],
  ['status without a status subresource', { apiVersion: 'v1', kind: 'X', metadata: { name: 'x' }, status: { phase: 'Pending' } }, false],
];

describe('trackUpdate of a create', () => {
  it.each(objects)('%s: same managedFields as an update from an empty object', (_name, obj, hasStatusSubresource) => {
    const common = { manager: 'm', apiVersion: 'v1', patchMeta: meta, now, hasStatusSubresource };
    const created = trackUpdate({ ...common, oldObject: undefined, newObject: structuredClone(obj) });
    const fromEmpty = trackUpdate({ ...common, oldObject: { metadata: {} }, newObject: structuredClone(obj) });
    expect(created).toEqual(fromEmpty);
  });

  it('owns every field set, as one Update entry of the writer', () => {
    const out = trackUpdate({ oldObject: undefined, newObject: objects[0][1], manager: 'kubectl', apiVersion: 'v1', patchMeta: meta, now });
    expect(out.metadata.managedFields).toEqual([
      { manager: 'kubectl', operation: 'Update', apiVersion: 'v1', time: now, fieldsType: 'FieldsV1', fieldsV1: { 'f:data': { 'f:k': {} }, 'f:metadata': { 'f:labels': { 'f:app': {} } } } },
    ]);
  });

  it('records nothing when only identity fields are set', () => {
    const out = trackUpdate({ oldObject: undefined, newObject: objects[1][1], manager: 'kubectl', apiVersion: 'v1', patchMeta: meta, now });
    expect(out.metadata.managedFields).toBeUndefined();
  });
});
