/**
 * The status half of a Job sync (upstream trackJobStatusAndRemoveFinalizers and
 * flushUncountedAndRemoveFinalizers): finished pods are first recorded in
 * `status.uncountedTerminatedPods`, then lose the `batch.kubernetes.io/job-tracking` finalizer,
 * then move into `succeeded` / `failed`; the final Complete / Failed condition is set once
 * nothing is left uncounted or terminating.
 */
import type { Job, JobCondition, JobStatus } from '../../../pkg/api/batch/v1/job.ts';
import { formatIndexes } from '../../../pkg/api/batch/v1/indexes.ts';
import type { Client } from '../../../pkg/client/index.ts';
import { isNotFound } from '../../../pkg/errors/index.ts';
import type { EventRecorder } from '../../../pkg/runtime/index.ts';
import type { BackoffRecord } from './backoff.ts';
import { ensureCondition, hasTrueCondition, newCondition, rfc3339 } from './conditions.ts';
import type { FinalizerExpectations } from './finalizer-expectations.ts';
import { completionIndex, hasTrackingFinalizer, isPodFailed, matchPodFailurePolicy, type P } from './pods.ts';

export const TRACKING_PATCH = { metadata: { '$deleteFromPrimitiveList/finalizers': ['batch.kubernetes.io/job-tracking'] } };
/** Upstream MaxUncountedPods: cap of UIDs in uncountedTerminatedPods per sync. */
const MAX_UNCOUNTED_PODS = 500;

/** The state one sync works on (upstream syncJobCtx). */
export interface SyncState {
  key: string;
  job: Job;
  pods: readonly P[];
  now: number;
  /** The condition that finishes the Job (FailureTarget / SuccessCriteriaMet first, then Failed / Complete). */
  finished?: JobCondition;
  succeededIndexes: Set<number>;
  /** Indexes failed past backoffLimitPerIndex (undefined without backoffLimitPerIndex). */
  failedIndexes?: Set<number>;
  /** Per index, the failed pod whose finalizer stays until its replacement carries its failure count. */
  delayedDeletion: Map<number, P>;
  uncounted: { succeeded: Set<string>; failed: Set<string> };
  expectedRm: ReadonlySet<string>;
  backoff: BackoffRecord;
  terminating: number;
  ready: number;
}

const isIndexed = (job: Job) => job.spec?.completionMode === 'Indexed';

/** Dependencies of {@link StatusTracker}. */
export interface StatusTrackerDeps {
  client: Client;
  recorder: EventRecorder;
  finalizerExpectations: FinalizerExpectations;
  /** The reconciler's back-off records: a sync's record is kept once its status is written. */
  backoff: Map<string, BackoffRecord>;
}

/** Writes a sync's status (at most three status updates per sync); throws when a write or a finalizer removal fails. */
export class StatusTracker {
  constructor(private readonly deps: StatusTrackerDeps) {}

