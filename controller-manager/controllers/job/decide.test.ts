import { describe, expect, it } from 'vitest';
import type { Job } from '../../../pkg/api/batch/v1/job.ts';
import type { Pod } from '../../../pkg/api/core/v1/pod.ts';
import { nextBackoffRecord, remainingBackoffMs } from './backoff.ts';
import { ensureCondition } from './conditions.ts';
import { activePodsForRemoval, firstPendingIndexes, planPods, wantActive } from './manage.ts';
import { shouldReleaseTrackingFinalizer } from './orphan-pods.ts';
import { podForJob } from './pod-template.ts';
import { isPodFailed, matchPodFailurePolicy, pastBackoffLimitOnFailure } from './pods.ts';
import { matchSuccessPolicy } from './success-policy.ts';
import { failedIndexes, indexesReadyNow, indexFailureAnnotations, podsWithDelayedDeletion } from './per-index.ts';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const job = (spec: Record<string, unknown> = {}, status: Record<string, unknown> = {}): Job =>
  ({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j', namespace: 'ns', uid: 'job-uid' }, spec: { parallelism: 1, completions: 1, ...spec }, status }) as Job;
const pod = (name: string, phase = 'Running', extra: Record<string, unknown> = {}, meta: Record<string, unknown> = {}): Pod =>
  ({ metadata: { name, namespace: 'ns', uid: `uid-${name}`, creationTimestamp: '2026-01-01T00:00:00Z', ...meta }, spec: {}, status: { phase, ...extra } }) as Pod;
const indexed = (name: string, ix: number) => pod(name, 'Running', {}, { annotations: { 'batch.kubernetes.io/job-completion-index': String(ix) } });

describe('pod-failure back-off', () => {
  it.each([
    [undefined, [], [T0], { failuresAfterLastSuccess: 1, lastFailureTime: T0 }],
    [{ failuresAfterLastSuccess: 2, lastFailureTime: T0 }, [], [T0 + 5], { failuresAfterLastSuccess: 3, lastFailureTime: T0 + 5 }],
    [{ failuresAfterLastSuccess: 2, lastFailureTime: T0 }, [T0 + 10], [], { failuresAfterLastSuccess: 0 }],
    [undefined, [T0 + 10], [T0 + 5, T0 + 20], { failuresAfterLastSuccess: 1, lastFailureTime: T0 + 20 }],
  ])('%j + succeeded %j failed %j → %j', (prev, ok, ko, expected) => {
    expect(nextBackoffRecord(prev, ok, ko)).toEqual(expected);
  });

  it.each([
    [{ failuresAfterLastSuccess: 0 }, 0, 0],
    [{ failuresAfterLastSuccess: 1, lastFailureTime: T0 }, 0, 10_000],
    [{ failuresAfterLastSuccess: 1, lastFailureTime: T0 }, 4_000, 6_000],
    [{ failuresAfterLastSuccess: 3, lastFailureTime: T0 }, 0, 40_000],
    [{ failuresAfterLastSuccess: 20, lastFailureTime: T0 }, 0, 600_000],
    [{ failuresAfterLastSuccess: 2, lastFailureTime: T0 }, 30_000, 0],
  ])('%j after %d ms waits %d ms', (record, elapsed, wait) => {
    expect(remainingBackoffMs(record, T0 + elapsed)).toBe(wait);
  });
});

describe('manageJob planning', () => {
  it.each([
    [{ parallelism: 2, completions: 5 }, 0, 0, 2],
    [{ parallelism: 4, completions: 5 }, 0, 3, 2],
    [{ parallelism: 4, completions: 5 }, 0, 6, 0],
    [{ parallelism: 3, completions: undefined }, 0, 0, 3],
    [{ parallelism: 3, completions: undefined }, 2, 1, 2],
  ])('%j with %d active and %d succeeded wants %d', (spec, active, succeeded, want) => {
    expect(wantActive(job(spec), active, succeeded)).toBe(want);
  });

  it('creates the missing pods, or deletes the extra ones first, and respects terminating pods for podReplacementPolicy Failed', () => {
    expect(planPods({ job: job({ parallelism: 3, completions: 3 }), activePods: [pod('a')], succeeded: 0, succeededIndexes: new Set(), terminating: 0 })).toEqual({ action: 'create', count: 2 });
    expect(planPods({ job: job({ parallelism: 3, completions: 3 }), activePods: [pod('a')], succeeded: 0, succeededIndexes: new Set(), terminating: 1 })).toEqual({ action: 'create', count: 1 });
    const plan = planPods({ job: job({ parallelism: 1, completions: 3 }), activePods: [pod('a', 'Running', {}, { creationTimestamp: '2026-01-01T00:00:00Z' }), pod('b', 'Pending')], succeeded: 0, succeededIndexes: new Set(), terminating: 0 });
    expect(plan.action === 'delete' && plan.pods.map((p) => p.metadata.name)).toEqual(['b']);
    expect(planPods({ job: job({ completionMode: 'Indexed', parallelism: 2, completions: 4 }), activePods: [indexed('x', 0)], succeeded: 1, succeededIndexes: new Set([1]), terminating: 0 })).toEqual({ action: 'create', count: 1, indexes: [2] });
  });

  it('finds pending indexes and removes duplicate or out-of-range indexes first', () => {
    expect(firstPendingIndexes(5, new Set([0, 2]), [indexed('a', 1)], 2)).toEqual([3, 4]);
    const j = job({ completionMode: 'Indexed', completions: 2, parallelism: 2 });
    expect(activePodsForRemoval(j, [indexed('a', 0), indexed('b', 0), indexed('c', 5), indexed('d', 1)], 0).map((p) => p.metadata.name)).toEqual(['b', 'c']);
  });
});

describe('pods', () => {
  it.each([
    ['Failed', {}, 'TerminatingOrFailed', true],
    ['Running', { deletionTimestamp: '2026-01-01T00:00:00Z' }, 'TerminatingOrFailed', true],
    ['Running', { deletionTimestamp: '2026-01-01T00:00:00Z' }, 'Failed', false],
    ['Succeeded', { deletionTimestamp: '2026-01-01T00:00:00Z' }, 'TerminatingOrFailed', false],
    ['Running', {}, 'TerminatingOrFailed', false],
  ])('a %s pod %j under podReplacementPolicy %s is failed: %s', (phase, meta, policy, failed) => {
    expect(isPodFailed(pod('p', phase, {}, meta), job({ podReplacementPolicy: policy }))).toBe(failed);
  });

  it('counts container restarts against backoffLimit with restartPolicy OnFailure', () => {
    const j = job({ backoffLimit: 2, template: { spec: { restartPolicy: 'OnFailure' } } });
    expect(pastBackoffLimitOnFailure(j, [pod('a', 'Running', { containerStatuses: [{ name: 'c', restartCount: 1 }] })])).toBe(false);
    expect(pastBackoffLimitOnFailure(j, [pod('a', 'Running', { containerStatuses: [{ name: 'c', restartCount: 2 }] })])).toBe(true);
  });

  it.each([
    [[{ action: 'FailJob', onExitCodes: { operator: 'In', values: [42] } }], 42, { countFailed: true, action: 'FailJob', failJobMessage: 'Container c for pod ns/p failed with exit code 42 matching FailJob rule at index 0' }],
    [[{ action: 'Ignore', onExitCodes: { operator: 'In', values: [42] } }], 42, { countFailed: false, action: 'Ignore' }],
    [[{ action: 'FailJob', onExitCodes: { operator: 'NotIn', values: [42] } }], 42, { countFailed: true }],
    [[{ action: 'Count', onExitCodes: { operator: 'NotIn', values: [1] } }], 3, { countFailed: true, action: 'Count' }],
  ])('pod failure policy %j with exit code %d → %j', (rules, exitCode, expected) => {
    const p = pod('p', 'Failed', { containerStatuses: [{ name: 'c', restartCount: 0, state: { terminated: { exitCode } } }] });
    expect(matchPodFailurePolicy(job({ podFailurePolicy: { rules } }), p)).toEqual(expected);
  });
});

describe('conditions and success policy', () => {
  it('ensureCondition appends, updates and never appends a False condition', () => {
    const [added, a] = ensureCondition([], 'Suspended', 'True', 'JobSuspended', 'Job suspended', T0);
    expect(a).toBe(true);
    expect(added).toEqual([{ type: 'Suspended', status: 'True', reason: 'JobSuspended', message: 'Job suspended', lastProbeTime: '2026-01-01T00:00:00Z', lastTransitionTime: '2026-01-01T00:00:00Z' }]);
    expect(ensureCondition(added, 'Suspended', 'True', 'JobSuspended', 'Job suspended', T0 + 5000)[1]).toBe(false);
    expect(ensureCondition(added, 'Suspended', 'False', 'JobResumed', 'Job resumed', T0)[0][0]?.status).toBe('False');
    expect(ensureCondition([], 'Suspended', 'False', 'JobResumed', 'Job resumed', T0)).toEqual([[], false]);
  });

  it.each([
    [[{ succeededIndexes: '0-1' }], [0, 1], 'Matched rules at index 0'],
    [[{ succeededIndexes: '0-2', succeededCount: 2 }], [0, 2], 'Matched rules at index 0'],
    [[{ succeededCount: 3 }], [0, 1], undefined],
    [[{ succeededIndexes: '4' }, { succeededCount: 2 }], [0, 1], 'Matched rules at index 1'],
  ])('%j with %j → %s', (rules, done, message) => {
    expect(matchSuccessPolicy({ rules }, 5, new Set(done))).toBe(message);
  });
});

describe('pods a Job creates and releases', () => {
  it('non-indexed: template + tracking finalizer + controller reference', () => {
    const p = podForJob(job({ template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } }));
    expect(p.metadata).toMatchObject({ generateName: 'j-', labels: { a: 'b' }, finalizers: ['batch.kubernetes.io/job-tracking'], ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name: 'j', uid: 'job-uid', controller: true, blockOwnerDeletion: true }] });
    expect(p.spec?.hostname).toBeUndefined();
  });

  it('indexed: annotation, label, env, hostname, generateName', () => {
    const p = podForJob(job({ template: { spec: { containers: [{ name: 'c', image: 'i' }] } } }), 3);
    expect(p.metadata.generateName).toBe('j-3-');
    expect(p.metadata.annotations).toEqual({ 'batch.kubernetes.io/job-completion-index': '3' });
    expect(p.metadata.labels).toEqual({ 'batch.kubernetes.io/job-completion-index': '3' });
    expect(p.spec?.hostname).toBe('j-3');
    expect(p.spec?.containers?.[0]?.env?.[0]?.name).toBe('JOB_COMPLETION_INDEX');
  });

  it.each([
    ['no finalizer', pod('p', 'Succeeded'), job(), false],
    ['orphan', pod('p', 'Running', {}, { finalizers: ['batch.kubernetes.io/job-tracking'] }), undefined, true],
    ['job gone', pod('p', 'Running', {}, { finalizers: ['batch.kubernetes.io/job-tracking'], ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name: 'j', uid: 'job-uid', controller: true }] }), undefined, true],
    ['job running', pod('p', 'Running', {}, { finalizers: ['batch.kubernetes.io/job-tracking'], ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name: 'j', uid: 'job-uid', controller: true }] }), job(), false],
    ['job finished', pod('p', 'Running', {}, { finalizers: ['batch.kubernetes.io/job-tracking'], ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name: 'j', uid: 'job-uid', controller: true }] }), job({}, { conditions: [{ type: 'Failed', status: 'True' }] }), true],
    ['other controller', pod('p', 'Running', {}, { finalizers: ['batch.kubernetes.io/job-tracking'], ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'r', uid: 'r', controller: true }] }), undefined, false],
  ])('%s: release the tracking finalizer = %s', (_name, p, j, release) => {
    expect(shouldReleaseTrackingFinalizer(p, j)).toBe(release);
  });
});

