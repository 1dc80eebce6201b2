import { describe, expect, it } from 'vitest';
import { planNode, unscheduledPodsWithoutNode } from './node-plan.ts';
import { pod, T0 } from './test-objects.ts';

const names = (pods: Array<{ metadata: { name?: string } }>) => pods.map((p) => p.metadata.name);
const base = { shouldRun: true, shouldContinueRunning: true, hash: 'new', allowsSurge: false, minReadySeconds: 0, nowMs: T0 };

describe('planNode (upstream podsShouldBeOnNode)', () => {
  it.each([
    ['no pod where one should run → create', { pods: [] }, { create: true, delete: [], failed: [] }],
    ['one pod → nothing', { pods: [pod('a')] }, { create: false, delete: [], failed: [] }],
    ['pod where none may stay → delete (not the terminating one)', { shouldRun: false, shouldContinueRunning: false, pods: [pod('a'), pod('b', { deleting: true })] }, { create: false, delete: ['a'], failed: [] }],
    ['tainted NoSchedule: the running pod stays, none created', { shouldRun: false, pods: [pod('a')] }, { create: false, delete: [], failed: [] }],
    ['tainted NoSchedule and no pod: nothing', { shouldRun: false, pods: [] }, { create: false, delete: [], failed: [] }],
    ['extra pods: keep the oldest (scheduled first)', { pods: [pod('young', { age: 10 }), pod('old', { age: 50 }), pod('unbound', { age: 90, bound: false })] }, { create: false, delete: ['young', 'unbound'], failed: [] }],
    ['failed pod goes to back-off handling; no create in the same sync', { pods: [pod('f', { phase: 'Failed' })] }, { create: false, delete: [], failed: ['f'] }],
    ['succeeded pod is deleted', { pods: [pod('s', { phase: 'Succeeded' })] }, { create: false, delete: ['s'], failed: [] }],
    ['surge: no running pod → create at once', { allowsSurge: true, pods: [pod('f', { phase: 'Failed' })] }, { create: true, delete: [], failed: ['f'] }],
    ['surge: old ready, new not available → keep both', { allowsSurge: true, pods: [pod('old', { hash: 'old', age: 50 }), pod('new', { hash: 'new', age: 5, ready: false })] }, { create: false, delete: [], failed: [] }],
    ['surge: new available → delete old', { allowsSurge: true, pods: [pod('old', { hash: 'old', age: 50 }), pod('new', { hash: 'new', age: 5 })] }, { create: false, delete: ['old'], failed: [] }],
    ['surge: old not ready → delete old', { allowsSurge: true, pods: [pod('old', { hash: 'old', age: 50, ready: false }), pod('new', { hash: 'new', age: 5, ready: false })] }, { create: false, delete: ['old'], failed: [] }],
    ['surge: new ready but not for minReadySeconds → keep both', { allowsSurge: true, minReadySeconds: 30, pods: [pod('old', { hash: 'old', age: 50 }), pod('new', { hash: 'new', age: 5, readySince: 10 })] }, { create: false, delete: [], failed: [] }],
    ['surge: a second new pod is extra', { allowsSurge: true, pods: [pod('n1', { hash: 'new', age: 50 }), pod('n2', { hash: 'new', age: 5 })] }, { create: false, delete: ['n2'], failed: [] }],
  ])('%s', (_name, input, expected) => {
    const plan = planNode({ ...base, ...input });
    expect({ create: plan.create, delete: names(plan.delete), failed: names(plan.failed) }).toEqual(expected);
  });

  it('unscheduled pods for nodes that are gone are deleted; bound ones are left to pod GC', () => {
    const byNode = new Map([['n1', [pod('a', { node: 'n1', bound: false })]], ['gone', [pod('b', { node: 'gone', bound: false }), pod('c', { node: 'gone' })]]]);
    expect(names(unscheduledPodsWithoutNode(new Set(['n1']), byNode))).toEqual(['b']);
  });
});
