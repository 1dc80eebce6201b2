/**
 * apps/v1 StatefulSet: schema, defaulting (apps/v1 SetDefaults_StatefulSet and the defaults of
 * the embedded pod template and claim templates), the registry strategy (status reset on
 * create and kept on update; `rollingUpdate.maxUnavailable` dropped while upstream's
 * MaxUnavailableStatefulSet gate is off, as 1.33 serves it), status and scale subresources.
 * Validation lives in statefulset-validation.ts.
 */
import { z } from 'zod';
import { IntOrStringSchema, kubeObject, LabelSelectorSchema, ObjectMetaSchema } from '../../meta.ts';
import { PodTemplateSpecSchema } from '../../core/v1/pod-spec.ts';
import { PersistentVolumeClaimSpecSchema } from '../../core/v1/pod-volume.ts';
import { defineResource } from '../../core/v1/common.ts';
import { statefulSetCreateWarnings, statefulSetUpdateWarnings } from './workload-warnings.ts';
import { applyTemplateDefaults, workloadPatchMeta } from './workload.ts';
import { validateStatefulSet } from './statefulset-validation.ts';

const int = () => z.number().int().optional();
const str = () => z.string().optional();

/** A PersistentVolumeClaim as a `volumeClaimTemplates` item (core/v1 PersistentVolumeClaim). */
export const PersistentVolumeClaimTemplateSchema = z.object({
  apiVersion: str(),
  kind: str(),
  metadata: ObjectMetaSchema.optional(),
  spec: PersistentVolumeClaimSpecSchema.optional(),
  status: z.object({
    phase: str(),
    accessModes: z.array(z.string()).optional(),
    capacity: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
    conditions: z.array(z.record(z.string(), z.unknown())).optional(),
    allocatedResources: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
    allocatedResourceStatuses: z.record(z.string(), z.string()).optional(),
    currentVolumeAttributesClassName: str(),
    modifyVolumeStatus: z.record(z.string(), z.unknown()).optional(),
  }).optional(),
});
export type PersistentVolumeClaimTemplate = z.infer<typeof PersistentVolumeClaimTemplateSchema>;

export const StatefulSetSpecSchema = z.object({
  replicas: int(),
  selector: LabelSelectorSchema.optional(),
  template: PodTemplateSpecSchema.optional(),
  volumeClaimTemplates: z.array(PersistentVolumeClaimTemplateSchema).optional(),
  serviceName: str(),
  podManagementPolicy: str(),
  updateStrategy: z.object({
    type: str(),
    rollingUpdate: z.object({ partition: int(), maxUnavailable: IntOrStringSchema.optional() }).optional(),
  }).optional(),
  revisionHistoryLimit: int(),
  minReadySeconds: int(),
  persistentVolumeClaimRetentionPolicy: z.object({ whenDeleted: str(), whenScaled: str() }).optional(),
  ordinals: z.object({ start: int() }).optional(),
});

export const StatefulSetStatusSchema = z.object({
  observedGeneration: int(),
  replicas: z.number().int().optional().default(0),
  readyReplicas: int(),
  currentReplicas: int(),
  updatedReplicas: int(),
  currentRevision: str(),
  updateRevision: str(),
  collisionCount: int(),
  conditions: z.array(z.object({
    type: z.string(),
    status: z.string(),
    lastTransitionTime: z.string().nullable().optional(),
    reason: str(),
    message: str(),
  })).optional(),
  availableReplicas: z.number().int().optional().default(0),
});

export const StatefulSetSchema = kubeObject({
  spec: StatefulSetSpecSchema.optional(),
  status: StatefulSetStatusSchema.optional(),
});
export type StatefulSet = z.infer<typeof StatefulSetSchema>;
export type StatefulSetSpec = NonNullable<StatefulSet['spec']>;
export type StatefulSetStatus = NonNullable<StatefulSet['status']>;

/** Upstream SetDefaults_PersistentVolumeClaim(+Spec) as applied to claim templates. */
function applyClaimTemplateDefaults(claim: PersistentVolumeClaimTemplate): void {
  const spec = (claim.spec ??= {});
  spec.volumeMode ||= 'Filesystem';
  const status = (claim.status ??= {});
  status.phase ||= 'Pending';
}

/** apps/v1 SetDefaults_StatefulSet (StatefulSetAutoDeletePVC is GA: the retention policy is defaulted). */
export function applyStatefulSetDefaults(set: StatefulSet): void {
  const spec = (set.spec ??= {});
  spec.podManagementPolicy ||= 'OrderedReady';
  const strategy = (spec.updateStrategy ??= {});
  if (!strategy.type) {
    strategy.type = 'RollingUpdate';
    strategy.rollingUpdate ??= {};
  }
  if (strategy.type === 'RollingUpdate' && strategy.rollingUpdate) strategy.rollingUpdate.partition ??= 0;
  const retention = (spec.persistentVolumeClaimRetentionPolicy ??= {});
  retention.whenDeleted ||= 'Retain';
  retention.whenScaled ||= 'Retain';
  spec.replicas ??= 1;
  spec.revisionHistoryLimit ??= 10;
  applyTemplateDefaults(spec);
  for (const claim of spec.volumeClaimTemplates ?? []) applyClaimTemplateDefaults(claim);
}

/** Upstream dropStatefulSetDisabledFields: maxUnavailable stays only if the stored object used it. */
function dropDisabledFields(set: StatefulSet, old?: StatefulSet): void {
  const ru = set.spec?.updateStrategy?.rollingUpdate;
  if (ru && ru.maxUnavailable !== undefined && old?.spec?.updateStrategy?.rollingUpdate?.maxUnavailable === undefined) delete ru.maxUnavailable;
}

export const statefulSetResource = defineResource<StatefulSet>({
  group: 'apps',
  version: 'v1',
  kind: 'StatefulSet',
  plural: 'statefulsets',
  singular: 'statefulset',
  namespaced: true,
  shortNames: ['sts'],
  categories: ['all'],
  schema: StatefulSetSchema,
  subresources: {
    status: true,
    scale: { specReplicasPath: 'spec.replicas', statusReplicasPath: 'status.replicas', labelSelectorPath: 'spec.selector' },
  },
  patchMeta: workloadPatchMeta(),
  applyDefaults: applyStatefulSetDefaults,
  validate: validateStatefulSet,
  warningsOnCreate: statefulSetCreateWarnings,
  warningsOnUpdate: statefulSetUpdateWarnings,
  prepareForCreate(set) {
    set.status = { replicas: 0, availableReplicas: 0 };
    dropDisabledFields(set);
  },
  prepareForUpdate(set, old) {
    if (old.status === undefined) delete set.status;
    else set.status = old.status;
    dropDisabledFields(set, old);
  },
});
