/**
 * core/v1 ResourceQuota (short name `quota`): per-namespace hard limits on compute resources
 * and object counts (`spec.hard`), optionally only for pods matching `spec.scopes` /
 * `spec.scopeSelector`. `status.hard` and `status.used` are written by the resourcequota
 * controller and the ResourceQuota admission plugin through the `status` subresource; as
 * upstream's strategy, a create starts with an empty status, a main-resource update keeps the
 * stored status and a status update keeps the stored spec.
 */
import { z } from 'zod';
import type { FieldError } from '../../../errors/index.ts';
import { kubeObject, QuantitySchema } from '../../meta.ts';
import { defineResource } from './common.ts';
import { withRequestedStatus } from './persistentvolume-strategy.ts';
import { validateResourceQuota, validateResourceQuotaStatus } from './resourcequota-validation.ts';

const ResourceListSchema = z.record(z.string(), QuantitySchema);

export const ScopedResourceSelectorRequirementSchema = z.object({
  scopeName: z.string().default(''),
  operator: z.string().default(''),
  values: z.array(z.string()).optional(),
});

export const ResourceQuotaSpecSchema = z.object({
  hard: ResourceListSchema.optional(),
  scopes: z.array(z.string()).optional(),
  scopeSelector: z.object({ matchExpressions: z.array(ScopedResourceSelectorRequirementSchema).optional() }).optional(),
});

export const ResourceQuotaStatusSchema = z.object({
  hard: ResourceListSchema.optional(),
  used: ResourceListSchema.optional(),
});

export const ResourceQuotaSchema = kubeObject({
  spec: ResourceQuotaSpecSchema.optional(),
  status: ResourceQuotaStatusSchema.optional(),
});
export type ResourceQuota = z.infer<typeof ResourceQuotaSchema>;

/** The `/status` write: the stored spec with the requested status, validated as ValidateResourceQuotaStatusUpdate. */
export function resourceQuotaStatusUpdate(requested: ResourceQuota, stored: ResourceQuota): { object: ResourceQuota; errors: FieldError[] } {
  const object = withRequestedStatus(requested, stored);
  return { object, errors: validateResourceQuotaStatus(object) };
}

export const resourceQuotaResource = defineResource<ResourceQuota>({
  group: '',
  version: 'v1',
  kind: 'ResourceQuota',
  plural: 'resourcequotas',
  singular: 'resourcequota',
  namespaced: true,
  shortNames: ['quota'],
  schema: ResourceQuotaSchema,
  subresources: { status: true },
  applyDefaults: () => undefined,
  validate: (quota, old) => validateResourceQuota(quota, old),
  updateSubresources: { status: resourceQuotaStatusUpdate },
  prepareForCreate(quota) {
    quota.status = {};
  },
  prepareForUpdate(quota, old) {
    if (old.status === undefined) delete quota.status;
    else quota.status = old.status;
  },
});
