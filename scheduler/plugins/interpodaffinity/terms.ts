/**
 * The (anti-)affinity terms InterPodAffinity works with: a pod's parsed terms with
 * matchLabelKeys / mismatchLabelKeys applied, and the "does a pod match all terms" test.
 */
import { newRequirement, type LabelRequirement, type Labels } from '../../../pkg/api/selectors/index.ts';
import { affinityTermMatches, type AffinityTerm, type PodInfo, type PodObject, type WeightedAffinityTerm } from '../../framework/index.ts';

/** The four term lists of one pod, as the plugin matches them. */
export interface PodAffinityTerms {
  readonly requiredAffinity: readonly AffinityTerm[];
  readonly requiredAntiAffinity: readonly AffinityTerm[];
  readonly preferredAffinity: readonly WeightedAffinityTerm[];
  readonly preferredAntiAffinity: readonly WeightedAffinityTerm[];
}

interface RawLabelKeys {
  readonly matchLabelKeys?: readonly string[];
  readonly mismatchLabelKeys?: readonly string[];
}

/**
 * `term` with `key in (v)` for every matchLabelKey and `key notin (v)` for every
 * mismatchLabelKey whose label `v` the pod carries (upstream applies this when the pod is
 * created; keys the pod lacks are ignored, a nil labelSelector stays "match nothing").
 */
export function withLabelKeys(term: AffinityTerm, raw: RawLabelKeys, podLabels: Labels): AffinityTerm {
  const reqs: LabelRequirement[] = [];
  const add = (keys: readonly string[] | undefined, op: 'in' | 'notin') => {
    for (const key of keys ?? []) {
      const value = podLabels?.[key];
      if (value === undefined) continue;
      try {
        reqs.push(newRequirement(key, op, [value]));
      } catch {
        // A key or value the API would have rejected: nothing to add.
      }
    }
  };
  add(raw.matchLabelKeys, 'in');
  add(raw.mismatchLabelKeys, 'notin');
  return reqs.length === 0 ? term : { ...term, selector: term.selector.add(...reqs) };
}

function hasLabelKeys(raw: readonly RawLabelKeys[]): boolean {
  return raw.some((t) => (t.matchLabelKeys?.length ?? 0) + (t.mismatchLabelKeys?.length ?? 0) > 0);
}

const cache = new WeakMap<PodInfo, PodAffinityTerms>();

/**
 * The pod's terms with label keys applied. Contract: the result for one PodInfo is computed
 * once and shared (PodInfos are immutable); pods without label keys get their PodInfo's own
 * term arrays back.
 */
export function termsOf(pi: PodInfo): PodAffinityTerms {
  const hit = cache.get(pi);
  if (hit) return hit;
  const aff = pi.pod.spec?.affinity;
  const labels = pi.pod.metadata?.labels;
  const required = (terms: readonly AffinityTerm[], raw: readonly RawLabelKeys[] | undefined) =>
    raw && hasLabelKeys(raw) ? terms.map((t, i) => withLabelKeys(t, raw[i] ?? {}, labels)) : terms;
  const preferred = (terms: readonly WeightedAffinityTerm[], raw: ReadonlyArray<{ readonly podAffinityTerm: RawLabelKeys }> | undefined) =>
    raw && hasLabelKeys(raw.map((w) => w.podAffinityTerm))
      ? terms.map((w, i) => ({ weight: w.weight, term: withLabelKeys(w.term, raw[i]?.podAffinityTerm ?? {}, labels) }))
      : terms;
  const out: PodAffinityTerms = {
    requiredAffinity: required(pi.requiredAffinityTerms, aff?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution),
    requiredAntiAffinity: required(pi.requiredAntiAffinityTerms, aff?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution),
    preferredAffinity: preferred(pi.preferredAffinityTerms, aff?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution),
    preferredAntiAffinity: preferred(pi.preferredAntiAffinityTerms, aff?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution),
  };
  cache.set(pi, out);
  return out;
}

/**
 * True iff `terms` is non-empty and `pod` matches every term (namespace and selector; the
 * terms are the incoming pod's, whose namespaceSelector is already merged into namespaces,
 * so no namespace labels are consulted). Upstream podMatchesAllAffinityTerms.
 */
export function podMatchesAllAffinityTerms(terms: readonly AffinityTerm[], pod: PodObject): boolean {
  if (terms.length === 0) return false;
  return terms.every((t) => affinityTermMatches(t, pod));
}
