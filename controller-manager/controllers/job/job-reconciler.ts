/**
 * The Job reconciler (upstream job controller `syncJob`): claims the Job's pods, counts finished
 * pods through the `batch.kubernetes.io/job-tracking` finalizer and `status.uncountedTerminatedPods`
 * (a pod is counted once, then its finalizer is removed), creates pods up to parallelism after the
 * pod-failure back-off, deletes pods of suspended or finishing Jobs, and sets the conditions in
 * upstream's two steps: FailureTarget then Failed, SuccessCriteriaMet then Complete, once no pod
 * is left terminating. Events as upstream: SuccessfulCreate "Created pod: x", SuccessfulDelete,
 * Completed "Job completed", BackoffLimitExceeded / DeadlineExceeded, Suspended, Resumed.
 */
import type { Job, JobStatus } from '../../../pkg/api/batch/v1/job.ts';
import { parseIndexes } from '../../../pkg/api/batch/v1/indexes.ts';
import type { Pod } from '../../../pkg/api/core/v1/pod.ts';
import { fromLabelSelector } from '../../../pkg/api/selectors/index.ts';
import type { Client } from '../../../pkg/client/index.ts';
import { isNotFound } from '../../../pkg/errors/index.ts';
import type { Lister } from '../../../pkg/informer/index.ts';
import { claimChildren, ownedOrOrphans, type EventRecorder, type ReconcileContext, type ReconcileRequest, type Reconciler, type Result } from '../../../pkg/runtime/index.ts';
import type { Clock } from '../../../pkg/workqueue/index.ts';
import { copyJson } from '../../../pkg/util/json-copy.ts';
import type { Expectations } from '../replicaset/expectations.ts';
import { nextBackoffRecord, remainingBackoffMs, type BackoffRecord } from './backoff.ts';
import { ensureCondition, findCondition, isJobFinished, newCondition, rfc3339 } from './conditions.ts';
import type { FinalizerExpectations } from './finalizer-expectations.ts';
import { planPods } from './manage.ts';
import { failedIndexes, hasBackoffLimitPerIndex, indexesReadyNow, indexFailureAnnotations, podsWithDelayedDeletion } from './per-index.ts';
import { StatusTracker, TRACKING_PATCH, type SyncState } from './status-tracker.ts';
import { isPodActive, readyCondition } from '../replicaset/pod-ranking.ts';
import { completionIndex, finishedTime, hasTrackingFinalizer, isPodFailed, isPodTerminating, matchPodFailurePolicy, pastBackoffLimitOnFailure, type P } from './pods.ts';
import { JOB_OWNER, podForJob } from './pod-template.ts';
import { matchSuccessPolicy } from './success-policy.ts';


/** Dependencies of {@link JobReconciler}. */
export interface JobReconcilerDeps {
  client: Client;
  jobs: Lister<Job>;
  pods: Lister<Pod>;
  expectations: Expectations;
  finalizerExpectations: FinalizerExpectations;
  recorder: EventRecorder;
  clock: Clock;
  /** Base and cap of the pod-failure back-off (upstream 10 s and 10 min). */
  podFailureBackoffMs: number;
  maxPodFailureBackoffMs: number;
}


const isIndexed = (job: Job) => job.spec?.completionMode === 'Indexed';

/**
 * Level-based: reads the Job and its pods from the cache; acts only once earlier creations and
 * deletions were observed (expectations). Returns `{ requeueAfterMs }` for activeDeadlineSeconds
 * and the pod-failure back-off; a thrown error is retried with the rate limiter's back-off.
 */
export class JobReconciler implements Reconciler {
  /** Per-Job pod-failure back-off, in memory as upstream's backoffStore. */
  private readonly backoff = new Map<string, BackoffRecord>();
  private readonly tracker: StatusTracker;

  constructor(private readonly deps: JobReconcilerDeps) {
    this.tracker = new StatusTracker({ client: deps.client, recorder: deps.recorder, finalizerExpectations: deps.finalizerExpectations, backoff: this.backoff });
  }

