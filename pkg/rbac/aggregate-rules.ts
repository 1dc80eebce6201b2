/**
 * ClusterRole aggregation (upstream `clusterroleaggregation` controller's rule): an aggregated
 * ClusterRole's rules are the rules of every other ClusterRole its `aggregationRule` selects,
 * selectors in order, roles by name within a selector, each distinct rule once.
 */
import type { LabelSelector } from '../api/meta.ts';
import { fromLabelSelector, type LabelSelectorMatcher } from '../api/selectors/labels.ts';

/** What aggregation reads of a ClusterRole; its rules (`R`) are only compared, never interpreted. */
export interface AggregatableClusterRole<R = unknown> {
  metadata: { name?: string; labels?: Readonly<Record<string, string>> };
  rules?: readonly R[] | null;
  aggregationRule?: { clusterRoleSelectors?: readonly LabelSelector[] } | null;
}

/** A stored selector's matcher; undefined for one validation should have refused. */
function selectorMatcher(selector: LabelSelector): LabelSelectorMatcher | undefined {
  try {
    return fromLabelSelector(selector);
  } catch {
    return undefined;
  }
}

/** The rules `role` aggregates from `all` (the cluster's ClusterRoles), or undefined when it is not aggregated. Pure. */
export function aggregatedRules<R>(role: AggregatableClusterRole<R>, all: readonly AggregatableClusterRole<R>[]): R[] | undefined {
  const selectors = role.aggregationRule?.clusterRoleSelectors;
  if (!selectors) return undefined;
  const byName = [...all].sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
  const rules: R[] = [];
  const seen = new Set<string>();
  for (const selector of selectors) {
    const matcher = selectorMatcher(selector);
    if (!matcher) continue;
    for (const other of byName) {
      if (other.metadata.name === role.metadata.name || !matcher.matches(other.metadata.labels ?? {})) continue;
      for (const rule of other.rules ?? []) {
        const key = JSON.stringify(rule);
        if (seen.has(key)) continue;
        seen.add(key);
        rules.push(rule);
      }
    }
  }
  return rules;
}
