import { emptyLister } from './plugins/testing/objects.ts';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { deepFreeze } from '../pkg/informer/index.ts';
import { FakeClock } from '../pkg/workqueue/index.ts';
import { Cache, Snapshot } from './cache/index.ts';
import { CycleState, defaultConfiguration, type NodeObject, type PodObject } from './framework/index.ts';
import { Framework } from './framework/runtime/index.ts';
import { inTreeRegistry } from './plugins/index.ts';
import { Nominator } from './queue/index.ts';
import { ERR_NO_NODES_AVAILABLE, schedulePod, selectHost } from './schedule-pod.ts';

const node = (name: string, cpu: string, taint?: string): NodeObject =>
  deepFreeze({ metadata: { name }, spec: { taints: taint ? [{ key: taint, effect: 'NoSchedule' }] : undefined }, status: { allocatable: { cpu, memory: '8Gi', pods: '110' } } }) as NodeObject;
const pod = (name: string, cpu: string, nodeName?: string): PodObject =>
  deepFreeze({ metadata: { name, namespace: 'default', uid: `uid-${name}` }, spec: { nodeName, containers: [{ name: 'c', image: 'x', resources: { requests: { cpu, memory: '100Mi' } } }] } }) as PodObject;

async function setup(nodes: NodeObject[], pods: PodObject[] = []) {
  const cache = new Cache({ clock: new FakeClock() });
  for (const n of nodes) cache.addNode(n);
  for (const p of pods) cache.addPod(p);
  const snapshot = new Snapshot();
  cache.updateSnapshot(snapshot);
  const fwk = await Framework.create({
    profile: defaultConfiguration().profiles[0]!,
    registry: inTreeRegistry(),
    client: {} as never,
    eventRecorder: {} as never,
    log: pino({ level: 'silent' }),
    clock: new FakeClock(),
    nominator: new Nominator(),
    lister: emptyLister,
    snapshot: () => snapshot,
  });
  return { fwk, snapshot };
}

describe('selectHost', () => {
  it.each([
    { scores: [1, 5, 3], random: 0.9, host: 'n1' },
    { scores: [5, 5, 3], random: 0.9, host: 'n0' },
    { scores: [5, 5, 3], random: 0.1, host: 'n1' },
  ])('$scores (random $random) → $host', ({ scores, random, host }) => {
    expect(selectHost(scores.map((totalScore, i) => ({ name: `n${i}`, totalScore })), () => random)).toBe(host);
  });
});

describe('schedulePod', () => {
  it('picks the least allocated feasible node', async () => {
    const { fwk, snapshot } = await setup([node('busy', '4'), node('idle', '4'), node('tainted', '64', 'dedicated')], [pod('e', '3', 'busy')]);
    const out = schedulePod(fwk, new CycleState(), pod('p', '500m'), snapshot, { value: 0 });
    expect(out.ok && out.result).toMatchObject({ suggestedHost: 'idle', feasibleNodes: 2, evaluatedNodes: 3 });
  });

  it('reports every node\'s reason in the FitError', async () => {
    const { fwk, snapshot } = await setup([node('a', '1'), node('b', '1'), node('t', '1', 'dedicated')]);
    const out = schedulePod(fwk, new CycleState(), pod('p', '2'), snapshot, { value: 0 });
    expect(out.ok).toBe(false);
    if (out.ok) return;
    expect(out.fitError?.message).toBe('0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: }, 2 Insufficient cpu.');
    expect([...out.fitError!.diagnosis.unschedulablePlugins].sort()).toEqual(['NodeResourcesFit', 'TaintToleration']);
  });

  it('without nodes: an Error status with the upstream message', async () => {
    const { fwk, snapshot } = await setup([]);
    const out = schedulePod(fwk, new CycleState(), pod('p', '1'), snapshot, { value: 0 });
    expect(!out.ok && out.status.message()).toBe(ERR_NO_NODES_AVAILABLE);
  });

  it('evaluates a window of numFeasibleNodesToFind nodes and rotates the start', async () => {
    const nodes = Array.from({ length: 250 }, (_, i) => node(`n${i}`, '4'));
    const { fwk, snapshot } = await setup(nodes);
    const start = { value: 240 };
    const out = schedulePod(fwk, new CycleState(), pod('p', '100m'), snapshot, start);
    expect(out.ok && out.result.feasibleNodes).toBe(120); // 250 nodes: 50 − 250/125 = 48 %
    expect(start.value).toBe((240 + 120) % 250);
  });
});
