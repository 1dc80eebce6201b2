/**
 * The CronJob reconciler (upstream cronjob controller v2 `sync`): removes finished Jobs beyond
 * the history limits, keeps `status.active` in step with the Jobs, and at each schedule time
 * creates `<cronjob>-<minutes>` (concurrencyPolicy Allow / Forbid / Replace, startingDeadlineSeconds,
 * the too-many-missed-start-times warning), then asks to be requeued at the next schedule time.
 * The status is written once per sync. Events as upstream (SuccessfulCreate "Created job x",
 * SawCompletedJob, SuccessfulDelete "Deleted job x", JobAlreadyActive, UnexpectedJob, MissingJob,
 * MissSchedule, TooManyMissedTimes, UnparseableSchedule, InvalidSchedule, UnknownTimeZone).
 */
import type { CronJob } from '../../../pkg/api/batch/v1/cronjob.ts';
import { isKnownTimeZone, parseCronSchedule } from '../../../pkg/api/batch/v1/cron-schedule.ts';
import type { Job } from '../../../pkg/api/batch/v1/job.ts';
import type { ObjectReference } from '../../../pkg/api/core/v1/common.ts';
import type { Client } from '../../../pkg/client/index.ts';
import { isAlreadyExists, isNotFound } from '../../../pkg/errors/index.ts';
import type { DeepReadonly, Lister } from '../../../pkg/informer/index.ts';
import { controllerRefOf, type EventRecorder, type ReconcileContext, type ReconcileRequest, type Reconciler, type Result } from '../../../pkg/runtime/index.ts';
import type { Clock } from '../../../pkg/workqueue/index.ts';
import { copyJson } from '../../../pkg/util/json-copy.ts';
import { byStartTime, effectiveSchedule, finishedCondition, jobFromTemplate, jobName, mostRecentScheduleTime, nextScheduleDelay, rfc1123z } from './schedule.ts';

/** Dependencies of {@link CronJobReconciler}. */
export interface CronJobReconcilerDeps {
  client: Client;
  cronJobs: Lister<CronJob>;
  jobs: Lister<Job>;
  recorder: EventRecorder;
  clock: Clock;
  /** Go's time.Local: the zone of schedules without a time zone (default: this process's). */
  localTimeZone?: string;
}

type Status = NonNullable<CronJob['status']>;

function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

function jobRef(job: Job | DeepReadonly<Job>): ObjectReference {
  return { kind: 'Job', namespace: job.metadata.namespace, name: job.metadata.name, uid: job.metadata.uid, apiVersion: 'batch/v1', resourceVersion: job.metadata.resourceVersion };
}

/**
 * Level-based: reads the CronJob and its Jobs from the cache, returns `{ requeueAfterMs }` for the
 * next schedule time; a thrown error (API failure) is retried with the rate limiter's back-off.
 */
export class CronJobReconciler implements Reconciler {
  constructor(private readonly deps: CronJobReconcilerDeps) {}

  async reconcile(req: ReconcileRequest, ctx: ReconcileContext): Promise<Result | void> {
    const shared = this.deps.cronJobs.get(`${req.namespace}/${req.name}`);
    if (!shared) return;
    const jobs = this.deps.jobs.listInNamespace(req.namespace).filter((j) => {
      const ref = controllerRefOf(j);
      return ref?.kind === 'CronJob' && ref.name === req.name;
    });
    let cj = copyJson(shared) as CronJob;
    cj.status ??= {};
    const cleaned = await this.cleanupFinishedJobs(cj, jobs);
    const { requeueAfterMs, updateStatus, error, cronJob } = await this.syncCronJob(cj, jobs, ctx);
    cj = cronJob;
    if (cleaned || updateStatus) {
      const status = cj.status as Status;
      if (status.active?.length === 0) delete status.active;
      await this.deps.client.cronJobs.inNamespace(req.namespace).updateStatus(cj);
    }
    if (requeueAfterMs !== undefined) return { requeueAfterMs: Math.max(requeueAfterMs, 0) };
    if (error) throw error;
  }

