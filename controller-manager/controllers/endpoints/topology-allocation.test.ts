/**
 * Zone CPU ratios, allocations, giving/receiving zones and overload (upstream topologycache's
 * TestSetNodes, getAllocations and Test_getGivingAndReceivingZones cases, restated).
 */
import { describe, expect, it } from 'vitest';
import type { Node } from '../../../pkg/api/core/v1/node.ts';
import { allocateEndpoints, givingAndReceivingZones, serviceOverloaded, zoneCpuRatios } from './topology-allocation.ts';

interface N {
  zone?: string;
  cpu?: string;
  ready?: 'True' | 'False';
  labels?: Record<string, string>;
}
let seq = 0;
const node = ({ zone, cpu, ready = 'True', labels = {} }: N): Node =>
  ({
    metadata: { name: `node-${seq++}`, labels: { ...labels, ...(zone ? { 'topology.kubernetes.io/zone': zone } : {}) } },
    status: { ...(cpu ? { allocatable: { cpu } } : {}), conditions: [{ type: 'Ready', status: ready }] },
  }) as Node;
const controlPlane = { 'node-role.kubernetes.io/control-plane': '' };
const ratiosOf = (nodes: N[]) => {
  const r = zoneCpuRatios(nodes.map(node)).ratios;
  return r && Object.fromEntries(r);
};

describe('zone CPU ratios (upstream SetNodes)', () => {
  it.each<[string, N[], Record<string, number> | undefined]>([
    ['no nodes', [], undefined],
    ['a single node', [{ zone: 'zone-a', cpu: '1000m' }], undefined],
    ['a single zone', [{ zone: 'zone-a', cpu: '1000m' }, { zone: 'zone-a', cpu: '1000m' }], undefined],
    ['two zones', [{ zone: 'zone-a', cpu: '1000m' }, { zone: 'zone-b', cpu: '1000m' }], { 'zone-a': 0.5, 'zone-b': 0.5 }],
    ['the only node of one zone not ready', [{ zone: 'zone-a', cpu: '1000m', ready: 'False' }, { zone: 'zone-b', cpu: '1000m' }], undefined],
    ['the only node of one zone a control-plane node', [{ zone: 'zone-a', cpu: '1000m' }, { zone: 'zone-b', cpu: '1000m', labels: controlPlane }], undefined],
    ['a legacy master node is left out too', [{ zone: 'zone-a', cpu: '1' }, { zone: 'zone-b', cpu: '1' }, { zone: 'zone-b', cpu: '8', labels: { 'node-role.kubernetes.io/master': 'true' } }], { 'zone-a': 0.5, 'zone-b': 0.5 }],
    ['a not-ready node beside a ready one in its zone', [{ zone: 'zone-a', cpu: '1000m' }, { zone: 'zone-b', cpu: '1000m' }, { zone: 'zone-b', cpu: '1000m', ready: 'False' }], { 'zone-a': 0.5, 'zone-b': 0.5 }],
    ['a control-plane node beside a worker in its zone', [{ zone: 'zone-a', cpu: '1000m' }, { zone: 'zone-b', cpu: '1000m' }, { zone: 'zone-b', cpu: '1000m', labels: controlPlane }], { 'zone-a': 0.5, 'zone-b': 0.5 }],
    [
      'three zones of 4, 2 and 1 nodes',
      [{ zone: 'zone-a', cpu: '1000m' }, { zone: 'zone-a', cpu: '1000m' }, { zone: 'zone-a', cpu: '1000m' }, { zone: 'zone-a', cpu: '2000m' }, { zone: 'zone-b', cpu: '3000m' }, { zone: 'zone-b', cpu: '1500m' }, { zone: 'zone-c', cpu: '500m' }],
      { 'zone-a': 0.5, 'zone-b': 0.45, 'zone-c': 0.05 },
    ],
    ['a ready node without a zone voids everything', [{ zone: 'zone-a', cpu: '1' }, { zone: 'zone-b', cpu: '1' }, { cpu: '1' }], undefined],
    ['a ready node without allocatable CPU voids everything', [{ zone: 'zone-a', cpu: '1' }, { zone: 'zone-b', cpu: '1' }, { zone: 'zone-b' }], undefined],
    ['a not-ready node without a zone does not count', [{ zone: 'zone-a', cpu: '1' }, { zone: 'zone-b', cpu: '1' }, { cpu: '1', ready: 'False' }], { 'zone-a': 0.5, 'zone-b': 0.5 }],
  ])('%s', (_name, nodes, expected) => {
    expect(ratiosOf(nodes)).toEqual(expected);
  });

  it('names the node that lacks a zone or CPU', () => {
    const lacking = node({ cpu: '2' });
    expect(zoneCpuRatios([node({ zone: 'zone-a', cpu: '1' }), lacking]).nodeWithoutInfo).toBe(lacking.metadata.name);
  });
});

