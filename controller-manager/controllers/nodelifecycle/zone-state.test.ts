import { describe, expect, it } from 'vitest';
import type { Node, NodeCondition } from '../../../pkg/api/core/v1/node.ts';
import { computeZoneState, planDisruption, zoneKeyOf, type ZoneState } from './zone-state.ts';

const ready = (status: string): NodeCondition => ({ type: 'Ready', status });
const R = ready('True');
const U = ready('Unknown');
const F = ready('False');
const RATES = { nodeEvictionRate: 0.1, secondaryNodeEvictionRate: 0.01, largeClusterSizeThreshold: 4, unhealthyZoneThreshold: 0.55 };

describe('zoneKeyOf', () => {
  it.each([
    [{}, ''],
    [{ 'topology.kubernetes.io/zone': 'a' }, ':\u0000:a'],
    [{ 'topology.kubernetes.io/region': 'r', 'topology.kubernetes.io/zone': 'a' }, 'r:\u0000:a'],
    [{ 'failure-domain.beta.kubernetes.io/region': 'r', 'failure-domain.beta.kubernetes.io/zone': 'b' }, 'r:\u0000:b'],
    [{ 'topology.kubernetes.io/zone': 'a', 'failure-domain.beta.kubernetes.io/zone': 'b' }, ':\u0000:a'],
  ])('%j → %j', (labels, want) => expect(zoneKeyOf({ metadata: { name: 'n', labels } } as Node)).toBe(want));
});

describe('computeZoneState', () => {
  it.each([
    [[R, R], 0, 'Normal'],
    [[U], 1, 'FullDisruption'],
    [[undefined, F], 2, 'FullDisruption'],
    [[R, U, U], 2, 'Normal'],
    [[R, U, U, U], 3, 'PartialDisruption'],
    [[R, R, U, U, U], 3, 'PartialDisruption'],
    [[R, R, R, U, U, U], 3, 'Normal'],
    [[], 0, 'Normal'],
  ] as const)('%j → %d not ready, %s', (conds, notReady, state) => expect(computeZoneState(conds, 0.55)).toEqual({ notReady, state }));
});

describe('planDisruption', () => {
  const m = <V>(entries: Array<[string, V]>) => new Map(entries);
  it.each([
    ['healthy zones: Normal at the normal rate', m<ZoneState>([['a', 'Initial']]), m([['a', [R, U]]]), 'per-zone', [['a', 'Normal']], [['a', 0.1]]],
    ['nothing changed', m<ZoneState>([['a', 'Normal']]), m([['a', [R, U]]]), 'per-zone', [['a', 'Normal']], []],
    ['every zone down: stop tainting', m<ZoneState>([['a', 'Normal'], ['b', 'Normal']]), m([['a', [U]], ['b', [F, U]]]), 'enter-full-disruption', [['a', 'FullDisruption'], ['b', 'FullDisruption']], [['a', 0], ['b', 0]]],
    ['still all down', m<ZoneState>([['a', 'FullDisruption']]), m([['a', [U]]]), 'none', [['a', 'FullDisruption']], []],
    ['one zone down, another fine: taint in the down zone', m<ZoneState>([['a', 'Normal'], ['b', 'Normal']]), m([['a', [U]], ['b', [R]]]), 'per-zone', [['a', 'FullDisruption'], ['b', 'Normal']], [['a', 0.1]]],
    ['back from full disruption', m<ZoneState>([['a', 'FullDisruption'], ['b', 'FullDisruption']]), m([['a', [R]], ['b', [U]]]), 'exit-full-disruption', [['a', 'Normal'], ['b', 'FullDisruption']], [['a', 0.1], ['b', 0.1]]],
    ['partial disruption of a small zone: no tainting', m<ZoneState>([['a', 'Normal'], ['b', 'Normal']]), m([['a', [R, U, U, U]], ['b', [R]]]), 'per-zone', [['a', 'PartialDisruption'], ['b', 'Normal']], [['a', 0]]],
    ['partial disruption of a large zone: secondary rate', m<ZoneState>([['a', 'Normal'], ['b', 'Normal']]), m([['a', [R, R, U, U, U]], ['b', [R]]]), 'per-zone', [['a', 'PartialDisruption'], ['b', 'Normal']], [['a', 0.01]]],
    ['a zone without nodes is forgotten', m<ZoneState>([['a', 'Normal'], ['gone', 'Normal']]), m([['a', [R]]]), 'per-zone', [['a', 'Normal']], []],
    ['no nodes at all', m<ZoneState>([]), m<Array<NodeCondition | undefined>>([]), 'none', [], []],
  ] as const)('%s', (_name, previous, zones, action, states, rates) => {
    const plan = planDisruption(previous, zones as Map<string, NodeCondition[]>, RATES);
    expect(plan.action).toBe(action);
    expect([...plan.states]).toEqual(states);
    expect([...plan.rates]).toEqual(rates);
  });
});
