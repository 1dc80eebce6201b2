/**
 * Which requests a webhook's `rules` select (upstream webhook/predicates/rules). Pure.
 * matchPolicy `Equivalent` is treated as `Exact`: this server serves each resource at one
 * preferred version and does not convert requests to an equivalent group/version for webhooks.
 */
import type { RuleWithOperations } from '../../../pkg/api/admissionregistration/v1/webhook-types.ts';
import type { AdmissionAttributes } from '../types.ts';

/** The request as the rules see it. */
export interface RuleRequest {
  operation: string;
  group: string;
  version: string;
  resource: string;
  /** '' for the main resource. */
  subresource: string;
  /** '' for cluster-scoped requests; the namespace's own name for `namespaces` requests. */
  namespace: string;
}

/** The {@link RuleRequest} of an admission request. */
export function ruleRequestOf(attrs: AdmissionAttributes): RuleRequest {
  const isNamespace = attrs.info.group === '' && attrs.info.plural === 'namespaces';
  return {
    operation: attrs.operation,
    group: attrs.info.group,
    version: attrs.info.version,
    resource: attrs.info.plural,
    subresource: attrs.subresource ?? '',
    namespace: isNamespace ? attrs.name : (attrs.namespace ?? ''),
  };
}

const isNamespaceResource = (r: RuleRequest) => r.group === '' && r.version === 'v1' && r.resource === 'namespaces';

const oneOf = (values: readonly string[] | undefined, value: string) => (values ?? []).some((v) => v === '*' || v === value);

/** `pods/status` → [`pods`, `status`]; `pods` → [`pods`, ``]. */
function splitResource(text: string): [string, string] {
  const slash = text.indexOf('/');
  return slash < 0 ? [text, ''] : [text.slice(0, slash), text.slice(slash + 1)];
}

function resourceMatches(rule: RuleWithOperations, req: RuleRequest): boolean {
  return (rule.resources ?? []).some((entry) => {
    const [res, sub] = splitResource(entry);
    return (res === '*' || res === req.resource) && (sub === '*' || sub === req.subresource);
  });
}

function scopeMatches(scope: string | undefined, req: RuleRequest): boolean {
  if (scope === undefined || scope === '*') return true;
  if (scope === 'Namespaced') return !isNamespaceResource(req) && req.namespace !== '';
  if (scope === 'Cluster') return isNamespaceResource(req) || req.namespace === '';
  return false;
}

/** Whether one rule selects the request: operation, group, version, resource/subresource and scope. */
export function ruleMatches(rule: RuleWithOperations, req: RuleRequest): boolean {
  return (
    oneOf(rule.operations, req.operation) &&
    oneOf(rule.apiGroups, req.group) &&
    oneOf(rule.apiVersions, req.version) &&
    resourceMatches(rule, req) &&
    scopeMatches(rule.scope, req)
  );
}

/** Whether any rule selects the request (no rules: nothing). */
export function rulesMatch(rules: readonly RuleWithOperations[] | undefined, req: RuleRequest): boolean {
  return (rules ?? []).some((rule) => ruleMatches(rule, req));
}

/**
 * Upstream `IsExemptAdmissionConfigurationResource`: writes of webhook configurations never go
 * to webhooks, so a broken webhook cannot lock its own configuration.
 */
export function isExemptResource(req: Pick<RuleRequest, 'group' | 'resource'>): boolean {
  return req.group === 'admissionregistration.k8s.io' && ['mutatingwebhookconfigurations', 'validatingwebhookconfigurations', 'validatingadmissionpolicies', 'validatingadmissionpolicybindings'].includes(req.resource);
}
