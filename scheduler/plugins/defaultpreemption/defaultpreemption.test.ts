import { describe, expect, it } from 'vitest';
import { deepFreeze } from '../../../pkg/informer/index.ts';
import { Code, CycleState, NodeInfo, Status, type PodObject } from '../../framework/index.ts';
import { makeNode, makePod } from '../testing/objects.ts';
import { DefaultPreemptionArgsSchema, ineligibilityReason, numCandidates } from './index.ts';
import { pickOneNodeForPreemption, type Candidate } from './pick-node.ts';
import { moreImportantPod, selectVictimsOnNode, type PreemptionSimulator } from './victims.ts';

/** A simulator whose only filter is "requested CPU fits", like NodeResourcesFit. */
const cpuFit: PreemptionSimulator = {
  runFilterPluginsWithNominatedPods: (_s, pod, ni) => {
    const want = (pod.spec?.containers ?? []).reduce((sum, c) => sum + parseInt(String(c.resources?.requests?.cpu ?? '0'), 10), 0);
    return ni.requested.milliCPU + want <= ni.allocatable.milliCPU ? Status.SUCCESS : Status.unschedulable('Insufficient cpu');
  },
  runPreFilterExtensionAddPod: () => Status.SUCCESS,
  runPreFilterExtensionRemovePod: () => Status.SUCCESS,
};

const started = (pod: PodObject, startTime: string): PodObject => deepFreeze({ ...pod, status: { startTime } }) as PodObject;

describe('moreImportantPod', () => {
  it('orders by priority, then earlier start', () => {
    const hi = makePod({ name: 'hi', priority: 10 });
    const lo = makePod({ name: 'lo', priority: 1 });
    expect(moreImportantPod(hi, lo)).toBe(true);
    expect(moreImportantPod(lo, hi)).toBe(false);
    const early = started(makePod({ name: 'a', priority: 1 }), '2026-01-01T00:00:00Z');
    const late = started(makePod({ name: 'b', priority: 1 }), '2026-01-02T00:00:00Z');
    expect(moreImportantPod(early, late)).toBe(true);
    expect(moreImportantPod(late, early)).toBe(false);
  });
});

describe('selectVictimsOnNode', () => {
  const node = makeNode({ name: 'n1', allocatable: { cpu: '1000m', memory: '8Gi', pods: '110' } });
  const preemptor = makePod({ name: 'pre', priority: 100, requests: [{ cpu: '500m' }] });

  it('evicts only as many lower-priority pods as needed, reprieving the most important first', () => {
    const ni = new NodeInfo(node, [
      makePod({ name: 'low', priority: 1, requests: [{ cpu: '400m' }], nodeName: 'n1' }),
      makePod({ name: 'mid', priority: 50, requests: [{ cpu: '400m' }], nodeName: 'n1' }),
      makePod({ name: 'high', priority: 200, requests: [{ cpu: '100m' }], nodeName: 'n1' }),
    ]);
    const out = selectVictimsOnNode(cpuFit, new CycleState(), preemptor, ni);
    expect(out.status.isSuccess()).toBe(true);
    expect(out.victims.map((p) => p.metadata?.name)).toEqual(['low']);
  });

  it('is unresolvable without lower-priority pods, and returns the filter status when even all of them are not enough', () => {
    const none = selectVictimsOnNode(cpuFit, new CycleState(), preemptor, new NodeInfo(node, [makePod({ name: 'same', priority: 100, requests: [{ cpu: '900m' }], nodeName: 'n1' })]));
    expect(none.status.code).toBe(Code.UnschedulableAndUnresolvable);
    expect(none.status.message()).toBe('No preemption victims found for incoming pod');
    const tooBig = makePod({ name: 'huge', priority: 100, requests: [{ cpu: '2000m' }] });
    const notEnough = selectVictimsOnNode(cpuFit, new CycleState(), tooBig, new NodeInfo(node, [makePod({ name: 'l', priority: 1, requests: [{ cpu: '100m' }], nodeName: 'n1' })]));
    expect(notEnough.status.message()).toBe('Insufficient cpu');
    expect(notEnough.victims).toEqual([]);
  });
});

describe('pickOneNodeForPreemption', () => {
  const v = (name: string, priority: number, startTime = '2026-01-01T00:00:00Z') => started(makePod({ name, priority }), startTime);
  const c = (nodeName: string, victims: PodObject[], numPDBViolations = 0): Candidate => ({ nodeName, victims, numPDBViolations });
  it.each([
    ['fewest PDB violations', [c('a', [v('x', 1)], 1), c('b', [v('y', 5)], 0)], 'b'],
    ['lowest highest-priority victim', [c('a', [v('x', 5)]), c('b', [v('y', 3), v('z', 1)])], 'b'],
    ['smallest priority sum', [c('a', [v('x', 5), v('y', 4)]), c('b', [v('z', 5), v('w', 1)])], 'b'],
    ['fewest victims', [c('a', [v('x', 5), v('y', 0)]), c('b', [v('z', 5)])], 'b'],
    ['latest start of the highest-priority victims', [c('a', [v('x', 5, '2026-01-01T00:00:00Z')]), c('b', [v('y', 5, '2026-03-01T00:00:00Z')])], 'b'],
    ['first on a full tie', [c('a', [v('x', 5)]), c('b', [v('y', 5)])], 'a'],
  ] as const)('%s', (_n, candidates, want) => {
    expect(pickOneNodeForPreemption(candidates)?.nodeName).toBe(want);
  });
  it('none for no candidates', () => expect(pickOneNodeForPreemption([])).toBeUndefined());
});

describe('ineligibilityReason', () => {
  const node = makeNode({ name: 'n1' });
  const terminatingVictim = deepFreeze({
    metadata: { name: 'victim', namespace: 'default', uid: 'v', deletionTimestamp: '2026-01-01T00:00:00Z' },
    spec: { nodeName: 'n1', priority: 1, containers: [] },
    status: { conditions: [{ type: 'DisruptionTarget', status: 'True', reason: 'PreemptionByScheduler' }] },
  }) as PodObject;
  const nominated = deepFreeze({ metadata: { name: 'p', namespace: 'default' }, spec: { priority: 10, containers: [] }, status: { nominatedNodeName: 'n1' } }) as PodObject;
  it('refuses preemptionPolicy Never and waits for a terminating victim on the nominated node', () => {
    expect(ineligibilityReason(deepFreeze({ metadata: { name: 'n' }, spec: { preemptionPolicy: 'Never', containers: [] } }) as PodObject, undefined, undefined)).toBe('not eligible due to preemptionPolicy=Never.');
    const ni = new NodeInfo(node, [terminatingVictim]);
    expect(ineligibilityReason(nominated, ni, Status.unschedulable('Insufficient cpu'))).toBe('not eligible due to a terminating pod on the nominated node.');
    expect(ineligibilityReason(nominated, ni, Status.unresolvable('gone'))).toBeUndefined();
    expect(ineligibilityReason(nominated, new NodeInfo(node, []), undefined)).toBeUndefined();
  });
});

describe('DefaultPreemptionArgs', () => {
  it('defaults to 10 % / 100 and computes the candidate count', () => {
    const args = DefaultPreemptionArgsSchema.parse({});
    expect(args).toEqual({ minCandidateNodesPercentage: 10, minCandidateNodesAbsolute: 100 });
    expect(numCandidates(args, 50)).toBe(50);
    expect(numCandidates(args, 5000)).toBe(500);
    expect(() => DefaultPreemptionArgsSchema.parse({ minCandidateNodesPercentage: 0, minCandidateNodesAbsolute: 0 })).toThrow(/cannot both be zero/);
  });
});
