/**
 * StorageClass reads shared by the storage admission plugins: the class a claim names
 * (GetPersistentVolumeClaimClass) and the cluster's default class (GetDefaultClass).
 */
import type { KubeObject } from '../../pkg/api/meta.ts';
import { isDefaultStorageClass } from '../../pkg/api/printers/storage.ts';
import type { AdmissionContext } from './types.ts';

export const STORAGE_CLASSES = { group: 'storage.k8s.io', plural: 'storageclasses', namespaced: false } as const;
const BETA_CLASS_ANNOTATION = 'volume.beta.kubernetes.io/storage-class';

/** The class a claim names: the beta annotation first, then `spec.storageClassName` ('' = none). Pure. */
export function claimClassName(pvc: KubeObject): string {
  const annotations = pvc.metadata.annotations;
  if (annotations && BETA_CLASS_ANNOTATION in annotations) return annotations[BETA_CLASS_ANNOTATION] ?? '';
  return ((pvc.spec as { storageClassName?: string } | undefined)?.storageClassName) ?? '';
}

/** Whether a claim names a class at all (an explicit `""` counts): PersistentVolumeClaimHasClass. Pure. */
export function claimHasClass(pvc: KubeObject): boolean {
  if (pvc.metadata.annotations && BETA_CLASS_ANNOTATION in pvc.metadata.annotations) return true;
  return (pvc.spec as { storageClassName?: string } | undefined)?.storageClassName !== undefined;
}

/** GetDefaultClass: among the classes marked default, the newest (then the first by name). Pure. */
export function pickDefaultStorageClass(classes: readonly KubeObject[]): KubeObject | undefined {
  const time = (c: KubeObject) => Date.parse(c.metadata.creationTimestamp ?? '') || 0;
  return classes
    .filter(isDefaultStorageClass)
    .sort((a, b) => time(b) - time(a) || ((a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1))[0];
}

/** Reads StorageClasses from the server's storage. */
export function createStorageClassReader(ctx: AdmissionContext) {
  return {
    async get(name: string): Promise<KubeObject | undefined> {
      return (await ctx.storage.get(ctx.keyFor(STORAGE_CLASSES, undefined, name))) ?? undefined;
    },
    async defaultClass(): Promise<KubeObject | undefined> {
      return pickDefaultStorageClass((await ctx.storage.list(ctx.keyFor(STORAGE_CLASSES, undefined, ''))).items);
    },
  };
}
