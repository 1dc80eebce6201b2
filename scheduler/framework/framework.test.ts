import { emptyLister, makeNode, makePod, nodeInfo } from '../plugins/testing/objects.ts';
import { defaultNormalizeScore } from '../plugins/helper/normalize.ts';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../pkg/workqueue/index.ts';
import { inTreeRegistry } from '../plugins/index.ts';
import { Snapshot } from '../cache/index.ts';
import { Nominator } from '../queue/index.ts';
import { mergePluginSet, resolveConfiguration, type ResolvedProfile } from './config.ts';
import { CycleState, stateKey } from './cycle-state.ts';
import { fitErrorMessage } from './fit-error.ts';
import { NodeToStatus } from './interfaces.ts';
import { Framework } from './runtime/index.ts';
import { Code, Status } from './status.ts';
import type { Client } from '../../pkg/client/index.ts';
import type { EventRecorder } from '../../pkg/runtime/index.ts';

const base = { apiVersion: 'kubescheduler.config.k8s.io/v1', kind: 'KubeSchedulerConfiguration' };

async function build(profile: ResolvedProfile, registry = inTreeRegistry()): Promise<Framework> {
  return Framework.create({
    profile,
    registry,
    client: {} as Client,
    eventRecorder: {} as EventRecorder,
    log: pino({ level: 'silent' }),
    clock: new FakeClock(),
    nominator: new Nominator(),
    lister: emptyLister,
    snapshot: () => new Snapshot(),
  });
}

describe('Status', () => {
  it.each([
    [Status.SUCCESS, true, false],
    [Status.unschedulable('a', 'b'), false, true],
    [Status.unresolvable('x'), false, true],
    [Status.of(Code.Pending, 'p'), false, true],
    [Status.asStatus(new Error('boom')), false, false],
  ])('%s: success=%s rejected=%s', (s, success, rejected) => {
    expect(s.isSuccess()).toBe(success);
    expect(s.isRejected()).toBe(rejected);
  });
  it('joins reasons and keeps the plugin', () => {
    const s = Status.unschedulable('Insufficient cpu', 'Insufficient memory').withPlugin('NodeResourcesFit');
    expect(s.message()).toBe('Insufficient cpu, Insufficient memory');
    expect(s.plugin).toBe('NodeResourcesFit');
  });
});

describe('CycleState', () => {
  it('typed keys, clone copies cloneable values', () => {
    const plain = stateKey<number>('n');
    const counter = stateKey<{ n: number; clone(): { n: number; clone(): unknown } }>('c');
    const s = new CycleState();
    s.write(plain, 1);
    const value = { n: 1, clone() { return { ...this }; } };
    s.write(counter, value);
    const c = s.clone();
    c.read(counter).n = 2;
    expect(s.read(counter).n).toBe(1);
    expect(c.read(plain)).toBe(1);
    expect(() => s.read(stateKey<number>('missing'))).toThrow(/not found/);
  });
});

describe('fitErrorMessage', () => {
  it.each([
    {
      name: 'histogram sorted as strings',
      statuses: { a: ['node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }'], b: ['Insufficient cpu'], c: ['Insufficient cpu'] },
      pre: '',
      post: '',
      out: '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu.',
    },
    {
      name: 'several reasons per node',
      statuses: { a: ['Insufficient cpu', 'Insufficient memory'], b: ['Insufficient memory'] },
      pre: '',
      post: 'preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.',
      out: '0/2 nodes are available: 1 Insufficient cpu, 2 Insufficient memory. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.',
    },
    {
      name: 'absent nodes counted with the absent status',
      statuses: { a: ['Insufficient cpu'] },
      absent: "node(s) didn't satisfy plugin(s) [NodeAffinity]",
      pre: '',
      post: '',
      out: "0/5 nodes are available: 1 Insufficient cpu, 4 node(s) didn't satisfy plugin(s) [NodeAffinity].",
    },
    { name: 'prefilter message', statuses: {}, pre: "node(s) didn't match pod topology spread constraints (missing required label)", post: '', out: "0/5 nodes are available: node(s) didn't match pod topology spread constraints (missing required label)." },
  ])('$name', (row) => {
    const { statuses, pre, post, out } = row;
    const absent = 'absent' in row ? row.absent : undefined;
    const m = new NodeToStatus(absent ? Status.unresolvable(absent) : undefined);
    for (const [n, r] of Object.entries(statuses)) m.set(n, Status.unschedulable(...(r as string[])));
    const total = out.startsWith('0/5') ? 5 : Object.keys(statuses).length;
    expect(fitErrorMessage(total, { nodeToStatus: m, preFilterMsg: pre, postFilterMsg: post })).toBe(out);
  });
});

