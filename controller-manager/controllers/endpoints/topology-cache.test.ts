/**
 * The topology cache's memory and events, the annotation's values and its precedence over
 * trafficDistribution (upstream hintsEnabled / canUseTrafficDistribution / the reconciler's
 * hint branch).
 */
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { Node } from '../../../pkg/api/core/v1/node.ts';
import type { Service } from '../../../pkg/api/core/v1/service.ts';
import type { Endpoint } from '../../../pkg/api/discovery/v1/endpointslice.ts';
import { desiredSlices } from './desired.ts';
import { serviceSliceHints } from './service-hints.ts';
import { nodeTopologyChanged, TopologyCache } from './topology-cache.ts';
import { topologyHintsEnabled, usesTrafficDistribution } from './topology-mode.ts';

const log = pino({ level: 'silent' });
const zoneNode = (name: string, zone: string | undefined, ready = 'True'): Node =>
  ({ metadata: { name, labels: zone ? { 'topology.kubernetes.io/zone': zone } : {} }, status: { allocatable: { cpu: '2' }, conditions: [{ type: 'Ready', status: ready }] } }) as Node;
const threeZones = [zoneNode('a', 'zone-a'), zoneNode('b', 'zone-b'), zoneNode('c', 'zone-c')];
const ep = (ip: string, zone: string): Endpoint => ({ addresses: [ip], conditions: { ready: true }, zone });
const slice = [ep('10.0.0.1', 'zone-a'), ep('10.0.0.2', 'zone-b'), ep('10.0.0.3', 'zone-c')];
const svc = (annotations: Record<string, string> = {}, trafficDistribution?: string): Service =>
  ({ metadata: { name: 'web', namespace: 'ns', annotations }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }], ...(trafficDistribution ? { trafficDistribution } : {}) } }) as Service;

describe('the topology annotation (upstream hintsEnabled)', () => {
  it.each<[Record<string, string> | undefined, boolean]>([
    [undefined, false],
    [{}, false],
    [{ 'service.kubernetes.io/topology-mode': 'Auto' }, true],
    [{ 'service.kubernetes.io/topology-mode': 'auto' }, true],
    [{ 'service.kubernetes.io/topology-mode': 'AUTO' }, false],
    [{ 'service.kubernetes.io/topology-mode': 'Disabled' }, false],
    [{ 'service.kubernetes.io/topology-mode': '' }, false],
    [{ 'service.kubernetes.io/topology-aware-hints': 'auto' }, true],
    [{ 'service.kubernetes.io/topology-aware-hints': 'Auto' }, true],
    // The deprecated annotation wins when both are set.
    [{ 'service.kubernetes.io/topology-aware-hints': 'disabled', 'service.kubernetes.io/topology-mode': 'Auto' }, false],
    [{ 'service.kubernetes.io/topology-aware-hints': 'Auto', 'service.kubernetes.io/topology-mode': 'Disabled' }, true],
  ])('%j → %s', (annotations, enabled) => {
    expect(topologyHintsEnabled(annotations)).toBe(enabled);
  });

  it('takes over from trafficDistribution: PreferClose', () => {
    expect(usesTrafficDistribution(svc({}, 'PreferClose'))).toBe(true);
    expect(usesTrafficDistribution(svc({ 'service.kubernetes.io/topology-mode': 'Auto' }, 'PreferClose'))).toBe(false);
    expect(usesTrafficDistribution(svc({ 'service.kubernetes.io/topology-mode': 'Disabled' }, 'PreferClose'))).toBe(true);
    expect(usesTrafficDistribution(svc({}, 'Nonsense'))).toBe(false);
    const pod = { metadata: { name: 'p', namespace: 'ns' }, spec: { nodeName: 'a', containers: [{ name: 'c' }] }, status: { phase: 'Running', podIP: '10.0.0.1', conditions: [{ type: 'Ready', status: 'True' }] } };
    const zoneOf = () => 'zone-a';
    expect(desiredSlices(svc({}, 'PreferClose'), [pod as never], { zoneOf })[0].endpoints[0].hints).toEqual({ forZones: [{ name: 'zone-a' }] });
    expect(desiredSlices(svc({ 'service.kubernetes.io/topology-mode': 'Auto' }, 'PreferClose'), [pod as never], { zoneOf })[0].endpoints[0].hints).toBeUndefined();
  });
});

