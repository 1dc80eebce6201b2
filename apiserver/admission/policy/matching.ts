/**
 * Which requests a policy's `matchConstraints` or a binding's `matchResources` select (upstream
 * admission/plugin/policy/matching): namespaceSelector, objectSelector, then excludeResourceRules
 * (an excluded request never matches), then resourceRules (none: every request), each rule
 * narrowed by its `resourceNames`. Reuses the webhook admission's rule and selector predicates.
 * Pure: the namespace's labels are read by the caller when {@link needsNamespaceLabelsFor} says so.
 * matchPolicy `Equivalent` is treated as `Exact`, as for webhooks (one served version per resource).
 */
import type { MatchResources, NamedRuleWithOperations } from '../../../pkg/api/admissionregistration/v1/policy-types.ts';
import type { KubeObject } from '../../../pkg/api/meta.ts';
import { ruleMatches, type RuleRequest } from '../webhook/rules.ts';
import { namespaceSelectorMatches, needsNamespaceLabels, objectSelectorMatches } from '../webhook/selectors.ts';

/** The request as policy matching sees it. */
export interface PolicyRequest {
  rule: RuleRequest;
  /** The object's name (for `resourceNames`). */
  name: string;
  object?: KubeObject;
  oldObject?: KubeObject;
  /** The namespace's labels, when they were needed and read. */
  namespaceLabels?: Readonly<Record<string, string>>;
}

/** Whether matching `match` against `req` has to look at namespace labels. */
export function needsNamespaceLabelsFor(match: MatchResources | undefined, req: RuleRequest): boolean {
  return match !== undefined && needsNamespaceLabels(match.namespaceSelector, req);
}

function namedRulesMatch(rules: readonly NamedRuleWithOperations[] | undefined, req: PolicyRequest): boolean {
  return (rules ?? []).some((rule) => ruleMatches(rule, req.rule) && ((rule.resourceNames ?? []).length === 0 || rule.resourceNames!.includes(req.name)));
}

/** Upstream `Matcher.Matches` for one MatchResources; an absent one (a binding's) matches everything. */
export function matchResourcesMatch(match: MatchResources | undefined, req: PolicyRequest): boolean {
  if (!match) return true;
  if (needsNamespaceLabels(match.namespaceSelector, req.rule) && !namespaceSelectorMatches(match.namespaceSelector, req.namespaceLabels)) return false;
  if (!objectSelectorMatches(match.objectSelector, req.object, req.oldObject)) return false;
  if (namedRulesMatch(match.excludeResourceRules, req)) return false;
  if ((match.resourceRules ?? []).length === 0) return true;
  return namedRulesMatch(match.resourceRules, req);
}
