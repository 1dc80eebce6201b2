/**
 * Whether one set of rules covers another (upstream rbac `validation.Covers`), used to stop a user
 * granting permissions they do not hold: every requested rule is broken down into single
 * verb × group × resource (× name) or verb × URL rules, and each must be covered by one owner rule.
 * Wildcards are only covered by wildcards (`*` is a literal here, not a pattern); an owner's
 * `pods/*` covers `pods/log` and `*\/scale` covers `deployments/scale`; a URL ending in `*`
 * covers the URLs it prefixes.
 */
import type { PolicyRule } from '../rules.ts';

/** The single rules `rule` breaks down into (upstream `BreakdownRule`). Pure. */
export function breakdownRule(rule: PolicyRule): PolicyRule[] {
  const out: PolicyRule[] = [];
  for (const group of rule.apiGroups ?? []) {
    for (const resource of rule.resources ?? []) {
      for (const verb of rule.verbs) {
        if (rule.resourceNames?.length) for (const name of rule.resourceNames) out.push({ verbs: [verb], apiGroups: [group], resources: [resource], resourceNames: [name] });
        else out.push({ verbs: [verb], apiGroups: [group], resources: [resource] });
      }
    }
  }
  for (const url of rule.nonResourceURLs ?? []) for (const verb of rule.verbs) out.push({ verbs: [verb], nonResourceURLs: [url] });
  return out;
}

const hasAll = (owner: readonly string[] | undefined, requested: readonly string[] | undefined): boolean => (requested ?? []).every((r) => (owner ?? []).includes(r));
const hasOrAll = (owner: readonly string[] | undefined, requested: readonly string[] | undefined): boolean => (owner ?? []).includes('*') || hasAll(owner, requested);

function resourceCovers(owner: readonly string[], requested: string): boolean {
  if (owner.includes(requested)) return true;
  const slash = requested.indexOf('/');
  if (slash < 0) return false;
  return owner.includes(`${requested.slice(0, slash)}/*`) || owner.includes(`*/${requested.slice(slash + 1)}`);
}

function urlCovers(owner: readonly string[], requested: string): boolean {
  return owner.some((u) => u === requested || (u.endsWith('*') && requested.startsWith(u.slice(0, -1))));
}

/** Whether one owner rule covers one requested (broken-down) rule (upstream `ruleCovers`). Pure. */
export function ruleCovers(owner: PolicyRule, requested: PolicyRule): boolean {
  const ownerResources = owner.resources ?? [];
  const resources = ownerResources.includes('*') || (requested.resources ?? []).every((r) => resourceCovers(ownerResources, r));
  const urls = (requested.nonResourceURLs ?? []).every((u) => urlCovers(owner.nonResourceURLs ?? [], u));
  const names = requested.resourceNames?.length ? !owner.resourceNames?.length || hasAll(owner.resourceNames, requested.resourceNames) : !owner.resourceNames?.length;
  return hasOrAll(owner.verbs, requested.verbs) && hasOrAll(owner.apiGroups, requested.apiGroups) && resources && urls && names;
}

/** The broken-down requested rules no owner rule covers (empty: covered). Pure. */
export function uncoveredRules(owner: readonly PolicyRule[], requested: readonly PolicyRule[]): PolicyRule[] {
  return requested.flatMap(breakdownRule).filter((r) => !owner.some((o) => ruleCovers(o, r)));
}

/**
 * Merges single rules that differ only in their verbs (upstream `CompactRules`), keeping the
 * order of first appearance. Pure.
 */
export function compactRules(rules: readonly PolicyRule[]): PolicyRule[] {
  const byTarget = new Map<string, PolicyRule>();
  for (const rule of rules) {
    const key = JSON.stringify([rule.apiGroups, rule.resources, rule.resourceNames, rule.nonResourceURLs]);
    const seen = byTarget.get(key);
    if (!seen) byTarget.set(key, { ...rule, verbs: [...rule.verbs] });
    else if (!seen.verbs.includes(rule.verbs[0])) (seen.verbs as string[]).push(...rule.verbs);
  }
  return [...byTarget.values()];
}

const quoted = (name: string, values: readonly string[] | undefined): string[] => (values?.length ? [`${name}:["${values.join('", "')}"]`] : []);

/** `{APIGroups:["apps"], Resources:["deployments"], Verbs:["get"]}` (upstream `PolicyRule.CompactString`). Pure. */
export function compactString(rule: PolicyRule): string {
  const parts = [...quoted('APIGroups', rule.apiGroups), ...quoted('Resources', rule.resources), ...quoted('ResourceNames', rule.resourceNames), ...quoted('NonResourceURLs', rule.nonResourceURLs), ...quoted('Verbs', rule.verbs)];
  return `{${parts.join(', ')}}`;
}