  /** Upstream cleanupFinishedJobs / removeOldestJobs. */
  private async cleanupFinishedJobs(cj: CronJob, jobs: readonly DeepReadonly<Job>[]): Promise<boolean> {
    let updated = false;
    for (const [kind, limit] of [['Complete', cj.spec?.successfulJobsHistoryLimit], ['Failed', cj.spec?.failedJobsHistoryLimit]] as const) {
      if (limit === undefined) continue;
      const finished = jobs.filter((j) => finishedCondition(j) === kind).sort(byStartTime);
      for (const job of finished.slice(0, Math.max(0, finished.length - limit))) {
        if (await this.deleteJob(cj, job)) updated = true;
      }
    }
    return updated;
  }

  /** Upstream deleteJob: background deletion, then the Job leaves the active list. */
  private async deleteJob(cj: CronJob, job: DeepReadonly<Job>): Promise<boolean> {
    try {
      await this.deps.client.jobs.inNamespace(job.metadata.namespace as string).delete(job.metadata.name as string, { propagationPolicy: 'Background' });
    } catch (err) {
      if (!isNotFound(err)) {
        this.deps.recorder.event(cj, 'Warning', 'FailedDelete', `Deleted job: ${(err as Error).message}`);
        return false;
      }
    }
    const status = cj.status as Status;
    status.active = (status.active ?? []).filter((r) => r.uid !== job.metadata.uid);
    this.deps.recorder.event(cj, 'Normal', 'SuccessfulDelete', `Deleted job ${job.metadata.name}`);
    return true;
  }