  async reconcile(req: ReconcileRequest, ctx: ReconcileContext): Promise<Result | void> {
    const key = `${req.namespace}/${req.name}`;
    const { deps } = this;
    const shared = deps.jobs.get(key);
    if (!shared) {
      deps.expectations.delete(key);
      deps.finalizerExpectations.delete(key);
      this.backoff.delete(key);
      return;
    }
    const managedBy = shared.spec?.managedBy;
    if (managedBy !== undefined && managedBy !== 'kubernetes.io/job-controller') return;
    if (isJobFinished(shared)) {
      this.backoff.delete(key);
      return;
    }
    const job = copyJson(shared) as Job;
    const spec = job.spec ?? {};
    const status: JobStatus = (job.status ??= {});
    const now = deps.clock.now();
    const satisfied = deps.expectations.satisfied(key);
    const pods = await this.claimPods(job);
    const st: SyncState = {
      key, job, pods, now,
      succeededIndexes: new Set(),
      delayedDeletion: new Map(),
      uncounted: { succeeded: new Set(status.uncountedTerminatedPods?.succeeded), failed: new Set(status.uncountedTerminatedPods?.failed) },
      expectedRm: deps.finalizerExpectations.expected(key),
      backoff: { failuresAfterLastSuccess: 0 },
      terminating: pods.filter(isPodTerminating).length,
      ready: 0,
    };
    const activePods = pods.filter(isPodActive);
    st.ready = activePods.filter((p) => readyCondition(p).ready).length;
    let active = activePods.length;
    const { newSucceeded, newFailed } = this.newlyFinished(st);
    let succeeded = (status.succeeded ?? 0) + newSucceeded.length + st.uncounted.succeeded.size;
    const failed = (status.failed ?? 0) + newFailed.filter((p) => !spec.podFailurePolicy || matchPodFailurePolicy(job, p).countFailed).length + st.uncounted.failed.size;
    const suspended = spec.suspend === true;
    if (!status.startTime && !suspended) status.startTime = rfc3339(now);
    st.backoff = nextBackoffRecord(this.backoff.get(key), newSucceeded.map(finishedTime), newFailed.map(finishedTime));

    let requeueAfterMs: number | undefined;
    st.finished = findCondition(status.conditions, 'SuccessCriteriaMet')?.status === 'True' ? findCondition(status.conditions, 'SuccessCriteriaMet') : undefined;
    if (!st.finished) {
      const target = findCondition(status.conditions, 'FailureTarget');
      if (target?.status === 'True') st.finished = newCondition('Failed', 'True', target.reason ?? '', target.message ?? '', now);
      else {
        const message = spec.podFailurePolicy ? pods.filter((p) => isPodFailed(p, job)).map((p) => matchPodFailurePolicy(job, p).failJobMessage).find((m) => m) : undefined;
        if (message) st.finished = newCondition('FailureTarget', 'True', 'PodFailurePolicy', message, now);
      }
    }
    if (!st.finished) {
      const deadline = spec.activeDeadlineSeconds;
      const elapsed = status.startTime ? now - Date.parse(status.startTime) : 0;
      if (failed > (spec.backoffLimit ?? 6) || pastBackoffLimitOnFailure(job, pods)) {
        st.finished = newCondition('FailureTarget', 'True', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit', now);
      } else if (deadline !== undefined && status.startTime && !suspended && elapsed >= deadline * 1000) {
        st.finished = newCondition('FailureTarget', 'True', 'DeadlineExceeded', 'Job was active longer than specified deadline', now);
      } else if (deadline !== undefined && status.startTime && !suspended) {
        requeueAfterMs = deadline * 1000 - elapsed;
      }
    }
    if (isIndexed(job)) {
      const completions = spec.completions ?? 0;
      st.succeededIndexes = new Set(parseIndexes(status.completedIndexes, completions));
      for (const p of newSucceeded) st.succeededIndexes.add(completionIndex(p) as number);
      succeeded = st.succeededIndexes.size;
      if (hasBackoffLimitPerIndex(job)) {
        st.failedIndexes = failedIndexes(job, pods);
        const failedCount = st.failedIndexes.size;
        if (!st.finished && spec.maxFailedIndexes !== undefined && failedCount > spec.maxFailedIndexes) {
          st.finished = newCondition('FailureTarget', 'True', 'MaxFailedIndexesExceeded', 'Job has exceeded the specified maximal number of failed indexes', now);
        } else if (!st.finished && failedCount > 0 && failedCount + st.succeededIndexes.size >= completions) {
          st.finished = newCondition('FailureTarget', 'True', 'FailedIndexes', 'Job has failed indexes', now);
        }
        const tracked = pods.filter((p) => hasTrackingFinalizer(p) && !st.expectedRm.has(p.metadata.uid as string));
        st.delayedDeletion = podsWithDelayedDeletion(job, tracked, activePods, st.succeededIndexes, st.failedIndexes);
      }
      if (!st.finished && spec.successPolicy) {
        const message = matchSuccessPolicy(spec.successPolicy, completions, st.succeededIndexes);
        if (message) st.finished = newCondition('SuccessCriteriaMet', 'True', 'SuccessPolicy', message, now);
      }
    }

    let manageError: unknown;
    let suspendChanged = false;
    if (st.finished) {
      const { deleted, deletedReady, error } = await this.deletePods(job, activePods, false);
      if (deleted !== active || !satisfied) st.finished = undefined;
      active -= deleted;
      st.terminating += deleted;
      st.ready -= deletedReady;
      manageError = error;
    } else {
      let managed = false;
      if (satisfied && !job.metadata.deletionTimestamp) {
        const outcome = await this.manageJob(st, activePods, succeeded, ctx);
        active = outcome.active;
        manageError = outcome.error;
        if (outcome.requeueAfterMs !== undefined) requeueAfterMs = Math.min(requeueAfterMs ?? Infinity, outcome.requeueAfterMs);
        managed = true;
      }
      const complete = spec.completions === undefined ? succeeded > 0 && active === 0 : succeeded >= spec.completions && active === 0;
      if (complete) st.finished = newCondition('SuccessCriteriaMet', 'True', 'CompletionsReached', 'Reached expected number of succeeded pods', now);
      else if (managed) suspendChanged = this.updateSuspendCondition(job, now);
    }
    const needsUpdate = suspendChanged || active !== (status.active ?? 0) || st.ready !== status.ready || st.terminating !== status.terminating;
    status.active = active;
    status.ready = st.ready;
    status.terminating = st.terminating;
    await this.tracker.track(st, needsUpdate);
    if (manageError) throw manageError;
    return requeueAfterMs !== undefined ? { requeueAfterMs: Math.max(requeueAfterMs, 1000) } : undefined;
  }

  private async claimPods(job: Job): Promise<readonly P[]> {
    const { deps } = this;
    const ns = job.metadata.namespace as string;
    if (!job.spec?.selector) return [];
    return claimChildren({
      owner: job,
      ownerType: JOB_OWNER,
      selector: fromLabelSelector(job.spec.selector as never),
      children: ownedOrOrphans(deps.pods, job),
      client: deps.client.pods.inNamespace(ns),
      getOwnerFresh: () => deps.client.jobs.inNamespace(ns).get(job.metadata.name as string),
    });
  }

  /** Pods that finished since the status was written and are not yet in uncountedTerminatedPods (upstream getNewFinishedPods). */
  private newlyFinished(st: SyncState): { newSucceeded: P[]; newFailed: P[] } {
    const { job } = st;
    const completions = job.spec?.completions ?? 0;
    const valid = st.pods.filter((p) => {
      const uid = p.metadata.uid as string;
      if (!hasTrackingFinalizer(p) || st.expectedRm.has(uid)) return false;
      if (isIndexed(job)) {
        const ix = completionIndex(p);
        if (ix === undefined || ix >= completions) return false;
      }
      return true;
    });
    return {
      newSucceeded: valid.filter((p) => p.status?.phase === 'Succeeded' && !st.uncounted.succeeded.has(p.metadata.uid as string)),
      newFailed: valid.filter((p) => isPodFailed(p, job) && !st.uncounted.failed.has(p.metadata.uid as string)),
    };
  }

  /** Upstream manageJob: delete all pods of a suspended Job, or extra pods, or create missing ones after the back-off. */
  private async manageJob(st: SyncState, activePods: P[], succeeded: number, ctx: ReconcileContext): Promise<{ active: number; error?: unknown; requeueAfterMs?: number }> {
    const { deps } = this;
    const { job, key } = st;
    let active = activePods.length;
    if (job.spec?.suspend) {
      deps.expectations.expect(key, 0, active);
      const { deleted, deletedReady, error } = await this.deletePods(job, activePods, true);
      st.terminating += deleted;
      st.ready -= deletedReady;
      return { active: active - deleted, error };
    }
    const plan = planPods({ job, activePods, succeeded, succeededIndexes: st.succeededIndexes, failedIndexes: st.failedIndexes, terminating: job.spec?.podReplacementPolicy === 'Failed' || job.spec?.podFailurePolicy ? st.terminating : 0 });
    if (plan.action === 'delete') {
      deps.expectations.expect(key, 0, plan.pods.length);
      const { deleted, deletedReady, error } = await this.deletePods(job, plan.pods, true);
      st.terminating += deleted;
      st.ready -= deletedReady;
      return { active: active - deleted, error };
    }
    if (plan.action !== 'create') return { active };
    let indexes = plan.indexes;
    if (hasBackoffLimitPerIndex(job)) {
      // Each index waits out its own back-off.
      const ready = indexesReadyNow(indexes ?? [], st.delayedDeletion, st.now, deps.podFailureBackoffMs, deps.maxPodFailureBackoffMs);
      if (!ready.ready.length) return { active, requeueAfterMs: ready.waitMs || undefined };
      indexes = ready.ready;
    } else {
      const wait = remainingBackoffMs(st.backoff, st.now, deps.podFailureBackoffMs, deps.maxPodFailureBackoffMs);
      if (wait > 0) return { active, requeueAfterMs: wait };
    }
    const ns = job.metadata.namespace as string;
    const perIndex = hasBackoffLimitPerIndex(job);
    const templates = indexes ? indexes.map((i) => podForJob(job, i, perIndex ? indexFailureAnnotations(job, st.delayedDeletion.get(i)) : undefined)) : Array.from({ length: plan.count }, () => podForJob(job));
    deps.expectations.expect(key, templates.length, 0);
    let error: unknown;
    // Slow start as upstream: batches of 1, 2, 4 … stopping at the first failed batch.
    for (let start = 0, size = 1; start < templates.length; start += size, size *= 2) {
      const batch = templates.slice(start, start + size);
      const results = await Promise.allSettled(batch.map((pod) => deps.client.pods.inNamespace(ns).create(pod)));
      for (const r of results) {
        if (r.status === 'fulfilled') {
          active++;
          deps.recorder.event(job, 'Normal', 'SuccessfulCreate', `Created pod: ${r.value.metadata.name}`);
        } else {
          deps.expectations.creationObserved(key);
          error ??= r.reason;
          deps.recorder.event(job, 'Warning', 'FailedCreate', `Error creating: ${(r.reason as Error).message}`);
        }
      }
      if (error) {
        for (let i = start + batch.length; i < templates.length; i++) deps.expectations.creationObserved(key);
        ctx.log.warn({ err: error }, 'creating pods failed');
        break;
      }
    }
    return { active, error };
  }

  /**
   * Deletes pods (DELETE keeps the tracking finalizer, which trackStatus removes once the pod is
   * counted); `removeFinalizerFirst` as upstream deleteJobPods for suspended and extra pods.
   */
  private async deletePods(job: Job, pods: readonly P[], removeFinalizerFirst: boolean): Promise<{ deleted: number; deletedReady: number; error?: unknown }> {
    const { deps } = this;
    const key = `${job.metadata.namespace}/${job.metadata.name}`;
    let deleted = 0;
    let deletedReady = 0;
    let error: unknown;
    await Promise.all(pods.map(async (pod) => {
      const client = deps.client.pods.inNamespace(pod.metadata.namespace as string);
      try {
        if (removeFinalizerFirst && hasTrackingFinalizer(pod)) await client.patch(pod.metadata.name as string, TRACKING_PATCH, { type: 'strategic' });
        await client.delete(pod.metadata.name as string);
        deps.recorder.event(job, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`);
      } catch (err) {
        if (removeFinalizerFirst) deps.expectations.deletionObserved(key);
        if (!isNotFound(err)) {
          error ??= err;
          return;
        }
      }
      deleted++;
      if (readyCondition(pod).ready) deletedReady++;
    }));
    return { deleted, deletedReady, error };
  }

  /** Suspended=True "JobSuspended" or False "JobResumed" (resuming restarts startTime); returns whether it changed. */
  private updateSuspendCondition(job: Job, now: number): boolean {
    const status = job.status as JobStatus;
    const suspended = job.spec?.suspend === true;
    const [conditions, changed] = suspended
      ? ensureCondition(status.conditions ?? [], 'Suspended', 'True', 'JobSuspended', 'Job suspended', now)
      : ensureCondition(status.conditions ?? [], 'Suspended', 'False', 'JobResumed', 'Job resumed', now);
    if (!changed) return false;
    status.conditions = conditions;
    this.deps.recorder.event(job, 'Normal', suspended ? 'Suspended' : 'Resumed', suspended ? 'Job suspended' : 'Job resumed');
    if (!suspended) status.startTime = rfc3339(now);
    return true;
  }
}
