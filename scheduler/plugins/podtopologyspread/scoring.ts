/**
 * PreScore/Score/NormalizeScore of PodTopologySpread (upstream podtopologyspread/scoring.go):
 * for soft (`ScheduleAnyway`) constraints a node's raw score is the weighted number of matching
 * pods in its domains (fewer is better); normalization reverses it into [0, 100].
 */
import { MAX_NODE_SCORE, type NodeInfo, type NodeScore, type PodObject } from '../../framework/index.ts';
import { requiredNodeAffinity } from '../helper/node-selector.ts';
import { LABEL_HOSTNAME, matchNodeInclusionPolicies, nodeLabelsMatchSpreadConstraints, nodePodCounter, type NodePodCounter, type SpreadConstraint } from './common.ts';

/**
 * Contract: computed once per cycle by {@link preScoreState}, then read-only (Score runs per node).
 * `topologyValueToPodCounts[i]` holds the domains of the feasible nodes (not for hostname
 * constraints, counted per node in Score); `ignoredNodes` are feasible nodes missing a topology
 * key, which score 0.
 */
export interface PreScoreState {
  readonly constraints: readonly SpreadConstraint[];
  readonly ignoredNodes: ReadonlySet<string>;
  readonly topologyValueToPodCounts: readonly Map<string, number>[];
  readonly topologyNormalizingWeight: readonly number[];
  /** Per constraint: counts the pod's namespace and the constraint's selector on a node. */
  readonly counters: readonly NodePodCounter[];
}

/**
 * The weight of a topology with `size` domains, so counts in small topologies are not watered
 * down by big ones: ln(size + 2).
 */
export function topologyNormalizingWeight(size: number): number {
  return Math.log(size + 2);
}

/** A domain's score contribution: count × weight + (maxSkew − 1) (a larger maxSkew tolerates more skew). */
export function scoreForCount(count: number, maxSkew: number, weight: number): number {
  return count * weight + (maxSkew - 1);
}

/**
 * Upstream initPreScoreState + PreScore counting. With `requireAllTopologies` (the pod's own
 * constraints, or non-system defaults) feasible nodes missing a key are ignored, otherwise they
 * still get the constraints whose key they carry (hostname spreading without zone labels).
 * Matching pods are counted over `allNodes` that pass the inclusion policies, into the domains
 * present among the feasible nodes.
 */
export function preScoreState(
  pod: PodObject,
  constraints: readonly SpreadConstraint[],
  filteredNodes: readonly NodeInfo[],
  allNodes: readonly NodeInfo[],
  requireAllTopologies: boolean,
): PreScoreState {
  const ignoredNodes = new Set<string>();
  const counts = constraints.map(() => new Map<string, number>());
  for (const ni of filteredNodes) {
    const labels = ni.node?.metadata?.labels ?? {};
    if (requireAllTopologies && !nodeLabelsMatchSpreadConstraints(labels, constraints)) {
      ignoredNodes.add(ni.nodeName());
      continue;
    }
    constraints.forEach((c, i) => {
      if (c.topologyKey === LABEL_HOSTNAME) return;
      // A node without the key is no domain of it (under the system defaults, hollow or
      // single-zone nodes have no zone label): nothing is counted for it.
      const value = labels[c.topologyKey];
      if (value !== undefined && !counts[i]!.has(value)) counts[i]!.set(value, 0);
    });
  }
  const weights = constraints.map((c, i) => topologyNormalizingWeight(c.topologyKey === LABEL_HOSTNAME ? filteredNodes.length - ignoredNodes.size : counts[i]!.size));

  const affinity = requiredNodeAffinity(pod);
  const ns = pod.metadata?.namespace ?? '';
  const counters = constraints.map((c) => nodePodCounter(c.selector, ns));
  // Runs over every node for every pod: plain loops, and the cheap lookups before the inclusion policies.
  for (const ni of allNodes) {
    const node = ni.node;
    if (!node) continue;
    const labels = node.metadata?.labels ?? {};
    if (requireAllTopologies && !nodeLabelsMatchSpreadConstraints(labels, constraints)) continue;
    for (let i = 0; i < constraints.length; i++) {
      const domains = counts[i]!;
      if (domains.size === 0) continue;
      const c = constraints[i]!;
      const value = labels[c.topologyKey];
      const current = value === undefined ? undefined : domains.get(value);
      if (current === undefined || !matchNodeInclusionPolicies(c, pod, node, affinity)) continue;
      domains.set(value!, current + counters[i]!.count(ni));
    }
  }
  return { constraints, ignoredNodes, topologyValueToPodCounts: counts, topologyNormalizingWeight: weights, counters };
}

/**
 * Upstream Score: the rounded sum over constraints whose key the node carries of
 * {@link scoreForCount} (hostname: the node's own matching pods); 0 for ignored nodes.
 */
export function scoreNode(state: PreScoreState, _pod: PodObject, nodeInfo: NodeInfo): number {
  const name = nodeInfo.nodeName();
  if (state.ignoredNodes.has(name)) return 0;
  const labels = nodeInfo.node?.metadata?.labels ?? {};
  let score = 0;
  for (let i = 0; i < state.constraints.length; i++) {
    const c = state.constraints[i]!;
    const value = labels[c.topologyKey];
    if (value === undefined) continue;
    const count = c.topologyKey === LABEL_HOSTNAME ? state.counters[i]!.count(nodeInfo) : (state.topologyValueToPodCounts[i]!.get(value) ?? 0);
    score += scoreForCount(count, c.maxSkew, state.topologyNormalizingWeight[i]!);
  }
  return Math.round(score);
}

/**
 * Upstream NormalizeScore, in place: ignored nodes get 0; the rest
 * `100 × (max + min − score) / max` (integer division), or 100 when every score is 0.
 */
export function normalizeScores(state: PreScoreState, scores: NodeScore[]): void {
  let min = Number.MAX_SAFE_INTEGER;
  let max = 0;
  for (const s of scores) {
    if (state.ignoredNodes.has(s.name)) continue;
    if (s.score < min) min = s.score;
    if (s.score > max) max = s.score;
  }
  for (const s of scores) {
    if (state.ignoredNodes.has(s.name)) s.score = 0;
    else if (max === 0) s.score = MAX_NODE_SCORE;
    else s.score = Math.trunc((MAX_NODE_SCORE * (max + min - s.score)) / max);
  }
}
