import { describe, expect, it } from 'vitest';
import { Code, newPodInfo, type NodeInfo } from '../../framework/index.ts';
import { DO_NOT_SCHEDULE, ERR_REASON_CONSTRAINTS_NOT_MATCH, ERR_REASON_NODE_LABEL_NOT_MATCH, filterTopologySpreadConstraints, type TopologySpreadConstraintLike } from './common.ts';
import { calPreFilterState, exceedsMaxSkew, filterNode, updateWithPod } from './filtering.ts';
import { cluster, onWeb, spreadNode, spreadPod } from './test-objects.ts';

const ZONE = 'zone';
const HOST = 'kubernetes.io/hostname';
const twoZones = () => [spreadNode('a', { zone: 'z1', disk: 'ssd' }), spreadNode('b', { zone: 'z1' }), spreadNode('c', { zone: 'z2' }), spreadNode('d', { zone: 'z2' })];

/** Filter outcome per node: 'ok', 'skew' (Unschedulable) or 'label' (UnschedulableAndUnresolvable). */
function outcomes(constraints: TopologySpreadConstraintLike[], nodes: NodeInfo[], podOpts: Parameters<typeof spreadPod>[0] = {}): Record<string, string> {
  const pod = spreadPod({ labels: { app: 'web' }, constraints, ...podOpts });
  const state = calPreFilterState(pod, filterTopologySpreadConstraints(constraints, pod.metadata?.labels, DO_NOT_SCHEDULE), nodes);
  const out: Record<string, string> = {};
  for (const ni of nodes) {
    const s = filterNode(state, pod, ni.node);
    if (s.isSuccess()) out[ni.nodeName()] = 'ok';
    else if (s.code === Code.Unschedulable && s.message() === ERR_REASON_CONSTRAINTS_NOT_MATCH) out[ni.nodeName()] = 'skew';
    else if (s.code === Code.UnschedulableAndUnresolvable && s.message() === ERR_REASON_NODE_LABEL_NOT_MATCH) out[ni.nodeName()] = 'label';
    else out[ni.nodeName()] = s.toString();
  }
  return out;
}

describe('exceedsMaxSkew', () => {
  it.each([
    [0, true, 0, 1, false],
    [1, true, 0, 1, true],
    [1, false, 0, 1, false],
    [3, true, 1, 3, false],
    [3, true, 0, 3, true],
  ])('match %i self %s min %i maxSkew %i → %s', (matchNum, self, min, maxSkew, want) => {
    expect(exceedsMaxSkew(matchNum, self, min, maxSkew)).toBe(want);
  });
});

