/**
 * What Filter and Score share (upstream podtopologyspread/common.go): the parsed constraint,
 * turning a pod's `topologySpreadConstraints` (or the defaults) into parsed constraints for one
 * `whenUnsatisfiable` action, node inclusion policies, and counting matching pods.
 */
import type { LabelSelector } from '../../../pkg/api/meta.ts';
import { fromLabelSelector, selectorFromSet, type LabelSelectorMatcher, type Labels } from '../../../pkg/api/selectors/index.ts';
import type { NodeInfo, NodeObject, PodInfo, PodObject } from '../../framework/index.ts';
import type { RequiredNodeAffinity } from '../helper/node-selector.ts';
import { findUntoleratedTaint, podTolerations } from '../helper/taints.ts';

export { LABEL_HOSTNAME, LABEL_TOPOLOGY_ZONE } from '../../../pkg/api/core/v1/well-known-labels.ts';
export const DO_NOT_SCHEDULE = 'DoNotSchedule';
export const SCHEDULE_ANYWAY = 'ScheduleAnyway';
export const NODE_INCLUSION_HONOR = 'Honor';
export const NODE_INCLUSION_IGNORE = 'Ignore';

/** Filter reason when a node's domain would exceed maxSkew (Unschedulable). */
export const ERR_REASON_CONSTRAINTS_NOT_MATCH = "node(s) didn't match pod topology spread constraints";
/** Filter reason when a node lacks a constraint's topologyKey label (UnschedulableAndUnresolvable). */
export const ERR_REASON_NODE_LABEL_NOT_MATCH = ERR_REASON_CONSTRAINTS_NOT_MATCH + ' (missing required label)';

/** A `v1.TopologySpreadConstraint` as found in a pod spec or in the plugin args. */
export interface TopologySpreadConstraintLike {
  readonly maxSkew?: number | undefined;
  readonly topologyKey?: string | undefined;
  readonly whenUnsatisfiable?: string | undefined;
  readonly labelSelector?: unknown;
  readonly minDomains?: number | undefined;
  readonly nodeAffinityPolicy?: string | undefined;
  readonly nodeTaintsPolicy?: string | undefined;
  readonly matchLabelKeys?: readonly string[] | undefined;
}

/**
 * A constraint with its selector parsed and its optional fields defaulted: minDomains 1,
 * nodeAffinityPolicy Honor, nodeTaintsPolicy Ignore (upstream topologySpreadConstraint).
 */
export interface SpreadConstraint {
  readonly maxSkew: number;
  readonly topologyKey: string;
  readonly selector: LabelSelectorMatcher;
  readonly minDomains: number;
  readonly nodeAffinityPolicy: string;
  readonly nodeTaintsPolicy: string;
}

/**
 * Upstream mergeLabelSetWithSelector: the `matchLabelKeys` values as `key=value` requirements
 * plus the selector's own; a selector that selects nothing stays as it is.
 */
export function mergeLabelSetWithSelector(matchLabels: Readonly<Record<string, string>>, selector: LabelSelectorMatcher): LabelSelectorMatcher {
  if (!selector.selectable()) return selector;
  return selectorFromSet(matchLabels).add(...selector.requirements());
}

/**
 * The constraints whose `whenUnsatisfiable` is `action`, parsed (upstream
 * filterTopologySpreadConstraints). `matchLabelKeys` adds the incoming pod's values of those keys
 * to the selector. Throws on an invalid labelSelector.
 */
export function filterTopologySpreadConstraints(constraints: readonly TopologySpreadConstraintLike[], podLabels: Labels, action: string): SpreadConstraint[] {
  const out: SpreadConstraint[] = [];
  for (const c of constraints) {
    if (c.whenUnsatisfiable !== action) continue;
    let selector = fromLabelSelector(c.labelSelector as LabelSelector | null | undefined);
    if (c.matchLabelKeys?.length) {
      const matchLabels: Record<string, string> = {};
      for (const k of c.matchLabelKeys) {
        const v = podLabels?.[k];
        if (v !== undefined) matchLabels[k] = v;
      }
      if (Object.keys(matchLabels).length > 0) selector = mergeLabelSetWithSelector(matchLabels, selector);
    }
    out.push({
      maxSkew: c.maxSkew ?? 0,
      topologyKey: c.topologyKey ?? '',
      selector,
      minDomains: c.minDomains ?? 1,
      nodeAffinityPolicy: c.nodeAffinityPolicy || NODE_INCLUSION_HONOR,
      nodeTaintsPolicy: c.nodeTaintsPolicy || NODE_INCLUSION_IGNORE,
    });
  }
  return out;
}

/**
 * The constraints applied to pods that declare none (PodTopologySpreadArgs), and how to derive
 * their selector from the pod's Services and controller.
 */
export interface DefaultConstraints {
  readonly constraints: readonly TopologySpreadConstraintLike[];
  /** The selector of the pod's Services / ReplicaSet / …; empty when the pod belongs to none. */
  selectorFor(pod: PodObject): LabelSelectorMatcher;
}

/**
 * Upstream buildDefaultConstraints: the default constraints for `action` with the pod's derived
 * selector; none when no default matches the action or the derived selector is empty.
 */
