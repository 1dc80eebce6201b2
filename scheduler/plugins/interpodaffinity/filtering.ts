/**
 * InterPodAffinity PreFilter/Filter (upstream interpodaffinity/filtering.go): topology-pair
 * counts computed once per cycle, then per-node checks of the incoming pod's required
 * affinity, its required anti-affinity, and existing pods' required anti-affinity.
 */
import { newPodInfo, Status, type AffinityTerm, type Cloneable, type NodeInfo, type NodeObject, type PodInfo, type PodObject } from '../../framework/index.ts';
import { mergeNamespaceSelector, type NamespaceLookup } from './namespaces.ts';
import { podMatchesAllAffinityTerms, termsOf } from './terms.ts';
import { TopologyCounts } from './topology-counts.ts';

/** Filter reasons, upstream's exact strings. */
export const ErrReasonExistingAntiAffinityRulesNotMatch = "node(s) didn't satisfy existing pods anti-affinity rules";
export const ErrReasonAffinityRulesNotMatch = "node(s) didn't match pod affinity rules";
export const ErrReasonAntiAffinityRulesNotMatch = "node(s) didn't match pod anti-affinity rules";

/**
 * What PreFilter computes. Contract: `clone()` copies the three count maps (AddPod/RemovePod
 * mutate them) and shares the immutable rest; `updateWithPod` adds (+1) or removes (-1) one
 * existing pod on `node` exactly as if PreFilter had seen it there.
 */
export class PreFilterState implements Cloneable<PreFilterState> {
  constructor(
    /** The incoming pod. */
    readonly pod: PodObject,
    /** Its required affinity terms (namespaceSelector merged into namespaces). */
    readonly requiredAffinityTerms: readonly AffinityTerm[],
    /** Its required anti-affinity terms (namespaceSelector merged into namespaces). */
    readonly requiredAntiAffinityTerms: readonly AffinityTerm[],
    /** Labels of the incoming pod's namespace (for existing pods' namespaceSelectors). */
    readonly namespaceLabels: Readonly<Record<string, string>>,
    /** Pairs → existing pods whose required anti-affinity terms match the incoming pod. */
    readonly existingAntiAffinityCounts = new TopologyCounts(),
    /** Pairs → existing pods matching all the incoming pod's affinity terms (per term). */
    readonly affinityCounts = new TopologyCounts(),
    /** Pairs → existing pods matching an anti-affinity term of the incoming pod. */
    readonly antiAffinityCounts = new TopologyCounts(),
  ) {}

  clone(): PreFilterState {
    return new PreFilterState(
      this.pod,
      this.requiredAffinityTerms,
      this.requiredAntiAffinityTerms,
      this.namespaceLabels,
      this.existingAntiAffinityCounts.clone(),
      this.affinityCounts.clone(),
      this.antiAffinityCounts.clone(),
    );
  }

  /** Accounts for existing pod `pi` on `node` with `multiplier` +1 (added) or -1 (removed). */
  updateWithPod(pi: PodInfo, node: NodeObject | undefined, multiplier: 1 | -1): void {
    const labels = node?.metadata?.labels;
    this.existingAntiAffinityCounts.updateWithAntiAffinityTerms(termsOf(pi).requiredAntiAffinity, this.pod, this.namespaceLabels, labels, multiplier);
    this.affinityCounts.updateWithAffinityTerms(this.requiredAffinityTerms, pi.pod, labels, multiplier);
    this.antiAffinityCounts.updateWithAntiAffinityTerms(this.requiredAntiAffinityTerms, pi.pod, {}, labels, multiplier);
  }

  /** False when Filter has nothing to check (upstream PreFilter returns Skip). */
  hasConstraints(): boolean {
    return this.existingAntiAffinityCounts.size > 0 || this.requiredAffinityTerms.length > 0 || this.requiredAntiAffinityTerms.length > 0;
  }
}

/**
 * Builds the PreFilter state of `pod`. `allNodes` are the snapshot's nodes,
 * `nodesWithRequiredAntiAffinityPods` those hosting a pod with required anti-affinity.
 */
