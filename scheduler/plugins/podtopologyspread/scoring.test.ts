import { describe, expect, it } from 'vitest';
import { selectorFromSet } from '../../../pkg/api/selectors/index.ts';
import { NodeInfo, type NodeScore } from '../../framework/index.ts';
import { buildDefaultConstraints, filterTopologySpreadConstraints, SCHEDULE_ANYWAY, type TopologySpreadConstraintLike } from './common.ts';
import { SYSTEM_DEFAULT_CONSTRAINTS } from './args.ts';
import { normalizeScores, preScoreState, scoreForCount, scoreNode, topologyNormalizingWeight } from './scoring.ts';
import { spreadNode, spreadPod } from './test-objects.ts';

const HOST = 'kubernetes.io/hostname';
const foo = { matchExpressions: [{ key: 'foo', operator: 'Exists' }] };
const bar = { matchExpressions: [{ key: 'bar', operator: 'Exists' }] };
const soft = (topologyKey: string, maxSkew: number, labelSelector: object): TopologySpreadConstraintLike => ({ topologyKey, maxSkew, whenUnsatisfiable: SCHEDULE_ANYWAY, labelSelector });

/** `a:foo,foo` = two pods labelled foo on node a; `b:foo+bar` = one pod with both labels. */
function podsOn(spec: string): Record<string, Record<string, string>[]> {
  const out: Record<string, Record<string, string>[]> = {};
  for (const part of spec.split(' ').filter(Boolean)) {
    const [node, list] = part.split(':');
    out[node!] = list!.split(',').map((p) => Object.fromEntries(p.split('+').map((k) => [k, ''])));
  }
  return out;
}

function run(opts: {
  constraints: TopologySpreadConstraintLike[];
  nodes: Record<string, Record<string, string>>;
  pods: string;
  candidates?: string[];
  system?: boolean;
  podLabels?: Record<string, string>;
}): Record<string, number> {
  const pods = podsOn(opts.pods);
  const all = Object.entries(opts.nodes).map(([name, labels]) => {
    const ni = new NodeInfo(spreadNode(name, {}));
    ni.setNode({ ...ni.node!, metadata: { name, labels } });
    (pods[name] ?? []).forEach((l, i) => ni.addPod(spreadPod({ name: `${name}-${i}`, labels: l, nodeName: name })));
    return ni;
  });
  const candidates = all.filter((ni) => !opts.candidates || opts.candidates.includes(ni.nodeName()));
  const pod = spreadPod({ labels: opts.podLabels ?? { foo: '', bar: '' }, constraints: opts.constraints });
  const constraints = opts.system
    ? buildDefaultConstraints(pod, { constraints: SYSTEM_DEFAULT_CONSTRAINTS, selectorFor: () => selectorFromSet({ foo: '' }) }, SCHEDULE_ANYWAY)
    : filterTopologySpreadConstraints(opts.constraints, pod.metadata?.labels, SCHEDULE_ANYWAY);
  const state = preScoreState(pod, constraints, candidates, all, !opts.system);
  const scores: NodeScore[] = candidates.map((ni) => ({ name: ni.nodeName(), score: scoreNode(state, pod, ni) }));
  normalizeScores(state, scores);
  return Object.fromEntries(scores.map((s) => [s.name, s.score]));
}

const host = (n: string) => ({ [HOST]: n });
const zoned = (zone: string, n: string) => ({ zone, [HOST]: n });
const fourHosts = { a: host('a'), b: host('b'), c: host('c'), d: host('d') };
const fourZoned = { a: zoned('z1', 'a'), b: zoned('z1', 'b'), x: zoned('z2', 'x'), y: zoned('z2', 'y') };

describe('scoring helpers', () => {
  it.each([
    [0, Math.log(2)],
    [1, Math.log(3)],
    [5000, Math.log(5002)],
  ])('topologyNormalizingWeight(%i)', (size, want) => expect(topologyNormalizingWeight(size)).toBeCloseTo(want, 12));
  it.each([
    [0, 1, 2, 0],
    [3, 1, 2, 6],
    [3, 3, 2, 8],
  ])('scoreForCount(%i, maxSkew %i, weight %d) = %d', (cnt, maxSkew, w, want) => expect(scoreForCount(cnt, maxSkew, w)).toBe(want));
});

