/**
 * Pod condition changes the node lifecycle and taint eviction controllers make, pure (upstream
 * `UpdatePodCondition`: `lastTransitionTime` moves only when the status changes, and an update
 * that changes nothing is no update):
 * - `notReadyConditions`: a pod on a node that is not Ready gets its `Ready` condition set to
 *   `False` (upstream `MarkPodsNotReady`; pods without a Ready condition are left alone);
 * - `disruptionTargetConditions`: a pod the taint eviction controller deletes first gets
 *   `DisruptionTarget=True`, reason `DeletionByTaintManager`.
 */
import type { Pod } from '../../../pkg/api/core/v1/pod.ts';
import type { PodCondition } from '../../../pkg/api/core/v1/pod-status.ts';
import type { DeepReadonly } from '../../../pkg/informer/index.ts';

type Conditions = readonly DeepReadonly<PodCondition>[] | undefined;

const same = (a: string | null | undefined, b: string | null | undefined) => (a ?? '') === (b ?? '');

/** `conditions` with `condition` set (by type), or undefined when that changes nothing. */
export function updatePodCondition(conditions: Conditions, condition: DeepReadonly<PodCondition>, nowText: string): PodCondition[] | undefined {
  const list = (conditions ?? []).map((c) => ({ ...c }) as PodCondition);
  const at = list.findIndex((c) => c.type === condition.type);
  if (at < 0) return [...list, { ...condition, lastTransitionTime: nowText } as PodCondition];
  const old = list[at];
  const next = { ...condition, lastTransitionTime: condition.status === old.status ? old.lastTransitionTime : nowText } as PodCondition;
  const unchanged = next.status === old.status && same(next.reason, old.reason) && same(next.message, old.message) && same(next.lastProbeTime, old.lastProbeTime) && same(next.lastTransitionTime, old.lastTransitionTime);
  if (unchanged) return undefined;
  list[at] = next;
  return list;
}

/** The pod's conditions with Ready set to False, or undefined when it has no Ready condition or it is False already. */
export function notReadyConditions(pod: DeepReadonly<Pod>, nowText: string): PodCondition[] | undefined {
  const ready = pod.status?.conditions?.find((c) => c.type === 'Ready');
  if (!ready) return undefined;
  return updatePodCondition(pod.status?.conditions, { ...ready, status: 'False' }, nowText);
}

export const DISRUPTION_TARGET_REASON = 'DeletionByTaintManager';
export const DISRUPTION_TARGET_MESSAGE = 'Taint manager: deleting due to NoExecute taint';

/** The pod's conditions with `DisruptionTarget=True` (DeletionByTaintManager), or undefined when already so. */
export function disruptionTargetConditions(pod: DeepReadonly<Pod>, nowText: string): PodCondition[] | undefined {
  return updatePodCondition(pod.status?.conditions, { type: 'DisruptionTarget', status: 'True', reason: DISRUPTION_TARGET_REASON, message: DISRUPTION_TARGET_MESSAGE }, nowText);
}
