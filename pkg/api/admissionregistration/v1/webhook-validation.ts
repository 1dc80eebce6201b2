/**
 * Validation of webhook configurations, after upstream
 * pkg/apis/admissionregistration/validation (v1 create rules: sideEffects None/NoneOnDryRun,
 * a recognised admissionReviewVersion, unique webhook names). Pure.
 */
import type { FieldError } from '../../../errors/index.ts';
import { fromLabelSelector } from '../../selectors/index.ts';
import { SelectorParseError } from '../../selectors/index.ts';
import { duplicate, invalidValue, notSupported, required } from '../../validation/field-errors.ts';
import { goStringSlice } from '../../validation/common-rules.ts';
import { isDNS1035Label, isDNS1123Subdomain } from '../../validation/names.ts';
import { validateMatchConditions, WEBHOOK_MATCH_CONDITION_VARIABLES } from './match-conditions.ts';
import type { RuleWithOperations, WebhookClientConfig, WebhookCommon } from './webhook-types.ts';

/** AdmissionReview versions this server sends (upstream `AcceptedAdmissionReviewVersions`). */
export const ACCEPTED_ADMISSION_REVIEW_VERSIONS = ['v1', 'v1beta1'] as const;
const FAILURE_POLICIES = ['Fail', 'Ignore'];
const MATCH_POLICIES = ['Equivalent', 'Exact'];
const NO_SIDE_EFFECT_CLASSES = ['None', 'NoneOnDryRun'];
const OPERATIONS = ['*', 'CONNECT', 'CREATE', 'DELETE', 'UPDATE'];
const SCOPES = ['*', 'Cluster', 'Namespaced'];
export const REINVOCATION_POLICIES = ['IfNeeded', 'Never'];

/** `Invalid value` for a slice, rendered as Go's `%#v` (`[]string{"a"}`). */
function invalidSlice(path: string, values: readonly string[], detail: string, goType = 'string'): FieldError {
  return { type: 'FieldValueInvalid', field: path, detail: `Invalid value: ${goStringSlice(values).replace('[]string', `[]${goType}`)}: ${detail}` };
}

/** Upstream `IsFullyQualifiedName`. */
export function validateWebhookName(path: string, name: string): FieldError[] {
  if (!name) return [required(path)];
  const errs = isDNS1123Subdomain(name).map((m) => invalidValue(path, name, m));
  if (errs.length) return errs;
  if (name.split('.').length < 3) return [invalidValue(path, name, 'should be a domain with at least three segments separated by dots')];
  return [];
}

/**
 * Upstream `validateResources` (subresources allowed): no empty entries, no `x/y` already covered
 * by `x/*` or `*\/y` earlier in the list, `*\/*` alone, `*` not mixed with plain resources.
 */
