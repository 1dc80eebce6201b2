/** Table tests of InterPodAffinity PreFilter counting and Filter outcomes (after upstream filtering_test.go). */
import { describe, expect, it } from 'vitest';
import { newPodInfo, type NodeInfo, type PodObject } from '../../framework/index.ts';
import {
  computePreFilterState,
  ErrReasonAffinityRulesNotMatch as AFF,
  ErrReasonAntiAffinityRulesNotMatch as ANTI,
  ErrReasonExistingAntiAffinityRulesNotMatch as EXISTING,
  filterNode,
  type PreFilterState,
} from './filtering.ts';
import { staticNamespaceLookup, type NamespaceLookup } from './namespaces.ts';
import { cluster, pod, required, term, type NodeSpec } from './test-helpers.ts';

function prefilter(incoming: PodObject, infos: NodeInfo[], namespaces: NamespaceLookup = staticNamespaceLookup()): PreFilterState {
  return computePreFilterState(
    incoming,
    infos,
    infos.filter((n) => n.podsWithRequiredAntiAffinity.length > 0),
    namespaces,
  );
}

/** node name → `ok` or `<code name>: <reason>`. */
function outcomes(state: PreFilterState, infos: NodeInfo[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const ni of infos) {
    const s = filterNode(state, ni.node!);
    out[ni.nodeName()] = s.isSuccess() ? 'ok' : `${s.code === 2 ? 'Unschedulable' : 'Unresolvable'}: ${s.message()}`;
  }
  return out;
}

const U = (r: string) => `Unschedulable: ${r}`;
const UR = (r: string) => `Unresolvable: ${r}`;
const zone = (z: string) => ({ zone: z });

