/**
 * Namespace look-ups of InterPodAffinity: the incoming pod's namespace labels (to match
 * existing pods' namespaceSelectors) and unrolling the incoming pod's own namespaceSelector
 * into a namespace set (upstream mergeAffinityTermNamespacesIfNotEmpty).
 */
import type { Namespace } from '../../../pkg/api/core/v1/namespace.ts';
import { nothing, type LabelSelectorMatcher, type Labels } from '../../../pkg/api/selectors/index.ts';
import type { Lister } from '../../../pkg/informer/index.ts';
import type { AffinityTerm, WeightedAffinityTerm } from '../../framework/index.ts';

/** What the plugin needs to know about namespaces. */
export interface NamespaceLookup {
  /** Labels of namespace `name`; `{}` when it is unknown (upstream logs and assumes none). */
  labelsOf(name: string): Readonly<Record<string, string>>;
  /** Names of the known namespaces whose labels `selector` matches. */
  namesMatching(selector: LabelSelectorMatcher): readonly string[];
}

/** A lookup over an informer's Namespace lister. */
export function namespaceLookupFrom(lister: Lister<Namespace>): NamespaceLookup {
  return {
    labelsOf: (name) => ({ ...(lister.get(name)?.metadata?.labels ?? {}) }),
    namesMatching: (selector) => lister.list(selector).map((ns) => ns.metadata?.name ?? ''),
  };
}

/** A lookup over a fixed name → labels table (tests, or no informer). */
export function staticNamespaceLookup(namespaces: Readonly<Record<string, Labels>> = {}): NamespaceLookup {
  return {
    labelsOf: (name) => ({ ...(namespaces[name] ?? {}) }),
    namesMatching: (selector) => Object.keys(namespaces).filter((n) => selector.matches(namespaces[n] ?? {})),
  };
}

/**
 * `term` with its namespaceSelector unrolled: the names of matching namespaces are added to
 * `namespaces` and the selector becomes "nothing". An empty selector (`{}`, every namespace)
 * or an absent one ("nothing") is left as is, so matching never needs the other pod's
 * namespace labels.
 */
export function mergeNamespaceSelector(term: AffinityTerm, lookup: NamespaceLookup): AffinityTerm {
  if (term.namespaceSelector.empty() || !term.namespaceSelector.selectable()) return term;
  const namespaces = new Set(term.namespaces);
  for (const n of lookup.namesMatching(term.namespaceSelector)) namespaces.add(n);
  return { ...term, namespaces, namespaceSelector: nothing() };
}

/** {@link mergeNamespaceSelector} for weighted terms. */
export function mergeWeightedNamespaceSelector(w: WeightedAffinityTerm, lookup: NamespaceLookup): WeightedAffinityTerm {
  const term = mergeNamespaceSelector(w.term, lookup);
  return term === w.term ? w : { weight: w.weight, term };
}