  private async syncCronJob(cjIn: CronJob, jobs: readonly DeepReadonly<Job>[], ctx: ReconcileContext): Promise<{ requeueAfterMs?: number; updateStatus: boolean; error?: unknown; cronJob: CronJob }> {
    const { deps } = this;
    let cj = cjIn;
    const now = deps.clock.now();
    let updateStatus = false;
    const done = (extra: { requeueAfterMs?: number; error?: unknown } = {}) => ({ ...extra, updateStatus, cronJob: cj });
    const status = () => cj.status as Status;
    const inActive = (uid: string | undefined) => (status().active ?? []).some((r) => r.uid === uid);
    const children = new Set<string>();
    for (const j of jobs) {
      children.add(j.metadata.uid as string);
      const finished = finishedCondition(j);
      if (!inActive(j.metadata.uid) && !finished) {
        const fresh = (await deps.client.cronJobs.inNamespace(cj.metadata.namespace as string).get(cj.metadata.name as string)) as CronJob;
        if ((fresh.status?.active ?? []).some((r) => r.uid === j.metadata.uid)) {
          cj = { ...fresh, status: fresh.status ?? {} };
          continue;
        }
        deps.recorder.event(cj, 'Warning', 'UnexpectedJob', `Saw a job that the controller did not create or forgot: ${j.metadata.name}`);
      } else if (inActive(j.metadata.uid) && finished) {
        status().active = (status().active ?? []).filter((r) => r.uid !== j.metadata.uid);
        deps.recorder.event(cj, 'Normal', 'SawCompletedJob', `Saw completed job: ${j.metadata.name}, condition: ${finished}`);
        updateStatus = true;
      } else if (finished === 'Complete' && j.status?.completionTime) {
        const last = status().lastSuccessfulTime;
        if (!last || Date.parse(j.status.completionTime) > Date.parse(last)) {
          status().lastSuccessfulTime = j.status.completionTime;
          updateStatus = true;
        }
      }
    }
    for (const ref of [...(status().active ?? [])]) {
      if (children.has(ref.uid as string)) continue;
      try {
        await deps.client.jobs.inNamespace(ref.namespace as string).get(ref.name as string);
      } catch (err) {
        if (!isNotFound(err)) return done({ error: err });
        deps.recorder.event(cj, 'Normal', 'MissingJob', `Active job went missing: ${ref.name}`);
        status().active = (status().active ?? []).filter((r) => r.uid !== ref.uid);
        updateStatus = true;
      }
    }
    if (cj.metadata.deletionTimestamp) return done();
    const timeZone = cj.spec?.timeZone;
    if (timeZone !== undefined && !isKnownTimeZone(timeZone)) {
      deps.recorder.event(cj, 'Warning', 'UnknownTimeZone', `invalid timeZone: ${JSON.stringify(timeZone)}: unknown time zone ${timeZone}`);
      return done();
    }
    if (cj.spec?.suspend) return done();
    if (cj.spec?.schedule?.includes('TZ')) {
      deps.recorder.event(cj, 'Warning', 'UnsupportedSchedule', `CRON_TZ or TZ used in schedule ${JSON.stringify(cj.spec.schedule)} is not officially supported, see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more details`);
    }
    const parsed = parseCronSchedule(effectiveSchedule(cj), deps.localTimeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone);
    if (!parsed.schedule) {
      deps.recorder.event(cj, 'Warning', 'UnparseableSchedule', `unparseable schedule: ${JSON.stringify(cj.spec?.schedule ?? '')} : ${parsed.error}`);
      return done();
    }
    const schedule = parsed.schedule;
    const requeue = () => nextScheduleDelay(cj, now, schedule);
    const recent = mostRecentScheduleTime(cj, now, schedule, true);
    if (recent.mostRecent !== undefined && recent.missed === 'many') {
      deps.recorder.event(cj, 'Warning', 'TooManyMissedTimes', 'too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew');
      ctx.log.info('too many missed times');
    }
    if (recent.error) {
      deps.recorder.event(cj, 'Warning', 'InvalidSchedule', `invalid schedule: ${cj.spec?.schedule} : ${recent.error}`);
      return done();
    }
    const scheduled = recent.mostRecent;
    if (scheduled === undefined) return done({ requeueAfterMs: requeue() });
    const deadline = cj.spec?.startingDeadlineSeconds;
    if (deadline !== undefined && scheduled + deadline * 1000 < now) {
      deps.recorder.event(cj, 'Warning', 'MissSchedule', `Missed scheduled time to start a job: ${rfc1123z(scheduled)}`);
      return done({ requeueAfterMs: requeue() });
    }
    const name = jobName(cj, scheduled);
    const lastScheduled = status().lastScheduleTime;
    if ((status().active ?? []).some((r) => r.name === name) || (lastScheduled !== undefined && Date.parse(lastScheduled) === Math.floor(scheduled / 1000) * 1000)) {
      return done({ requeueAfterMs: requeue() });
    }
    if (cj.spec?.concurrencyPolicy === 'Forbid' && (status().active ?? []).length > 0) {
      deps.recorder.event(cj, 'Normal', 'JobAlreadyActive', 'Not starting job because prior execution is running and concurrency policy is Forbid');
      return done({ requeueAfterMs: requeue() });
    }
    if (cj.spec?.concurrencyPolicy === 'Replace') {
      for (const ref of [...(status().active ?? [])]) {
        let job: Job;
        try {
          job = await deps.client.jobs.inNamespace(ref.namespace as string).get(ref.name as string);
        } catch (err) {
          deps.recorder.event(cj, 'Warning', 'FailedGet', `Get job: ${(err as Error).message}`);
          return done({ error: err });
        }
        if (!(await this.deleteJob(cj, job as DeepReadonly<Job>))) return done({ error: new Error(`could not replace job ${job.metadata.namespace}/${job.metadata.name}`) });
        updateStatus = true;
      }
    }
    let created: Job;
    try {
      created = await deps.client.jobs.inNamespace(cj.metadata.namespace as string).create(jobFromTemplate(cj, scheduled));
      deps.recorder.event(cj, 'Normal', 'SuccessfulCreate', `Created job ${created.metadata.name}`);
    } catch (err) {
      if (!isAlreadyExists(err)) {
        deps.recorder.event(cj, 'Warning', 'FailedCreate', `Error creating job: ${(err as Error).message}`);
        return done({ error: err });
      }
      created = await deps.client.jobs.inNamespace(cj.metadata.namespace as string).get(name);
      const ref = controllerRefOf(created);
      if (ref?.uid !== cj.metadata.uid || inActive(created.metadata.uid)) return done();
    }
    status().active = [...(status().active ?? []), jobRef(created)];
    status().lastScheduleTime = rfc3339(scheduled);
    updateStatus = true;
    return done({ requeueAfterMs: requeue() });
  }
}
