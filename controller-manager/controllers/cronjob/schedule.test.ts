import { describe, expect, it } from 'vitest';
import type { CronJob } from '../../../pkg/api/batch/v1/cronjob.ts';
import { parseCronSchedule } from '../../../pkg/api/batch/v1/cron-schedule.ts';
import { effectiveSchedule, jobFromTemplate, jobName, mostRecentScheduleTime, nextScheduleDelay, rfc1123z } from './schedule.ts';

const at = (iso: string) => Date.parse(iso);
const cj = (spec: Record<string, unknown>, status: Record<string, unknown> = {}): CronJob =>
  ({ metadata: { name: 'hello', namespace: 'ns', uid: 'cj-uid', creationTimestamp: '2026-01-01T00:00:30Z' }, spec: { schedule: '*/1 * * * *', ...spec }, status }) as CronJob;
const every = (spec: string) => parseCronSchedule(spec).schedule!;

describe('mostRecentScheduleTime', () => {
  it.each([
    ['before the first schedule', cj({}), '2026-01-01T00:00:50Z', { mostRecent: undefined, missed: 'none' }],
    ['the first schedule passed', cj({}), '2026-01-01T00:01:10Z', { mostRecent: at('2026-01-01T00:01:00Z'), missed: 'none' }],
    ['three missed', cj({}), '2026-01-01T00:03:10Z', { mostRecent: at('2026-01-01T00:03:00Z'), missed: 'few' }],
    ['after lastScheduleTime', cj({}, { lastScheduleTime: '2026-01-01T00:05:00Z' }), '2026-01-01T00:05:30Z', { mostRecent: undefined, missed: 'none' }],
    ['more than 100 missed', cj({}), '2026-01-01T02:00:10Z', { mostRecent: at('2026-01-01T02:00:00Z'), missed: 'many' }],
    ['startingDeadlineSeconds hides old ones', cj({ startingDeadlineSeconds: 10 }), '2026-01-01T00:03:30Z', { mostRecent: undefined, missed: 'none' }],
    ['startingDeadlineSeconds keeps a recent one', cj({ startingDeadlineSeconds: 60 }), '2026-01-01T00:03:30Z', { mostRecent: at('2026-01-01T00:03:00Z'), missed: 'none' }],
  ])('%s', (_name, c, now, expected) => {
    const r = mostRecentScheduleTime(c, at(now), every(c.spec!.schedule!), true);
    expect({ mostRecent: r.mostRecent, missed: r.missed }).toEqual(expected);
  });

  it('reports a schedule that never fires', () => {
    expect(mostRecentScheduleTime(cj({ schedule: '0 0 30 2 *' }), at('2026-01-01T00:03:30Z'), every('0 0 30 2 *'), true).error).toBe('time difference between two schedules is less than 1 second');
  });

  it('requeues 100 ms after the next schedule time', () => {
    expect(nextScheduleDelay(cj({}), at('2026-01-01T00:00:40Z'), every('*/1 * * * *'))).toBe(20_100);
    expect(nextScheduleDelay(cj({}, { lastScheduleTime: '2026-01-01T00:01:00Z' }), at('2026-01-01T00:01:00.500Z'), every('*/1 * * * *'))).toBe(59_600);
  });
});

describe('the Job of a schedule time', () => {
  it('is named <cronjob>-<minutes since the epoch>, owned, annotated with the scheduled time in the CronJob time zone', () => {
    const t = at('2026-01-01T00:05:00Z');
    const job = jobFromTemplate(cj({ jobTemplate: { metadata: { labels: { app: 'a' }, annotations: { note: 'x' } }, spec: { backoffLimit: 2 } } }), t);
    expect(job.metadata).toMatchObject({
      name: `hello-${t / 60_000}`,
      labels: { app: 'a' },
      annotations: { note: 'x', 'batch.kubernetes.io/cronjob-scheduled-timestamp': '2026-01-01T00:05:00Z' },
      ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'hello', uid: 'cj-uid', controller: true, blockOwnerDeletion: true }],
    });
    expect(job.spec).toEqual({ backoffLimit: 2 });
    expect(jobFromTemplate(cj({ timeZone: 'Asia/Tokyo' }), t).metadata.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp']).toBe('2026-01-01T09:05:00+09:00');
    expect(jobName(cj({}), t + 59_000)).toBe(`hello-${t / 60_000}`);
  });

  it.each([
    [{ schedule: '0 * * * *' }, '0 * * * *'],
    [{ schedule: '0 * * * *', timeZone: 'Europe/Paris' }, 'TZ=Europe/Paris 0 * * * *'],
    [{ schedule: 'CRON_TZ=UTC 0 * * * *', timeZone: 'Europe/Paris' }, 'CRON_TZ=UTC 0 * * * *'],
  ])('effective schedule of %j is %s', (spec, expected) => {
    expect(effectiveSchedule(cj(spec))).toBe(expected);
  });

  it('formats MissSchedule times as Go RFC1123Z', () => {
    expect(rfc1123z(at('2026-01-02T03:04:05Z'))).toBe('Fri, 02 Jan 2026 03:04:05 +0000');
  });
});
