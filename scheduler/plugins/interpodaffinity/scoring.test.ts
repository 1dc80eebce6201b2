/** Table tests of InterPodAffinity scoring (after upstream scoring_test.go). */
import { describe, expect, it } from 'vitest';
import type { NodeScore, PodObject } from '../../framework/index.ts';
import { staticNamespaceLookup } from './namespaces.ts';
import { computeTopologyScore, normalizeScores, scoreAll } from './scoring.ts';
import { cluster, listerOf, pod, preferred, required, term, type NodeSpec } from './test-helpers.ts';

const zone = (z: string) => ({ zone: z });

function scores(incoming: PodObject, nodes: NodeSpec[], opts: { hard?: number; ignore?: boolean; namespaces?: Record<string, Record<string, string>> } = {}) {
  const infos = cluster(nodes);
  const args = { hardPodAffinityWeight: opts.hard ?? 1, ignorePreferredTermsOfExistingPods: opts.ignore ?? false };
  const ts = computeTopologyScore(incoming, listerOf(infos), args, staticNamespaceLookup(opts.namespaces));
  if (!ts) return undefined;
  const raw = scoreAll(ts, infos);
  const normalized = raw.map((s) => ({ ...s }));
  normalizeScores(normalized);
  return { raw: Object.fromEntries(raw.map((s) => [s.name, s.score])), normalized: Object.fromEntries(normalized.map((s) => [s.name, s.score])) };
}

describe('InterPodAffinity Score', () => {
  const threeZones: NodeSpec[] = [
    { name: 'n1', labels: zone('z1'), pods: [pod('db', { app: 'db' })] },
    { name: 'n2', labels: zone('z1') },
    { name: 'n3', labels: zone('z2'), pods: [pod('web', { app: 'web' })] },
  ];

  it.each([
    {
      name: 'preferred affinity: every node of the matching pod’s zone gets the weight',
      pod: pod('p', {}, preferred([[5, term({ app: 'db' })]])),
      nodes: threeZones,
      raw: { n1: 5, n2: 5, n3: 0 },
      normalized: { n1: 100, n2: 100, n3: 0 },
    },
    {
      name: 'preferred anti-affinity: the matching pod’s zone loses the weight',
      pod: pod('p', {}, preferred([], [[3, term({ app: 'web' })]])),
      nodes: threeZones,
      raw: { n1: 0, n2: 0, n3: -3 },
      normalized: { n1: 100, n2: 100, n3: 0 },
    },
    {
      name: 'affinity and anti-affinity add up per node',
      pod: pod('p', {}, preferred([[4, term({ app: 'db' }, 'kubernetes.io/hostname')]], [[2, term({ app: 'db' })]])),
      nodes: threeZones,
      raw: { n1: 2, n2: -2, n3: 0 },
      normalized: { n1: 100, n2: 0, n3: 50 },
    },
    {
      name: 'existing pod’s required affinity matching the incoming pod counts hardPodAffinityWeight',
      pod: pod('p', { app: 'web' }),
      nodes: [{ name: 'n1', labels: zone('z1'), pods: [pod('e', {}, required([term({ app: 'web' })]))] }, { name: 'n2', labels: zone('z2') }],
      raw: { n1: 1, n2: 0 },
      normalized: { n1: 100, n2: 0 },
    },
    {
      name: 'existing pod’s preferred affinity and anti-affinity matching the incoming pod',
      pod: pod('p', { app: 'web' }),
      nodes: [
        { name: 'n1', labels: zone('z1'), pods: [pod('e1', {}, preferred([[7, term({ app: 'web' })]]))] },
        { name: 'n2', labels: zone('z2'), pods: [pod('e2', {}, preferred([], [[7, term({ app: 'web' })]]))] },
        { name: 'n3', labels: zone('z3') },
      ],
      raw: { n1: 7, n2: -7, n3: 0 },
      normalized: { n1: 100, n2: 0, n3: 50 },
    },
    {
      name: 'existing pod’s terms in another namespace do not match',
      pod: pod('p', { app: 'web' }, preferred([[1, term({ app: 'x' })]])),
      nodes: [{ name: 'n1', labels: zone('z1'), pods: [pod('e', {}, preferred([[7, term({ app: 'web' })]]), 'other')] }, { name: 'n2', labels: zone('z2') }],
      raw: undefined,
      normalized: undefined,
    },
    {
      name: 'preferred affinity with a namespaceSelector',
      pod: pod('p', {}, preferred([[5, term({ app: 'db' }, 'kubernetes.io/hostname', { namespaceSelector: { matchLabels: { team: 'a' } } })]])),
      nodes: [{ name: 'n1', pods: [pod('db', { app: 'db' }, undefined, 'ta')] }, { name: 'n2', pods: [pod('db2', { app: 'db' }, undefined, 'tb')] }],
      namespaces: { ta: { team: 'a' }, tb: { team: 'b' } },
      raw: { n1: 5, n2: 0 },
      normalized: { n1: 100, n2: 0 },
    },
    {
      name: 'no term applies anywhere: nothing to score (PreScore skips)',
      pod: pod('p', {}, preferred([[5, term({ app: 'nope' })]])),
      nodes: threeZones,
      raw: undefined,
      normalized: undefined,
    },
  ])('$name', ({ pod: incoming, nodes, namespaces, raw, normalized }) => {
    const got = scores(incoming, nodes, { namespaces });
    expect(got?.raw).toEqual(raw);
    expect(got?.normalized).toEqual(normalized);
  });

  it.each([
    { hard: 1, want: { n1: 1, n2: 0 } },
    { hard: 10, want: { n1: 10, n2: 0 } },
    { hard: 0, want: undefined },
  ])('hardPodAffinityWeight $hard', ({ hard, want }) => {
    const nodes = [{ name: 'n1', labels: zone('z1'), pods: [pod('e', {}, required([term({ app: 'web' })]))] }, { name: 'n2', labels: zone('z2') }];
    expect(scores(pod('p', { app: 'web' }), nodes, { hard })?.raw).toEqual(want);
  });

  it.each([
    { name: 'incoming pod without preferred terms: skipped', pod: pod('p', { app: 'web' }), want: undefined },
    { name: 'incoming pod with preferred terms: existing pods still count', pod: pod('p', { app: 'web' }, preferred([[2, term({ app: 'none' })]])), want: { n1: 7, n2: 0 } },
  ])('ignorePreferredTermsOfExistingPods: $name', ({ pod: incoming, want }) => {
    const nodes = [{ name: 'n1', labels: zone('z1'), pods: [pod('e1', {}, preferred([[7, term({ app: 'web' })]]))] }, { name: 'n2', labels: zone('z2') }];
    expect(scores(incoming, nodes, { ignore: true })?.raw).toEqual(want);
    expect(scores(incoming, nodes, { ignore: false })?.raw).toEqual({ n1: 7, n2: 0 });
  });
});

describe('normalizeScores', () => {
  it.each([
    { raw: [-5, 0, 5], out: [0, 50, 100] },
    { raw: [3, 3], out: [0, 0] },
    { raw: [-2, -2, -4], out: [100, 100, 0] },
    // upstream computes 100 * (29 / 100) in float64 = 28.999… → 28
    { raw: [0, 29, 100], out: [0, 28, 100] },
  ])('$raw → $out', ({ raw, out }) => {
    const list: NodeScore[] = raw.map((score, i) => ({ name: `n${i}`, score }));
    normalizeScores(list);
    expect(list.map((s) => s.score)).toEqual(out);
  });
});