describe('backoff limit per index', () => {
  const perIndex = job({ completionMode: 'Indexed', completions: 4, parallelism: 4, backoffLimitPerIndex: 1 });
  const failedAt = (name: string, ix: number, count: number, finished = '2026-01-01T00:00:00Z') =>
    pod(name, 'Failed', { conditions: [{ type: 'Ready', status: 'False', lastTransitionTime: finished }] }, { annotations: { 'batch.kubernetes.io/job-completion-index': String(ix), 'batch.kubernetes.io/job-index-failure-count': String(count) } });

  it('an index fails when a pod fails with a failure count at the limit, or on a FailIndex rule', () => {
    expect([...failedIndexes(perIndex, [failedAt('a', 0, 0), failedAt('b', 1, 1)])]).toEqual([1]);
    const failIndex = job({ completionMode: 'Indexed', completions: 4, backoffLimitPerIndex: 3, podFailurePolicy: { rules: [{ action: 'FailIndex', onExitCodes: { operator: 'In', values: [7] } }] } });
    const p = failedAt('c', 2, 0);
    p.status!.containerStatuses = [{ name: 'c', restartCount: 0, state: { terminated: { exitCode: 7 } } }] as never;
    expect([...failedIndexes(failIndex, [p])]).toEqual([2]);
    expect([...failedIndexes(job({ ...perIndex.spec }, { failedIndexes: '3' }), [])]).toEqual([3]);
  });

  it('keeps the latest failed pod of each retried index and carries its count to the replacement', () => {
    const delayed = podsWithDelayedDeletion(perIndex, [failedAt('a', 0, 0, '2026-01-01T00:00:00Z'), failedAt('b', 0, 0, '2026-01-01T00:00:05Z'), failedAt('c', 2, 0)], [indexed('d', 2)], new Set(), new Set());
    expect([...delayed].map(([ix, p]) => [ix, p.metadata.name])).toEqual([[0, 'b']]);
    expect(indexFailureAnnotations(perIndex, delayed.get(0))).toEqual({ 'batch.kubernetes.io/job-index-failure-count': '1' });
    expect(indexFailureAnnotations(perIndex, undefined)).toEqual({ 'batch.kubernetes.io/job-index-failure-count': '0' });
  });

  it('each index waits out its own back-off', () => {
    const delayed = new Map([[0, failedAt('a', 0, 0, '2026-01-01T00:00:00Z')]]);
    expect(indexesReadyNow([0, 1], delayed, T0 + 1000, 10_000, 600_000)).toEqual({ ready: [1], waitMs: 0 });
    expect(indexesReadyNow([0], delayed, T0 + 1000, 10_000, 600_000)).toEqual({ ready: [], waitMs: 9000 });
    expect(indexesReadyNow([0], delayed, T0 + 11_000, 10_000, 600_000)).toEqual({ ready: [0], waitMs: 0 });
  });

  it('long Job names are cut in the generateName of Indexed pods', () => {
    const long = job({ template: { spec: { containers: [{ name: 'c', image: 'i' }] } } });
    long.metadata.name = 'n'.repeat(60);
    expect(podForJob(long, 12).metadata.generateName).toBe(`${'n'.repeat(54)}-12-`);
  });
});
