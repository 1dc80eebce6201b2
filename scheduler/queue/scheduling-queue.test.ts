import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../pkg/workqueue/index.ts';
import { ActionType, NODE_ADD, Status, type ClusterEventWithHint, type PodObject, type QueuedPodInfo } from '../framework/index.ts';
import { priorityLess } from '../plugins/prioritysort/index.ts';
import { backoffDuration } from './backoff.ts';
import { SchedulingQueue, type QueueProfile } from './scheduling-queue.ts';

function pod(name: string, opts: { priority?: number; gates?: string[] } = {}): PodObject {
  return {
    metadata: { name, namespace: 'default', uid: `uid-${name}` },
    spec: { schedulerName: 'default-scheduler', priority: opts.priority, schedulingGates: opts.gates?.map((n) => ({ name: n })), containers: [{ name: 'c', image: 'x' }] },
  } as PodObject;
}

const fitEvents: ClusterEventWithHint[] = [{ event: { resource: 'Node', actionType: ActionType.Add | ActionType.UpdateNodeAllocatable } }, { event: { resource: 'AssignedPod', actionType: ActionType.Delete } }];

function newQueue(clock = new FakeClock()) {
  const profile: QueueProfile = {
    preEnqueue: (p) => ((p.spec?.schedulingGates?.length ?? 0) > 0 ? Status.unresolvable('gated').withPlugin('SchedulingGates') : Status.SUCCESS),
    enqueueExtensions: new Map([
      ['NodeResourcesFit', fitEvents],
      ['TaintToleration', [{ event: { resource: 'Node', actionType: ActionType.UpdateNodeTaint } }]],
    ]),
  };
  const q = new SchedulingQueue({ clock, less: priorityLess, profiles: new Map([['default-scheduler', profile]]) });
  return { q, clock };
}

async function fail(q: SchedulingQueue, plugins: string[]): Promise<QueuedPodInfo> {
  const qi = (await q.pop())!;
  qi.unschedulablePlugins = new Set(plugins);
  q.addUnschedulableIfNotPresent(qi);
  return qi;
}

describe('backoffDuration', () => {
  it.each([
    [1, 1000],
    [2, 2000],
    [3, 4000],
    [4, 8000],
    [5, 10_000],
    [20, 10_000],
  ])('attempt %i → %i ms', (attempts, ms) => expect(backoffDuration(attempts, 1000, 10_000)).toBe(ms));
});

