/**
 * InterPodAffinity PreScore/Score/NormalizeScore (upstream interpodaffinity/scoring.go):
 * weights summed per topology pair from the incoming pod's preferred terms and from existing
 * pods' required-affinity (hardPodAffinityWeight) and preferred terms that match it.
 */
import {
  affinityTermMatches,
  MAX_NODE_SCORE,
  newPodInfo,
  type AffinityTerm,
  type NodeInfo,
  type NodeInfoLister,
  type NodeObject,
  type NodeScore,
  type PodInfo,
  type PodObject,
  type WeightedAffinityTerm,
} from '../../framework/index.ts';
import type { InterPodAffinityArgs } from './args.ts';
import { mergeWeightedNamespaceSelector, type NamespaceLookup } from './namespaces.ts';
import { termsOf } from './terms.ts';

/**
 * topologyKey → label value → summed weight. Contract: a key is present only once some
 * term added to it (so `size === 0` means no term applied anywhere).
 */
export type TopologyScore = Map<string, Map<string, number>>;

function processTerm(score: TopologyScore, term: AffinityTerm, weight: number, pod: PodObject, nsLabels: Readonly<Record<string, string>>, node: NodeObject, multiplier: 1 | -1): void {
  if (!affinityTermMatches(term, pod, nsLabels)) return;
  const labels = node.metadata?.labels;
  if (!labels || !Object.hasOwn(labels, term.topologyKey)) return;
  let byValue = score.get(term.topologyKey);
  if (!byValue) score.set(term.topologyKey, (byValue = new Map()));
  const v = labels[term.topologyKey]!;
  byValue.set(v, (byValue.get(v) ?? 0) + weight * multiplier);
}

function processTerms(score: TopologyScore, terms: readonly WeightedAffinityTerm[], pod: PodObject, nsLabels: Readonly<Record<string, string>>, node: NodeObject, multiplier: 1 | -1): void {
  for (const w of terms) processTerm(score, w.term, w.weight, pod, nsLabels, node, multiplier);
}

/** The incoming pod's view for scoring. */
export interface IncomingPod {
  readonly pod: PodObject;
  /** Preferred terms with namespaceSelector merged into namespaces. */
  readonly preferredAffinity: readonly WeightedAffinityTerm[];
  readonly preferredAntiAffinity: readonly WeightedAffinityTerm[];
  /** Labels of the pod's namespace. */
  readonly namespaceLabels: Readonly<Record<string, string>>;
}

/** Adds what one existing pod on `node` contributes (upstream processExistingPod). */
export function processExistingPod(score: TopologyScore, incoming: IncomingPod, existing: PodInfo, node: NodeObject, hardPodAffinityWeight: number): void {
  if (Object.keys(node.metadata?.labels ?? {}).length === 0) return;
  const ex = termsOf(existing);
  // The incoming pod's preferred terms against the existing pod.
  processTerms(score, incoming.preferredAffinity, existing.pod, {}, node, 1);
  processTerms(score, incoming.preferredAntiAffinity, existing.pod, {}, node, -1);
  // The existing pod's terms against the incoming pod.
  if (hardPodAffinityWeight > 0) for (const t of ex.requiredAffinity) processTerm(score, t, hardPodAffinityWeight, incoming.pod, incoming.namespaceLabels, node, 1);
  processTerms(score, ex.preferredAffinity, incoming.pod, incoming.namespaceLabels, node, 1);
  processTerms(score, ex.preferredAntiAffinity, incoming.pod, incoming.namespaceLabels, node, -1);
}

/**
 * The topology score of `pod`, or undefined when Score has nothing to do (upstream PreScore
 * returns Skip): `ignorePreferredTermsOfExistingPods` is set and the pod has no preferred
 * terms, or no term applied anywhere. Without preferred terms of its own only nodes hosting
 * pods with affinity are visited.
 */
export function computeTopologyScore(
  pod: PodObject,
  nodes: Pick<NodeInfoLister, 'list' | 'havePodsWithAffinityList'>,
  args: Pick<InterPodAffinityArgs, 'hardPodAffinityWeight' | 'ignorePreferredTermsOfExistingPods'>,
  namespaces: NamespaceLookup,
): TopologyScore | undefined {
  const own = termsOf(newPodInfo(pod));
  const hasConstraints = own.preferredAffinity.length > 0 || own.preferredAntiAffinity.length > 0;
  if (args.ignorePreferredTermsOfExistingPods && !hasConstraints) return undefined;
  const incoming: IncomingPod = {
    pod,
    preferredAffinity: own.preferredAffinity.map((w) => mergeWeightedNamespaceSelector(w, namespaces)),
    preferredAntiAffinity: own.preferredAntiAffinity.map((w) => mergeWeightedNamespaceSelector(w, namespaces)),
    namespaceLabels: namespaces.labelsOf(pod.metadata?.namespace ?? ''),
  };
  const score: TopologyScore = new Map();
  for (const ni of hasConstraints ? nodes.list() : nodes.havePodsWithAffinityList()) {
    if (!ni.node) continue;
    for (const existing of hasConstraints ? ni.pods : ni.podsWithAffinity) processExistingPod(score, incoming, existing, ni.node, args.hardPodAffinityWeight);
  }
  return score.size === 0 ? undefined : score;
}

/** The raw score of a node: the summed weights of its topology pairs (may be negative). */
export function scoreNode(score: TopologyScore, node: NodeObject | undefined): number {
  const labels = node?.metadata?.labels ?? {};
  let total = 0;
  for (const [key, byValue] of score) if (Object.hasOwn(labels, key)) total += byValue.get(labels[key]!) ?? 0;
  return total;
}

/** Scales raw scores linearly so the lowest becomes 0 and the highest MAX_NODE_SCORE (all 0 when equal), in place, with upstream's float arithmetic. */
export function normalizeScores(scores: NodeScore[]): void {
  let min = Infinity;
  let max = -Infinity;
  for (const s of scores) {
    min = Math.min(min, s.score);
    max = Math.max(max, s.score);
  }
  const diff = max - min;
  for (const s of scores) s.score = diff > 0 ? Math.trunc(MAX_NODE_SCORE * ((s.score - min) / diff)) : 0;
}

/** The score of every NodeInfo, for tests and diagnostics. */
export function scoreAll(score: TopologyScore, nodes: readonly NodeInfo[]): NodeScore[] {
  return nodes.map((ni) => ({ name: ni.nodeName(), score: scoreNode(score, ni.node) }));
}
