/**
 * namespaceSelector and objectSelector (upstream webhook/predicates/namespace and object).
 * The decisions are pure; reading a namespace's labels is the caller's edge.
 */
import type { LabelSelector } from '../../../pkg/api/meta.ts';
import type { KubeObject } from '../../../pkg/api/meta.ts';
import { fromLabelSelector } from '../../../pkg/api/selectors/index.ts';
import type { RuleRequest } from './rules.ts';

type Labels = Readonly<Record<string, string>> | undefined;

const isEmpty = (s: LabelSelector | undefined) => !s || (Object.keys(s.matchLabels ?? {}).length === 0 && (s.matchExpressions ?? []).length === 0);

/**
 * Whether the namespace selector must look at namespace labels: not for an empty selector, and
 * not for cluster-scoped requests other than namespaces (those always match).
 */
export function needsNamespaceLabels(selector: LabelSelector | undefined, req: RuleRequest): boolean {
  if (req.namespace === '' && req.resource !== 'namespaces') return false;
  return !isEmpty(selector);
}

/** The namespace selector against the namespace's labels (call when {@link needsNamespaceLabels}). */
export function namespaceSelectorMatches(selector: LabelSelector | undefined, namespaceLabels: Labels): boolean {
  if (isEmpty(selector)) return true;
  return fromLabelSelector(selector).matches(namespaceLabels ?? {});
}

/** Upstream `MatchObjectSelector`: the labels of the new object or of the old one. */
export function objectSelectorMatches(selector: LabelSelector | undefined, object: KubeObject | undefined, oldObject: KubeObject | undefined): boolean {
  if (isEmpty(selector)) return true;
  const matcher = fromLabelSelector(selector);
  return [object, oldObject].some((o) => o !== undefined && matcher.matches(o.metadata?.labels ?? {}));
}
