/**
 * Backoff limit per index (upstream indexed_job_utils.go): each pod carries the failure count of
 * its index in `batch.kubernetes.io/job-index-failure-count`; an index fails once a pod fails with
 * a count reaching backoffLimitPerIndex (or a FailIndex rule matches); the last failed pod of an
 * index keeps its tracking finalizer until its replacement carries the count on. Pure.
 */
import type { Job } from '../../../pkg/api/batch/v1/job.ts';
import { parseIndexes } from '../../../pkg/api/batch/v1/indexes.ts';
import { remainingBackoffMs } from './backoff.ts';
import { completionIndex, finishedTime, isPodFailed, matchPodFailurePolicy, type J, type P } from './pods.ts';

export const INDEX_FAILURE_COUNT = 'batch.kubernetes.io/job-index-failure-count';
export const INDEX_IGNORED_FAILURE_COUNT = 'batch.kubernetes.io/job-index-ignored-failure-count';

function annotationCount(pod: P, key: string): number {
  const v = pod.metadata.annotations?.[key];
  return v !== undefined && /^\d+$/.test(v) ? Number(v) : 0;
}

export function hasBackoffLimitPerIndex(job: J): boolean {
  return job.spec?.completionMode === 'Indexed' && job.spec.backoffLimitPerIndex !== undefined;
}

/** Upstream isIndexFailed: a failed pod whose index used up its retries, or matched a FailIndex rule. */
export function isIndexFailed(job: J, pod: P): boolean {
  if (!isPodFailed(pod, job)) return false;
  let counted = true;
  if (job.spec?.podFailurePolicy) {
    const match = matchPodFailurePolicy(job, pod);
    if (match.action === 'FailIndex') return true;
    counted = match.countFailed;
  }
  return counted && annotationCount(pod, INDEX_FAILURE_COUNT) >= (job.spec?.backoffLimitPerIndex ?? 0);
}

/** Upstream calculateFailedIndexes: status.failedIndexes plus the indexes of newly failed pods. */
export function failedIndexes(job: J, pods: readonly P[]): Set<number> {
  const completions = job.spec?.completions ?? 0;
  const out = new Set(parseIndexes(job.status?.failedIndexes, completions));
  for (const p of pods) {
    const ix = completionIndex(p);
    if (ix !== undefined && ix < completions && isIndexFailed(job, p)) out.add(ix);
  }
  return out;
}

/** Failures counted plus ignored for an index (upstream getIndexAbsoluteFailureCount). */
function absoluteFailures(pod: P): number {
  return annotationCount(pod, INDEX_FAILURE_COUNT) + annotationCount(pod, INDEX_IGNORED_FAILURE_COUNT);
}

/** Upstream getPodsWithDelayedDeletionPerIndex over pods still holding the tracking finalizer. */
export function podsWithDelayedDeletion(job: J, trackedPods: readonly P[], activePods: readonly P[], succeeded: ReadonlySet<number>, failed: ReadonlySet<number>): Map<number, P> {
  const completions = job.spec?.completions ?? 0;
  const active = new Set(activePods.map(completionIndex));
  const out = new Map<number, P>();
  for (const p of trackedPods) {
    const ix = completionIndex(p);
    if (!isPodFailed(p, job) || ix === undefined || ix >= completions || succeeded.has(ix) || failed.has(ix) || active.has(ix)) continue;
    const last = out.get(ix);
    if (!last || (absoluteFailures(last) <= absoluteFailures(p) && finishedTime(p) >= finishedTime(last))) out.set(ix, p);
  }
  return out;
}

/** Annotations of a replacement pod (upstream getNewIndexFailureCounts): the replaced pod's counts, plus its failure. */
export function indexFailureAnnotations(job: Job, replaced: P | undefined): Record<string, string> {
  let failures = 0;
  let ignored = 0;
  if (replaced) {
    failures = annotationCount(replaced, INDEX_FAILURE_COUNT);
    ignored = annotationCount(replaced, INDEX_IGNORED_FAILURE_COUNT);
    if (!job.spec?.podFailurePolicy || matchPodFailurePolicy(job, replaced).countFailed) failures++;
    else ignored++;
  }
  return { [INDEX_FAILURE_COUNT]: String(failures), ...(ignored > 0 ? { [INDEX_IGNORED_FAILURE_COUNT]: String(ignored) } : {}) };
}

/** The indexes whose back-off is over, or else the shortest wait (upstream getPodCreationInfoForIndependentIndexes). */
export function indexesReadyNow(indexes: readonly number[], delayed: ReadonlyMap<number, P>, nowMs: number, baseMs: number, maxMs: number): { ready: number[]; waitMs: number } {
  const ready: number[] = [];
  let wait = Infinity;
  for (const ix of indexes) {
    const last = delayed.get(ix);
    const remaining = last ? remainingBackoffMs({ failuresAfterLastSuccess: absoluteFailures(last) + 1, lastFailureTime: finishedTime(last) }, nowMs, baseMs, maxMs) : 0;
    if (remaining === 0) ready.push(ix);
    else wait = Math.min(wait, remaining);
  }
  return { ready, waitMs: ready.length ? 0 : wait === Infinity ? 0 : wait };
}
