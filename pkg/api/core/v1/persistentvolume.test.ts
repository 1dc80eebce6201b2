import { describe, expect, it } from 'vitest';
import { applyPersistentVolumeDefaults, persistentVolumeResource, type PersistentVolume } from './persistentvolume.ts';
import { validatePersistentVolume } from './persistentvolume-validation.ts';
import { persistentVolumeStatusUpdate, preparePersistentVolumeForCreate } from './persistentvolume-strategy.ts';

function pv(spec: Record<string, unknown>, name = 'task-pv-volume'): PersistentVolume {
  const obj = persistentVolumeResource.schema.parse({ metadata: { name }, spec });
  applyPersistentVolumeDefaults(obj);
  return obj;
}
const TASK = { storageClassName: 'manual', capacity: { storage: '10Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/mnt/data' } };
const LOCAL_AFFINITY = { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['n1'] }] }] } };

const show = (errs: { field: string; detail: string }[]) => errs.map((e) => `${e.field}: ${e.detail}`);

describe('PersistentVolume validation', () => {
  it('accepts the task manifest and defaults reclaim policy, volume mode and phase', () => {
    const obj = pv(TASK);
    expect(show(validatePersistentVolume(obj))).toEqual([]);
    expect(obj.spec).toMatchObject({ persistentVolumeReclaimPolicy: 'Retain', volumeMode: 'Filesystem' });
    expect(obj.status?.phase).toBe('Pending');
  });

  it.each([
    ['missing capacity', { ...TASK, capacity: undefined }, ['spec.capacity: Required value', 'spec.capacity: Unsupported value: core.ResourceList(nil): supported values: "storage"']],
    ['a capacity other than storage', { ...TASK, capacity: { storage: '1Gi', cpu: '1' } }, ['spec.capacity: Unsupported value: core.ResourceList{"cpu":resource.Quantity{s:"1"}, "storage":resource.Quantity{s:"1Gi"}}: supported values: "storage"']],
    ['zero storage', { ...TASK, capacity: { storage: '0' } }, ['spec.capacity[storage]: Invalid value: "0": must be greater than zero']],
    ['no access modes', { ...TASK, accessModes: [] }, ['spec.accessModes: Required value']],
    ['a bad access mode', { ...TASK, accessModes: ['ReadWriteSometimes'] }, ['spec.accessModes: Unsupported value: "ReadWriteSometimes": supported values: "ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"']],
    ['ReadWriteOncePod with another mode', { ...TASK, accessModes: ['ReadWriteOncePod', 'ReadWriteOnce'] }, ['spec.accessModes: Forbidden: may not use ReadWriteOncePod with other access modes']],
    ['no source', { ...TASK, hostPath: undefined }, ['spec: Required value: must specify a volume type']],
    ['two sources', { ...TASK, nfs: { server: 'nfs.example', path: '/exports' } }, ['spec.nfs: Forbidden: may not specify more than 1 volume type']],
    ['hostPath with ..', { ...TASK, hostPath: { path: '/mnt/../etc' } }, ['spec.hostPath.path: Invalid value: "/mnt/../etc": must not contain \'..\'']],
    ['hostPath without path', { ...TASK, hostPath: { path: '' } }, ['spec.hostPath.path: Required value']],
    ['local without node affinity', { ...TASK, hostPath: undefined, local: { path: '/mnt/disks/ssd1' } }, ['spec.nodeAffinity: Required value: Local volume requires node affinity']],
    ['local with node affinity', { ...TASK, hostPath: undefined, local: { path: '/mnt/disks/ssd1' }, nodeAffinity: LOCAL_AFFINITY }, []],
    ['node affinity without terms', { ...TASK, nodeAffinity: { required: { nodeSelectorTerms: [] } } }, ['spec.nodeAffinity.required.nodeSelectorTerms: Required value: must have at least one node selector term']],
    ['node affinity without required', { ...TASK, nodeAffinity: {} }, ['spec.nodeAffinity.required: Required value: must specify required node constraints']],
    ['a bad reclaim policy', { ...TASK, persistentVolumeReclaimPolicy: 'Keep' }, ['spec.persistentVolumeReclaimPolicy: Unsupported value: "Keep": supported values: "Delete", "Recycle", "Retain"']],
    ['recycling /', { ...TASK, hostPath: { path: '/' }, persistentVolumeReclaimPolicy: 'Recycle' }, ["spec.persistentVolumeReclaimPolicy: Forbidden: may not be 'recycle' for a hostPath mount of '/'"]],
    ['a bad class name', { ...TASK, storageClassName: 'Manual_1' }, ['spec.storageClassName: Invalid value: "Manual_1": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, \'-\' or \'.\', and must start and end with an alphanumeric character (e.g. \'example.com\', regex used for validation is \'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\')']],
    ['a bad volume mode', { ...TASK, volumeMode: 'Raw' }, ['spec.volumeMode: Unsupported value: "Raw": supported values: "Block", "Filesystem"']],
    ['nfs with a relative path', { ...TASK, hostPath: undefined, nfs: { server: 's', path: 'exports' } }, ['spec.nfs.path: Invalid value: "exports": must be an absolute path']],
    ['csi without handle', { ...TASK, hostPath: undefined, csi: { driver: 'hostpath.csi.k8s.io' } }, ['spec.csi.volumeHandle: Required value']],
  ])('%s', (_name, spec, expected) => {
    expect(show(validatePersistentVolume(pv(spec)))).toEqual(expected);
  });

  it('makes the source immutable on update, with a go-cmp style diff', () => {
    const old = pv(TASK);
    const next = pv({ ...TASK, hostPath: { path: '/mnt/other' } });
    const errs = validatePersistentVolume(next, old);
    expect(errs).toHaveLength(1);
    expect(errs[0]!.field).toBe('spec.persistentvolumesource');
    expect(errs[0]!.detail).toBe([
      'Forbidden: spec.persistentvolumesource is immutable after creation',
      '  core.PersistentVolumeSource{',
      '  \t... // 2 identical fields',
      '- \tHostPath: &{path: "/mnt/data"},',
      '+ \tHostPath: &{path: "/mnt/other"},',
      '  \t... // 19 identical fields',
      '  }',
      '',
    ].join('\n'));
  });

  it('lets capacity, reclaim policy and class change, and node affinity be added once', () => {
    const old = pv(TASK);
    expect(show(validatePersistentVolume(pv({ ...TASK, capacity: { storage: '20Gi' }, persistentVolumeReclaimPolicy: 'Delete', nodeAffinity: LOCAL_AFFINITY }), old))).toEqual([]);
    const withAffinity = pv({ ...TASK, nodeAffinity: LOCAL_AFFINITY });
    expect(show(validatePersistentVolume(pv(TASK), withAffinity))).toEqual(['nodeAffinity: Invalid value: null: field is immutable']);
    expect(show(validatePersistentVolume(pv({ ...TASK, volumeMode: 'Block' }), old))).toEqual(['volumeMode: Invalid value: "Block": field is immutable']);
  });
});

