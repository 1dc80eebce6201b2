/**
 * When a finished Job expires (upstream ttlafterfinished timeLeft / getFinishAndExpireTime):
 * ttlSecondsAfterFinished after the lastTransitionTime of its Complete or Failed condition. Pure.
 */
import type { Job } from '../../../pkg/api/batch/v1/job.ts';
import type { DeepReadonly } from '../../../pkg/informer/index.ts';

/** What to do with a Job now. */
export type TtlDecision =
  /** No TTL, not finished, or already being deleted. */
  | { action: 'ignore' }
  | { action: 'wait'; ms: number }
  | { action: 'delete' };

/** The finish time (ms) of a Job with a Complete=True or Failed=True condition. */
export function finishTime(job: Job | DeepReadonly<Job>): number | undefined {
  const c = job.status?.conditions?.find((x) => (x.type === 'Complete' || x.type === 'Failed') && x.status === 'True');
  if (!c) return undefined;
  const t = Date.parse(c.lastTransitionTime ?? '');
  return Number.isNaN(t) ? undefined : t;
}

export function decideTtl(job: Job | DeepReadonly<Job>, nowMs: number): TtlDecision {
  const ttl = job.spec?.ttlSecondsAfterFinished;
  if (ttl === undefined || job.metadata.deletionTimestamp) return { action: 'ignore' };
  const finished = finishTime(job);
  if (finished === undefined) return { action: 'ignore' };
  const left = finished + ttl * 1000 - nowMs;
  return left > 0 ? { action: 'wait', ms: left } : { action: 'delete' };
}
