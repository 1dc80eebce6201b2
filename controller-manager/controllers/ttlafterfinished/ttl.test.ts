/** ttl-after-finished: the decision table, and deletion of a finished Job against the in-process API server. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '../../../pkg/api/batch/v1/job.ts';
import { startTestControlPlane, type TestControlPlane } from '../../../pkg/testing/control-plane.ts';
import { waitFor } from '../../../pkg/testing/wait.ts';
import { decideTtl } from './decide.ts';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const job = (ttl: number | undefined, conditions: Array<{ type: string; status: string }>, meta: Record<string, unknown> = {}): Job =>
  ({ metadata: { name: 'j', ...meta }, spec: ttl === undefined ? {} : { ttlSecondsAfterFinished: ttl }, status: { conditions: conditions.map((c) => ({ ...c, lastTransitionTime: '2026-01-01T00:00:00Z' })) } }) as Job;

describe('decideTtl', () => {
  it.each([
    [job(undefined, [{ type: 'Complete', status: 'True' }]), 0, { action: 'ignore' }],
    [job(60, []), 0, { action: 'ignore' }],
    [job(60, [{ type: 'SuccessCriteriaMet', status: 'True' }]), 0, { action: 'ignore' }],
    [job(60, [{ type: 'Complete', status: 'True' }]), 10_000, { action: 'wait', ms: 50_000 }],
    [job(60, [{ type: 'Failed', status: 'True' }]), 60_000, { action: 'delete' }],
    [job(0, [{ type: 'Complete', status: 'True' }]), 0, { action: 'delete' }],
    [job(0, [{ type: 'Complete', status: 'True' }], { deletionTimestamp: '2026-01-01T00:00:00Z' }), 0, { action: 'ignore' }],
  ])('%j at +%d ms → %j', (j, elapsed, expected) => {
    expect(decideTtl(j, T0 + elapsed)).toEqual(expected);
  });
});

describe('ttl-after-finished controller', () => {
  let cp: TestControlPlane;
  const NS = 'ttl-test';
  beforeAll(async () => {
    cp = await startTestControlPlane({ controllers: ['ttl-after-finished', 'garbagecollector'] });
    await cp.client.namespaces.create({ metadata: { name: NS } });
  });
  afterAll(() => cp?.stop());

  it('deletes a finished Job ttlSecondsAfterFinished after it finished, not before', async () => {
    const jobs = cp.client.jobs.inNamespace(NS);
    const spec = { ttlSecondsAfterFinished: 2, template: { spec: { containers: [{ name: 'c', image: 'busybox' }], restartPolicy: 'Never' } } };
    await jobs.create({ metadata: { name: 'short' }, spec } as Job);
    await jobs.create({ metadata: { name: 'running' }, spec } as Job);
    const finished = await jobs.get('short');
    const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    const condition = { status: 'True', lastProbeTime: now, lastTransitionTime: now, reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods' };
    await jobs.updateStatus({ ...finished, status: { startTime: now, completionTime: now, succeeded: 1, conditions: [{ type: 'SuccessCriteriaMet', ...condition }, { type: 'Complete', ...condition }] } });
    await waitFor('the finished Job deleted', async () => !(await jobs.list()).items.some((j) => j.metadata.name === 'short'), { timeoutMs: 10_000 });
    // Not before its TTL: the condition's time is whole seconds (at most 1 s ago), so expiry is
    // that second + 2 s, at least 1 s ahead of a deletion that ignored the TTL.
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(now) + 2000);
    expect((await jobs.get('running')).metadata.deletionTimestamp).toBeUndefined();
  });
});
