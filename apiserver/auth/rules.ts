/**
 * RBAC-style policy rules and their matching (upstream `rbac.RulesAllow`): `*` matches any verb,
 * group or resource; `pods/*` any subresource of pods; `*\/scale` that subresource of anything;
 * non-resource URLs match exactly or by a trailing `*` prefix.
 */
import type { RequestAttributes } from './request-attributes.ts';

/** One rule: resource rules name groups and resources, non-resource rules name URL paths. */
export interface PolicyRule {
  verbs: readonly string[];
  apiGroups?: readonly string[];
  resources?: readonly string[];
  resourceNames?: readonly string[];
  nonResourceURLs?: readonly string[];
}

function verbMatches(rule: PolicyRule, verb: string): boolean {
  return rule.verbs.includes('*') || rule.verbs.includes(verb);
}

function resourceMatches(rule: PolicyRule, resource: string, subresource: string): boolean {
  const combined = subresource ? `${resource}/${subresource}` : resource;
  for (const r of rule.resources ?? []) {
    if (r === '*' || r === combined) return true;
    if (subresource && (r === `${resource}/*` || r === `*/${subresource}`)) return true;
  }
  return false;
}

function urlMatches(rule: PolicyRule, path: string): boolean {
  return (rule.nonResourceURLs ?? []).some((u) => u === '*' || u === path || (u.endsWith('*') && path.startsWith(u.slice(0, -1))));
}

/** Whether one rule allows the request. Pure. */
export function ruleAllows(rule: PolicyRule, attrs: RequestAttributes): boolean {
  if (!verbMatches(rule, attrs.verb)) return false;
  if (!attrs.resourceRequest) return urlMatches(rule, attrs.path);
  if (!rule.apiGroups || !(rule.apiGroups.includes('*') || rule.apiGroups.includes(attrs.apiGroup))) return false;
  if (!resourceMatches(rule, attrs.resource, attrs.subresource)) return false;
  return !rule.resourceNames || rule.resourceNames.length === 0 || rule.resourceNames.includes(attrs.name);
}

/** Whether any rule allows the request. Pure. */
export function rulesAllow(rules: readonly PolicyRule[], attrs: RequestAttributes): boolean {
  return rules.some((r) => ruleAllows(r, attrs));
}
