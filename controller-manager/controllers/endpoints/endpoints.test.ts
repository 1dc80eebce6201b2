/**
 * Endpoints and EndpointSlices against the in-process API server (pod IPs and readiness are
 * written by the test, as a kubelet would).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pod } from '../../../pkg/api/core/v1/pod.ts';
import type { Service } from '../../../pkg/api/core/v1/service.ts';
import { startTestControlPlane, type TestControlPlane } from '../../../pkg/testing/control-plane.ts';
import { waitFor } from '../../../pkg/testing/wait.ts';

let cp: TestControlPlane;
const NS = 'ep-test';

const until = <T>(what: string, fn: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 20_000): Promise<T> => waitFor(what, fn, { timeoutMs, intervalMs: 50, retryErrors: true });

async function runningPod(name: string, ip: string, ready: boolean, port = 8080): Promise<void> {
  await cp.client.pods.inNamespace(NS).create({ metadata: { name, labels: { app: 'web' } }, spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'x', ports: [{ name: 'http', containerPort: port }] }] } } as Pod);
  await cp.client.pods.inNamespace(NS).patch(name, { status: { phase: 'Running', podIP: ip, podIPs: [{ ip }], conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] } }, { type: 'merge', subresource: 'status' });
}

beforeAll(async () => {
  cp = await startTestControlPlane({ controllers: ['endpoint'] });
  await cp.client.namespaces.create({ metadata: { name: NS } });
});
afterAll(() => cp?.stop());

describe('endpoints and endpointslices', () => {
  it('lists ready and not-ready pods with the named targetPort resolved per pod, sorted by IP', async () => {
    await cp.client.services.inNamespace(NS).create({ metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } } as Service);
    await runningPod('b', '10.244.0.20', true);
    await runningPod('a', '10.244.0.3', true);
    await runningPod('c', '10.244.0.9', false);
    const ep = await until('endpoints', async () => {
      const e = await cp.client.endpoints.inNamespace(NS).get('web');
      return e.subsets?.[0]?.addresses?.length === 2 && e.subsets[0].notReadyAddresses?.length === 1 && e;
    });
    expect(ep.subsets?.[0].addresses?.map((a) => a.ip)).toEqual(['10.244.0.3', '10.244.0.20']);
    expect(ep.subsets?.[0].ports).toEqual([{ name: 'http', port: 8080, protocol: 'TCP' }]);
    expect(ep.subsets?.[0].addresses?.[0]).toMatchObject({ nodeName: 'n1', targetRef: { kind: 'Pod', name: 'a' } });
    const slices = await until('slice', async () => {
      const items = (await cp.client.endpointSlices.inNamespace(NS).list({ labelSelector: 'kubernetes.io/service-name=web' })).items;
      return items.length === 1 && items[0].endpoints?.length === 3 && items;
    });
    expect(slices[0].metadata.name).toMatch(/^web-[a-z0-9]{5}$/);
    expect(slices[0].metadata.labels).toMatchObject({ 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' });
    expect(slices[0].metadata.ownerReferences?.[0]).toMatchObject({ kind: 'Service', name: 'web', controller: true });
    expect(slices[0].endpoints?.map((e) => [e.addresses[0], e.conditions?.ready])).toEqual([['10.244.0.3', true], ['10.244.0.9', false], ['10.244.0.20', true]]);
    expect(slices[0].ports).toEqual([{ name: 'http', port: 8080, protocol: 'TCP' }]);
  });

  it('follows pods going away and leaves selector-less Services alone', async () => {
    await cp.client.pods.inNamespace(NS).delete('b', { gracePeriodSeconds: 0 });
    await until('b gone from endpoints', async () => (await cp.client.endpoints.inNamespace(NS).get('web')).subsets?.[0]?.addresses?.map((a) => a.ip).join() === '10.244.0.3');
    await cp.client.services.inNamespace(NS).create({ metadata: { name: 'manual' }, spec: { ports: [{ port: 80 }] } } as Service);
    await cp.client.endpoints.inNamespace(NS).create({ metadata: { name: 'manual' }, subsets: [{ addresses: [{ ip: '192.0.2.1' }], ports: [{ port: 80 }] }] });
    await new Promise((r) => setTimeout(r, 300));
    expect((await cp.client.endpoints.inNamespace(NS).get('manual')).subsets?.[0].addresses?.[0].ip).toBe('192.0.2.1');
  });

  it('stamps Endpoints and slices with the change that triggered them: the Service creation, then a pod turning ready', async () => {
    const TRIGGER = 'endpoints.kubernetes.io/last-change-trigger-time';
    const svc = await cp.client.services.inNamespace(NS).create({ metadata: { name: 'stamped' }, spec: { selector: { app: 'stamped' }, ports: [{ port: 80 }] } } as Service);
    const first = await until('endpoints', () => cp.client.endpoints.inNamespace(NS).get('stamped'));
    expect(first.metadata.annotations?.[TRIGGER]).toBe(svc.metadata.creationTimestamp);
    await cp.client.pods.inNamespace(NS).create({ metadata: { name: 'stamped-0', labels: { app: 'stamped' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } as Pod);
    const readyAt = '2030-01-02T03:04:05Z';
    await cp.client.pods.inNamespace(NS).patch('stamped-0', { status: { phase: 'Running', podIP: '10.246.0.1', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: readyAt }] } }, { type: 'merge', subresource: 'status' });
    const ep = await until('pod in endpoints', async () => {
      const e = await cp.client.endpoints.inNamespace(NS).get('stamped');
      return e.subsets?.[0]?.addresses?.length === 1 && e;
    });
    expect(ep.metadata.annotations?.[TRIGGER]).toBe(readyAt);
    const slice = await until('pod in slice', async () => (await cp.client.endpointSlices.inNamespace(NS).list({ labelSelector: 'kubernetes.io/service-name=stamped' })).items.find((s) => s.endpoints?.length === 1));
    expect(slice.metadata.annotations?.[TRIGGER]).toBe(readyAt);
  });

  it('recreates a slice or an Endpoints object someone deletes, and undoes an edit of its slice', async () => {
    const slices = cp.client.endpointSlices.inNamespace(NS);
    const sliceOfWeb = async () => (await slices.list({ labelSelector: 'kubernetes.io/service-name=web' })).items;
    const [first] = await until('web slice', async () => ((await sliceOfWeb()).length === 1 ? sliceOfWeb() : undefined));
    await slices.delete(first.metadata.name as string);
    const second = await until('slice recreated', async () => (await sliceOfWeb()).find((s) => s.metadata.uid !== first.metadata.uid && s.endpoints?.length));
    expect(second.endpoints?.map((e) => e.addresses[0])).toEqual(first.endpoints?.map((e) => e.addresses[0]));

    const edited = await slices.patch(second.metadata.name as string, { endpoints: [{ addresses: ['192.0.2.99'] }] }, { type: 'merge' });
    expect(edited.metadata.generation).toBe((second.metadata.generation ?? 0) + 1);
    await until('edit undone', async () => (await slices.get(second.metadata.name as string)).endpoints?.some((e) => e.addresses[0] === second.endpoints?.[0].addresses[0]));

    const before = await cp.client.endpoints.inNamespace(NS).get('web');
    await cp.client.endpoints.inNamespace(NS).delete('web');
    const after = await until('endpoints recreated', async () => {
      const e = await cp.client.endpoints.inNamespace(NS).get('web');
      return e.metadata.uid !== before.metadata.uid && e;
    });
    expect(after.subsets).toEqual(before.subsets);
  });

  it('splits more than 100 endpoints into several slices', async () => {
    await cp.client.services.inNamespace(NS).create({ metadata: { name: 'big' }, spec: { selector: { app: 'big' }, ports: [{ port: 80 }] } } as Service);
    await Promise.all(
      Array.from({ length: 120 }, async (_, i) => {
        const name = `big-${i}`;
        await cp.client.pods.inNamespace(NS).create({ metadata: { name, labels: { app: 'big' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } as Pod);
        await cp.client.pods.inNamespace(NS).patch(name, { status: { phase: 'Running', podIP: `10.245.${Math.floor(i / 200)}.${(i % 200) + 1}`, conditions: [{ type: 'Ready', status: 'True' }] } }, { type: 'merge', subresource: 'status' });
      }),
    );
    const slices = await until('2 slices', async () => {
      const items = (await cp.client.endpointSlices.inNamespace(NS).list({ labelSelector: 'kubernetes.io/service-name=big' })).items;
      return items.length === 2 && items.reduce((n, s) => n + (s.endpoints?.length ?? 0), 0) === 120 && items;
    });
    expect(slices.map((s) => s.endpoints?.length).sort()).toEqual([100, 20]);
  });

  it('gives endpoints of pods whose subdomain is the Service their hostname (a StatefulSet behind its headless Service)', async () => {
    await cp.client.services.inNamespace(NS).create({ metadata: { name: 'nginx' }, spec: { clusterIP: 'None', selector: { app: 'nginx' }, ports: [{ name: 'web', port: 80 }] } } as Service);
    const make = async (name: string, ip: string, spec: Record<string, unknown>) => {
      await cp.client.pods.inNamespace(NS).create({ metadata: { name, labels: { app: 'nginx' } }, spec: { containers: [{ name: 'c', image: 'x' }], ...spec } } as Pod);
      await cp.client.pods.inNamespace(NS).patch(name, { status: { phase: 'Running', podIP: ip, conditions: [{ type: 'Ready', status: 'True' }] } }, { type: 'merge', subresource: 'status' });
    };
    await make('web-0', '10.246.0.1', { hostname: 'web-0', subdomain: 'nginx' });
    await make('web-1', '10.246.0.2', { hostname: 'web-1', subdomain: 'nginx' });
    await make('stray', '10.246.0.3', { hostname: 'stray', subdomain: 'other' });
    const ep = await until('endpoints', async () => {
      const e = await cp.client.endpoints.inNamespace(NS).get('nginx');
      return e.subsets?.[0]?.addresses?.length === 3 && e;
    });
    expect(ep.subsets?.[0].addresses?.map((a) => [a.ip, a.hostname])).toEqual([['10.246.0.1', 'web-0'], ['10.246.0.2', 'web-1'], ['10.246.0.3', undefined]]);
    const slice = await until('slice', async () => {
      const items = (await cp.client.endpointSlices.inNamespace(NS).list({ labelSelector: 'kubernetes.io/service-name=nginx' })).items;
      return items[0]?.endpoints?.length === 3 && items[0];
    });
    expect(slice.endpoints?.map((e) => [e.addresses[0], e.hostname])).toEqual([['10.246.0.1', 'web-0'], ['10.246.0.2', 'web-1'], ['10.246.0.3', undefined]]);
  });

  it('keeps a terminating pod in the slice (serving, terminating, not ready) but not in the Endpoints, with its node zone', async () => {
    await cp.client.nodes.create({ metadata: { name: 'zoned', labels: { 'topology.kubernetes.io/zone': 'zone-a' } } });
    await cp.client.services.inNamespace(NS).create({ metadata: { name: 'drain', labels: { tier: 'front' } }, spec: { selector: { app: 'drain' }, ports: [{ port: 80 }] } } as Service);
    for (const [name, ip] of [['keep', '10.247.0.1'], ['going', '10.247.0.2']]) {
      await cp.client.pods.inNamespace(NS).create({ metadata: { name, labels: { app: 'drain' }, finalizers: ['example.com/hold'] }, spec: { nodeName: 'zoned', containers: [{ name: 'c', image: 'x' }] } } as Pod);
      await cp.client.pods.inNamespace(NS).patch(name, { status: { phase: 'Running', podIP: ip, conditions: [{ type: 'Ready', status: 'True' }] } }, { type: 'merge', subresource: 'status' });
    }
    await until('both in endpoints', async () => (await cp.client.endpoints.inNamespace(NS).get('drain')).subsets?.[0]?.addresses?.length === 2);
    await cp.client.pods.inNamespace(NS).delete('going');
    const slice = await until('terminating endpoint', async () => {
      const items = (await cp.client.endpointSlices.inNamespace(NS).list({ labelSelector: 'kubernetes.io/service-name=drain' })).items;
      return items[0]?.endpoints?.some((e) => e.conditions?.terminating) && items[0];
    });
    expect(slice.endpoints?.map((e) => [e.addresses[0], e.conditions, e.zone])).toEqual([
      ['10.247.0.1', { ready: true, serving: true, terminating: false }, 'zone-a'],
      ['10.247.0.2', { ready: false, serving: true, terminating: true }, 'zone-a'],
    ]);
    expect(slice.metadata.labels).toEqual({ tier: 'front', 'kubernetes.io/service-name': 'drain', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' });
    const ep = await until('terminating pod gone from endpoints', async () => {
      const e = await cp.client.endpoints.inNamespace(NS).get('drain');
      return e.subsets?.[0]?.addresses?.length === 1 && e;
    });
    expect(ep.subsets?.[0].addresses?.[0].ip).toBe('10.247.0.1');
    expect(ep.subsets?.[0].notReadyAddresses).toBeUndefined();
    await cp.client.pods.inNamespace(NS).patch('going', { metadata: { finalizers: null } }, { type: 'merge' });
    await cp.client.pods.inNamespace(NS).patch('keep', { metadata: { finalizers: null } }, { type: 'merge' });
  });

  it('hints a PreferClose Service\'s ready endpoints for their zone', async () => {
    await cp.client.services.inNamespace(NS).create({ metadata: { name: 'close' }, spec: { selector: { app: 'close' }, ports: [{ port: 80 }], trafficDistribution: 'PreferClose' } } as Service);
    await cp.client.pods.inNamespace(NS).create({ metadata: { name: 'close-a', labels: { app: 'close' } }, spec: { nodeName: 'zoned', containers: [{ name: 'c', image: 'x' }] } } as Pod);
    await cp.client.pods.inNamespace(NS).patch('close-a', { status: { phase: 'Running', podIP: '10.249.0.1', conditions: [{ type: 'Ready', status: 'True' }] } }, { type: 'merge', subresource: 'status' });
    const slice = await until('hinted slice', async () => {
      const items = (await cp.client.endpointSlices.inNamespace(NS).list({ labelSelector: 'kubernetes.io/service-name=close' })).items;
      return items[0]?.endpoints?.length === 1 && items[0];
    });
    expect(slice.endpoints?.[0]).toMatchObject({ zone: 'zone-a', hints: { forZones: [{ name: 'zone-a' }] } });
  });

  it('labels the Endpoints and slices of a headless Service service.kubernetes.io/headless', async () => {
    const ep = await until('headless endpoints', async () => {
      const e = await cp.client.endpoints.inNamespace(NS).get('nginx');
      return e.metadata.labels?.['service.kubernetes.io/headless'] === '' && e;
    });
    expect(ep.metadata.labels).toEqual({ 'service.kubernetes.io/headless': '' });
    const [slice] = (await cp.client.endpointSlices.inNamespace(NS).list({ labelSelector: 'kubernetes.io/service-name=nginx,service.kubernetes.io/headless' })).items;
    expect(slice?.metadata.labels?.['endpointslice.kubernetes.io/managed-by']).toBe('endpointslice-controller.k8s.io');
    expect((await cp.client.endpoints.inNamespace(NS).get('web')).metadata.labels ?? {}).toEqual({});
  });

  it('truncates an Endpoints object at 1,000 addresses, annotated over-capacity, while the slices keep every pod', async () => {
    await cp.client.services.inNamespace(NS).create({ metadata: { name: 'huge' }, spec: { selector: { app: 'huge' }, ports: [{ port: 80 }] } } as Service);
    const names = Array.from({ length: 1001 }, (_, i) => i);
    for (let at = 0; at < names.length; at += 50) {
      await Promise.all(
        names.slice(at, at + 50).map(async (i) => {
          const name = `huge-${i}`;
          await cp.client.pods.inNamespace(NS).create({ metadata: { name, labels: { app: 'huge' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } as Pod);
          await cp.client.pods.inNamespace(NS).patch(name, { status: { phase: 'Running', podIP: `10.248.${i >> 8}.${i & 255}`, conditions: [{ type: 'Ready', status: i === 0 ? 'False' : 'True' }] } }, { type: 'merge', subresource: 'status' });
        }),
      );
    }
    const ep = await until('over capacity', async () => {
      const e = await cp.client.endpoints.inNamespace(NS).get('huge');
      return e.metadata.annotations?.['endpoints.kubernetes.io/over-capacity'] === 'truncated' && e;
    }, 60_000);
    // 1,000 ready pods fill the cap; the not-ready one is dropped.
    expect(ep.subsets?.[0].addresses?.length).toBe(1000);
    expect(ep.subsets?.[0].notReadyAddresses ?? []).toEqual([]);
    await until('11 slices with every pod', async () => {
      const items = (await cp.client.endpointSlices.inNamespace(NS).list({ labelSelector: 'kubernetes.io/service-name=huge' })).items;
      return items.length === 11 && items.reduce((n, s) => n + (s.endpoints?.length ?? 0), 0) === 1001;
    }, 60_000);
    // 999 ready + 1 not ready: exactly at the cap, which is not over it.
    await cp.client.pods.inNamespace(NS).delete('huge-1', { gracePeriodSeconds: 0 });
    const back = await until('under capacity again', async () => {
      const e = await cp.client.endpoints.inNamespace(NS).get('huge');
      return e.metadata.annotations?.['endpoints.kubernetes.io/over-capacity'] === undefined && e;
    });
    expect([back.subsets?.[0].addresses?.length, back.subsets?.[0].notReadyAddresses?.length]).toEqual([999, 1]);
  }, 120_000);
});
