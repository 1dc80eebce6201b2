import { describe, expect, it } from 'vitest';
import { CycleState, Code, podRequests, type Handle } from '../../framework/index.ts';
import { makeNode, makePod, nodeInfo } from '../testing/objects.ts';
import { fits, fitsRequest, prepareRequest } from './fit.ts';
import { nodeResourcesFit } from './index.ts';

describe('podRequests', () => {
  it.each([
    { name: 'sum of containers', pod: makePod({ requests: [{ cpu: '100m', memory: '1Gi' }, { cpu: '200m' }] }), cpu: 300, memory: 1024 ** 3 },
    { name: 'init container max wins', pod: makePod({ requests: [{ cpu: '100m' }], initRequests: [{ cpu: '1' }, { cpu: '500m' }] }), cpu: 1000, memory: 0 },
    { name: 'containers beat smaller init', pod: makePod({ requests: [{ cpu: '2' }], initRequests: [{ cpu: '1' }] }), cpu: 2000, memory: 0 },
    { name: 'overhead added', pod: makePod({ requests: [{ cpu: '100m' }], overhead: { cpu: '250m', memory: '120Mi' } }), cpu: 350, memory: 120 * 1024 ** 2 },
  ])('$name', ({ pod, cpu, memory }) => {
    const r = podRequests(pod);
    expect(r.milliCPU).toBe(cpu);
    expect(r.memory).toBe(memory);
  });

  it('non-zero defaults for containers without requests', () => {
    const r = podRequests(makePod({ requests: [{}, { cpu: '1' }] }), { nonZero: true });
    expect(r.milliCPU).toBe(1100);
    expect(r.memory).toBe(400 * 1024 * 1024);
  });
});

describe('fitsRequest', () => {
  const node = makeNode({ allocatable: { cpu: '2', memory: '4Gi', pods: '2', 'nvidia.com/gpu': '1', 'ephemeral-storage': '10Gi' } });
  it.each([
    { name: 'fits', pod: makePod({ requests: [{ cpu: '1' }] }), existing: [], reasons: [] },
    { name: 'cpu', pod: makePod({ requests: [{ cpu: '1500m' }] }), existing: [makePod({ name: 'e', requests: [{ cpu: '1' }] })], reasons: ['Insufficient cpu'] },
    { name: 'cpu and memory', pod: makePod({ requests: [{ cpu: '3', memory: '5Gi' }] }), existing: [], reasons: ['Insufficient cpu', 'Insufficient memory'] },
    { name: 'gpu', pod: makePod({ requests: [{ 'nvidia.com/gpu': '2' }] }), existing: [], reasons: ['Insufficient nvidia.com/gpu'] },
    { name: 'unknown extended resource', pod: makePod({ requests: [{ 'example.com/foo': '1' }] }), existing: [], reasons: ['Insufficient example.com/foo'] },
    { name: 'ephemeral-storage', pod: makePod({ requests: [{ 'ephemeral-storage': '11Gi' }] }), existing: [], reasons: ['Insufficient ephemeral-storage'] },
    { name: 'too many pods', pod: makePod({ requests: [{}] }), existing: [makePod({ name: 'a' }), makePod({ name: 'b' })], reasons: ['Too many pods'] },
    { name: 'overhead (RuntimeClass) tips the pod over', pod: makePod({ requests: [{ cpu: '900m', memory: '3Gi' }], overhead: { cpu: '200m', memory: '1100Mi' } }), existing: [makePod({ name: 'e', requests: [{ cpu: '1' }] })], reasons: ['Insufficient cpu', 'Insufficient memory'] },
    { name: "existing pods' overhead counts too", pod: makePod({ requests: [{ cpu: '900m' }] }), existing: [makePod({ name: 'e', requests: [{ cpu: '1' }], overhead: { cpu: '200m' } })], reasons: ['Insufficient cpu'] },
  ])('$name', ({ pod, existing, reasons }) => {
    const req = podRequests(pod);
    expect(fitsRequest(req, nodeInfo(node, existing)).map((r) => r.reason)).toEqual(reasons);
  });

  it('ignores resources named in ignoredResources / groups', () => {
    const req = podRequests(makePod({ requests: [{ 'example.com/foo': '1' }] }));
    expect(fitsRequest(req, nodeInfo(node), { groups: new Set(['example.com']) })).toEqual([]);
  });
});

