/**
 * core/v1 Volume sources. The ones tutorials use (emptyDir, hostPath, configMap, secret,
 * persistentVolumeClaim, downwardAPI, projected, nfs, csi, ephemeral, image) are typed
 * exactly; rarely used cloud/legacy plugins are loose records with their upstream names.
 */
import { z } from 'zod';
import { LabelSelectorSchema, QuantitySchema } from '../../meta.ts';
import { LocalObjectReferenceSchema } from './common.ts';
import { ObjectFieldSelectorSchema, ResourceFieldSelectorSchema } from './pod-container.ts';

const str = () => z.string().optional();
const int = () => z.number().int().optional();
const bool = () => z.boolean().optional();
const loose = () => z.record(z.string(), z.unknown()).optional();

export const KeyToPathSchema = z.object({ key: z.string().default(''), path: z.string().default(''), mode: int() });

export const ConfigMapVolumeSourceSchema = z.object({
  name: str(),
  items: z.array(KeyToPathSchema).optional(),
  defaultMode: int(),
  optional: bool(),
});
export const SecretVolumeSourceSchema = z.object({
  secretName: str(),
  items: z.array(KeyToPathSchema).optional(),
  defaultMode: int(),
  optional: bool(),
});

export const DownwardAPIVolumeFileSchema = z.object({
  path: z.string().default(''),
  fieldRef: ObjectFieldSelectorSchema.optional(),
  resourceFieldRef: ResourceFieldSelectorSchema.optional(),
  mode: int(),
});
export const DownwardAPIVolumeSourceSchema = z.object({
  items: z.array(DownwardAPIVolumeFileSchema).optional(),
  defaultMode: int(),
});

export const VolumeProjectionSchema = z.object({
  secret: z.object({ name: str(), items: z.array(KeyToPathSchema).optional(), optional: bool() }).optional(),
  downwardAPI: z.object({ items: z.array(DownwardAPIVolumeFileSchema).optional() }).optional(),
  configMap: z.object({ name: str(), items: z.array(KeyToPathSchema).optional(), optional: bool() }).optional(),
  serviceAccountToken: z.object({ audience: str(), expirationSeconds: int(), path: z.string().default('') }).optional(),
  clusterTrustBundle: z.object({
    name: str(),
    signerName: str(),
    labelSelector: LabelSelectorSchema.optional(),
    optional: bool(),
    path: z.string().default(''),
  }).optional(),
  podCertificate: loose(),
});

export const PersistentVolumeClaimSpecSchema = z.object({
  accessModes: z.array(z.string()).optional(),
  selector: LabelSelectorSchema.optional(),
  resources: z.object({
    limits: z.record(z.string(), QuantitySchema).optional(),
    requests: z.record(z.string(), QuantitySchema).optional(),
  }).optional(),
  volumeName: str(),
  storageClassName: str(),
  volumeMode: str(),
  dataSource: z.object({ apiGroup: str(), kind: z.string().default(''), name: z.string().default('') }).optional(),
  dataSourceRef: z.object({ apiGroup: str(), kind: z.string().default(''), name: z.string().default(''), namespace: str() }).optional(),
  volumeAttributesClassName: str(),
});

export const VolumeSchema = z.object({
  name: z.string().default(''),
  hostPath: z.object({ path: z.string().default(''), type: str() }).optional(),
  emptyDir: z.object({ medium: str(), sizeLimit: QuantitySchema.optional() }).optional(),
  gcePersistentDisk: loose(),
  awsElasticBlockStore: loose(),
  gitRepo: z.object({ repository: z.string().default(''), revision: str(), directory: str() }).optional(),
  secret: SecretVolumeSourceSchema.optional(),
  nfs: z.object({ server: z.string().default(''), path: z.string().default(''), readOnly: bool() }).optional(),
  iscsi: loose(),
  glusterfs: loose(),
  persistentVolumeClaim: z.object({ claimName: z.string().default(''), readOnly: bool() }).optional(),
  rbd: loose(),
  flexVolume: loose(),
  cinder: loose(),
  cephfs: loose(),
  flocker: loose(),
  downwardAPI: DownwardAPIVolumeSourceSchema.optional(),
  fc: loose(),
  azureFile: loose(),
  configMap: ConfigMapVolumeSourceSchema.optional(),
  vsphereVolume: loose(),
  quobyte: loose(),
  azureDisk: loose(),
  photonPersistentDisk: loose(),
  projected: z.object({ sources: z.array(VolumeProjectionSchema).nullable().optional(), defaultMode: int() }).optional(),
  portworxVolume: loose(),
  scaleIO: loose(),
  storageos: loose(),
  csi: z.object({
    driver: z.string().default(''),
    readOnly: bool(),
    fsType: str(),
    volumeAttributes: z.record(z.string(), z.string()).optional(),
    nodePublishSecretRef: LocalObjectReferenceSchema.optional(),
  }).optional(),
  ephemeral: z.object({
    volumeClaimTemplate: z.object({
      metadata: z.record(z.string(), z.unknown()).optional(),
      spec: PersistentVolumeClaimSpecSchema,
    }).optional(),
  }).optional(),
  image: z.object({ reference: str(), pullPolicy: str() }).optional(),
});
export type Volume = z.infer<typeof VolumeSchema>;

/** Every volume source key (used to default a source-less volume to emptyDir and to count sources). */
export const VOLUME_SOURCE_KEYS = Object.keys(VolumeSchema.shape).filter((k) => k !== 'name') as (keyof Volume)[];
