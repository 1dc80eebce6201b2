import { describe, expect, it } from 'vitest';
import { applyPersistentVolumeClaimDefaults, persistentVolumeClaimResource, type PersistentVolumeClaim } from './persistentvolumeclaim.ts';
import { validatePersistentVolumeClaim } from './persistentvolumeclaim-validation.ts';

function pvc(spec: Record<string, unknown>, status?: Record<string, unknown>, annotations?: Record<string, string>): PersistentVolumeClaim {
  const obj = persistentVolumeClaimResource.schema.parse({ metadata: { name: 'task-pv-claim', namespace: 'default', annotations }, spec, status });
  applyPersistentVolumeClaimDefaults(obj);
  return obj;
}
const TASK = { storageClassName: 'manual', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '3Gi' } } };
const show = (errs: { field: string; detail: string }[]) => errs.map((e) => `${e.field}: ${e.detail}`);

describe('PersistentVolumeClaim validation', () => {
  it.each([
    ['the task manifest', TASK, []],
    ['no access modes', { ...TASK, accessModes: undefined }, ['spec.accessModes: Required value: at least 1 access mode is required']],
    ['a bad access mode', { ...TASK, accessModes: ['RWO'] }, ['spec.accessModes: Unsupported value: "RWO": supported values: "ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"']],
    ['no storage request', { ...TASK, resources: {} }, ['spec.resources[storage]: Required value']],
    ['a zero storage request', { ...TASK, resources: { requests: { storage: '0' } } }, ['spec.resources[storage]: Invalid value: "0": must be greater than zero']],
    ['a bad selector', { ...TASK, selector: { matchExpressions: [{ key: 'a', operator: 'In' }] } }, ['spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is \'In\' or \'NotIn\'']],
    ['a bad volume mode', { ...TASK, volumeMode: 'Raw' }, ['spec.volumeMode: Unsupported value: "Raw": supported values: "Block", "Filesystem"']],
    ['a data source of the core group that is not a claim', { ...TASK, dataSource: { kind: 'Pod', name: 'p' } }, ['spec.dataSource: Invalid value: "Pod": must be \'PersistentVolumeClaim\' when referencing the default apiGroup']],
    ['a data source that differs from its ref', { ...TASK, dataSource: { kind: 'PersistentVolumeClaim', name: 'a' }, dataSourceRef: { kind: 'PersistentVolumeClaim', name: 'b' } }, ['spec: Invalid value: spec.dataSource: must match dataSourceRef']],
  ])('%s', (_name, spec, expected) => {
    expect(show(validatePersistentVolumeClaim(pvc(spec)))).toEqual(expected);
  });

  it('forbids changing the spec of a claim, with the diff after upstream\'s message', () => {
    const errs = validatePersistentVolumeClaim(pvc({ ...TASK, accessModes: ['ReadWriteMany'] }), pvc(TASK));
    expect(errs.map((e) => e.field)).toEqual(['spec']);
    expect(errs[0]!.detail).toBe([
      'Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims',
      '  core.PersistentVolumeClaimSpec{',
      '- \tAccessModes: {"ReadWriteOnce"},',
      '+ \tAccessModes: {"ReadWriteMany"},',
      '  \t... // 8 identical fields',
      '  }',
      '',
    ].join('\n'));
  });

  it('lets a pending claim get its volume name once, and a class name when it had none', () => {
    expect(show(validatePersistentVolumeClaim(pvc({ ...TASK, volumeName: 'pv1' }), pvc(TASK)))).toEqual([]);
    expect(validatePersistentVolumeClaim(pvc({ ...TASK, volumeName: 'pv2' }), pvc({ ...TASK, volumeName: 'pv1' }))).toHaveLength(1);
    const { storageClassName: _s, ...noClass } = TASK;
    expect(show(validatePersistentVolumeClaim(pvc(TASK), pvc(noClass)))).toEqual([]);
    expect(validatePersistentVolumeClaim(pvc({ ...TASK, storageClassName: 'other' }), pvc(TASK))).toHaveLength(1);
  });

  it('lets a bound claim grow, and shrink only while above its status capacity', () => {
    const bound = { phase: 'Bound', capacity: { storage: '3Gi' } };
    const old = pvc({ ...TASK, resources: { requests: { storage: '5Gi' } } }, bound);
    expect(show(validatePersistentVolumeClaim(pvc({ ...TASK, resources: { requests: { storage: '8Gi' } } }, bound), old))).toEqual([]);
    expect(show(validatePersistentVolumeClaim(pvc({ ...TASK, resources: { requests: { storage: '4Gi' } } }, bound), old))).toEqual([]);
    expect(show(validatePersistentVolumeClaim(pvc({ ...TASK, resources: { requests: { storage: '2Gi' } } }, bound), old))).toEqual(['spec.resources.requests.storage: Forbidden: field can not be less than status.capacity']);
  });

  it('keeps requests immutable for a claim that is not bound', () => {
    const errs = validatePersistentVolumeClaim(pvc({ ...TASK, resources: { requests: { storage: '5Gi' } } }, { phase: 'Pending' }), pvc(TASK, { phase: 'Pending' }));
    expect(errs.map((e) => e.field)).toEqual(['spec']);
    expect(errs[0]!.detail).toContain('- \tResources: {requests: {storage: "3Gi"}},');
  });

  it('keeps the volume mode and the beta class annotation immutable', () => {
    expect(show(validatePersistentVolumeClaim(pvc({ ...TASK, volumeMode: 'Block' }), pvc(TASK))).some((e) => e === 'volumeMode: Invalid value: "Block": field is immutable')).toBe(true);
    const ann = 'volume.beta.kubernetes.io/storage-class';
    expect(show(validatePersistentVolumeClaim(pvc(TASK, undefined, { [ann]: 'b' }), pvc(TASK, undefined, { [ann]: 'a' })))).toEqual([`metadata.annotations[${ann}]: Invalid value: "b": field is immutable`]);
  });
});