describe('InterPodAffinity Filter', () => {
  const cases: { name: string; pod: PodObject; nodes: NodeSpec[]; namespaces?: Record<string, Record<string, string>>; want: Record<string, string>; skip?: boolean }[] = [
    {
      name: 'no affinity, no existing anti-affinity: nothing to check (PreFilter skips)',
      pod: pod('p', { app: 'a' }),
      nodes: [{ name: 'n1', pods: [pod('e', { app: 'a' })] }],
      want: { n1: 'ok' },
      skip: true,
    },
    {
      name: 'affinity on hostname: only the node with a matching pod',
      pod: pod('p', {}, required([term({ app: 'db' }, 'kubernetes.io/hostname')])),
      nodes: [{ name: 'n1', pods: [pod('db', { app: 'db' })] }, { name: 'n2', pods: [pod('web', { app: 'web' })] }],
      want: { n1: 'ok', n2: UR(AFF) },
    },
    {
      name: 'affinity on zone: every node of the matching pod’s zone',
      pod: pod('p', {}, required([term({ app: 'db' })])),
      nodes: [
        { name: 'n1', labels: zone('z1'), pods: [pod('db', { app: 'db' })] },
        { name: 'n2', labels: zone('z1') },
        { name: 'n3', labels: zone('z2') },
      ],
      want: { n1: 'ok', n2: 'ok', n3: UR(AFF) },
    },
    {
      name: 'affinity: a node without the topology label never fits',
      pod: pod('p', {}, required([term({ app: 'db' })])),
      nodes: [{ name: 'n1', labels: zone('z1'), pods: [pod('db', { app: 'db' })] }, { name: 'n2' }],
      want: { n1: 'ok', n2: UR(AFF) },
    },
    {
      name: 'affinity: an existing pod must match ALL terms',
      pod: pod('p', {}, required([term({ app: 'db' }), term({ tier: 'backend' }, 'kubernetes.io/hostname')])),
      nodes: [
        { name: 'n1', labels: zone('z1'), pods: [pod('db', { app: 'db' }), pod('be', { tier: 'backend' })] },
        { name: 'n2', labels: zone('z1'), pods: [pod('both', { app: 'db', tier: 'backend' })] },
      ],
      want: { n1: UR(AFF), n2: 'ok' },
    },
    {
      name: 'self-affinity, no matching pod anywhere: the first pod fits wherever the topology label is',
      pod: pod('p', { app: 'cache' }, required([term({ app: 'cache' })])),
      nodes: [{ name: 'n1', labels: zone('z1'), pods: [pod('web', { app: 'web' })] }, { name: 'n2', labels: zone('z2') }, { name: 'n3' }],
      want: { n1: 'ok', n2: 'ok', n3: UR(AFF) },
    },
    {
      name: 'self-affinity with a matching pod already placed: only its zone',
      pod: pod('p', { app: 'cache' }, required([term({ app: 'cache' })])),
      nodes: [{ name: 'n1', labels: zone('z1'), pods: [pod('c1', { app: 'cache' })] }, { name: 'n2', labels: zone('z2') }],
      want: { n1: 'ok', n2: UR(AFF) },
    },
    {
      name: 'affinity not matching itself and no matching pod: nowhere',
      pod: pod('p', { app: 'web' }, required([term({ app: 'db' })])),
      nodes: [{ name: 'n1', labels: zone('z1') }],
      want: { n1: UR(AFF) },
    },
    {
      name: 'affinity defaults to the pod’s own namespace',
      pod: pod('p', {}, required([term({ app: 'db' }, 'kubernetes.io/hostname')])),
      nodes: [{ name: 'n1', pods: [pod('db', { app: 'db' }, undefined, 'other')] }, { name: 'n2', pods: [pod('db2', { app: 'db' })] }],
      want: { n1: UR(AFF), n2: 'ok' },
    },
    {
      name: 'affinity with namespaces lists them',
      pod: pod('p', {}, required([term({ app: 'db' }, 'kubernetes.io/hostname', { namespaces: ['other'] })])),
      nodes: [{ name: 'n1', pods: [pod('db', { app: 'db' }, undefined, 'other')] }, { name: 'n2', pods: [pod('db2', { app: 'db' })] }],
      want: { n1: 'ok', n2: UR(AFF) },
    },
    {
      name: 'affinity with a namespaceSelector: namespaces whose labels match',
      pod: pod('p', {}, required([term({ app: 'db' }, 'kubernetes.io/hostname', { namespaceSelector: { matchLabels: { team: 'a' } } })])),
      nodes: [{ name: 'n1', pods: [pod('db', { app: 'db' }, undefined, 'team-a')] }, { name: 'n2', pods: [pod('db2', { app: 'db' }, undefined, 'team-b')] }],
      namespaces: { 'team-a': { team: 'a' }, 'team-b': { team: 'b' } },
      want: { n1: 'ok', n2: UR(AFF) },
    },
    {
      name: 'affinity with an empty namespaceSelector: every namespace',
      pod: pod('p', {}, required([term({ app: 'db' }, 'kubernetes.io/hostname', { namespaceSelector: {} })])),
      nodes: [{ name: 'n1', pods: [pod('db', { app: 'db' }, undefined, 'x')] }, { name: 'n2' }],
      want: { n1: 'ok', n2: UR(AFF) },
    },
    {
      name: 'anti-affinity on hostname: not next to a matching pod',
      pod: pod('p', {}, required([], [term({ app: 'web' }, 'kubernetes.io/hostname')])),
      nodes: [{ name: 'n1', pods: [pod('w', { app: 'web' })] }, { name: 'n2', pods: [pod('d', { app: 'db' })] }],
      want: { n1: U(ANTI), n2: 'ok' },
    },
    {
      name: 'anti-affinity on zone: no node of the matching pod’s zone; a node without the label is fine',
      pod: pod('p', {}, required([], [term({ app: 'web' })])),
      nodes: [{ name: 'n1', labels: zone('z1'), pods: [pod('w', { app: 'web' })] }, { name: 'n2', labels: zone('z1') }, { name: 'n3', labels: zone('z2') }, { name: 'n4' }],
      want: { n1: U(ANTI), n2: U(ANTI), n3: 'ok', n4: 'ok' },
    },
    {
      name: 'anti-affinity: any single term matching is enough to reject',
      pod: pod('p', {}, required([], [term({ app: 'x' }), term({ app: 'web' }, 'kubernetes.io/hostname')])),
      nodes: [{ name: 'n1', labels: zone('z1'), pods: [pod('w', { app: 'web' })] }, { name: 'n2', labels: zone('z1') }],
      want: { n1: U(ANTI), n2: 'ok' },
    },
    {
      name: 'existing pod’s anti-affinity matching the incoming pod',
      pod: pod('p', { app: 'web' }),
      nodes: [{ name: 'n1', labels: zone('z1'), pods: [pod('e', {}, required([], [term({ app: 'web' })]))] }, { name: 'n2', labels: zone('z1') }, { name: 'n3', labels: zone('z2') }],
      want: { n1: U(EXISTING), n2: U(EXISTING), n3: 'ok' },
    },
    {
      name: 'existing pod’s anti-affinity with a namespaceSelector matching the incoming pod’s namespace labels',
      pod: pod('p', { app: 'web' }, undefined, 'prod'),
      nodes: [{ name: 'n1', pods: [pod('e', {}, required([], [term({ app: 'web' }, 'kubernetes.io/hostname', { namespaceSelector: { matchLabels: { env: 'prod' } } })]), 'ops')] }, { name: 'n2' }],
      namespaces: { prod: { env: 'prod' }, ops: {} },
      want: { n1: U(EXISTING), n2: 'ok' },
    },
    {
      name: 'existing pod’s anti-affinity in another namespace does not apply',
      pod: pod('p', { app: 'web' }),
      nodes: [{ name: 'n1', pods: [pod('e', {}, required([], [term({ app: 'web' }, 'kubernetes.io/hostname')]), 'other')] }],
      want: { n1: 'ok' },
      skip: true,
    },
    {
      name: 'affinity is checked before anti-affinity',
      pod: pod('p', {}, required([term({ app: 'db' }, 'kubernetes.io/hostname')], [term({ app: 'web' }, 'kubernetes.io/hostname')])),
      nodes: [{ name: 'n1', pods: [pod('w', { app: 'web' })] }, { name: 'n2', pods: [pod('d', { app: 'db' }), pod('w2', { app: 'web' })] }, { name: 'n3', pods: [pod('d3', { app: 'db' })] }],
      want: { n1: UR(AFF), n2: U(ANTI), n3: 'ok' },
    },
    {
      name: 'matchLabelKeys narrows the selector to the pod’s own value',
      pod: pod('p', { app: 'web', rev: '2' }, required([], [term({ app: 'web' }, 'kubernetes.io/hostname', { matchLabelKeys: ['rev'] })])),
      nodes: [{ name: 'n1', pods: [pod('w1', { app: 'web', rev: '1' })] }, { name: 'n2', pods: [pod('w2', { app: 'web', rev: '2' })] }],
      want: { n1: 'ok', n2: U(ANTI) },
    },
    {
      name: 'mismatchLabelKeys excludes the pod’s own value',
      pod: pod('p', { app: 'web', tenant: 't1' }, required([], [term({ app: 'web' }, 'kubernetes.io/hostname', { mismatchLabelKeys: ['tenant'] })])),
      nodes: [{ name: 'n1', pods: [pod('w1', { app: 'web', tenant: 't1' })] }, { name: 'n2', pods: [pod('w2', { app: 'web', tenant: 't2' })] }],
      want: { n1: 'ok', n2: U(ANTI) },
    },
  ];

  it.each(cases)('$name', ({ pod: incoming, nodes, namespaces, want, skip }) => {
    const infos = cluster(nodes);
    const state = prefilter(incoming, infos, staticNamespaceLookup(namespaces));
    expect(state.hasConstraints()).toBe(!skip);
    expect(outcomes(state, infos)).toEqual(want);
  });
});

