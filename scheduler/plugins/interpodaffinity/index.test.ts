/** The InterPodAffinity plugin object: args, wiring of the extension points, queueing hints. */
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { CycleState, newPodInfo, type Handle, type NodeInfo, type NodeScore, type PodObject } from '../../framework/index.ts';
import { emptyLister, makeNode } from '../testing/objects.ts';
import { interPodAffinityEvents, isSchedulableAfterNodeChange, isSchedulableAfterPodChange } from './events.ts';
import { interPodAffinity } from './index.ts';
import { cluster, listerOf, pod, preferred, required, term } from './test-helpers.ts';

type Plugin = Awaited<ReturnType<typeof interPodAffinity>> & Record<string, any>;

function plugin(infos: NodeInfo[], args?: unknown): Plugin {
  const handle = {
    log: pino({ level: 'silent' }),
    snapshotSharedLister: () => ({ nodeInfos: () => listerOf(infos) }),
    lister: emptyLister,
  } as unknown as Handle;
  return interPodAffinity(args, handle) as Plugin;
}

describe('InterPodAffinity args', () => {
  it.each([
    [undefined, undefined],
    [{ hardPodAffinityWeight: 100, ignorePreferredTermsOfExistingPods: true }, undefined],
    [{ hardPodAffinityWeight: 101 }, 'invalid InterPodAffinity args: hardPodAffinityWeight: Invalid value: 101: not in valid range [0-100]'],
    [{ hardPodAffinityWeight: -1 }, 'invalid InterPodAffinity args: hardPodAffinityWeight: Invalid value: -1: not in valid range [0-100]'],
  ])('%j → %s', (args, error) => {
    if (error) expect(() => plugin([], args)).toThrow(error);
    else expect(plugin([], args).name).toBe('InterPodAffinity');
  });
});

describe('InterPodAffinity plugin', () => {
  const anti = required([], [term({ app: 'web' }, 'kubernetes.io/hostname')]);

  it('PreFilter skips a pod without constraints', () => {
    const infos = cluster([{ name: 'n1', pods: [pod('w', { app: 'web' })] }]);
    expect(plugin(infos).preFilter(new CycleState(), pod('p', { app: 'x' }), infos).status.isSkip()).toBe(true);
  });

  it('Filter, then AddPod/RemovePod on a cloned state (preemption)', () => {
    const blocker = pod('w', { app: 'web' });
    const infos = cluster([{ name: 'n1', pods: [blocker] }, { name: 'n2' }]);
    const pl = plugin(infos);
    const state = new CycleState();
    const incoming = pod('p', { app: 'web' }, anti);
    expect(pl.preFilter(state, incoming, infos).status.isSuccess()).toBe(true);
    expect(pl.filter(state, incoming, infos[0]!).toString()).toBe("Unschedulable: node(s) didn't match pod anti-affinity rules");
    expect(pl.filter(state, incoming, infos[1]!).isSuccess()).toBe(true);

    const sim = state.clone();
    const ext = pl.preFilterExtensions!()!;
    expect(ext.removePod(sim, incoming, newPodInfo(blocker), infos[0]!).isSuccess()).toBe(true);
    expect(pl.filter(sim, incoming, infos[0]!).isSuccess()).toBe(true);
    expect(pl.filter(state, incoming, infos[0]!).isSuccess()).toBe(false);
    ext.addPod(sim, incoming, newPodInfo(pod('guard', {}, anti)), infos[1]!);
    expect(pl.filter(sim, incoming, infos[1]!).message()).toBe("node(s) didn't satisfy existing pods anti-affinity rules");
  });

  it('PreScore/Score/NormalizeScore', () => {
    const infos = cluster([{ name: 'n1', labels: { zone: 'z1' }, pods: [pod('db', { app: 'db' })] }, { name: 'n2', labels: { zone: 'z2' } }]);
    const pl = plugin(infos);
    const state = new CycleState();
    const incoming = pod('p', {}, preferred([[5, term({ app: 'db' })]]));
    expect(pl.preScore(state, incoming, infos).isSuccess()).toBe(true);
    const scores: NodeScore[] = infos.map((ni) => ({ name: ni.nodeName(), score: pl.score(state, incoming, ni) }));
    expect(scores.map((s) => s.score)).toEqual([5, 0]);
    pl.scoreExtensions!()!.normalizeScore(state, incoming, scores);
    expect(scores.map((s) => s.score)).toEqual([100, 0]);
    expect(pl.preScore(new CycleState(), pod('q'), infos).isSkip()).toBe(true);
  });

  it('registers Pod and Node events', () => {
    expect(interPodAffinityEvents().map((e) => [e.event.resource, e.event.actionType])).toEqual([
      ['Pod', 1 | 128 | 2],
      ['Node', 1 | 8 | 16],
    ]);
  });
});

describe('InterPodAffinity queueing hints', () => {
  const target = pod('p', {}, required([term({ app: 'db' })], [term({ app: 'web' }, 'kubernetes.io/hostname')]));
  const bound = (name: string, labels: Record<string, string>): PodObject => ({ ...pod(name, labels), spec: { ...pod(name, labels).spec, nodeName: 'n1' } }) as PodObject;

  it.each([
    { name: 'unscheduled pod added', old: undefined, new: pod('x', { app: 'db' }), want: 'QueueSkip' },
    { name: 'assigned pod matching affinity added', old: undefined, new: bound('x', { app: 'db' }), want: 'Queue' },
    { name: 'assigned pod not matching affinity added', old: undefined, new: bound('x', { app: 'other' }), want: 'QueueSkip' },
    { name: 'relabelled to match affinity', old: bound('x', {}), new: bound('x', { app: 'db' }), want: 'Queue' },
    { name: 'relabelled away from anti-affinity', old: bound('x', { app: 'web' }), new: bound('x', {}), want: 'Queue' },
    { name: 'relabelled, nothing relevant', old: bound('x', { a: '1' }), new: bound('x', { a: '2' }), want: 'QueueSkip' },
    { name: 'deleted pod matched anti-affinity', old: bound('x', { app: 'web' }), new: undefined, want: 'Queue' },
    { name: 'deleted pod did not match anti-affinity', old: bound('x', { app: 'db' }), new: undefined, want: 'QueueSkip' },
  ])('pod: $name → $want', ({ old, new: next, want }) => {
    expect(isSchedulableAfterPodChange(target, old, next)).toBe(want);
  });

  it.each<{ labels: Record<string, string>; want: string }>([
    { labels: { zone: 'z1' }, want: 'Queue' },
    { labels: { 'kubernetes.io/hostname': 'n9' }, want: 'Queue' },
    { labels: { other: 'x' }, want: 'QueueSkip' },
  ])('node with $labels → $want', ({ labels, want }) => {
    expect(isSchedulableAfterNodeChange(target, makeNode({ labels }))).toBe(want);
  });
});