// Expected scores are upstream's scoring_test.go cases.
describe('PodTopologySpread Score + NormalizeScore', () => {
  it.each([
    { name: 'hostname, no pods: all 100', constraints: [soft(HOST, 1, foo)], nodes: fourHosts, pods: '', want: { a: 100, b: 100, c: 100, d: 100 } },
    { name: 'hostname maxSkew 2, spread 2/1/0/3', constraints: [soft(HOST, 2, foo)], nodes: fourHosts, pods: 'a:foo,foo b:foo d:foo,foo,foo', want: { a: 33, b: 66, c: 100, d: 16 } },
    { name: 'hostname maxSkew 3, spread 4/3/2/1', constraints: [soft(HOST, 3, foo)], nodes: fourHosts, pods: 'a:foo,foo,foo,foo b:foo,foo,foo c:foo,foo d:foo', want: { a: 44, b: 66, c: 77, d: 100 } },
    {
      name: 'hostname, 3 of 4 nodes are candidates',
      constraints: [soft(HOST, 1, foo)],
      nodes: { a: host('a'), b: host('b'), x: host('x'), y: host('y') },
      pods: 'a:foo,foo,foo,foo b:foo,foo x:foo y:foo,foo,foo',
      candidates: ['a', 'b', 'x'],
      want: { a: 33, b: 83, x: 100 },
    },
    {
      name: 'hostname, a candidate without the topology key scores 0',
      constraints: [soft(HOST, 1, foo)],
      nodes: { a: host('a'), b: { n: 'b' }, x: host('x'), y: host('y') },
      pods: 'a:foo,foo,foo,foo b:foo,foo x:foo y:foo,foo,foo',
      candidates: ['a', 'b', 'x'],
      want: { a: 16, b: 0, x: 100 },
    },
    {
      name: 'zone, 3 of 4 nodes are candidates',
      constraints: [soft('zone', 1, foo)],
      nodes: fourZoned,
      pods: 'a:foo,foo,foo,foo b:foo,foo x:foo y:foo,foo,foo',
      candidates: ['a', 'b', 'x'],
      want: { a: 75, b: 75, x: 100 },
    },
    {
      name: 'zone and hostname, 2 of 4 nodes are candidates',
      constraints: [soft('zone', 1, foo), soft(HOST, 1, foo)],
      nodes: fourZoned,
      pods: 'a:foo,foo b:foo x:foo,foo y:foo,foo,foo,foo',
      candidates: ['a', 'x'],
      want: { a: 100, x: 63 },
    },
    {
      name: 'zone and hostname with different selectors',
      constraints: [soft('zone', 1, foo), soft(HOST, 1, bar)],
      nodes: fourZoned,
      pods: 'a:foo b:foo+bar y:foo,bar',
      want: { a: 60, b: 20, x: 100, y: 60 },
    },
    {
      name: 'zone and hostname with different selectors, some nodes empty',
      constraints: [soft('zone', 1, foo), soft(HOST, 1, bar)],
      nodes: fourZoned,
      pods: 'b:bar x:foo y:foo+bar',
      want: { a: 100, b: 60, x: 40, y: 0 },
    },
  ])('$name', ({ want, ...opts }) => {
    expect(run(opts)).toEqual(want);
  });

  it('system defaults on nodes without a zone still spread by hostname (service selector foo)', () => {
    const got = run({ constraints: [], system: true, podLabels: { foo: '' }, nodes: fourHosts, pods: 'a:foo,foo,foo,foo b:foo,foo,foo c:foo,foo d:foo' });
    expect(got).toEqual({ a: 44, b: 66, c: 77, d: 100 });
  });

  it('a node without a topology key is no domain of it: nothing is counted for the zone (upstream initPreScoreState)', () => {
    const nodes = ['a', 'b'].map((n) => {
      const ni = new NodeInfo(spreadNode(n, {}), [spreadPod({ name: `${n}-0`, labels: { foo: '' }, nodeName: n })]);
      ni.setNode({ ...ni.node!, metadata: { name: n, labels: host(n) } });
      return ni;
    });
    const pod = spreadPod({ labels: { foo: '' } });
    const constraints = buildDefaultConstraints(pod, { constraints: SYSTEM_DEFAULT_CONSTRAINTS, selectorFor: () => selectorFromSet({ foo: '' }) }, SCHEDULE_ANYWAY);
    const state = preScoreState(pod, constraints, nodes, nodes, false);
    const zone = constraints.findIndex((c) => c.topologyKey === 'topology.kubernetes.io/zone');
    expect(zone).toBeGreaterThanOrEqual(0);
    expect(state.topologyValueToPodCounts[zone]!.size).toBe(0);
    expect(state.topologyNormalizingWeight[zone]).toBeCloseTo(Math.log(2), 12);
  });

  it('pods of another namespace are not counted', () => {
    const nodes = [new NodeInfo(spreadNode('a', {}), [spreadPod({ name: 'x', namespace: 'other', labels: { foo: '' }, nodeName: 'a' })]), new NodeInfo(spreadNode('b', {}))];
    const pod = spreadPod({ labels: { foo: '' } });
    const state = preScoreState(pod, filterTopologySpreadConstraints([soft(HOST, 1, foo)], pod.metadata?.labels, SCHEDULE_ANYWAY), nodes, nodes, true);
    expect(nodes.map((ni) => scoreNode(state, pod, ni))).toEqual([0, 0]);
  });
});
