/**
 * The cronjob controller against the in-process API server, on an injected manual clock: each
 * test steps the clock to schedule times instead of waiting minutes. No job controller runs: the
 * test writes the Job conditions itself.
 */
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CronJob } from '../../../pkg/api/batch/v1/cronjob.ts';
import type { Job } from '../../../pkg/api/batch/v1/job.ts';
import { Manager } from '../../../pkg/runtime/index.ts';
import { startTestControlPlane, type TestControlPlane } from '../../../pkg/testing/control-plane.ts';
import { waitFor } from '../../../pkg/testing/wait.ts';
import { FakeClock } from '../../../pkg/workqueue/index.ts';
import { DEFAULT_SETTINGS } from '../types.ts';
import { cronJobController } from './index.ts';

let cp: TestControlPlane;
const NS = 'cronjob-test';
const cronJobs = () => cp.client.cronJobs.inNamespace(NS);
const jobs = () => cp.client.jobs.inNamespace(NS);

let stopCurrent: (() => Promise<void>) | undefined;

/** A cronjob controller on its own manual clock, started at the current time (stopped after the test). */
async function startController(): Promise<FakeClock> {
  const clock = new FakeClock(Date.now());
  const manager = new Manager({ client: cp.client, clock, logger: pino({ level: 'silent' }) });
  cronJobController.register({ manager, settings: { ...DEFAULT_SETTINGS, localTimeZone: 'UTC' } });
  const stop = new AbortController();
  const running = manager.start(stop.signal).catch(() => {});
  stopCurrent = async () => {
    stop.abort();
    await running;
  };
  return clock;
}

/** Polls; each poll also moves the manual clock 5 ms so rate-limited retries are not stuck. */
function until<T>(clock: FakeClock, what: string, fn: () => Promise<T | undefined | false>): Promise<T> {
  return waitFor(what, async () => {
    clock.step(5);
    return fn();
  }, { timeoutMs: 15_000, intervalMs: 50 });
}

/** Moves the clock just past the next whole minute (+ `extraMs`). */
function toNextMinute(clock: FakeClock, extraMs = 1000): number {
  const minute = Math.floor(clock.now() / 60_000) * 60_000 + 60_000;
  clock.setTime(minute + extraMs);
  return minute;
}

function cronJob(name: string, spec: Record<string, unknown> = {}): CronJob {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name },
    spec: {
      schedule: '*/1 * * * *',
      jobTemplate: { metadata: { labels: { app: name } }, spec: { template: { spec: { containers: [{ name: 'c', image: 'busybox' }], restartPolicy: 'OnFailure' } } } },
      ...spec,
    },
  } as CronJob;
}

const childJobs = async (cj: string) => (await jobs().list()).items.filter((j) => j.metadata.ownerReferences?.[0]?.name === cj && !j.metadata.deletionTimestamp).map((j) => j.metadata.name).sort();
const events = async (name: string) => (await cp.client.events.inNamespace(NS).list()).items.filter((e) => e.involvedObject?.name === name);

async function complete(name: string, type: 'Complete' | 'Failed' = 'Complete', startTime?: string): Promise<void> {
  const job = await jobs().get(name);
  const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  const cond = { status: 'True', lastProbeTime: now, lastTransitionTime: now };
  const conditions = type === 'Complete'
    ? [{ type: 'SuccessCriteriaMet', ...cond }, { type: 'Complete', ...cond }]
    : [{ type: 'FailureTarget', ...cond }, { type: 'Failed', ...cond }];
  await jobs().updateStatus({ ...job, status: { startTime: startTime ?? now, ...(type === 'Complete' ? { completionTime: now, succeeded: 1 } : { failed: 1 }), conditions } } as Job);
}

beforeAll(async () => {
  cp = await startTestControlPlane();
  await cp.client.namespaces.create({ metadata: { name: NS } });
});
afterEach(async () => {
  await stopCurrent?.();
  stopCurrent = undefined;
});
afterAll(() => cp?.stop());