describe('SchedulingQueue', () => {
  it('pops by priority, then by arrival time', async () => {
    const { q, clock } = newQueue();
    q.add(pod('low', { priority: 1 }));
    clock.step(1);
    q.add(pod('high-late', { priority: 10 }));
    clock.step(1);
    q.add(pod('low-late', { priority: 1 }));
    q.add(pod('high-early', { priority: 10 }));
    const order = [];
    for (let i = 0; i < 4; i++) order.push((await q.pop())!.podInfo.pod.metadata!.name);
    expect(order).toEqual(['high-late', 'high-early', 'low', 'low-late']);
  });

  it.each([
    { name: 'node added helps NodeResourcesFit', plugins: ['NodeResourcesFit'], event: NODE_ADD, expected: 'backoff' },
    { name: 'node added does not help TaintToleration', plugins: ['TaintToleration'], event: NODE_ADD, expected: 'unschedulable' },
    { name: 'taint update helps TaintToleration', plugins: ['TaintToleration'], event: { resource: 'Node', actionType: ActionType.UpdateNodeTaint }, expected: 'backoff' },
    { name: 'assigned pod delete helps NodeResourcesFit', plugins: ['NodeResourcesFit'], event: { resource: 'AssignedPod', actionType: ActionType.Delete }, expected: 'backoff' },
    { name: 'plugin without EnqueueExtensions: any event', plugins: ['Unknown'], event: NODE_ADD, expected: 'backoff' },
  ])('event routing: $name', async ({ plugins, event, expected }) => {
    const { q } = newQueue();
    q.add(pod('p'));
    await fail(q, plugins);
    q.done('uid-p');
    expect(q.whereIs('uid-p')).toBe('unschedulable');
    q.moveAllToActiveOrBackoffQueue(event);
    expect(q.whereIs('uid-p')).toBe(expected);
  });

  it.each([
    { waitedMs: 500, expected: 'backoff' },
    { waitedMs: 1500, expected: 'active' },
  ])('an event after $waitedMs ms (back-off 1 s) moves the pod to $expected', async ({ waitedMs, expected }) => {
    const { q, clock } = newQueue();
    q.add(pod('a'));
    await fail(q, ['NodeResourcesFit']);
    clock.step(waitedMs);
    q.moveAllToActiveOrBackoffQueue(NODE_ADD);
    expect(q.whereIs('uid-a')).toBe(expected);
  });

  it('an error (no rejecting plugin) goes to backoffQ and returns after 1 s, 2 s, 4 s', async () => {
    const { q, clock } = newQueue();
    const ac = new AbortController();
    q.run(ac.signal);
    q.add(pod('p'));
    for (const backoff of [1000, 2000, 4000]) {
      await fail(q, []);
      expect(q.whereIs('uid-p')).toBe('backoff');
      clock.step(backoff - 1);
      q.flushBackoffQCompleted();
      expect(q.whereIs('uid-p')).toBe('backoff');
      clock.step(1001);
      expect(q.whereIs('uid-p')).toBe('active');
    }
    ac.abort();
  });

  it('an event arriving while the pod is in flight sends it to backoffQ instead of unschedulable', async () => {
    const { q } = newQueue();
    q.add(pod('p'));
    const qi = (await q.pop())!;
    q.moveAllToActiveOrBackoffQueue(NODE_ADD);
    qi.unschedulablePlugins = new Set(['NodeResourcesFit']);
    q.addUnschedulableIfNotPresent(qi);
    expect(q.whereIs('uid-p')).toBe('backoff');
  });

  it('a pod updated while in flight is retried instead of parked', async () => {
    const { q } = newQueue();
    q.add(pod('p'));
    const qi = (await q.pop())!;
    q.update(pod('p'), { ...pod('p'), metadata: { ...pod('p').metadata, labels: { fixed: 'yes' } } } as PodObject);
    qi.unschedulablePlugins = new Set(['TaintToleration']);
    q.addUnschedulableIfNotPresent(qi);
    expect(q.whereIs('uid-p')).toBe('backoff');
  });

  it('flushes pods unschedulable for more than 5 minutes', async () => {
    const { q, clock } = newQueue();
    const ac = new AbortController();
    q.run(ac.signal);
    q.add(pod('p'));
    await fail(q, ['TaintToleration']);
    q.done('uid-p');
    clock.step(4 * 60_000);
    expect(q.whereIs('uid-p')).toBe('unschedulable');
    clock.step(90_000);
    expect(q.whereIs('uid-p')).toBe('active');
    ac.abort();
  });

  it('keeps gated pods out of activeQ until the gates are removed', () => {
    const { q } = newQueue();
    const gated = pod('g', { gates: ['example.com/wait'] });
    q.add(gated);
    expect(q.whereIs('uid-g')).toBe('gated');
    q.moveAllToActiveOrBackoffQueue(NODE_ADD);
    expect(q.whereIs('uid-g')).toBe('gated');
    q.update(gated, pod('g'));
    expect(q.whereIs('uid-g')).toBe('active');
    expect(q.counts()).toEqual({ active: 1, backoff: 0, unschedulable: 0, gated: 0 });
  });

  it('pop waits for a pod and resolves undefined when closed', async () => {
    const { q } = newQueue();
    const waiting = q.pop();
    q.add(pod('p'));
    expect((await waiting)?.podInfo.pod.metadata?.name).toBe('p');
    const next = q.pop();
    q.close();
    expect(await next).toBeUndefined();
  });

  it('delete removes a pod from every queue', async () => {
    const { q } = newQueue();
    q.add(pod('p'));
    await fail(q, ['TaintToleration']);
    expect(q.whereIs('uid-p')).toBe('unschedulable');
    q.delete(pod('p'));
    expect(q.whereIs('uid-p')).toBeUndefined();
  });
});
