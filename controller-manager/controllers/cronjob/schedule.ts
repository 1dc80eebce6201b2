/**
 * The cronjob controller's time arithmetic (upstream cronjob/utils.go): the most recent unmet
 * schedule time, how long until the next one, the effective schedule text with its time zone, and
 * the Job a CronJob creates for a scheduled time. Pure.
 */
import { CRONJOB_SCHEDULED_TIMESTAMP, type CronJob } from '../../../pkg/api/batch/v1/cronjob.ts';
import { formatRFC3339In, type CronSchedule } from '../../../pkg/api/batch/v1/cron-schedule.ts';
import type { Job } from '../../../pkg/api/batch/v1/job.ts';
import type { DeepReadonly } from '../../../pkg/informer/index.ts';
import { newControllerRef } from '../../../pkg/runtime/index.ts';
import { copyJson } from '../../../pkg/util/json-copy.ts';

type CJ = CronJob | DeepReadonly<CronJob>;

/** Upstream nextScheduleDelta: requeue 100 ms after the next schedule time (clock skew). */
export const NEXT_SCHEDULE_DELTA_MS = 100;
/** More missed start times than this warn TooManyMissedTimes. */
export const MANY_MISSED = 100;

/** How many start times were missed: none, up to 100, more than 100 (upstream missedSchedulesType). */
export type Missed = 'none' | 'few' | 'many';

/** The answer of {@link mostRecentScheduleTime}. */
export interface MostRecent {
  /** lastScheduleTime, or the creation time, possibly raised to now − startingDeadlineSeconds. */
  earliest: number;
  /** The most recent schedule time at or before now, if any. */
  mostRecent?: number;
  missed: Missed;
  /** The schedule makes no sense (e.g. `0 0 30 2 *`): upstream's InvalidSchedule. */
  error?: string;
}

/** Upstream mostRecentScheduleTime. */
export function mostRecentScheduleTime(cj: CJ, nowMs: number, schedule: CronSchedule, includeStartingDeadline: boolean): MostRecent {
  let earliest = Date.parse(cj.status?.lastScheduleTime ?? cj.metadata.creationTimestamp ?? '') || 0;
  const deadline = cj.spec?.startingDeadlineSeconds;
  if (includeStartingDeadline && deadline !== undefined) earliest = Math.max(earliest, nowMs - deadline * 1000);
  const t1 = schedule.next(earliest);
  const t2 = t1 === undefined ? undefined : schedule.next(t1);
  if (t1 !== undefined && nowMs < t1) return { earliest, missed: 'none' };
  if (t1 !== undefined && t2 !== undefined && nowMs < t2) return { earliest, mostRecent: t1, missed: 'none' };
  const between = t1 === undefined || t2 === undefined ? 0 : Math.round((t2 - t1) / 1000);
  if (between < 1) return { earliest, missed: 'none', error: 'time difference between two schedules is less than 1 second' };
  const t1s = t1 as number;
  const missedCount = Math.floor(Math.floor((nowMs - t1s) / 1000) / between) + 1;
  let mostRecent: number | undefined;
  for (let t = schedule.next(t1s + (missedCount - 2) * between * 1000); t !== undefined && t <= nowMs; t = schedule.next(t)) mostRecent = t;
  const missed: Missed = missedCount > MANY_MISSED ? 'many' : missedCount > 0 ? 'few' : 'none';
  return mostRecent === undefined ? { earliest, missed } : { earliest, mostRecent, missed };
}

/** Upstream nextScheduleTimeDuration: ms until the next schedule time after the most recent one (+100 ms). */
export function nextScheduleDelay(cj: CJ, nowMs: number, schedule: CronSchedule): number | undefined {
  const r = mostRecentScheduleTime(cj, nowMs, schedule, false);
  const from = r.error ? nowMs : (r.mostRecent ?? (r.missed === 'none' ? r.earliest : nowMs));
  const next = schedule.next(from);
  return next === undefined ? undefined : next + NEXT_SCHEDULE_DELTA_MS - nowMs;
}

/** Upstream formatSchedule: the spec's schedule, prefixed `TZ=<timeZone>` when the field is set. */
export function effectiveSchedule(cj: CJ): string {
  const schedule = cj.spec?.schedule ?? '';
  if (schedule.includes('TZ')) return schedule;
  return cj.spec?.timeZone ? `TZ=${cj.spec.timeZone} ${schedule}` : schedule;
}

/** `<cronjob>-<scheduled time in minutes since the epoch>` (upstream getJobName). */
export function jobName(cj: CJ, scheduledMs: number): string {
  return `${cj.metadata.name}-${Math.floor(scheduledMs / 60_000)}`;
}

/** Upstream getJobFromTemplate2: the template's labels, annotations and spec, the scheduled-timestamp annotation, a controller reference. */
export function jobFromTemplate(cj: CJ, scheduledMs: number): Job {
  const template = copyJson(cj.spec?.jobTemplate ?? {}) as NonNullable<NonNullable<CronJob['spec']>['jobTemplate']>;
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: jobName(cj, scheduledMs),
      namespace: cj.metadata.namespace,
      labels: { ...(template.metadata?.labels ?? {}) },
      annotations: { ...(template.metadata?.annotations ?? {}), [CRONJOB_SCHEDULED_TIMESTAMP]: formatRFC3339In(scheduledMs, cj.spec?.timeZone) },
      ownerReferences: [newControllerRef(cj, { apiVersion: 'batch/v1', kind: 'CronJob' })],
    },
    spec: template.spec ?? {},
  } as Job;
}

/** Go's time.RFC1123Z in UTC: `Mon, 02 Jan 2006 15:04:05 +0000` (the MissSchedule event). */
export function rfc1123z(ms: number): string {
  const d = new Date(ms);
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${days[d.getUTCDay()]}, ${pad(d.getUTCDate())} ${months[d.getUTCMonth()]} ${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}

/** Oldest first by status.startTime (Jobs without one last), name as tie breaker (upstream byJobStartTime). */
export function byStartTime(a: DeepReadonly<Job>, b: DeepReadonly<Job>): number {
  const sa = a.status?.startTime;
  const sb = b.status?.startTime;
  if (!sa && sb) return 1;
  if (sa && !sb) return -1;
  if (sa === sb || (!sa && !sb)) return (a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1;
  return Date.parse(sa!) - Date.parse(sb!);
}

/** The finished condition type of a Job (Complete or Failed, True), if any. */
export function finishedCondition(job: DeepReadonly<Job>): 'Complete' | 'Failed' | undefined {
  const c = job.status?.conditions?.find((x) => (x.type === 'Complete' || x.type === 'Failed') && x.status === 'True');
  return c?.type as 'Complete' | 'Failed' | undefined;
}
