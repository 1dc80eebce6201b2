/**
 * EnqueueExtensions of PodTopologySpread (upstream plugin.go EventsToRegister and its queueing
 * hints): pod add/label change/toleration change/delete and node add/delete/label/taint change,
 * each retried only when it can change the pod's spreading.
 */
import { ActionType, podUid, type ClusterEventWithHint, type NodeObject, type PodObject, type QueueingHint } from '../../framework/index.ts';
import type { Labels } from '../../../pkg/api/selectors/index.ts';
import { NODE_INCLUSION_HONOR, nodeLabelsMatchSpreadConstraints, podLabelsMatchSpreadConstraints, type SpreadConstraint } from './common.ts';

/** The pending pod's hard constraints (own or defaulted); may throw (then the hint means Queue). */
export type HardConstraintsOf = (pod: PodObject) => readonly SpreadConstraint[];

/** Whether `incoming` is the pending pod itself or an assigned pod in its namespace (upstream involvedInTopologySpreading). */
export function involvedInTopologySpreading(incoming: PodObject, podWithSpreading: PodObject): boolean {
  if (podUid(incoming) === podUid(podWithSpreading)) return true;
  return Boolean(incoming.spec?.nodeName) && (incoming.metadata?.namespace ?? '') === (podWithSpreading.metadata?.namespace ?? '');
}

/** Label sets equal as upstream's semantic DeepEqual sees them (absent = empty). */
function sameLabels(a: Labels, b: Labels): boolean {
  const ka = Object.keys(a ?? {});
  if (ka.length !== Object.keys(b ?? {}).length) return false;
  return ka.every((k) => b?.[k] === a?.[k]);
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? []) === JSON.stringify(b ?? []);
}

/**
 * Upstream isSchedulableAfterPodChange. Queue when: the pending pod got new tolerations and a
 * constraint honors taints; an involved pod's label change flips a constraint's match; an
 * involved pod matching a constraint was added or deleted.
 */
export function isSchedulableAfterPodChange(pod: PodObject, oldObj: unknown, newObj: unknown, hardConstraints: HardConstraintsOf): QueueingHint {
  const original = oldObj as PodObject | undefined;
  const modified = newObj as PodObject | undefined;
  if ((modified && !involvedInTopologySpreading(modified, pod)) || (original && !involvedInTopologySpreading(original, pod))) return 'QueueSkip';
  const constraints = hardConstraints(pod);
  if (modified && original) {
    const self = podUid(pod) === podUid(modified);
    if (self && !sameJson(modified.spec?.tolerations, original.spec?.tolerations) && constraints.some((c) => c.nodeTaintsPolicy === NODE_INCLUSION_HONOR)) return 'Queue';
    if (sameLabels(modified.metadata?.labels, original.metadata?.labels)) return 'QueueSkip';
    const flips = constraints.some((c) => c.selector.matches(original.metadata?.labels) !== c.selector.matches(modified.metadata?.labels));
    return flips ? 'Queue' : 'QueueSkip';
  }
  const changed = modified ?? original;
  return changed && podLabelsMatchSpreadConstraints(constraints, changed.metadata?.labels) ? 'Queue' : 'QueueSkip';
}

/** Whether any constraint's topology key has a different value in the two label sets. */
export function topologyKeyLabelsChanged(original: Labels, modified: Labels, constraints: readonly SpreadConstraint[]): boolean {
  return constraints.some((c) => original?.[c.topologyKey] !== modified?.[c.topologyKey]);
}

/**
 * Upstream isSchedulableAfterNodeChange. Queue when: an update makes the node start or stop
 * carrying all topology keys, or a node carrying them changes a key's value or its taints; an
 * added or deleted node carries all keys.
 */
export function isSchedulableAfterNodeChange(pod: PodObject, oldObj: unknown, newObj: unknown, hardConstraints: HardConstraintsOf): QueueingHint {
  const original = oldObj as NodeObject | undefined;
  const modified = newObj as NodeObject | undefined;
  const constraints = hardConstraints(pod);
  const originalMatching = original ? nodeLabelsMatchSpreadConstraints(original.metadata?.labels, constraints) : false;
  const modifiedMatching = modified ? nodeLabelsMatchSpreadConstraints(modified.metadata?.labels, constraints) : false;
  if (original && modified) {
    if (originalMatching !== modifiedMatching) return 'Queue';
    const changed = topologyKeyLabelsChanged(original.metadata?.labels, modified.metadata?.labels, constraints) || !sameJson(original.spec?.taints, modified.spec?.taints);
    return modifiedMatching && changed ? 'Queue' : 'QueueSkip';
  }
  if (modified) return modifiedMatching ? 'Queue' : 'QueueSkip';
  return originalMatching ? 'Queue' : 'QueueSkip';
}

/** The events and hints PodTopologySpread registers (queueing hints are always on here). */
export function podTopologySpreadEvents(hardConstraints: HardConstraintsOf): ClusterEventWithHint[] {
  return [
    {
      event: { resource: 'Pod', actionType: ActionType.Add | ActionType.UpdatePodLabel | ActionType.UpdatePodToleration | ActionType.Delete },
      queueingHintFn: (pod, oldObj, newObj) => isSchedulableAfterPodChange(pod, oldObj, newObj, hardConstraints),
    },
    {
      event: { resource: 'Node', actionType: ActionType.Add | ActionType.Delete | ActionType.UpdateNodeLabel | ActionType.UpdateNodeTaint },
      queueingHintFn: (pod, oldObj, newObj) => isSchedulableAfterNodeChange(pod, oldObj, newObj, hardConstraints),
    },
  ];
}
