/**
 * networking.k8s.io/v1 ServiceCIDR (cluster-scoped, GA in 1.33): a block of addresses the API
 * server hands out as Service ClusterIPs (`spec.cidrs`: one or two CIDRs, one per family). The
 * `kubernetes` ServiceCIDR mirrors `--service-cluster-ip-range`; users add more to extend the
 * range. `status.conditions[Ready]` is written by the servicecidrs controller, and the
 * `networking.k8s.io/service-cidr-finalizer` keeps a ServiceCIDR until no IPAddress depends on it.
 */
import { z } from 'zod';
import type { FieldError } from '../../../errors/index.ts';
import { ConditionSchema, kubeObject } from '../../meta.ts';
import { defineResource } from '../../core/v1/common.ts';
import { goStringSlice, invalidStringSlice } from '../../validation/common-rules.ts';
import { index, invalidValue, required } from '../../validation/field-errors.ts';
import { canonicalIPText, isIPv6CIDR, validateStrictCIDR } from '../../validation/ip-strict.ts';
import { validateObjectMeta } from '../../validation/object-meta.ts';

export const ServiceCIDRSchema = kubeObject({
  spec: z.object({ cidrs: z.array(z.string()).optional() }).optional(),
  status: z.object({ conditions: z.array(ConditionSchema).optional() }).optional(),
});
export type ServiceCIDR = z.infer<typeof ServiceCIDRSchema>;

/** The finalizer protecting a ServiceCIDR while IPAddresses depend on it. */
export const SERVICE_CIDR_FINALIZER = 'networking.k8s.io/service-cidr-finalizer';
/** The ServiceCIDR the API server keeps in step with `--service-cluster-ip-range`. */
export const DEFAULT_SERVICE_CIDR_NAME = 'kubernetes';
/** Condition type and the reason a deleting ServiceCIDR is not ready. */
export const SERVICE_CIDR_CONDITION_READY = 'Ready';
export const SERVICE_CIDR_REASON_TERMINATING = 'Terminating';

const IMMUTABLE = 'field is immutable';

/** Go `%#v` of the internal ServiceCIDRSpec, as upstream prints it in `spec.cidrs` errors. */
function invalidSpec(cidrs: readonly string[], detail: string): FieldError {
  return { type: 'FieldValueInvalid', field: 'spec.cidrs', detail: `Invalid value: networking.ServiceCIDRSpec{CIDRs:${goStringSlice(cidrs)}}: ${detail}` };
}

/** netutils.IsDualStackCIDRStrings: two parseable CIDRs of different families. */
function isDualStack(cidrs: readonly string[]): boolean {
  const parsed = cidrs.map((c) => (c.includes('/') && canonicalIPText(c.split('/')[0]) !== undefined ? isIPv6CIDR(c) : undefined));
  return parsed.length === 2 && parsed.every((v) => v !== undefined) && parsed[0] !== parsed[1];
}

/** Upstream validateServiceCIDRSpec. */
function validateSpec(spec: NonNullable<ServiceCIDR['spec']>): FieldError[] {
  const path = 'spec.cidrs';
  const cidrs = spec.cidrs ?? [];
  if (cidrs.length === 0) return [required(path, 'at least one CIDR required')];
  if (cidrs.length > 2) return [invalidSpec(cidrs, 'may only hold up to 2 values')];
  if (cidrs.length === 2 && !isDualStack(cidrs)) {
    return [invalidSpec(cidrs, 'may specify no more than one IP for each IP family, i.e 192.168.0.0/24 and 2001:db8::/64')];
  }
  return cidrs.flatMap((cidr, i) => validateStrictCIDR(index(path, i), cidr));
}

/**
 * Upstream ValidateServiceCIDRUpdate: the CIDRs are immutable, except that a single-stack
 * ServiceCIDR may gain a CIDR of the other family (its first CIDR unchanged).
 */
export function validateServiceCIDRUpdate(next: readonly string[], old: readonly string[]): FieldError[] {
  if (old.length === next.length) {
    return old.flatMap((cidr, i) => (cidr === next[i] ? [] : [invalidValue(index('spec.cidrs', i), next[i], IMMUTABLE)]));
  }
  if (old.length === 1 && next.length === 2) {
    return next[0] === old[0] ? [] : [invalidValue(index('spec.cidrs', 0), next[0], IMMUTABLE)];
  }
  return [invalidStringSlice('spec.cidrs', next, IMMUTABLE)];
}

/** Upstream ValidateServiceCIDR (+ ValidateServiceCIDRUpdate on update). Pure. */
export function validateServiceCIDR(sc: ServiceCIDR, old?: ServiceCIDR): FieldError[] {
  const errs = validateObjectMeta(sc.metadata, { namespaced: false });
  errs.push(...validateSpec(sc.spec ?? {}));
  if (old) errs.push(...validateServiceCIDRUpdate(sc.spec?.cidrs ?? [], old.spec?.cidrs ?? []));
  return errs;
}

/** The Ready condition of a ServiceCIDR, if any. */
export function serviceCIDRReadyCondition(sc: { status?: ServiceCIDR['status'] }): z.infer<typeof ConditionSchema> | undefined {
  return sc.status?.conditions?.find((c) => c.type === SERVICE_CIDR_CONDITION_READY);
}

export const serviceCIDRResource = defineResource<ServiceCIDR>({
  group: 'networking.k8s.io',
  version: 'v1',
  kind: 'ServiceCIDR',
  plural: 'servicecidrs',
  singular: 'servicecidr',
  namespaced: false,
  schema: ServiceCIDRSchema,
  subresources: { status: true },
  patchMeta: { 'status.conditions': { strategy: 'merge', mergeKey: 'type' } },
  applyDefaults() {},
  validate: validateServiceCIDR,
  prepareForCreate(sc) {
    delete sc.status;
  },
  prepareForUpdate(sc, old) {
    if (old.status) sc.status = old.status;
    else delete sc.status;
  },
});
