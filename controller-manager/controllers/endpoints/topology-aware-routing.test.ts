/**
 * Topology Aware Routing through the endpoint controller against the in-process API server:
 * three zones of Ready nodes with allocatable CPU, a Service annotated
 * `service.kubernetes.io/topology-mode: Auto`, one ready pod per zone. Hints appear with a
 * `TopologyAwareHintsEnabled` event; when a node loses its zone label they are removed with a
 * `TopologyAwareHintsDisabled` event.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Node } from '../../../pkg/api/core/v1/node.ts';
import type { Pod } from '../../../pkg/api/core/v1/pod.ts';
import type { Service } from '../../../pkg/api/core/v1/service.ts';
import { startTestControlPlane, type TestControlPlane } from '../../../pkg/testing/control-plane.ts';
import { waitFor } from '../../../pkg/testing/wait.ts';

let cp: TestControlPlane;
const NS = 'topology-test';
const ZONES = ['zone-a', 'zone-b', 'zone-c'];

const until = <T>(what: string, fn: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 20_000): Promise<T> => waitFor(what, fn, { timeoutMs, intervalMs: 50, retryErrors: true });
const slicesOf = async (service: string) => (await cp.client.endpointSlices.inNamespace(NS).list({ labelSelector: `kubernetes.io/service-name=${service}` })).items;
const endpointsOf = async (service: string) => (await slicesOf(service)).flatMap((s) => s.endpoints ?? []);
const eventsFor = async (service: string) => (await cp.client.events.inNamespace(NS).list()).items.filter((e) => e.involvedObject?.kind === 'Service' && e.involvedObject.name === service);

async function readyNode(name: string, zone: string): Promise<void> {
  await cp.client.nodes.create({ metadata: { name, labels: { 'topology.kubernetes.io/zone': zone } } } as Node);
  await cp.client.nodes.patch(name, { status: { allocatable: { cpu: '4', memory: '8Gi' }, capacity: { cpu: '4', memory: '8Gi' }, conditions: [{ type: 'Ready', status: 'True' }] } }, { type: 'merge', subresource: 'status' });
}

async function readyPod(name: string, node: string, ip: string): Promise<void> {
  await cp.client.pods.inNamespace(NS).create({ metadata: { name, labels: { app: 'auto' } }, spec: { nodeName: node, containers: [{ name: 'c', image: 'x' }] } } as Pod);
  await cp.client.pods.inNamespace(NS).patch(name, { status: { phase: 'Running', podIP: ip, conditions: [{ type: 'Ready', status: 'True' }] } }, { type: 'merge', subresource: 'status' });
}

beforeAll(async () => {
  cp = await startTestControlPlane({ controllers: ['endpoint'] });
  await cp.client.namespaces.create({ metadata: { name: NS } });
  for (const [i, zone] of ZONES.entries()) await readyNode(`node-${i}`, zone);
});
afterAll(() => cp?.stop());

describe('topology-mode: Auto', () => {
  it('hints each endpoint for its zone and records TopologyAwareHintsEnabled', async () => {
    // Pods first: the Service's first sync already sees one ready endpoint per zone.
    for (const [i] of ZONES.entries()) await readyPod(`auto-${i}`, `node-${i}`, `10.250.0.${i + 1}`);
    await cp.client.services.inNamespace(NS).create({ metadata: { name: 'auto', annotations: { 'service.kubernetes.io/topology-mode': 'Auto' } }, spec: { selector: { app: 'auto' }, ports: [{ port: 80 }] } } as Service);
    const endpoints = await until('three hinted endpoints', async () => {
      const eps = await endpointsOf('auto');
      return eps.length === 3 && eps.every((e) => e.hints) && eps;
    });
    expect(endpoints.map((e) => [e.addresses[0], e.zone, e.hints])).toEqual(ZONES.map((zone, i) => [`10.250.0.${i + 1}`, zone, { forZones: [{ name: zone }] }]));
    const enabled = await until('enabled event', async () => (await eventsFor('auto')).find((e) => e.reason === 'TopologyAwareHintsEnabled'));
    expect(enabled).toMatchObject({ type: 'Normal', message: 'Topology Aware Hints has been enabled, addressType: IPv4', source: { component: 'endpoint-slice-controller' } });
    expect((await eventsFor('auto')).filter((e) => e.reason === 'TopologyAwareHintsDisabled')).toEqual([]);
  });

  it('removes the hints with TopologyAwareHintsDisabled when a node loses its zone label', async () => {
    await cp.client.nodes.patch('node-2', { metadata: { labels: { 'topology.kubernetes.io/zone': null } } }, { type: 'merge' });
    const endpoints = await until('hints gone', async () => {
      const eps = await endpointsOf('auto');
      return eps.length === 3 && eps.every((e) => !e.hints) && eps;
    });
    expect(endpoints.map((e) => e.zone)).toEqual(['zone-a', 'zone-b', undefined]);
    const disabled = await until('disabled event', async () => (await eventsFor('auto')).filter((e) => e.reason === 'TopologyAwareHintsDisabled'));
    // Every sync while the information is missing says so again (upstream too); the messages are all this one.
    expect([...new Set(disabled.map((e) => `${e.type}: ${e.message}`))]).toEqual(['Warning: Insufficient Node information: allocatable CPU or zone not specified on one or more nodes, addressType: IPv4']);
    // One sync said so: the controller's own slice write did not bring the Service back (upstream's EndpointSliceTracker).
    await new Promise((r) => setTimeout(r, 1000));
    expect((await eventsFor('auto')).filter((e) => e.reason === 'TopologyAwareHintsDisabled').map((e) => e.count)).toEqual([1]);
  });
});