describe('PodTopologySpread Filter', () => {
  it.each<{ name: string; constraints: TopologySpreadConstraintLike[]; pods: Record<string, number>; want: Record<string, string> }>([
    { name: 'no pods anywhere: every node fits', constraints: [onWeb(ZONE)], pods: {}, want: { a: 'ok', b: 'ok', c: 'ok', d: 'ok' } },
    { name: 'z1 holds 3, z2 holds 1: only z2 fits maxSkew 1', constraints: [onWeb(ZONE)], pods: { a: 2, b: 1, c: 1 }, want: { a: 'skew', b: 'skew', c: 'ok', d: 'ok' } },
    { name: 'maxSkew 2 lets z1 take one more', constraints: [onWeb(ZONE, 3)], pods: { a: 2, b: 1, c: 1 }, want: { a: 'ok', b: 'ok', c: 'ok', d: 'ok' } },
    { name: 'two constraints: zone and hostname', constraints: [onWeb(ZONE), onWeb(HOST)], pods: { a: 1, c: 1, d: 1 }, want: { a: 'skew', b: 'ok', c: 'skew', d: 'skew' } },
    { name: 'minDomains 3 with 2 domains: global minimum is 0', constraints: [onWeb(ZONE, 1, { minDomains: 3 })], pods: { a: 1, b: 1, c: 1, d: 1 }, want: { a: 'skew', b: 'skew', c: 'skew', d: 'skew' } },
    { name: 'minDomains 2 with 2 domains: the real minimum', constraints: [onWeb(ZONE, 1, { minDomains: 2 })], pods: { a: 1, b: 1, c: 1, d: 1 }, want: { a: 'ok', b: 'ok', c: 'ok', d: 'ok' } },
  ])('$name', ({ constraints, pods, want }) => {
    expect(outcomes(constraints, cluster(twoZones(), pods))).toEqual(want);
  });

  it('a node without the topology key is unresolvable with the upstream reason', () => {
    const nodes = cluster([...twoZones(), spreadNode('bare', {})]);
    expect(outcomes([onWeb(ZONE)], nodes)).toMatchObject({ a: 'ok', bare: 'label' });
  });

  it('an incoming pod the selector does not match adds no self-match', () => {
    const nodes = cluster(twoZones(), { a: 1, b: 1, c: 1 });
    // z1 holds 2, z2 holds 1: 2 + 1 − 1 > 1 for a matching pod, 2 + 0 − 1 ≤ 1 for a non-matching one.
    expect(outcomes([onWeb(ZONE)], nodes)).toEqual({ a: 'skew', b: 'skew', c: 'ok', d: 'ok' });
    expect(outcomes([onWeb(ZONE)], nodes, { labels: { app: 'other' } })).toEqual({ a: 'ok', b: 'ok', c: 'ok', d: 'ok' });
  });

  it('pods in another namespace and terminating pods are not counted', () => {
    const nodes = cluster(twoZones(), { a: 3 }, { app: 'web' }, 'other');
    expect(outcomes([onWeb(ZONE)], nodes)).toEqual({ a: 'ok', b: 'ok', c: 'ok', d: 'ok' });
    const terminating = cluster(twoZones());
    for (let i = 0; i < 3; i++) terminating[0]!.addPod(spreadPod({ name: `t${i}`, labels: { app: 'web' }, nodeName: 'a', terminating: true }));
    expect(outcomes([onWeb(ZONE)], terminating)).toEqual({ a: 'ok', b: 'ok', c: 'ok', d: 'ok' });
  });

  it('nodeAffinityPolicy: Honor counts only domains of nodes matching the pod nodeSelector, Ignore counts all', () => {
    // z1 (where disk=ssd lives) holds 1 pod, z2 none. Honor: z2 is not eligible, min = 1.
    const nodes = cluster(twoZones(), { b: 1 });
    expect(outcomes([onWeb(ZONE)], nodes, { nodeSelector: { disk: 'ssd' } })).toMatchObject({ a: 'ok' });
    expect(outcomes([onWeb(ZONE, 1, { nodeAffinityPolicy: 'Ignore' })], nodes, { nodeSelector: { disk: 'ssd' } })).toMatchObject({ a: 'skew' });
  });

  it('nodeTaintsPolicy: Ignore (default) counts tainted nodes, Honor skips untolerated ones', () => {
    const taint = [{ key: 'dedicated', effect: 'NoSchedule' }];
    const nodes = cluster([spreadNode('a', { zone: 'z1' }), spreadNode('c', { zone: 'z2' }, taint)], { a: 1 });
    expect(outcomes([onWeb(ZONE)], nodes)).toMatchObject({ a: 'skew' });
    expect(outcomes([onWeb(ZONE, 1, { nodeTaintsPolicy: 'Honor' })], nodes)).toMatchObject({ a: 'ok' });
    const tolerations = [{ key: 'dedicated', operator: 'Exists' }];
    expect(outcomes([onWeb(ZONE, 1, { nodeTaintsPolicy: 'Honor' })], nodes, { tolerations })).toMatchObject({ a: 'skew' });
  });

  it('matchLabelKeys narrows the selector to pods with the incoming pod\'s values', () => {
    const nodes = cluster(twoZones(), { a: 2 }, { app: 'web', rev: 'old' });
    const c = onWeb(ZONE, 1, { matchLabelKeys: ['rev'] });
    expect(outcomes([c], nodes, { labels: { app: 'web', rev: 'new' } })).toEqual({ a: 'ok', b: 'ok', c: 'ok', d: 'ok' });
    expect(outcomes([c], nodes, { labels: { app: 'web', rev: 'old' } })).toMatchObject({ a: 'skew', c: 'ok' });
  });

  it('AddPod/RemovePod update a clone only, and the minimum follows', () => {
    const nodes = cluster(twoZones(), { a: 1, c: 1 });
    const pod = spreadPod({ labels: { app: 'web' }, constraints: [onWeb(ZONE)] });
    const state = calPreFilterState(pod, filterTopologySpreadConstraints([onWeb(ZONE)], pod.metadata?.labels, DO_NOT_SCHEDULE), nodes);
    expect(filterNode(state, pod, nodes[0]!.node).isSuccess()).toBe(true);
    const copy = state.clone();
    const victim = newPodInfo(spreadPod({ name: 'c-0', labels: { app: 'web' }, nodeName: 'c' }));
    updateWithPod(copy, victim.pod, pod, nodes[2]!.node, -1);
    expect(copy.minMatchNum(0, 1)).toBe(0);
    expect(filterNode(copy, pod, nodes[0]!.node).code).toBe(Code.Unschedulable);
    expect(filterNode(state, pod, nodes[0]!.node).isSuccess()).toBe(true);
    updateWithPod(copy, victim.pod, pod, nodes[2]!.node, +1);
    expect(filterNode(copy, pod, nodes[0]!.node).isSuccess()).toBe(true);
    // A pod of another namespace changes nothing.
    updateWithPod(copy, spreadPod({ name: 'x', namespace: 'other', labels: { app: 'web' } }), pod, nodes[2]!.node, -1);
    expect(copy.matchNum(0, 'z2')).toBe(1);
  });

  it('no constraints: every node fits', () => {
    const nodes = cluster(twoZones(), { a: 5 });
    const pod = spreadPod();
    expect(filterNode(calPreFilterState(pod, [], nodes), pod, nodes[0]!.node).isSuccess()).toBe(true);
  });
});