describe('topology cache', () => {
  it('announces hints once, then refuses with a warning when a node loses its zone', () => {
    const cache = new TopologyCache(log);
    cache.setNodes(threeZones);
    const first = cache.addHints('ns/web', 'IPv4', [{ endpoints: slice, unchanged: false }]);
    expect(first.events).toEqual([{ type: 'Normal', reason: 'TopologyAwareHintsEnabled', message: 'Topology Aware Hints has been enabled, addressType: IPv4' }]);
    expect(first.endpoints[0].map((e) => e.hints)).toEqual([{ forZones: [{ name: 'zone-a' }] }, { forZones: [{ name: 'zone-b' }] }, { forZones: [{ name: 'zone-c' }] }]);
    expect(cache.addHints('ns/web', 'IPv4', [{ endpoints: first.endpoints[0], unchanged: true }]).events).toEqual([]);
    expect(cache.overloadedServices()).toEqual([]);

    cache.setNodes([zoneNode('a', 'zone-a'), zoneNode('b', 'zone-b'), zoneNode('c', undefined)]);
    expect(cache.overloadedServices()).toEqual(['ns/web']);
    const after = cache.addHints('ns/web', 'IPv4', [{ endpoints: first.endpoints[0], unchanged: true }]);
    expect(after.events).toEqual([{ type: 'Warning', reason: 'TopologyAwareHintsDisabled', message: 'Insufficient Node information: allocatable CPU or zone not specified on one or more nodes, addressType: IPv4' }]);
    expect(after.endpoints[0].map((e) => e.hints)).toEqual([undefined, undefined, undefined]);
    expect(cache.hasPopulatedHints('ns/web')).toBe(false);
    // A Service without hints is not "overloaded": it is not synced again on Node changes.
    expect(cache.overloadedServices()).toEqual([]);
  });

  it('finds Services whose hints no longer fit once Nodes join a zone', () => {
    const cache = new TopologyCache(log);
    cache.setNodes(threeZones);
    cache.addHints('ns/web', 'IPv4', [{ endpoints: slice, unchanged: false }]);
    cache.setNodes([...threeZones, zoneNode('a2', 'zone-a'), zoneNode('a3', 'zone-a')]);
    // zone-a now holds 60 % of the CPU but 1 of 3 endpoints: below its minimum of 2.
    expect(cache.overloadedServices()).toEqual(['ns/web']);
  });

  it('forgets a Service that leaves Auto, with a TopologyAwareHintsDisabled event, and keeps trafficDistribution hints', () => {
    const cache = new TopologyCache(log);
    cache.setNodes(threeZones);
    const auto = serviceSliceHints(cache, svc({ 'service.kubernetes.io/topology-mode': 'Auto' }), 'IPv4', [{ desired: slice }]);
    expect(auto.events.map((e) => e.reason)).toEqual(['TopologyAwareHintsEnabled']);
    const preferClose = [{ ...ep('10.0.0.1', 'zone-a'), hints: { forZones: [{ name: 'zone-a' }] } }];
    const off = serviceSliceHints(cache, svc({ 'service.kubernetes.io/topology-mode': 'Disabled' }, 'PreferClose'), 'IPv4', [{ desired: preferClose, storedIfUnchanged: auto.endpoints[0] }]);
    expect(off.events).toEqual([{ type: 'Warning', reason: 'TopologyAwareHintsDisabled', message: 'Topology Aware Hints has been disabled, addressType: IPv4' }]);
    expect(off.endpoints).toEqual([preferClose]);
    expect(cache.hasPopulatedHints('ns/web')).toBe(false);
    expect(serviceSliceHints(cache, svc(), 'IPv4', [{ desired: slice }]).events).toEqual([]);
  });
});

describe('node changes the topology cache sees (upstream updateNode)', () => {
  it.each<[string, Node, Node, boolean]>([
    ['a heartbeat', zoneNode('a', 'zone-a'), zoneNode('a', 'zone-a'), false],
    ['readiness lost', zoneNode('a', 'zone-a'), zoneNode('a', 'zone-a', 'False'), true],
    ['zone label removed', zoneNode('a', 'zone-a'), zoneNode('a', undefined), true],
    ['zone label changed', zoneNode('a', 'zone-a'), zoneNode('a', 'zone-b'), true],
    ['allocatable changed (upstream ignores it until another Node event)', zoneNode('a', 'zone-a'), { ...zoneNode('a', 'zone-a'), status: { allocatable: { cpu: '64' }, conditions: [{ type: 'Ready', status: 'True' }] } } as Node, false],
  ])('%s → %s', (_name, oldNode, newNode, changed) => {
    expect(nodeTopologyChanged(oldNode, newNode)).toBe(changed);
  });
});