describe('fits (the Filter\'s allocation-free check)', () => {
  it('agrees with fitsRequest finding nothing missing, over random requests and nodes', () => {
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const pick = <T>(xs: readonly T[]) => xs[rand(xs.length)]!;
    const ignored = { names: new Set(['example.com/ignored']), groups: new Set(['ignored.io']) };
    let disagreements = 0;
    let fitting = 0;
    for (let k = 0; k < 2000; k++) {
      const request = { cpu: pick(['0', '500m', '2', '5']), memory: pick(['0', '1Gi', '5Gi']), 'ephemeral-storage': pick(['0', '1Gi', '20Gi']), 'nvidia.com/gpu': pick(['0', '1', '2']), 'example.com/ignored': pick(['0', '9']), 'ignored.io/x': pick(['0', '9']) };
      const pod = makePod({ requests: [Object.fromEntries(Object.entries(request).filter(([, v]) => v !== '0'))] });
      const node = makeNode({ allocatable: { cpu: '4', memory: '8Gi', pods: pick(['1', '3', '110']), 'ephemeral-storage': '10Gi', ...(rand(2) ? { 'nvidia.com/gpu': '2' } : {}) } });
      const existing = Array.from({ length: rand(3) }, (_, i) => makePod({ name: `e${i}`, requests: [{ cpu: pick(['0', '1', '3']), memory: pick(['0', '4Gi']) }] }));
      const ni = nodeInfo(node, existing);
      const req = podRequests(pod);
      const none = fitsRequest(req, ni, ignored).length === 0;
      if (fits(prepareRequest(req, ignored), ni) !== none) disagreements++;
      if (none) fitting++;
    }
    expect(disagreements).toBe(0);
    // Both outcomes were exercised.
    expect(fitting).toBeGreaterThan(100);
    expect(fitting).toBeLessThan(1900);
  });
});

describe('NodeResourcesFit plugin', () => {
  const handle = {} as Handle;
  it.each([
    { name: 'fits', cpu: '1', code: Code.Success, message: '' },
    { name: 'busy node: Unschedulable (preemption may help)', cpu: '3', code: Code.Unschedulable, message: 'Insufficient cpu' },
    { name: 'larger than the node: UnschedulableAndUnresolvable', cpu: '5', code: Code.UnschedulableAndUnresolvable, message: 'Insufficient cpu' },
  ])('filter: $name', async ({ cpu, code, message }) => {
    const pl = (await nodeResourcesFit(undefined, handle)) as Awaited<ReturnType<typeof nodeResourcesFit>> & { preFilter: Function; filter: Function };
    const state = new CycleState();
    const pod = makePod({ requests: [{ cpu }] });
    pl.preFilter(state, pod, []);
    const s = pl.filter(state, pod, nodeInfo(makeNode(), [makePod({ name: 'e', requests: [{ cpu: '2' }] })]));
    expect(s.code).toBe(code);
    expect(s.message()).toBe(message);
  });

  it.each([
    { strategy: undefined, expected: [75, 31] },
    { strategy: { type: 'MostAllocated' }, expected: [25, 68] },
    { strategy: { type: 'RequestedToCapacityRatio', requestedToCapacityRatio: { shape: [{ utilization: 0, score: 0 }, { utilization: 100, score: 10 }] } }, expected: [25, 69] },
  ])('score with $strategy.type', async ({ strategy, expected }) => {
    const pl = (await nodeResourcesFit(strategy ? { scoringStrategy: strategy } : undefined, handle)) as unknown as {
      preScore: Function;
      score: (s: CycleState, p: unknown, n: unknown) => number;
    };
    const state = new CycleState();
    const pod = makePod({ requests: [{ cpu: '1', memory: '2Gi' }] });
    pl.preScore(state, pod, []);
    const empty = nodeInfo(makeNode({ allocatable: { cpu: '4', memory: '8Gi', pods: '10' } }));
    const busy = nodeInfo(makeNode({ allocatable: { cpu: '4', memory: '8Gi', pods: '10' } }), [makePod({ name: 'e', requests: [{ cpu: '2', memory: '3Gi' }] })]);
    expect([pl.score(state, pod, empty), pl.score(state, pod, busy)]).toEqual(expected);
  });

  it('rejects bad args with a readable error', async () => {
    await expect(async () => nodeResourcesFit({ scoringStrategy: { type: 'Bogus' } }, handle)).rejects.toThrow(/invalid NodeResourcesFit args/);
  });
});
