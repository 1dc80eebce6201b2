/**
 * apps/v1 ReplicaSet: schema, defaulting (replicas 1, template pod spec), validation
 * (ValidateReplicaSet / ValidateReplicaSetUpdate), scale subresource.
 */
import { z } from 'zod';
import type { FieldError } from '../../../errors/index.ts';
import { kubeObject, LabelSelectorSchema } from '../../meta.ts';
import { PodTemplateSpecSchema } from '../../core/v1/pod-spec.ts';
import { validateObjectMeta } from '../../validation/object-meta.ts';
import { defineResource } from '../../core/v1/common.ts';
import { namedTemplateCreateWarnings, templateUpdateWarnings } from './workload-warnings.ts';
import { applyTemplateDefaults, nonNegative, validateSelectorAndTemplate, validateSelectorImmutable, workloadPatchMeta } from './workload.ts';

const int = () => z.number().int().optional();

export const ReplicaSetSpecSchema = z.object({
  replicas: int(),
  minReadySeconds: int(),
  selector: LabelSelectorSchema.optional(),
  template: PodTemplateSpecSchema.optional(),
});

export const ReplicaSetStatusSchema = z.object({
  replicas: z.number().int().optional().default(0),
  fullyLabeledReplicas: int(),
  readyReplicas: int(),
  availableReplicas: int(),
  terminatingReplicas: int(),
  observedGeneration: int(),
  conditions: z.array(z.object({
    type: z.string(),
    status: z.string(),
    lastTransitionTime: z.string().nullable().optional(),
    reason: z.string().optional(),
    message: z.string().optional(),
  })).optional(),
});

export const ReplicaSetSchema = kubeObject({
  spec: ReplicaSetSpecSchema.optional(),
  status: ReplicaSetStatusSchema.optional(),
});
export type ReplicaSet = z.infer<typeof ReplicaSetSchema>;

/** apps/v1 SetDefaults_ReplicaSet. */
export function applyReplicaSetDefaults(rs: ReplicaSet): void {
  const spec = (rs.spec ??= {});
  spec.replicas ??= 1;
  applyTemplateDefaults(spec);
}

export function validateReplicaSet(rs: ReplicaSet, old?: ReplicaSet): FieldError[] {
  const errs = validateObjectMeta(rs.metadata, { namespaced: true });
  const spec = rs.spec ?? {};
  errs.push(...nonNegative('spec.replicas', spec.replicas));
  errs.push(...nonNegative('spec.minReadySeconds', spec.minReadySeconds));
  errs.push(...validateSelectorAndTemplate(spec));
  if (old) errs.push(...validateSelectorImmutable(spec.selector, old.spec?.selector));
  return errs;
}

export const replicaSetResource = defineResource<ReplicaSet>({
  group: 'apps',
  version: 'v1',
  kind: 'ReplicaSet',
  plural: 'replicasets',
  singular: 'replicaset',
  namespaced: true,
  shortNames: ['rs'],
  categories: ['all'],
  schema: ReplicaSetSchema,
  subresources: {
    status: true,
    scale: { specReplicasPath: 'spec.replicas', statusReplicasPath: 'status.replicas', labelSelectorPath: 'spec.selector' },
  },
  patchMeta: workloadPatchMeta(),
  applyDefaults: applyReplicaSetDefaults,
  validate: validateReplicaSet,
  warningsOnCreate: namedTemplateCreateWarnings,
  warningsOnUpdate: templateUpdateWarnings,
  prepareForCreate(rs) {
    rs.status = { replicas: 0 };
  },
  prepareForUpdate(rs, old) {
    if (old.status === undefined) delete rs.status;
    else rs.status = old.status;
  },
});