describe('configuration', () => {
  it('mergePluginSet: disable, override in place, append', () => {
    const merged = mergePluginSet(
      { enabled: [{ name: 'A' }, { name: 'B', weight: 1 }, { name: 'C' }] },
      { enabled: [{ name: 'B', weight: 5 }, { name: 'D' }], disabled: [{ name: 'C' }] },
    );
    expect(merged.enabled).toEqual([{ name: 'A' }, { name: 'B', weight: 5 }, { name: 'D' }]);
    expect(mergePluginSet({ enabled: [{ name: 'A' }] }, { disabled: [{ name: '*' }], enabled: [{ name: 'Z' }] }).enabled).toEqual([{ name: 'Z' }]);
  });

  it.each([
    [{ ...base, profiles: [{ schedulerName: 'a' }, { schedulerName: 'a' }] }, /Duplicate value: "a"/],
    [{ ...base, apiVersion: 'kubescheduler.config.k8s.io/v1beta3' }, /apiVersion/],
    [{ ...base, percentageOfNodesToScore: 101 }, /percentageOfNodesToScore/],
    [{ ...base, profiles: [{ plugins: { filter: { enabled: [{ name: 'X' }] } }, bogus: 1 }] }, /bogus|Unrecognized/],
  ])('rejects invalid configuration %#', (raw, err) => expect(() => resolveConfiguration(raw)).toThrow(err));

  it('defaults: one default-scheduler profile, 1 s / 10 s back-off, Lease kube-system/kube-scheduler', () => {
    const c = resolveConfiguration(base);
    expect(c.profiles.map((p) => p.schedulerName)).toEqual(['default-scheduler']);
    expect([c.podInitialBackoffMs, c.podMaxBackoffMs]).toEqual([1000, 10_000]);
    expect(c.leaderElection).toMatchObject({ leaderElect: true, resourceName: 'kube-scheduler', resourceNamespace: 'kube-system' });
  });
});

