/**
 * The mirroring controller against a real API server over etcd: selector-less Services with
 * hand-written Endpoints get EndpointSlices that follow the Endpoints, and lose them when the
 * Endpoints, the Service or its lack of a selector goes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Endpoints } from '../../../pkg/api/core/v1/endpoints.ts';
import type { Service } from '../../../pkg/api/core/v1/service.ts';
import type { EndpointSlice } from '../../../pkg/api/discovery/v1/endpointslice.ts';
import { getPrinter } from '../../../pkg/api/printers/index.ts';
import { startTestControlPlane, type TestControlPlane } from '../../../pkg/testing/control-plane.ts';
import { waitFor } from '../../../pkg/testing/wait.ts';

let cp: TestControlPlane;
const NS = 'mirror-test';
/** `--mirroring-max-endpoints-per-subset` of this plane (other tests stay below it). */
const MAX_PER_SUBSET = 3;
const MANAGED_BY = 'endpointslice.kubernetes.io/managed-by=endpointslicemirroring-controller.k8s.io';

const until = <T>(what: string, fn: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 20_000): Promise<T> => waitFor(what, fn, { timeoutMs, intervalMs: 50, retryErrors: true });
const mirrored = async (name: string, namespace = NS): Promise<EndpointSlice[]> => (await cp.client.endpointSlices.inNamespace(namespace).list({ labelSelector: `kubernetes.io/service-name=${name},${MANAGED_BY}` })).items;
const ips = (slice: EndpointSlice) => (slice.endpoints ?? []).map((e) => `${e.addresses[0]}${e.conditions?.ready ? '' : '!'}`).sort();

async function selectorlessService(name: string, selector?: Record<string, string>): Promise<void> {
  await cp.client.services.inNamespace(NS).create({ metadata: { name }, spec: { ...(selector ? { selector } : {}), ports: [{ name: 'http', port: 80, targetPort: 8080 }] } } as Service);
}
async function endpointsFor(name: string, ready: string[], extra: Partial<Endpoints['metadata']> = {}): Promise<void> {
  await cp.client.endpoints.inNamespace(NS).create({ metadata: { name, ...extra }, subsets: [{ addresses: ready.map((ip) => ({ ip })), ports: [{ name: 'http', port: 8080 }] }] } as Endpoints);
}

beforeAll(async () => {
  cp = await startTestControlPlane({ storage: 'etcd', controllers: ['endpointslicemirroring'], controllerSettings: { mirroringMaxEndpointsPerSubset: MAX_PER_SUBSET } });
  await cp.client.namespaces.create({ metadata: { name: NS } });
}, 60_000);
afterAll(() => cp?.stop());

