/**
 * What the job controller reads from a Job's pods (upstream job_controller.go / indexed_job_utils.go
 * helpers): active, failed, terminating, completion index, tracking finalizer, finish time,
 * restarts under restartPolicy OnFailure, and the pod failure policy. Pure.
 */
import { JOB_LABELS, type Job } from '../../../pkg/api/batch/v1/job.ts';
import type { Pod } from '../../../pkg/api/core/v1/pod.ts';
import type { DeepReadonly } from '../../../pkg/informer/index.ts';

/** A pod, from the cache (read-only) or built here. */
export type P = Pod | DeepReadonly<Pod>;
/** A Job, from the cache (read-only) or a working copy. */
export type J = Job | DeepReadonly<Job>;

/** Being deleted and not finished (upstream CountTerminatingPods). */
export function isPodTerminating(pod: P): boolean {
  const phase = pod.status?.phase;
  return !!pod.metadata.deletionTimestamp && phase !== 'Succeeded' && phase !== 'Failed';
}

/** Whether the job-tracking finalizer holds the pod. */
export function hasTrackingFinalizer(pod: P): boolean {
  return pod.metadata.finalizers?.includes(JOB_LABELS.trackingFinalizer) ?? false;
}

/** Replace only failed pods (podReplacementPolicy Failed, always with a podFailurePolicy). */
export function onlyReplaceFailedPods(job: J): boolean {
  return job.spec?.podReplacementPolicy === 'Failed' || !!job.spec?.podFailurePolicy;
}

/** Upstream isPodFailed: Failed, or (unless only failed pods are replaced) deleted before succeeding. */
export function isPodFailed(pod: P, job: J): boolean {
  if (pod.status?.phase === 'Failed') return true;
  if (onlyReplaceFailedPods(job)) return false;
  return !!pod.metadata.deletionTimestamp && pod.status?.phase !== 'Succeeded';
}

/** The pod's completion index annotation, or undefined when missing or invalid. */
export function completionIndex(pod: P): number | undefined {
  const value = pod.metadata.annotations?.[JOB_LABELS.completionIndex];
  if (value === undefined || !/^\d+$/.test(value)) return undefined;
  return Number(value);
}

/** Upstream getFinishedTime: last container finish, Ready=False transition, deletion time, creation time (ms). */
export function finishedTime(pod: P): number {
  const statuses = pod.status?.containerStatuses ?? [];
  let latest: number | undefined;
  let allFinished = statuses.length > 0;
  for (const s of statuses) {
    const at = s.state?.terminated?.finishedAt;
    if (!at) {
      allFinished = false;
      break;
    }
    latest = Math.max(latest ?? 0, Date.parse(at));
  }
  if (allFinished && latest !== undefined) return latest;
  const ready = pod.status?.conditions?.find((c) => c.type === 'Ready');
  if (ready?.status === 'False' && ready.lastTransitionTime) return Date.parse(ready.lastTransitionTime);
  if (pod.metadata.deletionTimestamp) return Date.parse(pod.metadata.deletionTimestamp) - (pod.metadata.deletionGracePeriodSeconds ?? 0) * 1000;
  return Date.parse(pod.metadata.creationTimestamp ?? '') || 0;
}

/** Upstream pastBackoffLimitOnFailure: container restarts of running pods reach backoffLimit (restartPolicy OnFailure). */
export function pastBackoffLimitOnFailure(job: J, pods: readonly P[]): boolean {
  if (job.spec?.template?.spec?.restartPolicy !== 'OnFailure') return false;
  let restarts = 0;
  for (const p of pods) {
    if (p.status?.phase !== 'Running' && p.status?.phase !== 'Pending') continue;
    for (const s of [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])]) restarts += s.restartCount ?? 0;
  }
  const limit = job.spec?.backoffLimit ?? 6;
  return limit === 0 ? restarts > 0 : restarts >= limit;
}

/** The outcome of matching a failed pod against the pod failure policy (upstream matchPodFailurePolicy). */
export interface PolicyMatch {
  /** Set when a FailJob rule matched: the Job's failure message. */
  failJobMessage?: string;
  /** False when an Ignore rule matched (the failure does not count). */
  countFailed: boolean;
  action?: string;
}

function exitCodeMatches(rule: NonNullable<NonNullable<J['spec']>['podFailurePolicy']>['rules'][number], pod: P): { container: string; code: number } | undefined {
  const req = rule.onExitCodes;
  if (!req) return undefined;
  const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  for (const s of statuses) {
    if (req.containerName && s.name !== req.containerName) continue;
    const code = s.state?.terminated?.exitCode;
    if (code === undefined || code === 0) continue;
    const listed = req.values.includes(code);
    if ((req.operator === 'In' && listed) || (req.operator === 'NotIn' && !listed)) return { container: s.name ?? '', code };
  }
  return undefined;
}

export function matchPodFailurePolicy(job: J, pod: P): PolicyMatch {
  const rules = job.spec?.podFailurePolicy?.rules ?? [];
  for (const [i, rule] of rules.entries()) {
    let message: string | undefined;
    const code = exitCodeMatches(rule, pod);
    if (code) message = `Container ${code.container} for pod ${pod.metadata.namespace}/${pod.metadata.name} failed with exit code ${code.code} matching ${rule.action} rule at index ${i}`;
    else if ((rule.onPodConditions ?? []).some((pat) => pod.status?.conditions?.some((c) => c.type === pat.type && c.status === (pat.status || 'True')))) {
      message = `Pod ${pod.metadata.namespace}/${pod.metadata.name} has condition ${rule.onPodConditions!.find((pat) => pod.status?.conditions?.some((c) => c.type === pat.type))!.type} matching ${rule.action} rule at index ${i}`;
    }
    if (message === undefined) continue;
    switch (rule.action) {
      case 'Ignore': return { countFailed: false, action: 'Ignore' };
      case 'Count': return { countFailed: true, action: 'Count' };
      case 'FailJob': return { countFailed: true, action: 'FailJob', failJobMessage: message };
      case 'FailIndex': return { countFailed: true, action: 'FailIndex' };
    }
  }
  return { countFailed: true };
}
