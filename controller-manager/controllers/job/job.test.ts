/**
 * The job controller against the in-process API server with real clients and informers (no
 * kubelet: the test writes the pod phases Succeeded / Failed itself).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '../../../pkg/api/batch/v1/job.ts';
import type { Pod } from '../../../pkg/api/core/v1/pod.ts';
import { startTestControlPlane, type TestControlPlane } from '../../../pkg/testing/control-plane.ts';
import { waitFor } from '../../../pkg/testing/wait.ts';

let cp: TestControlPlane;
const NS = 'job-test';

const until = <T>(what: string, fn: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 15_000): Promise<T> => waitFor(what, fn, { timeoutMs, intervalMs: 50 });
const pods = () => cp.client.pods.inNamespace(NS);
const jobs = () => cp.client.jobs.inNamespace(NS);
const podsOf = async (job: string) => (await pods().list({ labelSelector: `batch.kubernetes.io/job-name=${job}` })).items;
const live = async (job: string) => (await podsOf(job)).filter((p) => !p.metadata.deletionTimestamp && !['Succeeded', 'Failed'].includes(p.status?.phase ?? ''));
const conditions = (job: Job) => (job.status?.conditions ?? []).map((c) => `${c.type}=${c.status}:${c.reason ?? ''}`);

function job(name: string, spec: Record<string, unknown>): Job {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name },
    spec: { template: { spec: { containers: [{ name: 'c', image: 'busybox' }], restartPolicy: 'Never' } }, ...spec },
  } as Job;
}

/** What a kubelet would report for a pod that ran to completion or failed. */
async function finish(pod: Pod, phase: 'Succeeded' | 'Failed'): Promise<void> {
  const at = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  const terminated = { exitCode: phase === 'Succeeded' ? 0 : 1, reason: phase === 'Succeeded' ? 'Completed' : 'Error', finishedAt: at, startedAt: at };
  await pods().patch(pod.metadata.name as string, { status: { phase, containerStatuses: [{ name: 'c', image: 'busybox', imageID: '', ready: false, restartCount: 0, state: { terminated } }] } }, { type: 'merge', subresource: 'status' });
}

async function nLive(name: string, n: number): Promise<Pod[]> {
  return until(`${n} live pods of ${name}`, async () => {
    const items = await live(name);
    return items.length === n && items;
  });
}

beforeAll(async () => {
  cp = await startTestControlPlane({ controllers: ['job', 'garbagecollector'], controllerSettings: { jobPodFailureBackoffMs: 200 } });
  await cp.client.namespaces.create({ metadata: { name: NS } });
});
afterAll(() => cp?.stop());