export function buildDefaultConstraints(pod: PodObject, defaults: DefaultConstraints, action: string): SpreadConstraint[] {
  const constraints = filterTopologySpreadConstraints(defaults.constraints, pod.metadata?.labels, action);
  if (constraints.length === 0) return [];
  const selector = defaults.selectorFor(pod);
  if (selector.empty()) return [];
  return constraints.map((c) => ({ ...c, selector }));
}

/**
 * The pod's constraints for `action` (`DoNotSchedule` for Filter, `ScheduleAnyway` for Score):
 * its own when it declares any, otherwise the defaults. Throws on an invalid selector, with
 * upstream's wording.
 */
export function constraintsFor(pod: PodObject, defaults: DefaultConstraints, action: string): SpreadConstraint[] {
  const own = pod.spec?.topologySpreadConstraints ?? [];
  const hard = action === DO_NOT_SCHEDULE;
  try {
    if (own.length > 0) return filterTopologySpreadConstraints(own, pod.metadata?.labels, action);
    return buildDefaultConstraints(pod, defaults, action);
  } catch (err) {
    const what = own.length > 0 ? `obtaining pod's ${hard ? 'hard' : 'soft'}` : `setting default ${hard ? 'hard' : 'soft'}`;
    throw new Error(`${what} topology spread constraints: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

/**
 * Whether `node` counts for `c` under its node inclusion policies: with nodeAffinityPolicy Honor
 * it must match the pod's nodeSelector/required affinity, with nodeTaintsPolicy Honor the pod
 * must tolerate its NoSchedule/NoExecute taints.
 */
export function matchNodeInclusionPolicies(c: SpreadConstraint, pod: PodObject, node: NodeObject, requiredAffinity: RequiredNodeAffinity): boolean {
  if (c.nodeAffinityPolicy === NODE_INCLUSION_HONOR && !requiredAffinity.match(node)) return false;
  if (c.nodeTaintsPolicy === NODE_INCLUSION_HONOR) {
    const taint = findUntoleratedTaint(node.spec?.taints ?? [], podTolerations(pod), (t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute');
    if (taint) return false;
  }
  return true;
}

/** Whether the node has every constraint's topologyKey label. */
export function nodeLabelsMatchSpreadConstraints(nodeLabels: Labels, constraints: readonly SpreadConstraint[]): boolean {
  return constraints.every((c) => nodeLabels?.[c.topologyKey] !== undefined);
}

/**
 * Pods in namespace `ns` that match `selector`, skipping terminating pods. An empty selector
 * counts nothing (upstream countPodsMatchSelector).
 */
export function countPodsMatchSelector(podInfos: readonly PodInfo[], selector: LabelSelectorMatcher, ns: string): number {
  if (selector.empty()) return 0;
  let count = 0;
  for (const { pod } of podInfos) {
    if (pod.metadata?.deletionTimestamp || (pod.metadata?.namespace ?? '') !== ns) continue;
    if (selector.matches(pod.metadata?.labels)) count++;
  }
  return count;
}

/** Whether `labels` match the selector of any constraint. */
export function podLabelsMatchSpreadConstraints(constraints: readonly SpreadConstraint[], labels: Labels): boolean {
  return constraints.some((c) => c.selector.matches(labels));
}

/** Canonical text of each selector object counted with (selectors are immutable). */
const selectorKeys = new WeakMap<LabelSelectorMatcher, string>();

/** Counts one (namespace, selector) on nodes. */
export interface NodePodCounter {
  /** {@link countPodsMatchSelector} over the node's pods. */
  count(nodeInfo: NodeInfo): number;
}

/** The counters in use, by namespace and selector text; started over when a workload churn leaves too many. */
const counters = new Map<string, NodePodCounter>();
const MAX_COUNTERS = 64;

/**
 * The counter of pods in `ns` matching `selector`; a node's count is remembered until its
 * generation changes (every pod added or removed changes it). The pods of one workload share a
 * selector, and scoring one of them counts the same pods on the same nodes as scoring the one
 * before, so only the node the previous pod went to is counted again. Take one per scheduling
 * cycle and constraint: the lookup costs a string key, each count only a weak-map read.
 */
export function nodePodCounter(selector: LabelSelectorMatcher, ns: string): NodePodCounter {
  let selectorKey = selectorKeys.get(selector);
  if (selectorKey === undefined) {
    selectorKey = selector.toString();
    selectorKeys.set(selector, selectorKey);
  }
  const key = `${ns}\0${selectorKey}`;
  let counter = counters.get(key);
  if (counter === undefined) {
    if (counters.size >= MAX_COUNTERS) counters.clear();
    counter = newNodePodCounter(selector, ns);
    counters.set(key, counter);
  }
  return counter;
}

function newNodePodCounter(selector: LabelSelectorMatcher, ns: string): NodePodCounter {
  if (selector.empty()) return { count: () => 0 };
  const memo = new WeakMap<NodeInfo, { generation: number; count: number }>();
  return {
    count(nodeInfo) {
      const known = memo.get(nodeInfo);
      if (known !== undefined && known.generation === nodeInfo.generation) return known.count;
      const count = countPodsMatchSelector(nodeInfo.pods, selector, ns);
      if (known === undefined) memo.set(nodeInfo, { generation: nodeInfo.generation, count });
      else {
        known.generation = nodeInfo.generation;
        known.count = count;
      }
      return count;
    },
  };
}
