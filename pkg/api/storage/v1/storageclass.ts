/**
 * storage.k8s.io/v1 StorageClass: names a provisioner (and its parameters) that creates
 * PersistentVolumes for claims of that class; the `storageclass.kubernetes.io/is-default-class`
 * annotation marks the class a claim without `storageClassName` gets.
 */
import { z } from 'zod';
import { kubeObject } from '../../meta.ts';
import { defineResource } from '../../core/v1/common.ts';
import { validateStorageClass } from './storageclass-validation.ts';
import { storageClassWarnings } from '../../core/v1/storage-warnings.ts';

export const StorageClassSchema = kubeObject({
  provisioner: z.string().default(''),
  parameters: z.record(z.string(), z.string()).optional(),
  reclaimPolicy: z.string().optional(),
  mountOptions: z.array(z.string()).optional(),
  allowVolumeExpansion: z.boolean().optional(),
  volumeBindingMode: z.string().optional(),
  allowedTopologies: z.array(z.object({
    matchLabelExpressions: z.array(z.object({ key: z.string().default(''), values: z.array(z.string()).default([]) })).optional(),
  })).optional(),
});
export type StorageClass = z.infer<typeof StorageClassSchema>;

/** The annotations marking the default StorageClass (GA and beta). */
export const DEFAULT_CLASS_ANNOTATIONS = ['storageclass.kubernetes.io/is-default-class', 'storageclass.beta.kubernetes.io/is-default-class'] as const;

/** Upstream IsDefaultAnnotation: either annotation is exactly `true`. Pure. */
export function isDefaultStorageClass(obj: { metadata: { annotations?: Record<string, string> | undefined } }): boolean {
  return DEFAULT_CLASS_ANNOTATIONS.some((a) => obj.metadata.annotations?.[a] === 'true');
}

/** Upstream SetDefaults_StorageClass: reclaim policy Delete, binding mode Immediate. */
export function applyStorageClassDefaults(sc: StorageClass): void {
  sc.reclaimPolicy ||= 'Delete';
  sc.volumeBindingMode ||= 'Immediate';
}

export const storageClassResource = defineResource<StorageClass>({
  group: 'storage.k8s.io',
  version: 'v1',
  kind: 'StorageClass',
  plural: 'storageclasses',
  singular: 'storageclass',
  namespaced: false,
  shortNames: ['sc'],
  schema: StorageClassSchema,
  applyDefaults: applyStorageClassDefaults,
  validate: validateStorageClass,
  warningsOnCreate: storageClassWarnings,
});