describe('InterPodAffinity PreFilter counts', () => {
  it('counts per topology pair: existing anti-affinity, incoming affinity (all terms) and anti-affinity (per term)', () => {
    const incoming = pod('p', { app: 'web' }, required([term({ app: 'db' }), term({ app: 'db' }, 'kubernetes.io/hostname')], [term({ app: 'web' })]));
    const infos = cluster([
      { name: 'n1', labels: zone('z1'), pods: [pod('db1', { app: 'db' }), pod('w1', { app: 'web' })] },
      { name: 'n2', labels: zone('z1'), pods: [pod('db2', { app: 'db' }), pod('x', {}, required([], [term({ app: 'web' }, 'kubernetes.io/hostname')]))] },
      { name: 'n3', labels: zone('z2'), pods: [pod('w3', { app: 'web' })] },
      { name: 'n4', pods: [pod('db4', { app: 'db' })] },
    ]);
    const s = prefilter(incoming, infos);
    expect(s.affinityCounts.toRecord()).toEqual({ 'zone=z1': 2, 'kubernetes.io/hostname=n1': 1, 'kubernetes.io/hostname=n2': 1, 'kubernetes.io/hostname=n4': 1 });
    expect(s.antiAffinityCounts.toRecord()).toEqual({ 'zone=z1': 1, 'zone=z2': 1 });
    expect(s.existingAntiAffinityCounts.toRecord()).toEqual({ 'kubernetes.io/hostname=n2': 1 });
  });

  it('clone + updateWithPod simulate removing and adding pods without touching the original', () => {
    const incoming = pod('p', { app: 'web' }, required([], [term({ app: 'web' }, 'kubernetes.io/hostname')]));
    const blocker = pod('w', { app: 'web' });
    const guard = pod('g', {}, required([], [term({ app: 'web' }, 'kubernetes.io/hostname')]));
    const infos = cluster([{ name: 'n1', pods: [blocker] }, { name: 'n2' }]);
    const state = prefilter(incoming, infos);
    const n1 = infos[0]!.node!;
    const n2 = infos[1]!.node!;

    const removed = state.clone();
    removed.updateWithPod(newPodInfo(blocker), n1, -1);
    expect(removed.antiAffinityCounts.size).toBe(0);
    expect(filterNode(removed, n1).isSuccess()).toBe(true);
    expect(filterNode(state, n1).message()).toBe(ANTI);

    const added = state.clone();
    added.updateWithPod(newPodInfo(guard), n2, 1);
    expect(filterNode(added, n2).message()).toBe(EXISTING);
    added.updateWithPod(newPodInfo(guard), n2, -1);
    expect(added.existingAntiAffinityCounts.size).toBe(0);
    expect(state.existingAntiAffinityCounts.size).toBe(0);
  });
});