describe('Framework with several profiles', () => {
  const config = resolveConfiguration({
    ...base,
    profiles: [
      { schedulerName: 'default-scheduler' },
      {
        schedulerName: 'bin-packing',
        percentageOfNodesToScore: 30,
        plugins: { score: { disabled: [{ name: 'NodeResourcesBalancedAllocation' }], enabled: [{ name: 'NodeResourcesFit', weight: 5 }] } },
        pluginConfig: [{ name: 'NodeResourcesFit', args: { scoringStrategy: { type: 'MostAllocated' } } }],
      },
      { schedulerName: 'no-taints', plugins: { multiPoint: { disabled: [{ name: 'TaintToleration' }] } } },
    ],
  });

  it('default profile: upstream order of the available default plugins and weights', async () => {
    const fwk = await build(config.profiles[0]!);
    expect(fwk.pluginNames('queueSort')).toEqual(['PrioritySort']);
    expect(fwk.pluginNames('preEnqueue')).toEqual(['SchedulingGates']);
    expect(fwk.pluginNames('preFilter')).toEqual(['NodeAffinity', 'NodePorts', 'NodeResourcesFit', 'VolumeBinding', 'PodTopologySpread', 'InterPodAffinity']);
    expect(fwk.pluginNames('filter')).toEqual(['NodeUnschedulable', 'NodeName', 'TaintToleration', 'NodeAffinity', 'NodePorts', 'NodeResourcesFit', 'VolumeBinding', 'PodTopologySpread', 'InterPodAffinity']);
    expect(fwk.pluginNames('postFilter')).toEqual(['DefaultPreemption']);
    const scores = ['TaintToleration', 'NodeAffinity', 'NodeResourcesFit', 'VolumeBinding', 'PodTopologySpread', 'InterPodAffinity', 'NodeResourcesBalancedAllocation', 'ImageLocality'];
    expect(fwk.pluginNames('score')).toEqual(scores);
    expect(scores.map((n) => fwk.scoreWeight(n))).toEqual([3, 2, 1, 1, 2, 2, 1, 1]);
    expect(fwk.pluginNames('reserve')).toEqual(['VolumeBinding']);
    expect(fwk.pluginNames('preBind')).toEqual(['VolumeBinding']);
    expect(fwk.pluginNames('bind')).toEqual(['DefaultBinder']);
    expect(fwk.percentageOfNodesToScore).toBe(0);
  });

  it('bin-packing profile: score override, disabled plugin, args', async () => {
    const fwk = await build(config.profiles[1]!);
    expect(fwk.pluginNames('score')).toEqual(['NodeResourcesFit', 'TaintToleration', 'NodeAffinity', 'VolumeBinding', 'PodTopologySpread', 'InterPodAffinity', 'ImageLocality']);
    expect(fwk.scoreWeight('NodeResourcesFit')).toBe(5);
    expect(fwk.percentageOfNodesToScore).toBe(30);
  });

  it('multiPoint disable removes a plugin everywhere', async () => {
    const fwk = await build(config.profiles[2]!);
    expect(fwk.pluginNames('filter')).not.toContain('TaintToleration');
    expect(fwk.pluginNames('score')).not.toContain('TaintToleration');
  });

  it.each([
    [{ plugins: { filter: { enabled: [{ name: 'NoSuchPlugin' }] } } }, /filter plugin "NoSuchPlugin" does not exist/],
    [{ plugins: { bind: { disabled: [{ name: '*' }] } } }, /at least one bind plugin/],
    [{ pluginConfig: [{ name: 'NodeResourcesFit', args: { scoringStrategy: { type: 'Nope' } } }] }, /invalid NodeResourcesFit args/],
  ])('invalid profile %#', async (profile, err) => {
    const p = resolveConfiguration({ ...base, profiles: [profile] }).profiles[0]!;
    await expect(build(p)).rejects.toThrow(err);
  });
});

describe('Framework score phase', () => {
  // "ByIndex" scores node-<i> with i, normalized in reverse to 0–100; "Flat" scores 10 everywhere.
  const registry = {
    ...inTreeRegistry(),
    ByIndex: () => ({
      name: 'ByIndex',
      score: (_s: CycleState, _p: unknown, ni: { nodeName(): string }) => Number(ni.nodeName().split('-')[1]),
      scoreExtensions: () => ({ normalizeScore: (_s: CycleState, _p: unknown, scores: { name: string; score: number }[]) => (defaultNormalizeScore(scores, true), Status.SUCCESS) }),
    }),
    Flat: () => ({ name: 'Flat', score: () => 10 }),
    Wild: () => ({ name: 'Wild', score: () => 101 }),
  };
  const profile = (enabled: { name: string; weight: number }[]) =>
    resolveConfiguration({ ...base, profiles: [{ schedulerName: 's', plugins: { score: { disabled: [{ name: '*' }], enabled } } }] }).profiles[0]!;
  const nodes = [0, 1, 2, 4].map((i) => nodeInfo(makeNode({ name: `node-${i}` })));

  it('sums each plugin\'s normalized score times its weight per node', async () => {
    const fwk = await build(profile([{ name: 'ByIndex', weight: 2 }, { name: 'Flat', weight: 3 }]), registry as never);
    const result = fwk.runScorePlugins(new CycleState(), makePod({}), nodes);
    // ByIndex normalized in reverse: 100, 75, 50, 0 (×2); Flat: 10 (×3).
    expect(result).toEqual([
      { name: 'node-0', totalScore: 230 },
      { name: 'node-1', totalScore: 180 },
      { name: 'node-2', totalScore: 130 },
      { name: 'node-4', totalScore: 30 },
    ]);
  });
  it('a score outside [0, 100] after normalizing fails the phase, naming the plugin', async () => {
    const fwk = await build(profile([{ name: 'Flat', weight: 1 }, { name: 'Wild', weight: 1 }]), registry as never);
    const result = fwk.runScorePlugins(new CycleState(), makePod({}), nodes);
    expect(result).toBeInstanceOf(Status);
    expect((result as Status).message()).toContain('plugin "Wild" returns an invalid score 101');
  });
});
