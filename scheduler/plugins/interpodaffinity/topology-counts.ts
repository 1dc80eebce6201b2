/**
 * Counts per topology pair (`topologyKey`, value of that label on a node) of matching term
 * occurrences (upstream topologyToMatchedTermCount).
 */
import type { Labels } from '../../../pkg/api/selectors/index.ts';
import { affinityTermMatches, type AffinityTerm, type Cloneable, type PodObject } from '../../framework/index.ts';
import { podMatchesAllAffinityTerms } from './terms.ts';

const SEP = '\u0000';

/**
 * Contract: only non-zero counts are stored (an update that brings a pair to 0 deletes it),
 * so `size` is the number of pairs with a count; `clone()` is independent of the original.
 */
export class TopologyCounts implements Cloneable<TopologyCounts> {
  private readonly counts = new Map<string, number>();

  /** The count of pair (`key`, `value`), 0 when absent. */
  get(key: string, value: string): number {
    return this.counts.get(key + SEP + value) ?? 0;
  }

  /** Number of pairs with a non-zero count. */
  get size(): number {
    return this.counts.size;
  }

  /** Adds `delta` to the pair (`topologyKey`, the node's value of it); no-op when the node lacks the label. */
  update(nodeLabels: Labels, topologyKey: string, delta: number): void {
    if (!nodeLabels || !Object.hasOwn(nodeLabels, topologyKey)) return;
    const k = topologyKey + SEP + nodeLabels[topologyKey];
    const n = (this.counts.get(k) ?? 0) + delta;
    if (n === 0) this.counts.delete(k);
    else this.counts.set(k, n);
  }

  /** Adds `delta` for every term's pair when `pod` matches ALL `terms` (affinity semantics). */
  updateWithAffinityTerms(terms: readonly AffinityTerm[], pod: PodObject, nodeLabels: Labels, delta: number): void {
    if (!podMatchesAllAffinityTerms(terms, pod)) return;
    for (const t of terms) this.update(nodeLabels, t.topologyKey, delta);
  }

  /**
   * Adds `delta` for the pair of every term `pod` matches (anti-affinity semantics);
   * `podNamespaceLabels` are the labels of `pod`'s namespace, for terms with a namespaceSelector.
   */
  updateWithAntiAffinityTerms(terms: readonly AffinityTerm[], pod: PodObject, podNamespaceLabels: Readonly<Record<string, string>>, nodeLabels: Labels, delta: number): void {
    for (const t of terms) if (affinityTermMatches(t, pod, podNamespaceLabels)) this.update(nodeLabels, t.topologyKey, delta);
  }

  clone(): TopologyCounts {
    const c = new TopologyCounts();
    for (const [k, v] of this.counts) c.counts.set(k, v);
    return c;
  }

  /** `{"key=value": count}`, for tests and logs. */
  toRecord(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [k, v] of this.counts) out[k.replace(SEP, '=')] = v;
    return out;
  }
}
