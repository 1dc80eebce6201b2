import { describe, expect, it } from 'vitest';
import { type CronJob, cronJobResource } from './cronjob.ts';
import { parseCronSchedule } from './cron-schedule.ts';
import { goDurationMs } from './go-duration.ts';
import { cronJobPrinter } from '../../printers/batch.ts';

function created(spec: Record<string, unknown>, name = 'hello'): CronJob {
  const cj = cronJobResource.schema.parse({ apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name, namespace: 'default', uid: 'u' }, spec }) as CronJob;
  cronJobResource.prepareForCreate!(cj);
  cronJobResource.applyDefaults(cj);
  return cj;
}

const jobTemplate = (spec: Record<string, unknown> = {}, podSpec: Record<string, unknown> = {}) => ({
  spec: { template: { spec: { containers: [{ name: 'hello', image: 'busybox' }], restartPolicy: 'OnFailure', ...podSpec } }, ...spec },
});
const errors = (cj: CronJob, old?: CronJob) => cronJobResource.validate(cj, old).map((e) => `${e.field}: ${e.detail}`);

describe('CronJob defaults and validation', () => {
  it('defaults as SetDefaults_CronJob (the job template keeps no Job defaults, only pod defaults)', () => {
    const cj = created({ schedule: '*/1 * * * *', jobTemplate: jobTemplate() });
    expect(cj.spec).toMatchObject({ concurrencyPolicy: 'Allow', suspend: false, successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1 });
    expect(cj.spec?.jobTemplate?.spec?.backoffLimit).toBeUndefined();
    expect(cj.spec?.jobTemplate?.spec?.template?.spec).toMatchObject({ dnsPolicy: 'ClusterFirst', terminationGracePeriodSeconds: 30 });
    expect(errors(cj)).toEqual([]);
  });

  it.each([
    [{ schedule: '' }, 'spec.schedule: Required value'],
    [{ schedule: '* * *' }, 'spec.schedule: Invalid value: "* * *": expected exactly 5 fields, found 3: [* * *]'],
    [{ schedule: '61 * * * *' }, 'spec.schedule: Invalid value: "61 * * * *": end of range (61) above maximum (59): 61'],
    [{ schedule: 'x * * * *' }, 'spec.schedule: Invalid value: "x * * * *": failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax'],
    [{ schedule: '@fortnightly' }, 'spec.schedule: Invalid value: "@fortnightly": unrecognized descriptor: @fortnightly'],
    [{ schedule: 'TZ=UTC 0 * * * *' }, 'spec.schedule: Invalid value: "TZ=UTC 0 * * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field instead'],
    [{ schedule: '0 * * * *', timeZone: 'Mars/Olympus' }, 'spec.timeZone: Invalid value: "Mars/Olympus": unknown time zone Mars/Olympus'],
    [{ schedule: '0 * * * *', timeZone: 'Local' }, 'spec.timeZone: Invalid value: "Local": timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones'],
    [{ schedule: '0 * * * *', timeZone: '' }, 'spec.timeZone: Invalid value: "": timeZone must be nil or non-empty string'],
    [{ schedule: '0 * * * *', concurrencyPolicy: 'Sometimes' }, 'spec.concurrencyPolicy: Unsupported value: "Sometimes": supported values: "Allow", "Forbid", "Replace"'],
    [{ schedule: '0 * * * *', startingDeadlineSeconds: -1 }, 'spec.startingDeadlineSeconds: Invalid value: -1: must be greater than or equal to 0'],
    [{ schedule: '0 * * * *', successfulJobsHistoryLimit: -1 }, 'spec.successfulJobsHistoryLimit: Invalid value: -1: must be greater than or equal to 0'],
  ])('%j → %s', (spec, message) => {
    expect(errors(created({ jobTemplate: jobTemplate(), ...spec }))).toContain(message);
  });

  it.each([
    [jobTemplate({}, { restartPolicy: 'Always' }), 'spec.jobTemplate.spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"'],
    [jobTemplate({ selector: { matchLabels: { a: 'b' } } }), 'spec.jobTemplate.spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"a":"b"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: `selector` will be auto-generated'],
    [jobTemplate({ manualSelector: true }), 'spec.jobTemplate.spec.manualSelector: Unsupported value: true: supported values: "nil", "false"'],
    [jobTemplate({ parallelism: -1 }), 'spec.jobTemplate.spec.parallelism: Invalid value: -1: must be greater than or equal to 0'],
  ])('job template %j → %s', (template, message) => {
    expect(errors(created({ schedule: '0 * * * *', jobTemplate: template }))).toContain(message);
  });

  it('limits names to 52 characters on create only, and allows a TZ schedule kept from before', () => {
    const long = 'a'.repeat(53);
    expect(errors(created({ schedule: '0 * * * *', jobTemplate: jobTemplate() }, long))).toEqual([`metadata.name: Invalid value: "${long}": must be no more than 52 characters`]);
    const old = created({ schedule: 'CRON_TZ=UTC 0 * * * *', jobTemplate: jobTemplate() });
    const next = structuredClone(old);
    next.spec!.suspend = true;
    expect(errors(next, old)).toEqual([]);
    next.spec!.timeZone = 'UTC';
    expect(errors(next, old)).toContain('spec.schedule: Invalid value: "CRON_TZ=UTC 0 * * * *": cannot use both timeZone field and TZ or CRON_TZ in schedule');
    expect(errors(created({ schedule: '0 * * * *', timeZone: 'Europe/Berlin', jobTemplate: jobTemplate() }))).toEqual([]);
  });
});

