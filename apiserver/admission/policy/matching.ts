/**
 * Which requests a policy's `matchConstraints` or a binding's `matchResources` select (upstream
 * admission/plugin/policy/matching): namespaceSelector, objectSelector, then excludeResourceRules
 * (an excluded request never matches), then resourceRules (none: every request), each rule
 * narrowed by its `resourceNames`. Reuses the webhook admission's rule and selector predicates.
 * Pure: the namespace's labels are read by the caller when {@link needsNamespaceLabelsFor} says so.
 * Under matchPolicy `Equivalent` a request also matches through the other versions serving its
 * resource (see equivalents.ts).
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

/** The request itself, else (matchPolicy Equivalent) the first equivalent version, that `rules` select. */
function rulesSelect(rules: readonly NamedRuleWithOperations[] | undefined, matchPolicy: string | undefined, req: PolicyRequest, equivalents: readonly RuleRequest[]): RuleRequest | undefined {
  if (namedRulesMatch(rules, req)) return req.rule;
  if (matchPolicy !== 'Equivalent') return undefined;
  return equivalents.find((rule) => namedRulesMatch(rules, { ...req, rule }));
}

/**
 * Upstream `Matcher.Matches` for one MatchResources: the version the request matched as (the
 * request's own, or an equivalent one under matchPolicy Equivalent), or undefined. An absent
 * MatchResources (a binding's) matches everything as the request's own version.
 */
export function matchedRequest(match: MatchResources | undefined, req: PolicyRequest, equivalents: readonly RuleRequest[] = []): RuleRequest | undefined {
  if (!match) return req.rule;
  if (needsNamespaceLabels(match.namespaceSelector, req.rule) && !namespaceSelectorMatches(match.namespaceSelector, req.namespaceLabels)) return undefined;
  if (!objectSelectorMatches(match.objectSelector, req.object, req.oldObject)) return undefined;
  if (rulesSelect(match.excludeResourceRules, match.matchPolicy, req, equivalents)) return undefined;
  if ((match.resourceRules ?? []).length === 0) return req.rule;
  return rulesSelect(match.resourceRules, match.matchPolicy, req, equivalents);
}

/** Whether `match` selects the request (see {@link matchedRequest}). */
export function matchResourcesMatch(match: MatchResources | undefined, req: PolicyRequest, equivalents: readonly RuleRequest[] = []): boolean {
  return matchedRequest(match, req, equivalents) !== undefined;
}