describe('allocations (upstream getAllocations)', () => {
  const ratios = (r: Record<string, number>) => new Map(Object.entries(r));
  it.each<[string, Map<string, number> | undefined, number, string]>([
    ['no ratios', undefined, 10, 'Insufficient Node information: allocatable CPU or zone not specified on one or more nodes'],
    ['one zone', ratios({ 'zone-a': 1 }), 10, 'Nodes only ready in one zone'],
    ['fewer ready endpoints than zones', ratios({ 'zone-a': 0.3, 'zone-b': 0.4, 'zone-c': 0.3 }), 2, 'Insufficient number of endpoints (2 endpoints, 3 zones)'],
    ['minimums over the endpoints', ratios({ 'zone-a': 0.05, 'zone-b': 0.45, 'zone-c': 0.5 }), 3, 'Unable to allocate minimum required endpoints to each zone without exceeding overload threshold (3 endpoints, 3 zones)'],
  ])('refuses with %s', (_name, r, n, refusal) => {
    expect(allocateEndpoints(r, n)).toEqual({ refusal });
  });

  it('gives each zone its CPU share, a minimum 20 % under it and what the minimums leave as maximum', () => {
    const result = allocateEndpoints(ratios({ 'zone-a': 0.35, 'zone-b': 0.35, 'zone-c': 0.3 }), 10);
    expect('allocations' in result && Object.fromEntries(result.allocations)).toEqual({
      'zone-a': { minimum: 3, maximum: 4, desired: 3.5 },
      'zone-b': { minimum: 3, maximum: 4, desired: 3.5 },
      'zone-c': { minimum: 3, maximum: 4, desired: 3 },
    });
  });

  it('never desires less than the minimum', () => {
    const result = allocateEndpoints(ratios({ 'zone-a': 0.1, 'zone-b': 0.9 }), 2);
    // zone-a: 0.2 desired → minimum ceil(0.1667) = 1; zone-b: 1.8 → minimum 2 → 3 > 2 endpoints.
    expect(result).toEqual({ refusal: 'Unable to allocate minimum required endpoints to each zone without exceeding overload threshold (2 endpoints, 2 zones)' });
    const ok = allocateEndpoints(ratios({ 'zone-a': 0.1, 'zone-b': 0.9 }), 10);
    expect('allocations' in ok && ok.allocations.get('zone-a')).toEqual({ minimum: 1, maximum: 2, desired: 1 });
  });
});

describe('giving and receiving zones (upstream getGivingAndReceivingZones)', () => {
  const desired = (d: Record<string, number>) => new Map(Object.entries(d).map(([z, v]) => [z, { desired: v }]));
  it.each<[string, Record<string, number>, Record<string, number>, Record<string, number>, Record<string, number>]>([
    ['nothing', {}, {}, {}, {}],
    ['an allocation that needs no rebalancing', { 'zone-a': 1.2, 'zone-b': 1.1, 'zone-c': 1.0 }, { 'zone-a': 1, 'zone-b': 1, 'zone-c': 1 }, {}, {}],
    ['same zone preferred over a slightly better spread', { 'zone-a': 5.1, 'zone-b': 5.1, 'zone-c': 5.8 }, { 'zone-a': 16 }, { 'zone-a': 10 }, { 'zone-b': 5, 'zone-c': 5 }],
    ['two zones short of less than one: the neediest gets it', { 'zone-a': 5.0, 'zone-b': 5.6, 'zone-c': 5.4 }, { 'zone-a': 16 }, { 'zone-a': 11 }, { 'zone-b': 6, 'zone-c': 5 }],
    ['two zones with extra: the one with most gives', { 'zone-a': 5.0, 'zone-b': 5.6, 'zone-c': 5.4 }, { 'zone-b': 8, 'zone-c': 8 }, { 'zone-b': 2, 'zone-c': 3 }, { 'zone-a': 5 }],
    ['more hinted than allocated everywhere', { 'zone-a': 5, 'zone-b': 5, 'zone-c': 5 }, { 'zone-a': 6, 'zone-b': 6, 'zone-c': 6 }, {}, {}],
    ['negative allocations', { 'zone-a': -5, 'zone-b': -5, 'zone-c': -5 }, { 'zone-a': 6, 'zone-b': 6, 'zone-c': 6 }, {}, {}],
    ['negative hint counts', { 'zone-a': 5, 'zone-b': 5, 'zone-c': 5 }, { 'zone-a': -4, 'zone-b': -3, 'zone-c': -2 }, {}, {}],
    ['one zone deeply negative', { 'zone-a': 5, 'zone-b': 5, 'zone-c': 5 }, { 'zone-a': -40, 'zone-b': 20, 'zone-c': 20 }, { 'zone-b': 15, 'zone-c': 15 }, { 'zone-a': 30 }],
  ])('%s', (_name, allocations, hints, giving, receiving) => {
    const result = givingAndReceivingZones(desired(allocations), new Map(Object.entries(hints)));
    expect([Object.fromEntries(result.giving), Object.fromEntries(result.receiving)]).toEqual([giving, receiving]);
  });
});

describe('overloaded Services (upstream serviceOverloaded)', () => {
  const m = (r: Record<string, number>) => new Map(Object.entries(r));
  it.each<[string, Record<string, number>, Map<string, number> | undefined, boolean]>([
    ['no hints', {}, m({ 'zone-a': 0.5, 'zone-b': 0.5 }), false],
    ['hints but no ratios any more', { 'zone-a': 1, 'zone-b': 1 }, undefined, true],
    ['a zone without hinted endpoints', { 'zone-a': 2 }, m({ 'zone-a': 0.5, 'zone-b': 0.5 }), true],
    ['a zone under its minimum', { 'zone-a': 8, 'zone-b': 2 }, m({ 'zone-a': 0.5, 'zone-b': 0.5 }), true],
    ['every zone at its minimum or more', { 'zone-a': 6, 'zone-b': 5 }, m({ 'zone-a': 0.5, 'zone-b': 0.5 }), false],
  ])('%s → %s', (_name, hints, ratios, overloaded) => {
    expect(serviceOverloaded(m(hints), ratios)).toBe(overloaded);
  });
});
