/**
 * apiregistration.k8s.io/v1 APIService (kube-aggregator): one group/version served either by the
 * API server itself (no `spec.service`: a "local" APIService) or by an aggregated API server
 * behind a Service, reached over HTTPS. Cluster-scoped; the name must be `<version>.<group>`.
 * Defaults as upstream v1 (`spec.service.port` 443); validation as upstream's ValidateAPIService
 * and ValidateAPIServiceStatus; the status (the `Available` condition) is written by the
 * availability controller through the status subresource.
 */
import { z } from 'zod';
import type { FieldError } from '../../../errors/index.ts';
import { ConditionSchema, kubeObject } from '../../meta.ts';
import { defineResource } from '../../core/v1/common.ts';
import { child, index, invalidValue, notSupported, required } from '../../validation/field-errors.ts';
import { isDNS1035Label, isDNS1123Subdomain, isValidPathSegmentName, isValidPortNum } from '../../validation/names.ts';
import { validateObjectMeta } from '../../validation/object-meta.ts';

export const ServiceReferenceSchema = z.object({
  namespace: z.string().optional(),
  name: z.string().optional(),
  port: z.number().int().optional(),
});

export const APIServiceSpecSchema = z.object({
  service: ServiceReferenceSchema.optional(),
  group: z.string().optional(),
  version: z.string().optional(),
  insecureSkipTLSVerify: z.boolean().optional(),
  /** PEM bundle, base64 on the wire (Go `[]byte`). */
  caBundle: z.string().optional(),
  groupPriorityMinimum: z.number().int().optional(),
  versionPriority: z.number().int().optional(),
});
export type APIServiceSpec = z.infer<typeof APIServiceSpecSchema>;

export const APIServiceStatusSchema = z.object({ conditions: z.array(ConditionSchema).optional() });

export const APIServiceSchema = kubeObject({ spec: APIServiceSpecSchema.optional(), status: APIServiceStatusSchema.optional() });
export type APIService = z.infer<typeof APIServiceSchema>;

/** The one condition type of an APIService. */
export const AVAILABLE_CONDITION = 'Available';

/** The label upstream's autoregister controller puts on the APIServices it manages. */
export const AUTOMANAGED_LABEL = 'kube-aggregator.kubernetes.io/automanaged';

/** `v1beta1.metrics.k8s.io`; the core group's local APIService is `v1.` as upstream. */
export function apiServiceName(group: string, version: string): string {
  return `${version}.${group}`;
}

/** Upstream SetDefaults_ServiceReference: port 443. */
export function applyApiServiceDefaults(svc: APIService): void {
  svc.spec ??= {};
  if (svc.spec.service && svc.spec.service.port === undefined) svc.spec.service.port = 443;
}

/** The name must be a path segment and exactly `spec.version + "." + spec.group`. */
function nameValidator(spec: APIServiceSpec): (name: string) => string[] {
  return (name) => {
    const minimal = isValidPathSegmentName(name);
    if (minimal.length) return minimal;
    return name === `${spec.version ?? ''}.${spec.group ?? ''}` ? [] : ['must be `spec.version+"."+spec.group`'];
  };
}

/** Base64 text's decoded length (the Go message counts bytes). */
function byteLength(b64: string): number {
  return Buffer.from(b64, 'base64').length;
}

function validateSpec(spec: APIServiceSpec): FieldError[] {
  const errs: FieldError[] = [];
  const group = spec.group ?? '';
  const version = spec.version ?? '';
  if (group === '' && version !== 'v1') errs.push(required('spec.group', 'only v1 may have an empty group and it better be legacy kube'));
  if (group !== '') for (const msg of isDNS1123Subdomain(group)) errs.push(invalidValue('spec.group', group, msg));
  for (const msg of isDNS1035Label(version)) errs.push(invalidValue('spec.version', version, msg));
  const gpm = spec.groupPriorityMinimum ?? 0;
  if (gpm <= 0 || gpm > 20000) errs.push(invalidValue('spec.groupPriorityMinimum', gpm, 'must be positive and less than 20000'));
  const vp = spec.versionPriority ?? 0;
  if (vp <= 0 || vp > 1000) errs.push(invalidValue('spec.versionPriority', vp, 'must be positive and less than 1000'));
  const skip = spec.insecureSkipTLSVerify ?? false;
  const caBytes = spec.caBundle ? byteLength(spec.caBundle) : 0;
  if (!spec.service) {
    if (caBytes) errs.push(invalidValue('spec.caBundle', `${caBytes} bytes`, 'local APIServices may not have a caBundle'));
    if (skip) errs.push(invalidValue('spec.insecureSkipTLSVerify', skip, 'local APIServices may not have insecureSkipTLSVerify'));
    return errs;
  }
  if (!spec.service.namespace) errs.push(required('spec.service.namespace'));
  if (!spec.service.name) errs.push(required('spec.service.name'));
  const port = spec.service.port ?? 443;
  const portErrs = isValidPortNum(port);
  if (portErrs.length) errs.push(invalidValue('spec.service.port', port, `port is not valid: ${portErrs.join(', ')}`));
  if (skip && caBytes) errs.push(invalidValue('spec.insecureSkipTLSVerify', skip, 'may not be true if caBundle is present'));
  return errs;
}

const CONDITION_STATUSES = ['True', 'False', 'Unknown'];

/** Upstream ValidateAPIService + ValidateAPIServiceStatus (condition statuses). Pure. */
export function validateApiService(svc: APIService): FieldError[] {
  const spec = svc.spec ?? {};
  const errs = validateObjectMeta(svc.metadata, { namespaced: false, nameValidator: nameValidator(spec) });
  errs.push(...validateSpec(spec));
  (svc.status?.conditions ?? []).forEach((c, i) => {
    if (!CONDITION_STATUSES.includes(c.status)) errs.push(notSupported(child(index('status.conditions', i), 'status'), c.status, CONDITION_STATUSES));
  });
  return errs;
}

export const apiServiceResource = defineResource<APIService>({
  group: 'apiregistration.k8s.io',
  version: 'v1',
  kind: 'APIService',
  plural: 'apiservices',
  singular: 'apiservice',
  namespaced: false,
  categories: ['api-extensions'],
  schema: APIServiceSchema,
  subresources: { status: true },
  patchMeta: { 'status.conditions': { strategy: 'merge', mergeKey: 'type' } },
  applyDefaults: applyApiServiceDefaults,
  validate: validateApiService,
  prepareForCreate(svc) {
    delete svc.status;
  },
});
