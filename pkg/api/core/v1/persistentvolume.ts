/**
 * core/v1 PersistentVolume: a cluster-scoped piece of storage (here typically a `hostPath` or
 * `local` directory) that a PersistentVolumeClaim binds to through `spec.claimRef`. Field names
 * are upstream's; the cloud and legacy sources nobody can use here are loose records.
 */
import { z } from 'zod';
import { kubeObject, QuantitySchema } from '../../meta.ts';
import { defineResource, ObjectReferenceSchema } from './common.ts';
import { validatePersistentVolume } from './persistentvolume-validation.ts';
import { persistentVolumeWarnings } from './storage-warnings.ts';
import { dropVolumeAttributesClass, persistentVolumeStatusUpdate, preparePersistentVolumeForCreate } from './persistentvolume-strategy.ts';
import { NodeSelectorTermSchema } from './pod-spec.ts';

const str = () => z.string().optional();
const bool = () => z.boolean().optional();
const loose = () => z.record(z.string(), z.unknown()).optional();

/** core/v1 SecretReference (name and namespace). */
export const SecretReferenceSchema = z.object({ name: str(), namespace: str() });

/** The volume sources a PersistentVolume may carry (exactly one must be set). */
export const PersistentVolumeSourceSchema = z.object({
  hostPath: z.object({ path: z.string().default(''), type: str() }).optional(),
  local: z.object({ path: z.string().default(''), fsType: str() }).optional(),
  nfs: z.object({ server: z.string().default(''), path: z.string().default(''), readOnly: bool() }).optional(),
  csi: z.object({
    driver: z.string().default(''),
    volumeHandle: z.string().default(''),
    readOnly: bool(),
    fsType: str(),
    volumeAttributes: z.record(z.string(), z.string()).optional(),
    controllerPublishSecretRef: SecretReferenceSchema.optional(),
    nodeStageSecretRef: SecretReferenceSchema.optional(),
    nodePublishSecretRef: SecretReferenceSchema.optional(),
    controllerExpandSecretRef: SecretReferenceSchema.optional(),
    nodeExpandSecretRef: SecretReferenceSchema.optional(),
  }).optional(),
  gcePersistentDisk: loose(),
  awsElasticBlockStore: loose(),
  glusterfs: loose(),
  rbd: loose(),
  iscsi: loose(),
  cinder: loose(),
  cephfs: loose(),
  fc: loose(),
  flocker: loose(),
  flexVolume: loose(),
  azureFile: loose(),
  vsphereVolume: loose(),
  quobyte: loose(),
  azureDisk: loose(),
  photonPersistentDisk: loose(),
  portworxVolume: loose(),
  scaleIO: loose(),
  storageos: loose(),
});
/** Every PersistentVolume source key (to count a spec's sources). */
export const PERSISTENT_VOLUME_SOURCE_KEYS = Object.keys(PersistentVolumeSourceSchema.shape) as (keyof z.infer<typeof PersistentVolumeSourceSchema>)[];

export const PersistentVolumeSpecSchema = PersistentVolumeSourceSchema.extend({
  capacity: z.record(z.string(), QuantitySchema).optional(),
  accessModes: z.array(z.string()).optional(),
  claimRef: ObjectReferenceSchema.optional(),
  persistentVolumeReclaimPolicy: str(),
  storageClassName: str(),
  mountOptions: z.array(z.string()).optional(),
  volumeMode: str(),
  nodeAffinity: z.object({ required: z.object({ nodeSelectorTerms: z.array(NodeSelectorTermSchema).default([]) }).optional() }).optional(),
  volumeAttributesClassName: str(),
});
export type PersistentVolumeSpec = z.infer<typeof PersistentVolumeSpecSchema>;

export const PersistentVolumeStatusSchema = z.object({
  phase: str(),
  message: str(),
  reason: str(),
  lastPhaseTransitionTime: str(),
});

export const PersistentVolumeSchema = kubeObject({
  spec: PersistentVolumeSpecSchema.optional(),
  status: PersistentVolumeStatusSchema.optional(),
});
export type PersistentVolume = z.infer<typeof PersistentVolumeSchema>;

/** Upstream SetDefaults_PersistentVolume: reclaim policy Retain, volume mode Filesystem, phase Pending. */
export function applyPersistentVolumeDefaults(pv: PersistentVolume): void {
  const spec = (pv.spec ??= {});
  spec.persistentVolumeReclaimPolicy ||= 'Retain';
  spec.volumeMode ||= 'Filesystem';
  const status = (pv.status ??= {});
  status.phase ||= 'Pending';
}

export const persistentVolumeResource = defineResource<PersistentVolume>({
  group: '',
  version: 'v1',
  kind: 'PersistentVolume',
  plural: 'persistentvolumes',
  singular: 'persistentvolume',
  namespaced: false,
  shortNames: ['pv'],
  schema: PersistentVolumeSchema,
  subresources: { status: true },
  patchMeta: {
    'metadata.finalizers': { strategy: 'merge' },
    'metadata.ownerReferences': { strategy: 'merge', mergeKey: 'uid' },
  },
  // Upstream keeps a bare `name` field selector on PersistentVolumes for backward compatibility.
  fieldSelectors: { name: (pv) => pv.metadata.name },
  applyDefaults: applyPersistentVolumeDefaults,
  validate: validatePersistentVolume,
  warningsOnCreate: persistentVolumeWarnings,
  prepareForCreate: (pv, context) => preparePersistentVolumeForCreate(pv, context?.now),
  prepareForUpdate(pv, old) {
    pv.status = old.status;
    dropVolumeAttributesClass(pv, old);
  },
  updateSubresources: { status: persistentVolumeStatusUpdate },
});