describe('PersistentVolume strategy', () => {
  const t0 = new Date('2026-01-01T00:00:00Z');
  const t1 = new Date('2026-01-01T00:05:00Z');

  it('starts Pending with a transition time, whatever status the client sent', () => {
    const obj = pv(TASK);
    obj.status = { phase: 'Bound', message: 'x' };
    preparePersistentVolumeForCreate(obj, t0);
    expect(obj.status).toEqual({ phase: 'Pending', lastPhaseTransitionTime: '2026-01-01T00:00:00Z' });
  });

  it('re-stamps the transition time on a phase change only, keeping the spec', () => {
    const stored = pv(TASK);
    preparePersistentVolumeForCreate(stored, t0);
    const bound = { ...pv({ ...TASK, capacity: { storage: '1Gi' } }), status: { phase: 'Bound' } };
    const { object } = persistentVolumeStatusUpdate(bound, stored, { now: t1 });
    expect(object.status).toEqual({ phase: 'Bound', lastPhaseTransitionTime: '2026-01-01T00:05:00Z' });
    expect(object.spec?.capacity).toEqual({ storage: '10Gi' });
    const same = persistentVolumeStatusUpdate({ ...stored, status: { phase: 'Pending', message: 'waiting' } }, stored, { now: t1 });
    expect(same.object.status).toEqual({ phase: 'Pending', message: 'waiting', lastPhaseTransitionTime: '2026-01-01T00:00:00Z' });
  });
});
