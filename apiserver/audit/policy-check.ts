/**
 * Audit policy evaluation (upstream `policy.Checker`): the first rule matching a request's
 * authorization attributes decides its level; no match is level None. Omitted stages are the
 * policy's plus the rule's. Pure.
 */
import type { UserInfo } from '../../pkg/auth/user.ts';
import type { AuditLevel, AuditPolicy, AuditStage, PolicyRule } from './policy.ts';

/** What a rule is matched against (the authenticated user's, before impersonation, as upstream). */
export interface AuditRequestFacts {
  /** Undefined for requests that failed authentication. */
  user?: Pick<UserInfo, 'username' | 'groups'>;
  verb: string;
  resourceRequest: boolean;
  path: string;
  apiGroup: string;
  resource: string;
  subresource: string;
  namespace: string;
  name: string;
}

/** How one request is audited. */
export interface AuditDecision {
  level: AuditLevel;
  omitStages: readonly AuditStage[];
  omitManagedFields: boolean;
}

function pathMatches(path: string, spec: string): boolean {
  if (spec === '*' || spec === path) return true;
  return spec.endsWith('*') && path.startsWith(spec.replace(/\*+$/, ''));
}

function resourceMatches(rule: PolicyRule, facts: AuditRequestFacts): boolean {
  if (!facts.resourceRequest) return false;
  if (rule.namespaces.length > 0 && !rule.namespaces.includes(facts.namespace)) return false;
  if (rule.resources.length === 0) return true;
  const { resource, subresource } = facts;
  const combined = subresource ? `${resource}/${subresource}` : resource;
  for (const gr of rule.resources) {
    if (gr.group !== facts.apiGroup) continue;
    if (gr.resources.length === 0) return true;
    if (gr.resourceNames.length > 0 && !gr.resourceNames.includes(facts.name)) continue;
    for (const res of gr.resources) {
      if (res === combined || res === '*') return true;
      if (subresource && res.startsWith('*/') && res.slice(2) === subresource) return true;
      if (res.endsWith('/*') && res.slice(0, -2) === resource) return true;
    }
  }
  return false;
}

/** Whether `rule` applies to the request. Pure. */
export function ruleMatches(rule: PolicyRule, facts: AuditRequestFacts): boolean {
  const user = facts.user;
  if (rule.users.length > 0 && (!user || !rule.users.includes(user.username))) return false;
  if (rule.userGroups.length > 0 && (!user || !user.groups.some((g) => rule.userGroups.includes(g)))) return false;
  if (rule.verbs.length > 0 && !rule.verbs.includes(facts.verb)) return false;
  if (rule.namespaces.length > 0 || rule.resources.length > 0) return resourceMatches(rule, facts);
  if (rule.nonResourceURLs.length > 0) return !facts.resourceRequest && rule.nonResourceURLs.some((spec) => pathMatches(facts.path, spec));
  return true;
}

/** The level, omitted stages and managed-fields setting for a request. Pure. */
export function auditDecision(policy: AuditPolicy, facts: AuditRequestFacts): AuditDecision {
  for (const rule of policy.rules) {
    if (!ruleMatches(rule, facts)) continue;
    const omitStages = rule.omitStages.length ? [...new Set([...policy.omitStages, ...rule.omitStages])] : policy.omitStages;
    return { level: rule.level, omitStages, omitManagedFields: rule.omitManagedFields ?? policy.omitManagedFields };
  }
  return { level: 'None', omitStages: policy.omitStages, omitManagedFields: policy.omitManagedFields };
}

/** Whether `level` records at least as much as `minimum`. Pure. */
export function levelAtLeast(level: AuditLevel, minimum: AuditLevel): boolean {
  const order: Record<AuditLevel, number> = { None: 0, Metadata: 1, Request: 2, RequestResponse: 3 };
  return order[level] >= order[minimum];
}
