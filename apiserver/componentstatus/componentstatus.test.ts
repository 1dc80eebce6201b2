/**
 * ComponentStatus: the probes alone (a local /healthz server, a closed port, a failing storage)
 * and `componentstatuses` get/list through the in-process API server, with the deprecation warning.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestControlPlane, type TestControlPlane } from '../../pkg/testing/control-plane.ts';
import { goGetError, httpProbe, storageProbe } from './probe.ts';

let healthz: Server;
let healthzUrl: string;
let closedUrl: string;
let cp: TestControlPlane;

beforeAll(async () => {
  healthz = createServer((req, res) => {
    if (req.url === '/healthz') res.end('ok');
    else res.writeHead(500).end('[-]poststarthook failed');
  });
  await new Promise<void>((resolve) => healthz.listen(0, '127.0.0.1', resolve));
  healthzUrl = `http://127.0.0.1:${(healthz.address() as AddressInfo).port}/healthz`;
  // A port that was just free: nothing listens there.
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  closedUrl = `http://127.0.0.1:${(probe.address() as AddressInfo).port}/healthz`;
  await new Promise((resolve) => probe.close(resolve));
  cp = await startTestControlPlane({ componentStatus: { schedulerUrl: healthzUrl, controllerManagerUrl: closedUrl } });
});
afterAll(async () => {
  await cp?.stop();
  await new Promise((resolve) => healthz?.close(resolve));
});

describe('component probes', () => {
  it('is healthy with the body on 2xx, unhealthy with the body otherwise', async () => {
    expect(await httpProbe(healthzUrl)()).toEqual({ status: 'True', message: 'ok', error: '' });
    expect(await httpProbe(healthzUrl.replace('/healthz', '/readyz'))()).toEqual({ status: 'False', message: '[-]poststarthook failed', error: '' });
  });

  it('reports an unreachable component with Go\'s error text as message', async () => {
    const port = new URL(closedUrl).port;
    expect(await httpProbe(closedUrl)()).toEqual({ status: 'False', message: `Get "${closedUrl}": dial tcp 127.0.0.1:${port}: connect: connection refused`, error: '' });
    expect(goGetError('http://[::1]:10257/healthz', { cause: { code: 'ECONNREFUSED' } })).toBe('Get "http://[::1]:10257/healthz": dial tcp [::1]:10257: connect: connection refused');
  });

  it('checks etcd through the storage', async () => {
    expect(await storageProbe({ currentRevision: async () => 7 })()).toEqual({ status: 'True', message: 'ok', error: '' });
    expect(await storageProbe({ currentRevision: async () => Promise.reject(new Error('etcd down')) })()).toEqual({ status: 'False', message: '', error: 'etcd down' });
    expect(await storageProbe({ currentRevision: () => new Promise(() => undefined) }, { timeoutMs: 20 })()).toEqual({ status: 'False', message: '', error: 'context deadline exceeded' });
  });
});

describe('componentstatuses', () => {
  it('lists scheduler, controller-manager and etcd-0 with one Healthy condition each, and a deprecation warning', async () => {
    const res = await fetch(`${cp.url}/api/v1/componentstatuses`);
    expect(res.status).toBe(200);
    expect(res.headers.get('warning')).toBe('299 - "v1 ComponentStatus is deprecated in v1.19+"');
    const list = (await res.json()) as { kind: string; items: Array<{ metadata: { name: string }; conditions: unknown[] }> };
    expect(list.kind).toBe('ComponentStatusList');
    expect(list.items.map((i) => i.metadata.name)).toEqual(['scheduler', 'controller-manager', 'etcd-0']);
    expect(list.items[0].conditions).toEqual([{ type: 'Healthy', status: 'True', message: 'ok' }]);
    expect(list.items[1].conditions).toEqual([{ type: 'Healthy', status: 'False', message: expect.stringMatching(/connection refused$/) }]);
    expect(list.items[2].conditions).toEqual([{ type: 'Healthy', status: 'True', message: 'ok' }]);
  });

  it('gets one by name, filters by field selector, and answers an unknown name with upstream\'s 500', async () => {
    const one = (await (await fetch(`${cp.url}/api/v1/componentstatuses/etcd-0`)).json()) as { kind: string; apiVersion: string };
    expect(one).toMatchObject({ kind: 'ComponentStatus', apiVersion: 'v1', metadata: { name: 'etcd-0' } });
    const filtered = (await (await fetch(`${cp.url}/api/v1/componentstatuses?fieldSelector=metadata.name%3Dscheduler`)).json()) as { items: unknown[] };
    expect(filtered.items).toHaveLength(1);
    const missing = await fetch(`${cp.url}/api/v1/componentstatuses/nope`);
    expect(missing.status).toBe(500);
    expect(missing.headers.get('warning')).toBe('299 - "v1 ComponentStatus is deprecated in v1.19+"');
    expect(await missing.json()).toMatchObject({ reason: 'InternalError', message: 'Internal error occurred: Component not found: nope' });
  });

  it('refuses writes and watches', async () => {
    expect((await fetch(`${cp.url}/api/v1/componentstatuses`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } })).status).toBe(405);
    expect((await fetch(`${cp.url}/api/v1/componentstatuses?watch=true`)).status).toBe(405);
  });
});
