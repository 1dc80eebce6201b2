/**
 * core/v1 Volume sources. The ones tutorials use (emptyDir, hostPath, configMap, secret,
 * persistentVolumeClaim, downwardAPI, projected, nfs, csi, ephemeral, image) are typed
 * exactly; rarely used cloud/legacy plugins are loose records with their upstream names.
 */
import { z } from 'zod';
import { LabelSelectorSchema, QuantitySchema } from '../../meta.ts';
import { LocalObjectReferenceSchema, TypedLocalObjectReferenceSchema } from './common.ts';
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

/** core/v1 SecretProjection: Secret keys projected into a volume. */
export const SecretProjectionSchema = z.object({ name: str(), items: z.array(KeyToPathSchema).optional(), optional: bool() });
/** core/v1 DownwardAPIProjection: pod fields projected into a volume. */
export const DownwardAPIProjectionSchema = z.object({ items: z.array(DownwardAPIVolumeFileSchema).optional() });
/** core/v1 ConfigMapProjection: ConfigMap keys projected into a volume. */
export const ConfigMapProjectionSchema = z.object({ name: str(), items: z.array(KeyToPathSchema).optional(), optional: bool() });
/** core/v1 ServiceAccountTokenProjection: a bound service account token projected into a volume. */
export const ServiceAccountTokenProjectionSchema = z.object({ audience: str(), expirationSeconds: int(), path: z.string().default('') });
/** core/v1 ClusterTrustBundleProjection: ClusterTrustBundle certificates projected into a volume. */
export const ClusterTrustBundleProjectionSchema = z.object({
  name: str(),
  signerName: str(),
  labelSelector: LabelSelectorSchema.optional(),
  optional: bool(),
  path: z.string().default(''),
});
export const VolumeProjectionSchema = z.object({
  secret: SecretProjectionSchema.optional(),
  downwardAPI: DownwardAPIProjectionSchema.optional(),
  configMap: ConfigMapProjectionSchema.optional(),
  serviceAccountToken: ServiceAccountTokenProjectionSchema.optional(),
  clusterTrustBundle: ClusterTrustBundleProjectionSchema.optional(),
  podCertificate: loose(),
});

/** core/v1 VolumeResourceRequirements: the storage a claim asks for. */
export const VolumeResourceRequirementsSchema = z.object({
  limits: z.record(z.string(), QuantitySchema).optional(),
  requests: z.record(z.string(), QuantitySchema).optional(),
});
/** core/v1 TypedObjectReference: a claim's data source, possibly in another namespace. */
export const TypedObjectReferenceSchema = z.object({ apiGroup: str(), kind: z.string().default(''), name: z.string().default(''), namespace: str() });

export const PersistentVolumeClaimSpecSchema = z.object({
  accessModes: z.array(z.string()).optional(),
  selector: LabelSelectorSchema.optional(),
  resources: VolumeResourceRequirementsSchema.optional(),
  volumeName: str(),
  storageClassName: str(),
  volumeMode: str(),
  dataSource: TypedLocalObjectReferenceSchema.optional(),
  dataSourceRef: TypedObjectReferenceSchema.optional(),
  volumeAttributesClassName: str(),
});

/** core/v1 HostPathVolumeSource: a path of the node. */
export const HostPathVolumeSourceSchema = z.object({ path: z.string().default(''), type: str() });
/** core/v1 EmptyDirVolumeSource: a scratch directory living as long as the pod. */
export const EmptyDirVolumeSourceSchema = z.object({ medium: str(), sizeLimit: QuantitySchema.optional() });
/** core/v1 GitRepoVolumeSource (deprecated upstream): a cloned git repository. */
export const GitRepoVolumeSourceSchema = z.object({ repository: z.string().default(''), revision: str(), directory: str() });
/** core/v1 NFSVolumeSource: an NFS export. */
export const NFSVolumeSourceSchema = z.object({ server: z.string().default(''), path: z.string().default(''), readOnly: bool() });
/** core/v1 PersistentVolumeClaimVolumeSource: a claim in the pod's namespace, by name. */
export const PersistentVolumeClaimVolumeSourceSchema = z.object({ claimName: z.string().default(''), readOnly: bool() });
/** core/v1 ProjectedVolumeSource: several sources projected into one directory. */
export const ProjectedVolumeSourceSchema = z.object({ sources: z.array(VolumeProjectionSchema).nullable().optional(), defaultMode: int() });
/** core/v1 CSIVolumeSource: an ephemeral volume of a CSI driver. */
export const CSIVolumeSourceSchema = z.object({
  driver: z.string().default(''),
  readOnly: bool(),
  fsType: str(),
  volumeAttributes: z.record(z.string(), z.string()).optional(),
  nodePublishSecretRef: LocalObjectReferenceSchema.optional(),
});
/** core/v1 PersistentVolumeClaimTemplate: the claim an ephemeral volume creates. */
export const EphemeralClaimTemplateSchema = z.object({
  metadata: z.record(z.string(), z.unknown()).optional(),
  spec: PersistentVolumeClaimSpecSchema,
});
/** core/v1 EphemeralVolumeSource: a claim created for, and deleted with, the pod. */
export const EphemeralVolumeSourceSchema = z.object({ volumeClaimTemplate: EphemeralClaimTemplateSchema.optional() });
/** core/v1 ImageVolumeSource: an OCI image or artifact mounted read-only. */
export const ImageVolumeSourceSchema = z.object({ reference: str(), pullPolicy: str() });

export const VolumeSchema = z.object({
  name: z.string().default(''),
  hostPath: HostPathVolumeSourceSchema.optional(),
  emptyDir: EmptyDirVolumeSourceSchema.optional(),
  gcePersistentDisk: loose(),
  awsElasticBlockStore: loose(),
  gitRepo: GitRepoVolumeSourceSchema.optional(),
  secret: SecretVolumeSourceSchema.optional(),
  nfs: NFSVolumeSourceSchema.optional(),
  iscsi: loose(),
  glusterfs: loose(),
  persistentVolumeClaim: PersistentVolumeClaimVolumeSourceSchema.optional(),
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
  projected: ProjectedVolumeSourceSchema.optional(),
  portworxVolume: loose(),
  scaleIO: loose(),
  storageos: loose(),
  csi: CSIVolumeSourceSchema.optional(),
  ephemeral: EphemeralVolumeSourceSchema.optional(),
  image: ImageVolumeSourceSchema.optional(),
});
export type Volume = z.infer<typeof VolumeSchema>;

/** Every volume source key (used to default a source-less volume to emptyDir and to count sources). */
export const VOLUME_SOURCE_KEYS = Object.keys(VolumeSchema.shape).filter((k) => k !== 'name') as (keyof Volume)[];
