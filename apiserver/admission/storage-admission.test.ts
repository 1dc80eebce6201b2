import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../pkg/api/meta.ts';
import { ApiError } from '../../pkg/errors/index.ts';
import { runWrite, testContext, testInfo } from './admission-test-kit.ts';
import { createDefaultStorageClassPlugin } from './default-storage-class.ts';
import { createPersistentVolumeClaimResizePlugin, NOT_EXPANDABLE_MESSAGE, ONLY_BOUND_MESSAGE } from './persistent-volume-claim-resize.ts';
import { pickDefaultStorageClass } from './storage-classes.ts';
import { createStorageObjectInUseProtectionPlugin } from './storage-object-in-use-protection.ts';

const PVCS = testInfo('', 'PersistentVolumeClaim', 'persistentvolumeclaims', true);
const PVS = testInfo('', 'PersistentVolume', 'persistentvolumes', false);
const SCS = testInfo('storage.k8s.io', 'StorageClass', 'storageclasses', false);
const DEFAULT = 'storageclass.kubernetes.io/is-default-class';
const BETA_DEFAULT = 'storageclass.beta.kubernetes.io/is-default-class';

function sc(name: string, created: string, annotations: Record<string, string> = {}, extra: Record<string, unknown> = {}): KubeObject {
  return { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name, creationTimestamp: created, annotations }, provisioner: 'k8ts.io/hostpath', ...extra };
}
function pvc(name: string, spec: Record<string, unknown> = {}, status?: Record<string, unknown>): KubeObject {
  return { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name, namespace: 'default' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, ...spec }, status };
}
async function seed(ctx: ReturnType<typeof testContext>, ...objects: KubeObject[]) {
  for (const o of objects) await runWrite(ctx, [], { operation: 'CREATE', info: o.kind === 'StorageClass' ? SCS : PVCS, namespace: o.metadata.namespace, name: o.metadata.name!, object: o });
}

describe('pickDefaultStorageClass', () => {
  it('picks the newest class marked default (GA or beta annotation), then the first name', () => {
    const classes = [sc('old', '2026-01-01T00:00:00Z', { [DEFAULT]: 'true' }), sc('new-b', '2026-01-02T00:00:00Z', { [BETA_DEFAULT]: 'true' }), sc('new-a', '2026-01-02T00:00:00Z', { [DEFAULT]: 'true' }), sc('newest-not-default', '2026-01-03T00:00:00Z', { [DEFAULT]: 'True' })];
    expect(pickDefaultStorageClass(classes)?.metadata.name).toBe('new-a');
    expect(pickDefaultStorageClass([sc('plain', '2026-01-01T00:00:00Z')])).toBeUndefined();
  });
});

describe('DefaultStorageClass admission', () => {
  it('gives a claim without a class the default class, on create only', async () => {
    const ctx = testContext();
    const plugins = [createDefaultStorageClassPlugin(ctx)];
    const none = await runWrite(ctx, plugins, { operation: 'CREATE', info: PVCS, namespace: 'default', name: 'a', object: pvc('a') });
    expect((none?.spec as { storageClassName?: string }).storageClassName).toBeUndefined();
    await seed(ctx, sc('standard', '2026-01-01T00:00:00Z', { [DEFAULT]: 'true' }), sc('fast', '2026-01-01T00:00:00Z'));
    const got = await runWrite(ctx, plugins, { operation: 'CREATE', info: PVCS, namespace: 'default', name: 'b', object: pvc('b') });
    expect((got?.spec as { storageClassName?: string }).storageClassName).toBe('standard');
    const explicitEmpty = await runWrite(ctx, plugins, { operation: 'CREATE', info: PVCS, namespace: 'default', name: 'c', object: pvc('c', { storageClassName: '' }) });
    expect((explicitEmpty?.spec as { storageClassName?: string }).storageClassName).toBe('');
    const named = await runWrite(ctx, plugins, { operation: 'CREATE', info: PVCS, namespace: 'default', name: 'd', object: pvc('d', { storageClassName: 'fast' }) });
    expect((named?.spec as { storageClassName?: string }).storageClassName).toBe('fast');
    const updated = await runWrite(ctx, plugins, { operation: 'UPDATE', info: PVCS, namespace: 'default', name: 'a', object: pvc('a') });
    expect((updated?.spec as { storageClassName?: string }).storageClassName).toBeUndefined();
  });
});

describe('StorageObjectInUseProtection admission', () => {
  it('adds the protection finalizers to new claims and volumes, once', async () => {
    const ctx = testContext();
    const plugins = [createStorageObjectInUseProtectionPlugin()];
    const claim = await runWrite(ctx, plugins, { operation: 'CREATE', info: PVCS, namespace: 'default', name: 'a', object: pvc('a') });
    expect(claim?.metadata.finalizers).toEqual(['kubernetes.io/pvc-protection']);
    const volume = await runWrite(ctx, plugins, { operation: 'CREATE', info: PVS, name: 'v', object: { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'v', finalizers: ['x', 'kubernetes.io/pv-protection'] } } });
    expect(volume?.metadata.finalizers).toEqual(['x', 'kubernetes.io/pv-protection']);
    const updated = await runWrite(ctx, plugins, { operation: 'UPDATE', info: PVCS, namespace: 'default', name: 'a', object: { ...pvc('a'), metadata: { name: 'a', namespace: 'default', finalizers: [] } } });
    expect(updated?.metadata.finalizers).toEqual([]);
  });
});

describe('PersistentVolumeClaimResize admission', () => {
  const grow = pvc('a', { storageClassName: 'standard', resources: { requests: { storage: '2Gi' } } }, { phase: 'Bound' });

  async function attempt(classExtra: Record<string, unknown>, stored: KubeObject, next: KubeObject): Promise<string> {
    const ctx = testContext();
    await seed(ctx, sc('standard', '2026-01-01T00:00:00Z', {}, classExtra), stored);
    try {
      await runWrite(ctx, [createPersistentVolumeClaimResizePlugin(ctx)], { operation: 'UPDATE', info: PVCS, namespace: 'default', name: 'a', object: next });
      return 'allowed';
    } catch (err) {
      return err instanceof ApiError ? `${err.code} ${err.message}` : String(err);
    }
  }

  it.each([
    ['a bound claim of an expandable class grows', { allowVolumeExpansion: true }, pvc('a', { storageClassName: 'standard' }, { phase: 'Bound' }), grow, 'allowed'],
    ['a class without allowVolumeExpansion', {}, pvc('a', { storageClassName: 'standard' }, { phase: 'Bound' }), grow, `403 persistentvolumeclaims "a" is forbidden: ${NOT_EXPANDABLE_MESSAGE}`],
    ['a pending claim', { allowVolumeExpansion: true }, pvc('a', { storageClassName: 'standard' }, { phase: 'Pending' }), grow, `403 persistentvolumeclaims "a" is forbidden: ${ONLY_BOUND_MESSAGE}`],
    ['a claim without a class', { allowVolumeExpansion: true }, pvc('a', {}, { phase: 'Bound' }), pvc('a', { resources: { requests: { storage: '2Gi' } } }), `403 persistentvolumeclaims "a" is forbidden: ${NOT_EXPANDABLE_MESSAGE}`],
    ['a same-size update', {}, pvc('a', { storageClassName: 'standard' }, { phase: 'Pending' }), pvc('a', { storageClassName: 'standard', resources: { requests: { storage: '1024Mi' } } }), 'allowed'],
  ])('%s', async (_name, classExtra, stored, next, expected) => {
    expect(await attempt(classExtra, stored, next)).toBe(expected);
  });
});
