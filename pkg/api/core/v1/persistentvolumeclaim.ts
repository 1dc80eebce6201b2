/**
 * core/v1 PersistentVolumeClaim: a namespaced request for storage that the persistentvolume
 * controller binds to a PersistentVolume (or has one provisioned); pods mount the claim.
 */
import { z } from 'zod';
import { kubeObject, QuantitySchema } from '../../meta.ts';
import { defineResource } from './common.ts';
import { validatePersistentVolumeClaim } from './persistentvolumeclaim-validation.ts';
import { persistentVolumeClaimWarnings } from './storage-warnings.ts';
import { dropVolumeAttributesClass } from './persistentvolume-strategy.ts';
import { PersistentVolumeClaimSpecSchema } from './pod-volume.ts';

const str = () => z.string().optional();

export const PersistentVolumeClaimConditionSchema = z.object({
  type: z.string().default(''),
  status: z.string().default(''),
  lastProbeTime: str(),
  lastTransitionTime: str(),
  reason: str(),
  message: str(),
});

export const PersistentVolumeClaimStatusSchema = z.object({
  phase: str(),
  accessModes: z.array(z.string()).optional(),
  capacity: z.record(z.string(), QuantitySchema).optional(),
  conditions: z.array(PersistentVolumeClaimConditionSchema).optional(),
  allocatedResources: z.record(z.string(), QuantitySchema).optional(),
  allocatedResourceStatuses: z.record(z.string(), z.string()).optional(),
  currentVolumeAttributesClassName: str(),
  modifyVolumeStatus: z.object({ targetVolumeAttributesClassName: str(), status: z.string().default('') }).optional(),
});

export const PersistentVolumeClaimSchema = kubeObject({
  spec: PersistentVolumeClaimSpecSchema.optional(),
  status: PersistentVolumeClaimStatusSchema.optional(),
});
export type PersistentVolumeClaim = z.infer<typeof PersistentVolumeClaimSchema>;

/** Upstream SetDefaults_PersistentVolumeClaim(Spec): volume mode Filesystem, phase Pending. */
export function applyPersistentVolumeClaimDefaults(pvc: PersistentVolumeClaim): void {
  const spec = (pvc.spec ??= {});
  spec.volumeMode ||= 'Filesystem';
  const status = (pvc.status ??= {});
  status.phase ||= 'Pending';
}

export const persistentVolumeClaimResource = defineResource<PersistentVolumeClaim>({
  group: '',
  version: 'v1',
  kind: 'PersistentVolumeClaim',
  plural: 'persistentvolumeclaims',
  singular: 'persistentvolumeclaim',
  namespaced: true,
  shortNames: ['pvc'],
  schema: PersistentVolumeClaimSchema,
  subresources: { status: true },
  patchMeta: {
    'metadata.finalizers': { strategy: 'merge' },
    'metadata.ownerReferences': { strategy: 'merge', mergeKey: 'uid' },
    'status.conditions': { strategy: 'merge', mergeKey: 'type' },
  },
  applyDefaults: applyPersistentVolumeClaimDefaults,
  validate: validatePersistentVolumeClaim,
  warningsOnCreate: persistentVolumeClaimWarnings,
  prepareForCreate(pvc) {
    pvc.status = {};
    dropVolumeAttributesClass(pvc);
  },
  prepareForUpdate(pvc, old) {
    pvc.status = old.status;
    dropVolumeAttributesClass(pvc, old);
  },
});