function validateResources(resources: readonly string[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (resources.length === 0) errs.push(required(path));
  const wildcardSub = new Set<string>();
  const wildcardRes = new Set<string>();
  let doubleWildcard = false;
  let singleWildcard = false;
  let plainResource = false;
  resources.forEach((entry, i) => {
    if (entry === '') return void errs.push(required(`${path}[${i}]`));
    if (entry === '*/*') doubleWildcard = true;
    if (entry === '*') singleWildcard = true;
    const slash = entry.indexOf('/');
    if (slash < 0) return void (plainResource = entry !== '*');
    const res = entry.slice(0, slash);
    const sub = entry.slice(slash + 1);
    if (wildcardSub.has(res)) errs.push(invalidValue(`${path}[${i}]`, entry, `if '${res}/*' is present, must not specify ${entry}`));
    if (wildcardRes.has(sub)) errs.push(invalidValue(`${path}[${i}]`, entry, `if '*/${sub}' is present, must not specify ${entry}`));
    if (sub === '*') wildcardSub.add(res);
    if (res === '*') wildcardRes.add(sub);
  });
  if (resources.length > 1 && doubleWildcard) errs.push(invalidSlice(path, resources, "if '*/*' is present, must not specify other resources"));
  if (singleWildcard && plainResource) errs.push(invalidSlice(path, resources, "if '*' is present, must not specify other resources without subresources"));
  return errs;
}

/** Upstream `validateRuleWithOperations` (the checks kubectl users meet). */
export function validateRule(rule: RuleWithOperations, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const ops = rule.operations ?? [];
  if (ops.length === 0) errs.push(required(`${path}.operations`));
  if (ops.length > 1 && ops.includes('*')) errs.push(invalidSlice(`${path}.operations`, ops, "if '*' is present, must not specify other operations", 'admissionregistration.OperationType'));
  ops.forEach((op, i) => {
    if (!OPERATIONS.includes(op)) errs.push(notSupported(`${path}.operations[${i}]`, op, OPERATIONS));
  });
  const groups = rule.apiGroups ?? [];
  if (groups.length === 0) errs.push(required(`${path}.apiGroups`));
  if (groups.length > 1 && groups.includes('*')) errs.push(invalidSlice(`${path}.apiGroups`, groups, "if '*' is present, must not specify other API groups"));
  const versions = rule.apiVersions ?? [];
  if (versions.length === 0) errs.push(required(`${path}.apiVersions`));
  if (versions.length > 1 && versions.includes('*')) errs.push(invalidSlice(`${path}.apiVersions`, versions, "if '*' is present, must not specify other API versions"));
  versions.forEach((v, i) => {
    if (v === '') errs.push(required(`${path}.apiVersions[${i}]`));
  });
  errs.push(...validateResources(rule.resources ?? [], `${path}.resources`));
  if (rule.scope !== undefined && !SCOPES.includes(rule.scope)) errs.push(notSupported(`${path}.scope`, rule.scope, SCOPES));
  return errs;
}

function validateSelector(selector: WebhookCommon['namespaceSelector'], path: string): FieldError[] {
  if (!selector) return [];
  try {
    fromLabelSelector(selector);
    return [];
  } catch (err) {
    if (err instanceof SelectorParseError) return [invalidValue(path, selector, err.message)];
    throw err;
  }
}

/** Upstream `ValidateWebhookURL` (https, no fragment or query, has a host). */
function validateUrl(path: string, url: string): FieldError[] {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return [invalidValue(path, url, 'host must be specified')];
  }
  const errs: FieldError[] = [];
  if (parsed.protocol !== 'https:') errs.push(invalidValue(path, url, `'https' is the only allowed URL scheme`));
  if (!parsed.host) errs.push(invalidValue(path, url, 'host must be specified'));
  if (parsed.username || parsed.password) errs.push(invalidValue(path, url, 'user information is not permitted in the URL'));
  if (parsed.hash) errs.push(invalidValue(path, url, 'fragments are not permitted in the URL'));
  if (parsed.search) errs.push(invalidValue(path, url, 'query parameters are not permitted in the URL'));
  return errs;
}

/** Upstream's client config rules (exactly one of `url` or `service`, each checked), shared with CRD conversion webhooks. */
export function validateWebhookClientConfig(cc: WebhookClientConfig, path: string): FieldError[] {
  if ((cc.url === undefined) === (cc.service === undefined)) return [required(path, 'exactly one of url or service is required')];
  if (cc.url !== undefined) return validateUrl(`${path}.url`, cc.url);
  const svc = cc.service!;
  const errs: FieldError[] = [];
  if (!svc.name) errs.push(required(`${path}.service.name`, 'service name is required'));
  if (!svc.namespace) errs.push(required(`${path}.service.namespace`, 'service namespace is required'));
  if (svc.path !== undefined && !svc.path.startsWith('/')) errs.push(invalidValue(`${path}.service.path`, svc.path, "must start with a '/'"));
  if (svc.port !== undefined && (svc.port < 1 || svc.port > 65535)) errs.push(invalidValue(`${path}.service.port`, svc.port, 'port is not valid: must be between 1 and 65535, inclusive'));
  return errs;
}

