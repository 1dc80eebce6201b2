/**
 * StorageClass reads shared by the storage admission plugins: a class by name and the
 * cluster's default class (GetDefaultClass).
 */
import type { KubeObject } from '../../pkg/api/meta.ts';
import { isDefaultStorageClass } from '../../pkg/api/storage/v1/storageclass.ts';
import type { AdmissionContext } from './types.ts';

export const STORAGE_CLASSES = { group: 'storage.k8s.io', plural: 'storageclasses', namespaced: false } as const;

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