describe('job controller', () => {
  it('runs 3 completions 2 at a time, counts them through the tracking finalizer and completes', async () => {
    await jobs().create(job('pi', { completions: 3, parallelism: 2 }));
    const first = await nLive('pi', 2);
    const owner = await jobs().get('pi');
    for (const p of first) {
      expect(p.metadata.name).toMatch(/^pi-[a-z0-9]{5}$/);
      expect(p.metadata.ownerReferences).toEqual([{ apiVersion: 'batch/v1', kind: 'Job', name: 'pi', uid: owner.metadata.uid, controller: true, blockOwnerDeletion: true }]);
      expect(p.metadata.finalizers).toEqual(['batch.kubernetes.io/job-tracking']);
      expect(p.metadata.labels).toMatchObject({ 'batch.kubernetes.io/controller-uid': owner.metadata.uid, 'job-name': 'pi' });
    }
    await until('active 2 and a start time', async () => {
      const j = await jobs().get('pi');
      return j.status?.active === 2 && j.status.startTime && j.status.ready === 0 && j.status.terminating === 0;
    });
    await finish(first[0]!, 'Succeeded');
    await finish(first[1]!, 'Succeeded');
    const [third] = await nLive('pi', 1);
    await finish(third!, 'Succeeded');
    const done = await until('Complete', async () => {
      const j = await jobs().get('pi');
      return conditions(j).includes('Complete=True:CompletionsReached') && j;
    });
    expect(conditions(done)).toEqual(['SuccessCriteriaMet=True:CompletionsReached', 'Complete=True:CompletionsReached']);
    expect(done.status?.conditions?.[1]?.message).toBe('Reached expected number of succeeded pods');
    expect(done.status).toMatchObject({ succeeded: 3, ready: 0, terminating: 0, uncountedTerminatedPods: {} });
    expect(done.status?.active).toBeUndefined();
    expect(done.status?.completionTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(Date.parse(done.status?.completionTime as string)).toBeGreaterThanOrEqual(Date.parse(done.status?.startTime as string));
    await until('finalizers removed', async () => (await podsOf('pi')).every((p) => !p.metadata.finalizers?.length));
    expect((await podsOf('pi')).length).toBe(3);
    const events = (await cp.client.events.inNamespace(NS).list()).items.filter((e) => e.involvedObject?.name === 'pi');
    expect(events.filter((e) => e.reason === 'SuccessfulCreate').map((e) => e.message).sort()).toEqual([...first, third!].map((p) => `Created pod: ${p.metadata.name}`).sort());
    expect(events.find((e) => e.reason === 'Completed')).toMatchObject({ message: 'Job completed', type: 'Normal', source: { component: 'job-controller' } });
  });

  it('fails past backoffLimit with BackoffLimitExceeded, after the back-off, and removes the active pods', async () => {
    await jobs().create(job('flaky', { completions: 4, parallelism: 2, backoffLimit: 1 }));
    const [a, b] = await nLive('flaky', 2);
    await finish(a!, 'Failed');
    const replacement = await until('a replacement pod', async () => (await live('flaky')).find((p) => p.metadata.name !== b!.metadata.name));
    await finish(replacement, 'Failed');
    const failed = await until('Failed', async () => {
      const j = await jobs().get('flaky');
      return conditions(j).includes('Failed=True:BackoffLimitExceeded') && j;
    });
    expect(conditions(failed)).toEqual(['FailureTarget=True:BackoffLimitExceeded', 'Failed=True:BackoffLimitExceeded']);
    expect(failed.status?.conditions?.[1]?.message).toBe('Job has reached the specified backoff limit');
    expect(failed.status?.completionTime).toBeUndefined();
    // The still-running pod b was deleted and counted as failed too.
    expect(failed.status).toMatchObject({ failed: 3, terminating: 0 });
    await until('pod b gone', async () => !(await podsOf('flaky')).some((p) => p.metadata.name === b!.metadata.name));
    const events = (await cp.client.events.inNamespace(NS).list()).items.filter((e) => e.involvedObject?.name === 'flaky');
    expect(events.find((e) => e.reason === 'BackoffLimitExceeded')).toMatchObject({ type: 'Warning', message: 'Job has reached the specified backoff limit' });
  });

  it('fails with DeadlineExceeded after activeDeadlineSeconds and deletes its pods', async () => {
    await jobs().create(job('slow', { activeDeadlineSeconds: 1 }));
    // The pod may already be gone when a busy machine lets this test look: its creation is in the events.
    await until('slow pod created', async () =>
      (await cp.client.events.inNamespace(NS).list()).items.some((e) => e.involvedObject?.name === 'slow' && e.reason === 'SuccessfulCreate'));
    const failed = await until('DeadlineExceeded', async () => {
      const j = await jobs().get('slow');
      return conditions(j).includes('Failed=True:DeadlineExceeded') && j;
    });
    expect(failed.status?.conditions?.[1]?.message).toBe('Job was active longer than specified deadline');
    await until('pods gone', async () => (await podsOf('slow')).length === 0);
  });

  it('suspends and resumes: no pods while suspended, Suspended condition, pods on resume', async () => {
    await jobs().create(job('later', { suspend: true, parallelism: 2, completions: 2 }));
    const suspended = await until('Suspended', async () => {
      const j = await jobs().get('later');
      return conditions(j).includes('Suspended=True:JobSuspended') && j;
    });
    expect(suspended.status?.startTime).toBeUndefined();
    expect(await podsOf('later')).toEqual([]);
    await jobs().patch('later', { spec: { suspend: false } }, { type: 'merge' });
    await nLive('later', 2);
    const resumed = await until('Resumed', async () => {
      const j = await jobs().get('later');
      return conditions(j).includes('Suspended=False:JobResumed') && j;
    });
    expect(resumed.status?.startTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    await jobs().patch('later', { spec: { suspend: true } }, { type: 'merge' });
    await until('pods deleted on suspend', async () => (await podsOf('later')).length === 0);
    const events = (await cp.client.events.inNamespace(NS).list()).items.filter((e) => e.involvedObject?.name === 'later').map((e) => e.reason);
    expect(events).toEqual(expect.arrayContaining(['Suspended', 'Resumed', 'SuccessfulDelete']));
  });

  it('Indexed mode: index annotation, label, env, hostname and generateName; completedIndexes', async () => {
    await jobs().create(job('idx', { completions: 3, parallelism: 3, completionMode: 'Indexed' }));
    const created = await nLive('idx', 3);
    const byIndex = new Map(created.map((p) => [p.metadata.annotations?.['batch.kubernetes.io/job-completion-index'], p]));
    expect([...byIndex.keys()].sort()).toEqual(['0', '1', '2']);
    for (const [ix, p] of byIndex) {
      expect(p.metadata.name).toMatch(new RegExp(`^idx-${ix}-[a-z0-9]{5}$`));
      expect(p.metadata.labels?.['batch.kubernetes.io/job-completion-index']).toBe(ix);
      expect(p.spec?.hostname).toBe(`idx-${ix}`);
      expect(p.spec?.containers?.[0]?.env).toEqual([{ name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: "metadata.annotations['batch.kubernetes.io/job-completion-index']" } } }]);
    }
    await finish(byIndex.get('1')!, 'Succeeded');
    await until('completedIndexes 1', async () => (await jobs().get('idx')).status?.completedIndexes === '1');
    await finish(byIndex.get('0')!, 'Succeeded');
    await finish(byIndex.get('2')!, 'Succeeded');
    const done = await until('Complete', async () => {
      const j = await jobs().get('idx');
      return conditions(j).includes('Complete=True:CompletionsReached') && j;
    });
    expect(done.status).toMatchObject({ completedIndexes: '0-2', succeeded: 3 });
  });

  it('replaces a failed index with a pod of the same index', async () => {
    await jobs().create(job('idx2', { completions: 2, parallelism: 2, completionMode: 'Indexed' }));
    const created = await nLive('idx2', 2);
    const zero = created.find((p) => p.metadata.annotations?.['batch.kubernetes.io/job-completion-index'] === '0')!;
    await finish(zero, 'Failed');
    const again = await until('a new pod for index 0', async () => (await live('idx2')).find((p) => p.metadata.annotations?.['batch.kubernetes.io/job-completion-index'] === '0' && p.metadata.uid !== zero.metadata.uid));
    expect(again.metadata.name).toMatch(/^idx2-0-[a-z0-9]{5}$/);
    expect((await jobs().get('idx2')).status?.failed).toBe(1);
  });

  it('deleting a Job lets the garbage collector remove its pods despite the tracking finalizer', async () => {
    await jobs().create(job('gone', { parallelism: 2, completions: 2 }));
    await nLive('gone', 2);
    await jobs().delete('gone', { propagationPolicy: 'Background' });
    await until('pods deleted', async () => (await podsOf('gone')).length === 0);
  });

  it('a DELETE without a propagation policy orphans the pods (batch/v1 default), which lose the tracking finalizer', async () => {
    await jobs().create(job('orphaner', { parallelism: 1, completions: 1 }));
    const [p] = await nLive('orphaner', 1);
    await jobs().delete('orphaner');
    await until('Job gone', async () => !(await jobs().list()).items.some((j) => j.metadata.name === 'orphaner'));
    const orphan = await until('pod orphaned and released', async () => {
      const current = await pods().get(p!.metadata.name as string);
      return !current.metadata.ownerReferences?.length && !current.metadata.finalizers && current;
    });
    expect(orphan.metadata.deletionTimestamp).toBeUndefined();
    await pods().delete(p!.metadata.name as string);
  });

  it('backoffLimitPerIndex: an index fails after its own retries, the others run on, the Job fails with FailedIndexes', async () => {
    await jobs().create(job('perindex', { completions: 3, parallelism: 3, completionMode: 'Indexed', backoffLimitPerIndex: 1 }));
    const created = await nLive('perindex', 3);
    const at = (pods: Pod[], ix: string) => pods.find((p) => p.metadata.annotations?.['batch.kubernetes.io/job-completion-index'] === ix)!;
    expect(at(created, '0').metadata.annotations?.['batch.kubernetes.io/job-index-failure-count']).toBe('0');
    await finish(at(created, '0'), 'Failed');
    const retry = await until('index 0 retried', async () => (await live('perindex')).find((p) => p.metadata.annotations?.['batch.kubernetes.io/job-completion-index'] === '0' && p.metadata.uid !== at(created, '0').metadata.uid));
    expect(retry.metadata.annotations?.['batch.kubernetes.io/job-index-failure-count']).toBe('1');
    await finish(retry, 'Failed');
    await until('failedIndexes 0', async () => (await jobs().get('perindex')).status?.failedIndexes === '0');
    await finish(at(created, '1'), 'Succeeded');
    await finish(at(created, '2'), 'Succeeded');
    const failed = await until('Failed', async () => {
      const j = await jobs().get('perindex');
      return conditions(j).includes('Failed=True:FailedIndexes') && j;
    });
    expect(failed.status).toMatchObject({ completedIndexes: '1-2', failedIndexes: '0', failed: 2, succeeded: 2 });
    expect(failed.status?.conditions?.find((c) => c.type === 'Failed')?.message).toBe('Job has failed indexes');
    expect((await live('perindex')).length).toBe(0);
  });
});
