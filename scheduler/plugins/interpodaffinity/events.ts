/**
 * InterPodAffinity EnqueueExtensions (upstream plugin.go EventsToRegister and its queueing
 * hints): which pod and node changes may make a pod it rejected schedulable.
 */
import { ActionType, newPodInfo, type ClusterEventWithHint, type NodeObject, type PodObject, type QueueingHint } from '../../framework/index.ts';
import { podMatchesAllAffinityTerms, termsOf } from './terms.ts';

const assigned = (p: PodObject | undefined): boolean => Boolean(p?.spec?.nodeName);

/**
 * Hint for an assigned pod added / relabelled / deleted. Unscheduled pods never help.
 * Update: Queue when the pod starts matching all of `pod`'s affinity terms or stops matching
 * all its anti-affinity terms. Add: Queue when it matches the affinity terms. Delete: Queue
 * when it matched the anti-affinity terms.
 */
export function isSchedulableAfterPodChange(pod: PodObject, oldPod: PodObject | undefined, newPod: PodObject | undefined): QueueingHint {
  if ((newPod && !assigned(newPod)) || (oldPod && !assigned(oldPod))) return 'QueueSkip';
  const terms = termsOf(newPodInfo(pod));
  if (newPod && oldPod) {
    if (!podMatchesAllAffinityTerms(terms.requiredAffinity, oldPod) && podMatchesAllAffinityTerms(terms.requiredAffinity, newPod)) return 'Queue';
    if (podMatchesAllAffinityTerms(terms.requiredAntiAffinity, oldPod) && !podMatchesAllAffinityTerms(terms.requiredAntiAffinity, newPod)) return 'Queue';
    return 'QueueSkip';
  }
  if (newPod) return podMatchesAllAffinityTerms(terms.requiredAffinity, newPod) ? 'Queue' : 'QueueSkip';
  return oldPod && podMatchesAllAffinityTerms(terms.requiredAntiAffinity, oldPod) ? 'Queue' : 'QueueSkip';
}

/** Hint for a node added or relabelled: Queue when it carries the topology key of any of `pod`'s required terms. */
export function isSchedulableAfterNodeChange(pod: PodObject, node: NodeObject | undefined): QueueingHint {
  const labels = node?.metadata?.labels ?? {};
  const terms = termsOf(newPodInfo(pod));
  for (const t of [...terms.requiredAffinity, ...terms.requiredAntiAffinity]) if (Object.hasOwn(labels, t.topologyKey)) return 'Queue';
  return 'QueueSkip';
}

/**
 * Pod Add/UpdatePodLabel/Delete and Node Add/UpdateNodeLabel/UpdateNodeTaint (upstream keeps
 * UpdateNodeTaint for nodes added before they became ready).
 */
export function interPodAffinityEvents(): ClusterEventWithHint[] {
  return [
    {
      event: { resource: 'Pod', actionType: ActionType.Add | ActionType.UpdatePodLabel | ActionType.Delete },
      queueingHintFn: (pod, oldObj, newObj) => isSchedulableAfterPodChange(pod, oldObj as PodObject | undefined, newObj as PodObject | undefined),
    },
    {
      event: { resource: 'Node', actionType: ActionType.Add | ActionType.UpdateNodeLabel | ActionType.UpdateNodeTaint },
      queueingHintFn: (pod, _oldObj, newObj) => isSchedulableAfterNodeChange(pod, newObj as NodeObject | undefined),
    },
  ];
}