describe('cronjob controller', () => {
  it('creates <cronjob>-<minutes> at the schedule time, tracks it as active, then as last successful', async () => {
    const clock = await startController();
    await cronJobs().create(cronJob('hello'));
    const minute = toNextMinute(clock);
    const name = `hello-${minute / 60_000}`;
    await until(clock, 'the scheduled Job', async () => (await childJobs('hello')).includes(name));
    const job = await jobs().get(name);
    const cj = await cronJobs().get('hello');
    expect(job.metadata.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp']).toBe(new Date(minute).toISOString().replace('.000Z', 'Z'));
    expect(job.metadata.labels).toEqual({ app: 'hello' });
    expect(job.spec?.template?.metadata?.labels).toMatchObject({ 'batch.kubernetes.io/job-name': name });
    expect(job.metadata.ownerReferences).toEqual([{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'hello', uid: cj.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    await until(clock, 'status.active', async () => (await cronJobs().get('hello')).status?.active?.[0]?.name === name);
    expect((await cronJobs().get('hello')).status).toMatchObject({ lastScheduleTime: new Date(minute).toISOString().replace('.000Z', 'Z'), active: [{ kind: 'Job', name, namespace: NS, apiVersion: 'batch/v1', uid: job.metadata.uid }] });
    expect((await events('hello')).find((e) => e.reason === 'SuccessfulCreate')).toMatchObject({ message: `Created job ${name}`, source: { component: 'cronjob-controller' } });
    await complete(name);
    await until(clock, 'lastSuccessfulTime', async () => {
      const s = (await cronJobs().get('hello')).status;
      return !s?.active?.length && s?.lastSuccessfulTime;
    });
    expect((await events('hello')).find((e) => e.reason === 'SawCompletedJob')?.message).toBe(`Saw completed job: ${name}, condition: Complete`);
    await cronJobs().patch('hello', { spec: { suspend: true } }, { type: 'merge' });
  });

  it('Forbid skips a schedule while a Job runs; Replace deletes the running Job first', async () => {
    const clock = await startController();
    await cronJobs().create(cronJob('forbid', { concurrencyPolicy: 'Forbid' }));
    await cronJobs().create(cronJob('replace', { concurrencyPolicy: 'Replace' }));
    const first = toNextMinute(clock);
    await until(clock, 'first Jobs', async () => (await childJobs('forbid')).length === 1 && (await childJobs('replace')).length === 1);
    await until(clock, 'both active', async () => (await cronJobs().get('forbid')).status?.active?.length === 1 && (await cronJobs().get('replace')).status?.active?.length === 1);
    const second = toNextMinute(clock);
    await until(clock, 'replaced', async () => JSON.stringify(await childJobs('replace')) === JSON.stringify([`replace-${second / 60_000}`]));
    await until(clock, 'JobAlreadyActive', async () => (await events('forbid')).some((e) => e.reason === 'JobAlreadyActive'));
    expect(await childJobs('forbid')).toEqual([`forbid-${first / 60_000}`]);
    expect((await events('replace')).find((e) => e.reason === 'SuccessfulDelete')?.message).toBe(`Deleted job replace-${first / 60_000}`);
    await until(clock, 'replace active is the new Job', async () => (await cronJobs().get('replace')).status?.active?.map((r) => r.name).join() === `replace-${second / 60_000}`);
    await cronJobs().patch('forbid', { spec: { suspend: true } }, { type: 'merge' });
    await cronJobs().patch('replace', { spec: { suspend: true } }, { type: 'merge' });
  });

  it('keeps successfulJobsHistoryLimit finished Jobs, deleting the oldest', async () => {
    const clock = await startController();
    await cronJobs().create(cronJob('history', { successfulJobsHistoryLimit: 1, failedJobsHistoryLimit: 1 }));
    const names: string[] = [];
    for (let i = 0; i < 3; i++) {
      const minute = toNextMinute(clock);
      const name = `history-${minute / 60_000}`;
      names.push(name);
      await until(clock, `Job ${i}`, async () => (await childJobs('history')).includes(name));
      await complete(name, 'Complete', new Date(minute).toISOString().replace('.000Z', 'Z'));
    }
    await until(clock, 'only the newest finished Job left', async () => JSON.stringify(await childJobs('history')) === JSON.stringify([names[2]]));
    expect((await events('history')).filter((e) => e.reason === 'SuccessfulDelete').map((e) => e.message).sort()).toEqual([`Deleted job ${names[0]}`, `Deleted job ${names[1]}`]);
    await cronJobs().patch('history', { spec: { suspend: true } }, { type: 'merge' });
  });

  it('after more than 100 missed start times warns TooManyMissedTimes and starts only the most recent', async () => {
    const clock = await startController();
    await cronJobs().create(cronJob('missed', { suspend: true }));
    await new Promise((r) => setTimeout(r, 200));
    clock.step(102 * 60_000);
    await cronJobs().patch('missed', { spec: { suspend: false } }, { type: 'merge' });
    const latest = Math.floor(clock.now() / 60_000);
    await until(clock, 'one Job', async () => (await childJobs('missed')).length === 1);
    expect(await childJobs('missed')).toEqual([`missed-${latest}`]);
    expect((await events('missed')).find((e) => e.reason === 'TooManyMissedTimes')?.message).toBe('too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew');
    await cronJobs().patch('missed', { spec: { suspend: true } }, { type: 'merge' });
  });

  it('startingDeadlineSeconds: a start more than that late is skipped', async () => {
    const clock = await startController();
    await cronJobs().create(cronJob('deadline', { startingDeadlineSeconds: 10 }));
    await new Promise((r) => setTimeout(r, 200));
    toNextMinute(clock, 30_000);
    await new Promise((r) => setTimeout(r, 500));
    expect(await childJobs('deadline')).toEqual([]);
    const minute = toNextMinute(clock, 2000);
    await until(clock, 'the on-time Job', async () => (await childJobs('deadline')).includes(`deadline-${minute / 60_000}`));
  });
});