export function computePreFilterState(
  pod: PodObject,
  allNodes: readonly NodeInfo[],
  nodesWithRequiredAntiAffinityPods: readonly NodeInfo[],
  namespaces: NamespaceLookup,
): PreFilterState {
  const own = termsOf(newPodInfo(pod));
  const state = new PreFilterState(
    pod,
    own.requiredAffinity.map((t) => mergeNamespaceSelector(t, namespaces)),
    own.requiredAntiAffinity.map((t) => mergeNamespaceSelector(t, namespaces)),
    namespaces.labelsOf(pod.metadata?.namespace ?? ''),
  );
  for (const ni of nodesWithRequiredAntiAffinityPods) {
    const labels = ni.node?.metadata?.labels;
    if (!ni.node) continue;
    for (const existing of ni.podsWithRequiredAntiAffinity) {
      state.existingAntiAffinityCounts.updateWithAntiAffinityTerms(termsOf(existing).requiredAntiAffinity, pod, state.namespaceLabels, labels, 1);
    }
  }
  if (state.requiredAffinityTerms.length === 0 && state.requiredAntiAffinityTerms.length === 0) return state;
  for (const ni of allNodes) {
    const labels = ni.node?.metadata?.labels;
    if (!ni.node) continue;
    for (const existing of ni.pods) {
      state.affinityCounts.updateWithAffinityTerms(state.requiredAffinityTerms, existing.pod, labels, 1);
      state.antiAffinityCounts.updateWithAntiAffinityTerms(state.requiredAntiAffinityTerms, existing.pod, {}, labels, 1);
    }
  }
  return state;
}

/** Whether placing the pod on a node with `nodeLabels` violates no existing pod's required anti-affinity. */
export function satisfyExistingPodsAntiAffinity(state: PreFilterState, nodeLabels: Readonly<Record<string, string>>): boolean {
  if (state.existingAntiAffinityCounts.size === 0) return true;
  for (const [key, value] of Object.entries(nodeLabels)) if (state.existingAntiAffinityCounts.get(key, value) > 0) return false;
  return true;
}

/** Whether the node satisfies the incoming pod's required anti-affinity. */
export function satisfyPodAntiAffinity(state: PreFilterState, nodeLabels: Readonly<Record<string, string>>): boolean {
  if (state.antiAffinityCounts.size === 0) return true;
  for (const term of state.requiredAntiAffinityTerms) {
    if (!Object.hasOwn(nodeLabels, term.topologyKey)) continue;
    if (state.antiAffinityCounts.get(term.topologyKey, nodeLabels[term.topologyKey]!) > 0) return false;
  }
  return true;
}

/**
 * Whether the node satisfies the incoming pod's required affinity: the node has every
 * term's topology label and a matching pod exists in each of those domains — or no pod in
 * the cluster matches at all and the pod matches its own terms (the first pod of a group
 * with affinity to itself may go anywhere that has the topology labels).
 */
export function satisfyPodAffinity(state: PreFilterState, nodeLabels: Readonly<Record<string, string>>): boolean {
  let podsExist = true;
  for (const term of state.requiredAffinityTerms) {
    if (!Object.hasOwn(nodeLabels, term.topologyKey)) return false;
    if (state.affinityCounts.get(term.topologyKey, nodeLabels[term.topologyKey]!) <= 0) podsExist = false;
  }
  if (podsExist) return true;
  return state.affinityCounts.size === 0 && podMatchesAllAffinityTerms(state.requiredAffinityTerms, state.pod);
}

/**
 * The Filter outcome for one node: affinity failures are UnschedulableAndUnresolvable
 * (preemption removes pods, it cannot add matching ones), anti-affinity failures Unschedulable.
 */
export function filterNode(state: PreFilterState, node: NodeObject): Status {
  const labels = node.metadata?.labels ?? {};
  if (!satisfyPodAffinity(state, labels)) return Status.unresolvable(ErrReasonAffinityRulesNotMatch);
  if (!satisfyPodAntiAffinity(state, labels)) return Status.unschedulable(ErrReasonAntiAffinityRulesNotMatch);
  if (!satisfyExistingPodsAntiAffinity(state, labels)) return Status.unschedulable(ErrReasonExistingAntiAffinityRulesNotMatch);
  return Status.SUCCESS;
}