/**
 * A webhook's review versions (AdmissionReview or ConversionReview): non-empty (`requiredDetail`
 * is the Required text), unique DNS-1035 labels, at least one of `accepted`.
 */
export function validateReviewVersions(versions: readonly string[] | undefined, path: string, accepted: readonly string[], requiredDetail: string): FieldError[] {
  if (!versions || versions.length === 0) return [required(path, requiredDetail)];
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  versions.forEach((v, i) => {
    if (seen.has(v)) return void errs.push(invalidValue(`${path}[${i}]`, v, 'duplicate version'));
    seen.add(v);
    for (const msg of isDNS1035Label(v)) errs.push(invalidValue(`${path}[${i}]`, v, msg));
  });
  if (!versions.some((v) => accepted.includes(v))) errs.push(invalidSlice(path, versions, `must include at least one of ${accepted.join(', ')}`));
  return errs;
}

/** Validates one webhook of either kind at `path` (`webhooks[i]`). */
export function validateWebhook(hook: WebhookCommon & { reinvocationPolicy?: string }, path: string, mutating: boolean): FieldError[] {
  const errs = validateWebhookName(`${path}.name`, hook.name);
  (hook.rules ?? []).forEach((rule, i) => errs.push(...validateRule(rule, `${path}.rules[${i}]`)));
  if (hook.failurePolicy !== undefined && !FAILURE_POLICIES.includes(hook.failurePolicy)) errs.push(notSupported(`${path}.failurePolicy`, hook.failurePolicy, FAILURE_POLICIES));
  if (hook.matchPolicy !== undefined && !MATCH_POLICIES.includes(hook.matchPolicy)) errs.push(notSupported(`${path}.matchPolicy`, hook.matchPolicy, MATCH_POLICIES));
  if (hook.sideEffects === undefined) errs.push(required(`${path}.sideEffects`, `must specify one of ${NO_SIDE_EFFECT_CLASSES.join(', ')}`));
  else if (!NO_SIDE_EFFECT_CLASSES.includes(hook.sideEffects)) errs.push(notSupported(`${path}.sideEffects`, hook.sideEffects, NO_SIDE_EFFECT_CLASSES));
  if (hook.timeoutSeconds !== undefined && (hook.timeoutSeconds > 30 || hook.timeoutSeconds < 1)) {
    errs.push(invalidValue(`${path}.timeoutSeconds`, hook.timeoutSeconds, 'the timeout value must be between 1 and 30 seconds'));
  }
  errs.push(...validateSelector(hook.namespaceSelector, `${path}.namespaceSelector`));
  errs.push(...validateSelector(hook.objectSelector, `${path}.objectSelector`));
  if (mutating && hook.reinvocationPolicy !== undefined && !REINVOCATION_POLICIES.includes(hook.reinvocationPolicy)) {
    errs.push(notSupported(`${path}.reinvocationPolicy`, hook.reinvocationPolicy, REINVOCATION_POLICIES));
  }
  errs.push(...validateWebhookClientConfig(hook.clientConfig, `${path}.clientConfig`));
  errs.push(...validateReviewVersions(hook.admissionReviewVersions, `${path}.admissionReviewVersions`, ACCEPTED_ADMISSION_REVIEW_VERSIONS, `must specify one of ${ACCEPTED_ADMISSION_REVIEW_VERSIONS.join(', ')}`));
  errs.push(...validateMatchConditions(hook.matchConditions, `${path}.matchConditions`, WEBHOOK_MATCH_CONDITION_VARIABLES));
  return errs;
}

/** Validates the `webhooks` list: each webhook, and duplicate names. */
export function validateWebhooks(hooks: ReadonlyArray<WebhookCommon & { reinvocationPolicy?: string }>, mutating: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  hooks.forEach((hook, i) => {
    errs.push(...validateWebhook(hook, `webhooks[${i}]`, mutating));
    if (!hook.name) return;
    if (names.has(hook.name)) errs.push(duplicate(`webhooks[${i}].name`, hook.name));
    names.add(hook.name);
  });
  return errs;
}
