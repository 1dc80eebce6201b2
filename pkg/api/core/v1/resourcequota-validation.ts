/**
 * ResourceQuota validation (upstream ValidateResourceQuota, ValidateResourceQuotaUpdate and
 * ValidateResourceQuotaStatusUpdate): quota resource names, non-negative (and for counts,
 * whole) quantities, known scopes valid for every constrained resource, no conflicting scope
 * pairs, a well-formed scope selector; scopes are immutable. Messages as upstream's, with Go's
 * `%#v` rendering of the scope slices and selector. Pure.
 */
import type { FieldError } from '../../../errors/index.ts';
import { parseQuantity, QUANTITY_FORMAT_ERROR } from '../../quantity.ts';
import { invalidValue, key, required } from '../../validation/field-errors.ts';
import { isQualifiedName } from '../../validation/names.ts';
import { validateObjectMeta } from '../../validation/object-meta.ts';
import { isIntegerResourceName, isScopeValidForResource, isStandardQuotaResourceName, isStandardResourceName, isStandardResourceQuotaScope } from './resourcequota-names.ts';
import { goStringSlice } from '../../validation/common-rules.ts';

type Quantity = string | number;

/** The parts of a ResourceQuota validation reads. */
export interface ResourceQuotaLike {
  metadata: Parameters<typeof validateObjectMeta>[0];
  spec?: { hard?: Record<string, Quantity> | undefined; scopes?: string[] | undefined; scopeSelector?: { matchExpressions?: ScopedRequirement[] | undefined } | undefined } | undefined;
  status?: { hard?: Record<string, Quantity> | undefined; used?: Record<string, Quantity> | undefined } | undefined;
}

export interface ScopedRequirement {
  scopeName: string;
  operator: string;
  values?: string[] | undefined;
}

/** Go's `%#v` of a `[]core.ResourceQuotaScope`. */
function goScopes(scopes: readonly string[] | undefined): string {
  return scopes ? `[]core.ResourceQuotaScope{${scopes.map((s) => JSON.stringify(s)).join(', ')}}` : '[]core.ResourceQuotaScope(nil)';
}

/** Go's `%#v` of a `core.ScopeSelector` value. */
function goScopeSelector(selector: { matchExpressions?: ScopedRequirement[] | undefined }): string {
  const reqs = selector.matchExpressions;
  const items = reqs ? `[]core.ScopedResourceSelectorRequirement{${reqs.map((r) => `core.ScopedResourceSelectorRequirement{ScopeName:${JSON.stringify(r.scopeName)}, Operator:${JSON.stringify(r.operator)}, Values:${goStringSlice(r.values)}}`).join(', ')}}` : '[]core.ScopedResourceSelectorRequirement(nil)';
  return `core.ScopeSelector{MatchExpressions:${items}}`;
}

function raw(field: string, rendered: string, detail: string): FieldError {
  return { type: 'FieldValueInvalid', field, detail: `Invalid value: ${rendered}: ${detail}` };
}

/** validateResourceName + ValidateResourceQuotaResourceName. */
export function validateQuotaResourceName(name: string, path: string): FieldError[] {
  const errs = isQualifiedName(name).map((msg) => invalidValue(path, name, msg));
  if (errs.length) return errs;
  if (!name.includes('/')) {
    if (!isStandardResourceName(name)) errs.push(invalidValue(path, name, 'must be a standard resource type or fully qualified'));
    if (!isStandardQuotaResourceName(name)) errs.push(invalidValue(path, name, 'must be a standard resource for quota'));
  }
  return errs;
}

/** ValidateResourceQuantityValue: non-negative; whole for counted resources. */
export function validateQuotaQuantity(name: string, value: Quantity, path: string): FieldError[] {
  const q = parseQuantity(value);
  if (!q) return [invalidValue(path, String(value), QUANTITY_FORMAT_ERROR)];
  const errs: FieldError[] = [];
  if (q.nano < 0n) errs.push(invalidValue(path, String(value), 'must be greater than or equal to 0'));
  if (isIntegerResourceName(name) && q.milli % 1000 !== 0) errs.push(invalidValue(path, String(value), 'must be an integer'));
  return errs;
}

function validateList(list: Record<string, Quantity> | undefined, path: string): FieldError[] {
  return Object.keys(list ?? {}).sort().flatMap((name) => [...validateQuotaResourceName(name, key(path, name)), ...validateQuotaQuantity(name, list![name]!, key(path, name))]);
}

