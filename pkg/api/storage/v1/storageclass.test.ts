import { describe, expect, it } from 'vitest';
import { applyStorageClassDefaults, storageClassResource, type StorageClass } from './storageclass.ts';
import { validateStorageClass } from './storageclass-validation.ts';

function sc(fields: Record<string, unknown>): StorageClass {
  const obj = storageClassResource.schema.parse({ metadata: { name: 'standard' }, provisioner: 'k8ts.io/hostpath', ...fields });
  applyStorageClassDefaults(obj);
  return obj;
}
const show = (errs: { field: string; detail: string }[]) => errs.map((e) => `${e.field}: ${e.detail}`);

describe('StorageClass validation', () => {
  it('defaults reclaim policy Delete and binding mode Immediate', () => {
    const obj = sc({});
    expect(obj).toMatchObject({ reclaimPolicy: 'Delete', volumeBindingMode: 'Immediate' });
    expect(validateStorageClass(obj)).toEqual([]);
  });

  it.each([
    ['no provisioner', { provisioner: '' }, ['provisioner: Required value']],
    ['a provisioner that is not a qualified name', { provisioner: 'a/b/c' }, ['provisioner: Invalid value: "a/b/c": a qualified name must consist of alphanumeric characters, \'-\', \'_\' or \'.\', and must start and end with an alphanumeric character (e.g. \'MyName\',  or \'my.name\',  or \'123-abc\', regex used for validation is \'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]\') with an optional DNS subdomain prefix and \'/\' (e.g. \'example.com/MyName\')']],
    ['Recycle', { reclaimPolicy: 'Recycle' }, ['reclaimPolicy: Unsupported value: "Recycle": supported values: "Delete", "Retain"']],
    ['a bad binding mode', { volumeBindingMode: 'Later' }, ['volumeBindingMode: Unsupported value: "Later": supported values: "Immediate", "WaitForFirstConsumer"']],
    ['an empty parameter key', { parameters: { '': 'x' } }, ['parameters: Invalid value: "": field can not be empty.']],
    ['a topology without values', { allowedTopologies: [{ matchLabelExpressions: [{ key: 'topology.kubernetes.io/zone', values: [] }] }] }, ['allowedTopologies[0].matchLabelExpressions[0].values: Required value: must specify as least one value']],
    ['a repeated topology', { allowedTopologies: [{ matchLabelExpressions: [{ key: 'z', values: ['a'] }] }, { matchLabelExpressions: [{ key: 'z', values: ['a'] }] }] }, ['allowedTopologies[1].matchLabelExpressions: Duplicate value: ""']],
  ])('%s', (_name, fields, expected) => {
    expect(show(validateStorageClass(sc(fields)))).toEqual(expected);
  });

  it('forbids updates to parameters, provisioner, reclaim policy and binding mode', () => {
    const old = sc({ parameters: { a: '1' } });
    const next = sc({ parameters: { a: '2' }, provisioner: 'other.io/p', reclaimPolicy: 'Retain', volumeBindingMode: 'WaitForFirstConsumer', allowVolumeExpansion: true });
    expect(show(validateStorageClass(next, old))).toEqual([
      'parameters: Forbidden: updates to parameters are forbidden.',
      'provisioner: Forbidden: updates to provisioner are forbidden.',
      'reclaimPolicy: Forbidden: updates to reclaimPolicy are forbidden.',
      'volumeBindingMode: Invalid value: "WaitForFirstConsumer": field is immutable',
    ]);
    expect(validateStorageClass(sc({ parameters: { a: '1' }, allowVolumeExpansion: true }), old)).toEqual([]);
  });
});
