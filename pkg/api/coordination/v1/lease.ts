/**
 * coordination.k8s.io/v1 Lease (leader election, node heartbeats). Times are MicroTime:
 * stored and served as `2006-01-02T15:04:05.000000Z`.
 */
import { z } from 'zod';
import type { FieldError } from '../../../errors/index.ts';
import { kubeObject } from '../../meta.ts';
import { defineResource } from '../../core/v1/common.ts';
import { invalidValue } from '../../validation/field-errors.ts';
import { formatMicroTime, TimeStringSchema } from '../../validation/micro-time.ts';
import { validateObjectMeta } from '../../validation/object-meta.ts';

export const LeaseSpecSchema = z.object({
  holderIdentity: z.string().optional(),
  leaseDurationSeconds: z.number().int().optional(),
  acquireTime: TimeStringSchema.nullable().optional(),
  renewTime: TimeStringSchema.nullable().optional(),
  leaseTransitions: z.number().int().optional(),
  strategy: z.string().optional(),
  preferredHolder: z.string().optional(),
});

export const LeaseSchema = kubeObject({ spec: LeaseSpecSchema.optional() });
export type Lease = z.infer<typeof LeaseSchema>;

export function applyLeaseDefaults(lease: Lease): void {
  const spec = (lease.spec ??= {});
  if (spec.acquireTime) spec.acquireTime = formatMicroTime(spec.acquireTime);
  if (spec.renewTime) spec.renewTime = formatMicroTime(spec.renewTime);
}

export function validateLease(lease: Lease): FieldError[] {
  const errs = validateObjectMeta(lease.metadata, { namespaced: true });
  const spec = lease.spec ?? {};
  if (spec.leaseDurationSeconds !== undefined && spec.leaseDurationSeconds <= 0) {
    errs.push(invalidValue('spec.leaseDurationSeconds', spec.leaseDurationSeconds, 'must be greater than 0'));
  }
  if (spec.leaseTransitions !== undefined && spec.leaseTransitions < 0) {
    errs.push(invalidValue('spec.leaseTransitions', spec.leaseTransitions, 'must be greater than or equal to 0'));
  }
  return errs;
}

export const leaseResource = defineResource<Lease>({
  group: 'coordination.k8s.io',
  version: 'v1',
  kind: 'Lease',
  plural: 'leases',
  singular: 'lease',
  namespaced: true,
  schema: LeaseSchema,
  applyDefaults: applyLeaseDefaults,
  validate: validateLease,
});