describe('endpointslice mirroring', () => {
  it('mirrors a selector-less Service\'s Endpoints into a slice with its labels, annotations, ports and readiness', async () => {
    await selectorlessService('ext');
    await cp.client.endpoints.inNamespace(NS).create({
      metadata: { name: 'ext', labels: { team: 'db' }, annotations: { note: 'hand-written', 'kubectl.kubernetes.io/last-applied-configuration': '{}' } },
      subsets: [{ addresses: [{ ip: '192.0.2.10', hostname: 'db-0', nodeName: 'n1' }], notReadyAddresses: [{ ip: '192.0.2.11' }], ports: [{ name: 'http', port: 8080 }] }],
    } as Endpoints);
    const [slice] = await until('mirrored slice', async () => (await mirrored('ext')).length === 1 && mirrored('ext'));
    expect(slice.metadata.name).toMatch(/^ext-[a-z0-9]{5}$/);
    expect(slice.metadata.labels).toEqual({ team: 'db', 'kubernetes.io/service-name': 'ext', 'endpointslice.kubernetes.io/managed-by': 'endpointslicemirroring-controller.k8s.io' });
    expect(slice.metadata.annotations).toEqual({ note: 'hand-written' });
    expect(slice.metadata.ownerReferences).toEqual([expect.objectContaining({ apiVersion: 'v1', kind: 'Endpoints', name: 'ext', controller: true })]);
    expect(slice.addressType).toBe('IPv4');
    expect(slice.ports).toEqual([{ name: 'http', port: 8080, protocol: 'TCP' }]);
    expect(slice.endpoints?.find((e) => e.addresses[0] === '192.0.2.10')).toEqual({ addresses: ['192.0.2.10'], conditions: { ready: true }, hostname: 'db-0', nodeName: 'n1' });
    expect(ips(slice)).toEqual(['192.0.2.10', '192.0.2.11!']);

    // What `kubectl get endpointslices` prints for it.
    const row = getPrinter('discovery.k8s.io', 'EndpointSlice')?.row(slice, new Date());
    expect(row?.slice(0, 4)).toEqual([slice.metadata.name, 'IPv4', '8080', expect.stringMatching(/^192\.0\.2\.1[01],192\.0\.2\.1[01]$/)]);
  });

  it('updates the slice in place when the Endpoints changes', async () => {
    const [before] = await mirrored('ext');
    const current = await cp.client.endpoints.inNamespace(NS).get('ext');
    await cp.client.endpoints.inNamespace(NS).update({ ...current, subsets: [{ addresses: [{ ip: '192.0.2.10' }, { ip: '192.0.2.12' }], ports: [{ name: 'http', port: 8080 }] }] });
    const [after] = await until('slice follows the Endpoints', async () => {
      const slices = await mirrored('ext');
      return slices.length === 1 && ips(slices[0]).join() === '192.0.2.10,192.0.2.12' && slices;
    });
    expect(after.metadata.name).toBe(before.metadata.name);
    expect(after.metadata.uid).toBe(before.metadata.uid);
  });

  it('restores a mirrored slice deleted or edited by someone else', async () => {
    const [original] = await mirrored('ext');
    await cp.client.endpointSlices.inNamespace(NS).delete(original.metadata.name as string);
    const [replacement] = await until('slice re-created', async () => {
      const slices = await mirrored('ext');
      return slices.length === 1 && slices[0].metadata.uid !== original.metadata.uid && slices;
    });
    expect(ips(replacement)).toEqual(['192.0.2.10', '192.0.2.12']);

    await cp.client.endpointSlices.inNamespace(NS).update({ ...replacement, endpoints: [{ addresses: ['198.51.100.1'], conditions: { ready: true } }] });
    await until('edit reverted', async () => {
      const slices = await mirrored('ext');
      return slices.length === 1 && ips(slices[0]).join() === '192.0.2.10,192.0.2.12';
    });
  });

  it('removes the slices when the Endpoints gets the skip-mirror label, and mirrors again without it', async () => {
    await cp.client.endpoints.inNamespace(NS).patch('ext', { metadata: { labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } } }, { type: 'merge' });
    await until('slices removed', async () => (await mirrored('ext')).length === 0);
    await cp.client.endpoints.inNamespace(NS).patch('ext', { metadata: { labels: { 'endpointslice.kubernetes.io/skip-mirror': null } } }, { type: 'merge' });
    await until('mirrored again', async () => (await mirrored('ext')).length === 1);
  });

  it('removes the slices when the Endpoints is deleted', async () => {
    await cp.client.endpoints.inNamespace(NS).delete('ext');
    await until('slices removed', async () => (await mirrored('ext')).length === 0);
  });

  it('removes the slices when the Service gains a selector or is deleted', async () => {
    await selectorlessService('gains');
    await endpointsFor('gains', ['192.0.2.20']);
    await selectorlessService('goes');
    await endpointsFor('goes', ['192.0.2.30']);
    await until('both mirrored', async () => (await mirrored('gains')).length === 1 && (await mirrored('goes')).length === 1);

    await cp.client.services.inNamespace(NS).patch('gains', { spec: { selector: { app: 'x' } } }, { type: 'merge' });
    await cp.client.services.inNamespace(NS).delete('goes');
    await until('both unmirrored', async () => (await mirrored('gains')).length === 0 && (await mirrored('goes')).length === 0);
  });

  it('leaves Endpoints of a Service with a selector, and of no Service, alone', async () => {
    await selectorlessService('selected', { app: 'web' });
    await endpointsFor('selected', ['192.0.2.40']);
    await endpointsFor('orphan', ['192.0.2.50']);
    // A selector-less Service created afterwards is the yardstick: once it is mirrored, the others were looked at too.
    await selectorlessService('yardstick');
    await endpointsFor('yardstick', ['192.0.2.60']);
    await until('yardstick mirrored', async () => (await mirrored('yardstick')).length === 1);
    expect(await mirrored('selected')).toEqual([]);
    expect(await mirrored('orphan')).toEqual([]);
  });

  it('mirrors at most --mirroring-max-endpoints-per-subset addresses of a subset and says so in an Event', async () => {
    await selectorlessService('many');
    await endpointsFor('many', ['192.0.2.71', '192.0.2.72', '192.0.2.73', '192.0.2.74', '192.0.2.75']);
    const [slice] = await until('mirrored slice', async () => ((await mirrored('many')).length === 1 ? mirrored('many') : undefined));
    expect(ips(slice)).toEqual(['192.0.2.71', '192.0.2.72', '192.0.2.73']);
    const event = await until('TooManyAddressesToMirror event', async () =>
      (await cp.client.events.inNamespace(NS).list()).items.find((e) => e.reason === 'TooManyAddressesToMirror' && e.involvedObject.name === 'many'),
    );
    expect(event).toMatchObject({ type: 'Warning', involvedObject: { kind: 'Endpoints', name: 'many' }, message: 'A max of 3 addresses can be mirrored to EndpointSlices per Endpoints subset. 2 addresses were skipped' });
  });

  it('does not mirror default/kubernetes (the API server labels it skip-mirror and writes its slice itself)', async () => {
    expect((await cp.client.endpoints.inNamespace('default').get('kubernetes')).metadata.labels).toMatchObject({ 'endpointslice.kubernetes.io/skip-mirror': 'true' });
    expect(await mirrored('kubernetes', 'default')).toEqual([]);
  });
});
