/**
 * Node selector matching (upstream component-helpers/scheduling/corev1/nodeaffinity):
 * `NodeSelectorRequirement`s over node labels (`matchExpressions`) and fields (`matchFields`,
 * only `metadata.name`), terms ORed, requirements within a term ANDed, and the pod's
 * `spec.nodeSelector` + required node affinity combined as the scheduler applies them.
 */
import type { NodeObject, PodObject } from '../../framework/index.ts';

export interface NodeSelectorRequirementLike {
  readonly key: string;
  readonly operator: string;
  readonly values?: readonly string[] | undefined;
}

export interface NodeSelectorTermLike {
  readonly matchExpressions?: readonly NodeSelectorRequirementLike[] | undefined;
  readonly matchFields?: readonly NodeSelectorRequirementLike[] | undefined;
}

/** Whether one requirement holds for `value` (undefined = the key is absent). Unknown operators never match. */
export function matchesRequirement(req: NodeSelectorRequirementLike, value: string | undefined): boolean {
  const values = req.values ?? [];
  switch (req.operator) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
    case 'Lt': {
      if (value === undefined || values.length !== 1) return false;
      const have = Number.parseInt(value, 10);
      const want = Number.parseInt(values[0]!, 10);
      if (!/^-?\d+$/.test(value) || !/^-?\d+$/.test(values[0]!)) return false;
      return req.operator === 'Gt' ? have > want : have < want;
    }
    default:
      return false;
  }
}

/**
 * Whether `node` matches one term. A term with neither expressions nor fields matches nothing
 * (upstream: an empty term selects no objects).
 */
export function matchesNodeSelectorTerm(term: NodeSelectorTermLike, node: NodeObject): boolean {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return false;
  const labels = node.metadata?.labels ?? {};
  for (const r of exprs) if (!matchesRequirement(r, labels[r.key])) return false;
  for (const r of fields) {
    const value = r.key === 'metadata.name' ? node.metadata?.name : undefined;
    if (r.key !== 'metadata.name' || !matchesRequirement(r, value)) return false;
  }
  return true;
}

/** Whether `node` matches any of the terms (an empty list matches nothing). */
export function matchesNodeSelectorTerms(terms: readonly NodeSelectorTermLike[], node: NodeObject): boolean {
  return terms.some((t) => matchesNodeSelectorTerm(t, node));
}

/**
 * The pod's hard node constraints: every `spec.nodeSelector` label must be present with that value
 * and, when `requiredDuringSchedulingIgnoredDuringExecution` is set, one of its terms must match
 * (upstream GetRequiredNodeAffinity(pod).Match(node)).
 */
export interface RequiredNodeAffinity {
  match(node: NodeObject): boolean;
}

/** Builds {@link RequiredNodeAffinity} for `pod` once, to test many nodes. */
export function requiredNodeAffinity(pod: PodObject): RequiredNodeAffinity {
  const selector = Object.entries(pod.spec?.nodeSelector ?? {});
  const required = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  const terms = required?.nodeSelectorTerms;
  return {
    match(node) {
      const labels = node.metadata?.labels ?? {};
      for (const [k, v] of selector) if (labels[k] !== v) return false;
      return !terms || matchesNodeSelectorTerms(terms as readonly NodeSelectorTermLike[], node);
    },
  };
}
