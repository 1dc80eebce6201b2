/**
 * PreFilter/Filter of PodTopologySpread (upstream podtopologyspread/filtering.go): per hard
 * (`DoNotSchedule`) constraint, how many matching pods each topology domain holds, and the skew
 * check `matching in the node's domain + self-match − global minimum ≤ maxSkew`.
 */
import { Status, type NodeInfo, type NodeObject, type PodObject } from '../../framework/index.ts';
import { requiredNodeAffinity } from '../helper/node-selector.ts';
import {
  nodePodCounter,
  ERR_REASON_CONSTRAINTS_NOT_MATCH,
  ERR_REASON_NODE_LABEL_NOT_MATCH,
  matchNodeInclusionPolicies,
  nodeLabelsMatchSpreadConstraints,
  type SpreadConstraint,
} from './common.ts';

/** Upstream's global minimum when no domain is eligible (math.MaxInt32). */
const NO_DOMAIN_MIN = 2 ** 31 - 1;

/**
 * Contract: `tpValueToMatchNum[i]` maps every eligible domain (topology value) of
 * `constraints[i]` to its number of matching pods. `update` keeps the global minimum exact;
 * `clone` gives an independent copy for preemption simulations (constraints are shared,
 * immutable). A state without constraints tolerates every node.
 */
export class PreFilterState {
  private readonly minCache: (number | undefined)[];

  constructor(
    readonly constraints: readonly SpreadConstraint[],
    private readonly tpValueToMatchNum: Map<string, number>[],
  ) {
    this.minCache = constraints.map(() => undefined);
  }

  /** Matching pods in domain `value` of constraint `i` (0 for an unknown domain). */
  matchNum(i: number, value: string): number {
    return this.tpValueToMatchNum[i]?.get(value) ?? 0;
  }

  /** Number of eligible domains of constraint `i`. */
  domains(i: number): number {
    return this.tpValueToMatchNum[i]?.size ?? 0;
  }

  /**
   * The global minimum of constraint `i` for the skew: 0 while fewer than `minDomains` domains are
   * eligible, else the smallest count over the domains.
   */
  minMatchNum(i: number, minDomains: number): number {
    if (this.domains(i) < minDomains) return 0;
    let min = this.minCache[i];
    if (min === undefined) {
      min = NO_DOMAIN_MIN;
      for (const n of this.tpValueToMatchNum[i]!.values()) if (n < min) min = n;
      this.minCache[i] = min;
    }
    return min;
  }

  /** Adds `delta` matching pods to domain `value` of constraint `i`. */
  update(i: number, value: string, delta: number): void {
    const m = this.tpValueToMatchNum[i]!;
    m.set(value, (m.get(value) ?? 0) + delta);
    this.minCache[i] = undefined;
  }

  clone(): PreFilterState {
    return new PreFilterState(
      this.constraints,
      this.tpValueToMatchNum.map((m) => new Map(m)),
    );
  }
}

/**
 * Upstream calPreFilterState: for every node carrying all topology keys, and per constraint
 * passing its node inclusion policies, adds the node's matching pods (pod's namespace,
 * constraint selector) to the node's domain. Eligible domains with no matching pod count 0.
 */
export function calPreFilterState(pod: PodObject, constraints: readonly SpreadConstraint[], allNodes: readonly NodeInfo[]): PreFilterState {
  const counts = constraints.map(() => new Map<string, number>());
  if (constraints.length === 0) return new PreFilterState([], []);
  const affinity = requiredNodeAffinity(pod);
  const ns = pod.metadata?.namespace ?? '';
  const counters = constraints.map((c) => nodePodCounter(c.selector, ns));
  for (const nodeInfo of allNodes) {
    const node = nodeInfo.node;
    if (!node) continue;
    const labels = node.metadata?.labels ?? {};
    if (!nodeLabelsMatchSpreadConstraints(labels, constraints)) continue;
    for (let i = 0; i < constraints.length; i++) {
      const c = constraints[i]!;
      if (!matchNodeInclusionPolicies(c, pod, node, affinity)) continue;
      const value = labels[c.topologyKey]!;
      const m = counts[i]!;
      m.set(value, (m.get(value) ?? 0) + counters[i]!.count(nodeInfo));
    }
  }
  return new PreFilterState(constraints, counts);
}

/** Whether placing the pod in a domain exceeds maxSkew: `matchNum + selfMatch − minMatch > maxSkew`. */
export function exceedsMaxSkew(matchNum: number, selfMatch: boolean, minMatchNum: number, maxSkew: number): boolean {
  return matchNum + (selfMatch ? 1 : 0) - minMatchNum > maxSkew;
}

/**
 * Upstream Filter: UnschedulableAndUnresolvable when the node lacks a constraint's topology key,
 * Unschedulable when its domain would exceed a constraint's maxSkew.
 */
export function filterNode(state: PreFilterState, pod: PodObject, node: NodeObject | undefined): Status {
  if (state.constraints.length === 0) return Status.SUCCESS;
  const labels = node?.metadata?.labels ?? {};
  const podLabels = pod.metadata?.labels;
  for (const [i, c] of state.constraints.entries()) {
    const value = labels[c.topologyKey];
    if (value === undefined) return Status.unresolvable(ERR_REASON_NODE_LABEL_NOT_MATCH);
    if (exceedsMaxSkew(state.matchNum(i, value), c.selector.matches(podLabels), state.minMatchNum(i, c.minDomains), c.maxSkew)) {
      return Status.unschedulable(ERR_REASON_CONSTRAINTS_NOT_MATCH);
    }
  }
  return Status.SUCCESS;
}

/**
 * Upstream updateWithPod (PreFilterExtensions AddPod/RemovePod): counts `updatedPod` on `node`
 * (`delta` +1 or −1) for every constraint it matches, when it is in the preemptor's namespace and
 * the node is eligible as in PreFilter.
 */
export function updateWithPod(state: PreFilterState, updatedPod: PodObject, preemptor: PodObject, node: NodeObject | undefined, delta: number): void {
  if (!node || (updatedPod.metadata?.namespace ?? '') !== (preemptor.metadata?.namespace ?? '')) return;
  const labels = node.metadata?.labels ?? {};
  if (!nodeLabelsMatchSpreadConstraints(labels, state.constraints)) return;
  const affinity = requiredNodeAffinity(preemptor);
  const podLabels = updatedPod.metadata?.labels;
  state.constraints.forEach((c, i) => {
    if (!c.selector.matches(podLabels)) return;
    if (!matchNodeInclusionPolicies(c, preemptor, node, affinity)) return;
    state.update(i, labels[c.topologyKey]!, delta);
  });
}