  /**
   * Upstream trackJobStatusAndRemoveFinalizers: records finished pods in uncountedTerminatedPods,
   * writes the status, removes their finalizers, moves them into the counters, then sets the
   * final condition once nothing is left uncounted or terminating.
   */
  async track(st: SyncState, needsUpdate: boolean): Promise<void> {
    const { deps } = this;
    let job = st.job;
    const status = job.status as JobStatus;
    const uncounted = { succeeded: [...st.uncounted.succeeded], failed: [...st.uncounted.failed] };
    const completions = job.spec?.completions ?? 0;
    let flush = needsUpdate;
    const withFinalizer = new Set(st.pods.filter((p) => hasTrackingFinalizer(p) && !st.expectedRm.has(p.metadata.uid as string)).map((p) => p.metadata.uid as string));
    if (moveCounted(status, uncounted, withFinalizer)) flush = true;
    const toRemove: P[] = [];
    const pods = isIndexed(job) ? [...st.pods].sort((a, b) => (completionIndex(a) ?? Infinity) - (completionIndex(b) ?? Infinity)) : st.pods;
    for (const pod of pods) {
      const uid = pod.metadata.uid as string;
      if (!hasTrackingFinalizer(pod) || st.expectedRm.has(uid)) continue;
      const failed = isPodFailed(pod, job);
      if (!(job.metadata.deletionTimestamp || st.finished || pod.status?.phase === 'Succeeded' || failed)) continue;
      // The last failed pod of an index keeps its finalizer until a replacement carries its failure count.
      const ix0 = completionIndex(pod);
      if (!job.metadata.deletionTimestamp && !st.finished && pod.status?.phase !== 'Succeeded' && ix0 !== undefined && st.delayedDeletion.get(ix0)?.metadata.uid === uid) continue;
      toRemove.push(pod);
      const ix = completionIndex(pod);
      const validIndex = !isIndexed(job) || (ix !== undefined && ix < completions);
      if (pod.status?.phase === 'Succeeded' && !uncounted.failed.includes(uid)) {
        if (isIndexed(job)) {
          if (validIndex && !st.succeededIndexes.has(ix as number)) st.succeededIndexes.add(ix as number);
        } else if (!uncounted.succeeded.includes(uid)) uncounted.succeeded.push(uid);
      } else if ((failed || (st.finished && st.finished.type !== 'SuccessCriteriaMet')) && !uncounted.failed.includes(uid) && validIndex) {
        if (!job.spec?.podFailurePolicy || matchPodFailurePolicy(job, pod).countFailed) uncounted.failed.push(uid);
      }
      if (uncounted.succeeded.length + uncounted.failed.length >= MAX_UNCOUNTED_PODS) break;
    }
    if (uncounted.succeeded.length !== st.uncounted.succeeded.size || uncounted.failed.length !== st.uncounted.failed.size) flush = true;
    if (isIndexed(job)) {
      const text = formatIndexes([...st.succeededIndexes]);
      if (text !== (status.completedIndexes ?? '')) flush = true;
      status.completedIndexes = text;
      status.succeeded = st.succeededIndexes.size;
      if (st.failedIndexes) {
        const failedText = formatIndexes([...st.failedIndexes]);
        if (failedText !== status.failedIndexes) flush = true;
        status.failedIndexes = failedText;
      }
    }
    if (st.finished?.type === 'FailureTarget') {
      status.conditions = [...(status.conditions ?? []), st.finished];
      flush = true;
      st.finished = newCondition('Failed', 'True', st.finished.reason ?? '', st.finished.message ?? '', st.now);
    }
    if (st.finished?.type === 'SuccessCriteriaMet') {
      if (!hasTrueCondition(job, 'SuccessCriteriaMet')) {
        status.conditions = [...(status.conditions ?? []), st.finished];
        flush = true;
      }
      st.finished = newCondition('Complete', 'True', st.finished.reason ?? '', st.finished.message ?? '', st.now);
    }
    status.uncountedTerminatedPods = uncountedField(uncounted);
    if (flush) {
      job = await this.writeStatus(job);
      this.deps.backoff.set(st.key, st.backoff);
      flush = false;
    }
    const removeError = await this.removeFinalizers(st.key, toRemove, withFinalizer);
    const current = job.status as JobStatus;
    if (moveCounted(current, uncounted, withFinalizer)) flush = true;
    current.uncountedTerminatedPods = uncountedField(uncounted);
    if (removeError) {
      if (flush) await this.writeStatus(job);
      throw removeError;
    }
    const finished = st.finished && uncounted.succeeded.length + uncounted.failed.length === 0 && st.terminating === 0 ? st.finished : undefined;
    if (finished) {
      [current.conditions] = ensureCondition(current.conditions ?? [], finished.type, finished.status, finished.reason ?? '', finished.message ?? '', st.now);
      if (finished.type === 'Complete') current.completionTime = rfc3339(st.now);
      flush = true;
    }
    if (!flush) return;
    job = await this.writeStatus(job);
    if (finished?.type === 'Complete') {
      if (job.spec?.completions !== undefined && (current.succeeded ?? 0) > job.spec.completions) deps.recorder.event(job, 'Warning', 'TooManySucceededPods', 'Too many succeeded pods running after completion count reached');
      deps.recorder.event(job, 'Normal', 'Completed', 'Job completed');
    } else if (finished) deps.recorder.event(job, 'Warning', finished.reason ?? '', finished.message ?? '');
  }

  private async removeFinalizers(key: string, pods: readonly P[], withFinalizer: Set<string>): Promise<unknown> {
    const { deps } = this;
    if (!pods.length) return undefined;
    deps.finalizerExpectations.expect(key, pods.map((p) => p.metadata.uid as string));
    let error: unknown;
    await Promise.all(pods.map(async (pod) => {
      const uid = pod.metadata.uid as string;
      try {
        await deps.client.pods.inNamespace(pod.metadata.namespace as string).patch(pod.metadata.name as string, TRACKING_PATCH, { type: 'strategic' });
      } catch (err) {
        deps.finalizerExpectations.observed(key, uid);
        if (!isNotFound(err)) {
          error ??= err;
          return;
        }
      }
      withFinalizer.delete(uid);
    }));
    return error;
  }

  private async writeStatus(job: Job): Promise<Job> {
    const out = { ...job, status: serialisedStatus(job.status as JobStatus) } as Job;
    return (await this.deps.client.jobs.inNamespace(job.metadata.namespace as string).updateStatus(out)) as Job;
  }
}

/** Upstream cleanUncountedPodsWithoutFinalizers: UIDs whose pod lost its finalizer move into the counters. */
function moveCounted(status: JobStatus, uncounted: { succeeded: string[]; failed: string[] }, withFinalizer: ReadonlySet<string>): boolean {
  let changed = false;
  for (const kind of ['succeeded', 'failed'] as const) {
    const keep = uncounted[kind].filter((uid) => withFinalizer.has(uid));
    if (keep.length !== uncounted[kind].length) {
      status[kind] = (status[kind] ?? 0) + uncounted[kind].length - keep.length;
      uncounted[kind] = keep;
      changed = true;
    }
  }
  return changed;
}

function uncountedField(uncounted: { succeeded: string[]; failed: string[] }): NonNullable<JobStatus['uncountedTerminatedPods']> {
  return { ...(uncounted.succeeded.length ? { succeeded: [...uncounted.succeeded] } : {}), ...(uncounted.failed.length ? { failed: [...uncounted.failed] } : {}) };
}

/** The status as upstream serialises it: zero counters omitted, ready and terminating kept. */
function serialisedStatus(status: JobStatus): JobStatus {
  const out: JobStatus = { ...status };
  for (const f of ['active', 'succeeded', 'failed'] as const) if (!out[f]) delete out[f];
  if (out.completedIndexes === '') delete out.completedIndexes;
  return out;
}