describe('cron schedules (robfig/cron ParseStandard semantics)', () => {
  const at = (iso: string) => Date.parse(iso);
  const next = (spec: string, from: string, tz?: string) => {
    const p = parseCronSchedule(spec, tz);
    if (p.error) throw new Error(p.error);
    const t = p.schedule!.next(at(from));
    return t === undefined ? undefined : new Date(t).toISOString();
  };

  it.each([
    ['*/5 * * * *', '2026-01-01T00:02:30Z', '2026-01-01T00:05:00.000Z'],
    ['* * * * *', '2026-01-01T00:00:00Z', '2026-01-01T00:01:00.000Z'],
    ['30 14 * * *', '2026-01-01T15:00:00Z', '2026-01-02T14:30:00.000Z'],
    ['0 0 * * mon', '2026-01-01T00:00:00Z', '2026-01-05T00:00:00.000Z'],
    ['0 0 1,15 * *', '2026-01-02T00:00:00Z', '2026-01-15T00:00:00.000Z'],
    ['0 0 13 * 5', '2026-01-01T00:00:00Z', '2026-01-02T00:00:00.000Z'],
    ['0 0 */2 * 5', '2026-01-01T00:00:00Z', '2026-01-02T00:00:00.000Z'],
    ['0 0 * jan-mar/2 *', '2026-02-01T00:00:00Z', '2026-03-01T00:00:00.000Z'],
    ['0 0 29 2 *', '2026-01-01T00:00:00Z', '2028-02-29T00:00:00.000Z'],
    ['0 0 30 2 *', '2026-01-01T00:00:00Z', undefined],
    ['@hourly', '2026-01-01T00:30:00Z', '2026-01-01T01:00:00.000Z'],
    ['@daily', '2026-01-01T00:30:00Z', '2026-01-02T00:00:00.000Z'],
    ['@weekly', '2026-01-01T00:00:00Z', '2026-01-04T00:00:00.000Z'],
    ['@monthly', '2026-01-01T00:00:00Z', '2026-02-01T00:00:00.000Z'],
    ['@yearly', '2026-01-01T00:00:00Z', '2027-01-01T00:00:00.000Z'],
    ['@every 90s', '2026-01-01T00:00:00.500Z', '2026-01-01T00:01:30.000Z'],
  ])('%s after %s → %s', (spec, from, expected) => {
    expect(next(spec, from)).toBe(expected);
  });

  it('uses the time zone of the schedule, including daylight saving time', () => {
    expect(next('0 9 * * *', '2026-01-01T00:00:00Z', 'Asia/Tokyo')).toBe('2026-01-02T00:00:00.000Z');
    expect(next('CRON_TZ=America/New_York 0 9 * * *', '2026-01-01T00:00:00Z')).toBe('2026-01-01T14:00:00.000Z');
    expect(next('TZ=America/New_York 0 9 * * *', '2026-07-01T00:00:00Z')).toBe('2026-07-01T13:00:00.000Z');
    expect(next('0 0 * * *', '2026-03-07T12:00:00Z', 'America/New_York')).toBe('2026-03-08T05:00:00.000Z');
    expect(next('0 3 * * *', '2026-03-08T05:00:00Z', 'America/New_York')).toBe('2026-03-08T07:00:00.000Z');
  });

  it.each([
    ['', 'empty spec string'],
    ['1-2-3 * * * *', 'too many hyphens: 1-2-3'],
    ['*/0 * * * *', 'step of range should be a positive number: */0'],
    ['5-1 * * * *', 'beginning of range (5) beyond end of range (1): 5-1'],
    ['* * 0 * *', 'beginning of range (0) below minimum (1): 0'],
    ['* * * * 7', 'end of range (7) above maximum (6): 7'],
    ['* * * * * *', 'expected exactly 5 fields, found 6: [* * * * * *]'],
    ['@every 5x', 'failed to parse duration @every 5x: time: unknown unit "x" in duration "5x"'],
    ['CRON_TZ=Nowhere/Land * * * * *', 'provided bad location Nowhere/Land: unknown time zone Nowhere/Land'],
  ])('%j → %s', (spec, message) => {
    expect(parseCronSchedule(spec).error).toBe(message);
  });

  it('parses Go durations', () => {
    expect(goDurationMs('1h30m')).toBe(5_400_000);
    expect(goDurationMs('1.5s')).toBe(1500);
    expect(goDurationMs('10')).toBe('time: missing unit in duration "10"');
  });
});

describe('kubectl get cronjobs columns', () => {
  it('prints SCHEDULE, TIMEZONE, SUSPEND, ACTIVE, LAST SCHEDULE, AGE and the wide columns', () => {
    const now = new Date('2026-11-22T12:00:00Z');
    const cj = created({ schedule: '*/1 * * * *', jobTemplate: jobTemplate() });
    cj.metadata.creationTimestamp = '2026-11-22T11:50:00Z';
    expect(cronJobPrinter.row(cj, now)).toEqual(['hello', '*/1 * * * *', '<none>', 'False', 0, '<none>', '10m', 'hello', 'busybox', '<none>']);
    cj.spec!.timeZone = 'Etc/UTC';
    cj.status = { active: [{ name: 'hello-1' }], lastScheduleTime: '2026-11-22T11:59:00Z' };
    expect(cronJobPrinter.row(cj, now).slice(0, 7)).toEqual(['hello', '*/1 * * * *', 'Etc/UTC', 'False', 1, '60s', '10m']);
    expect(cronJobPrinter.columns.map((c) => c.name)).toEqual(['Name', 'Schedule', 'Timezone', 'Suspend', 'Active', 'Last Schedule', 'Age', 'Containers', 'Images', 'Selector']);
  });
});