const CONFLICTING: readonly (readonly [string, string])[] = [['BestEffort', 'NotBestEffort'], ['Terminating', 'NotTerminating']];
const EXISTS_ONLY = new Set(['BestEffort', 'NotBestEffort', 'Terminating', 'NotTerminating', 'CrossNamespacePodAffinity']);

function validateScopes(spec: NonNullable<ResourceQuotaLike['spec']>): FieldError[] {
  const scopes = spec.scopes;
  if (!scopes?.length) return [];
  const path = 'spec.scopes';
  const hard = Object.keys(spec.hard ?? {}).sort();
  const errs: FieldError[] = [];
  for (const scope of scopes) {
    if (!isStandardResourceQuotaScope(scope)) errs.push(raw(path, goScopes(scopes), 'unsupported scope'));
    for (const name of hard) if (isStandardQuotaResourceName(name) && !isScopeValidForResource(scope, name)) errs.push(raw(path, goScopes(scopes), 'unsupported scope applied to resource'));
  }
  for (const [a, b] of CONFLICTING) if (scopes.includes(a) && scopes.includes(b)) errs.push(raw(path, goScopes(scopes), 'conflicting scopes'));
  return errs;
}

function validateScopeSelector(spec: NonNullable<ResourceQuotaLike['spec']>): FieldError[] {
  const selector = spec.scopeSelector;
  if (!selector) return [];
  const path = 'spec.scopeSelector.matchExpressions';
  const hard = Object.keys(spec.hard ?? {}).sort();
  const errs: FieldError[] = [];
  const names = new Set<string>();
  for (const req of selector.matchExpressions ?? []) {
    if (!isStandardResourceQuotaScope(req.scopeName)) errs.push(invalidValue(`${path}.scopeName`, req.scopeName, 'unsupported scope'));
    for (const name of hard) if (isStandardQuotaResourceName(name) && !isScopeValidForResource(req.scopeName, name)) errs.push(raw(path, goScopeSelector(selector), 'unsupported scope applied to resource'));
    if (EXISTS_ONLY.has(req.scopeName) && req.operator !== 'Exists') {
      errs.push(invalidValue(`${path}.operator`, req.operator, 'must be \'Exist\' when scope is any of ResourceQuotaScopeTerminating, ResourceQuotaScopeNotTerminating, ResourceQuotaScopeBestEffort, ResourceQuotaScopeNotBestEffort or ResourceQuotaScopeCrossNamespacePodAffinity'));
    }
    if (req.operator === 'In' || req.operator === 'NotIn') {
      if (!req.values?.length) errs.push(required(`${path}.values`, 'must be at least one value when `operator` is \'In\' or \'NotIn\' for scope selector'));
    } else if (req.operator === 'Exists' || req.operator === 'DoesNotExist') {
      if (req.values?.length) errs.push(raw(`${path}.values`, goStringSlice(req.values), 'must be no value when `operator` is \'Exist\' or \'DoesNotExist\' for scope selector'));
    } else {
      errs.push(invalidValue(`${path}.operator`, req.operator, 'not a valid selector operator'));
    }
    names.add(req.scopeName);
  }
  for (const [a, b] of CONFLICTING) if (names.has(a) && names.has(b)) errs.push(raw(path, goScopes(spec.scopes), 'conflicting scopes'));
  return errs;
}

/** ValidateResourceQuotaSpec. */
export function validateResourceQuotaSpec(spec: ResourceQuotaLike['spec']): FieldError[] {
  const s = spec ?? {};
  return [...validateList(s.hard, 'spec.hard'), ...validateScopes(s), ...validateScopeSelector(s)];
}

/** ValidateResourceQuota (create) and ValidateResourceQuotaUpdate (with `old`). */
export function validateResourceQuota(quota: ResourceQuotaLike, old?: ResourceQuotaLike): FieldError[] {
  const errs = [...validateObjectMeta(quota.metadata, { namespaced: true }), ...validateResourceQuotaSpec(quota.spec)];
  if (!old) return [...errs, ...validateList(quota.status?.hard, 'status.hard'), ...validateList(quota.status?.used, 'status.used')];
  const before = new Set(old.spec?.scopes ?? []);
  const after = new Set(quota.spec?.scopes ?? []);
  if (before.size !== after.size || [...after].some((s) => !before.has(s))) errs.push(raw('spec.scopes', goScopes(quota.spec?.scopes), 'field is immutable'));
  return errs;
}

/** ValidateResourceQuotaStatusUpdate's own checks. */
export function validateResourceQuotaStatus(quota: ResourceQuotaLike): FieldError[] {
  return [...validateList(quota.status?.hard, 'status.hard'), ...validateList(quota.status?.used, 'status.used')];
}
