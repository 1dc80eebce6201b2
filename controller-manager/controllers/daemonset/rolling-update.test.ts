import { describe, expect, it } from 'vitest';
import type { Pod } from '../../../pkg/api/core/v1/pod.ts';
import { allowsSurge, planRollingUpdate, scaledValue, surgeAndUnavailable } from './rolling-update.ts';
import { ds, pod, T0 } from './test-objects.ts';

const isNew = (p: Pod) => p.metadata.labels?.['controller-revision-hash'] === 'new';
const old = (name: string, node: string, o: Parameters<typeof pod>[1] = {}) => pod(name, { node, hash: 'old', ...o });
const fresh = (name: string, node: string, o: Parameters<typeof pod>[1] = {}) => pod(name, { node, hash: 'new', ...o });

function plan(byNode: Record<string, Pod[]>, o: { maxSurge?: number; maxUnavailable?: number; shouldRun?: (n: string) => boolean } = {}) {
  const podsByNode = new Map(Object.entries(byNode));
  const result = planRollingUpdate({ podsByNode, desired: podsByNode.size, maxSurge: o.maxSurge ?? 0, maxUnavailable: o.maxUnavailable ?? 1, isUpdated: isNew, shouldRun: o.shouldRun ?? (() => true), minReadySeconds: 0, nowMs: T0 });
  return { delete: result.deletePods.map((p) => p.metadata.name), create: result.createOnNodes };
}

describe('rolling update without surge', () => {
  it.each([
    ['maxUnavailable 1: one old pod at a time', { n1: [old('a', 'n1')], n2: [old('b', 'n2')], n3: [old('c', 'n3')] }, 1, ['a']],
    ['maxUnavailable 2', { n1: [old('a', 'n1')], n2: [old('b', 'n2')], n3: [old('c', 'n3')] }, 2, ['a', 'b']],
    ['a new pod not yet available uses the budget', { n1: [fresh('a', 'n1', { ready: false })], n2: [old('b', 'n2')] }, 1, []],
    ['an available new pod frees it', { n1: [fresh('a', 'n1')], n2: [old('b', 'n2')] }, 1, ['b']],
    ['unavailable old pods are always replaced', { n1: [old('a', 'n1', { ready: false })], n2: [old('b', 'n2', { ready: false })], n3: [old('c', 'n3')] }, 1, ['a', 'b']],
    ['a node without pod counts as unavailable', { n1: [], n2: [old('b', 'n2')] }, 1, []],
    ['a node with two pods is left to the core loop and counts as unavailable', { n1: [old('a', 'n1'), old('a2', 'n1')], n2: [old('b', 'n2')] }, 1, []],
    ['terminating pods are ignored', { n1: [old('a', 'n1', { deleting: true })], n2: [old('b', 'n2')] }, 1, []],
    ['done: nothing to do', { n1: [fresh('a', 'n1')], n2: [fresh('b', 'n2')] }, 1, []],
  ])('%s', (_name, byNode, maxUnavailable, deleted) => {
    expect(plan(byNode, { maxUnavailable })).toEqual({ delete: deleted, create: [] });
  });
});

describe('rolling update with surge', () => {
  it.each([
    ['maxSurge 1: a new pod beside one old pod', { n1: [old('a', 'n1')], n2: [old('b', 'n2')] }, {}, { delete: [], create: ['n1'] }],
    ['maxSurge 2', { n1: [old('a', 'n1')], n2: [old('b', 'n2')] }, { maxSurge: 2 }, { delete: [], create: ['n1', 'n2'] }],
    ['the surge budget is in use until the new pod is available', { n1: [old('a', 'n1'), fresh('a2', 'n1', { ready: false })], n2: [old('b', 'n2')] }, {}, { delete: [], create: [] }],
    ['an available new pod replaces its old one, then the next node surges', { n1: [old('a', 'n1'), fresh('a2', 'n1')], n2: [old('b', 'n2')] }, {}, { delete: ['a'], create: ['n2'] }],
    ['an unavailable old pod gets its replacement regardless of the budget', { n1: [old('a', 'n1', { ready: false })], n2: [old('b', 'n2', { ready: false })] }, {}, { delete: [], create: ['n1', 'n2'] }],
    ['an unavailable old pod on a node that no longer qualifies is deleted', { n1: [old('a', 'n1', { ready: false })], n2: [fresh('b', 'n2')] }, { shouldRun: (n: string) => n !== 'n1' }, { delete: ['a'], create: [] }],
    ['an available old pod off-node stays while nothing spare is available', { n1: [old('a', 'n1')], n2: [fresh('b', 'n2')] }, { shouldRun: (n: string) => n !== 'n1' }, { delete: [], create: [] }],
  ])('%s', (_name, byNode, o, expected) => {
    expect(plan(byNode, { maxSurge: 1, maxUnavailable: 0, ...o })).toEqual(expected);
  });

  it('an available old pod off-node goes once more pods are available than desired', () => {
    const podsByNode = new Map(Object.entries({ n1: [old('a', 'n1')], n2: [fresh('b', 'n2')], n3: [fresh('c', 'n3')] }));
    const result = planRollingUpdate({ podsByNode, desired: 2, maxSurge: 1, maxUnavailable: 0, isUpdated: isNew, shouldRun: (n) => n !== 'n1', minReadySeconds: 0, nowMs: T0 });
    expect(result.deletePods.map((p) => p.metadata.name)).toEqual(['a']);
  });
});

describe('surge and unavailability counts', () => {
  it.each([
    [1, 10, true, 1],
    ['10%', 10, true, 1],
    ['10%', 15, true, 2],
    ['10%', 15, false, 1],
    ['0%', 5, true, 0],
  ])('scaledValue(%j of %d, roundUp %s) → %d', (value, total, roundUp, n) => expect(scaledValue(value, total, roundUp)).toBe(n));

  it.each([
    [{ maxUnavailable: 1, maxSurge: 0 }, 3, { maxSurge: 0, maxUnavailable: 1 }],
    [{ maxUnavailable: '50%', maxSurge: 0 }, 3, { maxSurge: 0, maxUnavailable: 2 }],
    [{ maxUnavailable: 0, maxSurge: '34%' }, 3, { maxSurge: 2, maxUnavailable: 0 }],
    [{ maxUnavailable: 0, maxSurge: 0 }, 3, { maxSurge: 0, maxUnavailable: 1 }],
    [{ maxUnavailable: '10%', maxSurge: 0 }, 0, { maxSurge: 0, maxUnavailable: 0 }],
  ])('%j for %d nodes → %j', (rollingUpdate, desired, expected) => {
    expect(surgeAndUnavailable(ds({ updateStrategy: { type: 'RollingUpdate', rollingUpdate } }), desired)).toEqual(expected);
  });

  it.each([
    [{ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } }, true],
    [{ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: '1%' } }, true],
    [{ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } }, false],
    [{ type: 'OnDelete', rollingUpdate: { maxSurge: 1 } }, false],
  ])('allowsSurge(%j) → %s', (updateStrategy, surge) => expect(allowsSurge(ds({ updateStrategy }))).toBe(surge));
});
