import { afterEach, describe, expect, it } from 'vitest';
import { MemoryStorage } from '../../pkg/storage/memory.ts';
import { waitFor } from '../../pkg/testing/wait.ts';
import { assembleMaintenanceTestServer } from './maintenance-test-server.ts';
import type { ApiServer } from '../server.ts';

const SERVICE = '/api/v1/namespaces/default/services/kubernetes';
const IP_ADDRESS_KEY = '/registry/networking.k8s.io/ipaddresses/10.96.0.1';

describe('control-plane objects maintenance after bootstrap', () => {
  let server: ApiServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function start(storage: MemoryStorage, everyMs: number): Promise<ApiServer> {
    server = await assembleMaintenanceTestServer(storage, {
      advertise: { ip: '192.0.2.10', port: 6443 },
      serviceAllocationMaintenance: { defaultServiceCIDREveryMs: 0, repairEveryMs: 0 },
      controlPlaneObjectsMaintenance: { kubernetesServiceEveryMs: everyMs, systemNamespacesEveryMs: everyMs },
    });
    return server;
  }

  const request = async (s: ApiServer, method: 'GET' | 'DELETE' | 'PATCH', url: string, body?: unknown) => {
    const res = await s.app.inject({ method, url, payload: body as object, headers: body ? { 'content-type': 'application/merge-patch+json' } : {} });
    return { status: res.statusCode, body: res.json() };
  };

  it('brings back a deleted kubernetes Service at its address, with its Endpoints and EndpointSlice', async () => {
    const storage = new MemoryStorage();
    const s = await start(storage, 50);
    const first = await request(s, 'GET', SERVICE);
    expect(first.body.spec.clusterIP).toBe('10.96.0.1');

    expect((await request(s, 'DELETE', SERVICE)).status).toBe(200);
    expect((await request(s, 'DELETE', '/api/v1/namespaces/default/endpoints/kubernetes')).status).toBe(200);
    expect((await request(s, 'DELETE', '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices/kubernetes')).status).toBe(200);
    expect(await storage.get(IP_ADDRESS_KEY)).toBeUndefined();

    const again = await waitFor('kubernetes Service re-created', async () => {
      const res = await request(s, 'GET', SERVICE);
      return res.status === 200 ? res.body : undefined;
    }, { timeoutMs: 5_000 });
    expect(again.metadata.uid).not.toBe(first.body.metadata.uid);
    expect(again.spec).toMatchObject({ clusterIP: '10.96.0.1', type: 'ClusterIP', ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }] });
    expect((await storage.get(IP_ADDRESS_KEY))?.spec).toMatchObject({ parentRef: { resource: 'services', namespace: 'default', name: 'kubernetes' } });
    const endpoints = await waitFor('Endpoints re-created', async () => (await request(s, 'GET', '/api/v1/namespaces/default/endpoints/kubernetes')).body.subsets);
    expect(endpoints).toEqual([{ addresses: [{ ip: '192.0.2.10' }], ports: [{ name: 'https', port: 6443, protocol: 'TCP' }] }]);
    const slice = await waitFor('EndpointSlice re-created', async () => {
      const res = await request(s, 'GET', '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices/kubernetes');
      return res.status === 200 ? res.body : undefined;
    });
    expect(slice.endpoints).toEqual([expect.objectContaining({ addresses: ['192.0.2.10'] })]);
  });

  it('points edited Endpoints back at this server but leaves an edited Service port alone until a restart', async () => {
    const storage = new MemoryStorage();
    const s = await start(storage, 50);
    await request(s, 'PATCH', '/api/v1/namespaces/default/endpoints/kubernetes', { subsets: [{ addresses: [{ ip: '192.0.2.99' }], ports: [{ name: 'https', port: 6443 }] }] });
    await request(s, 'PATCH', SERVICE, { spec: { ports: [{ name: 'https', port: 8443, targetPort: 6443, protocol: 'TCP' }] } });
    await waitFor('Endpoints restored', async () => (await request(s, 'GET', '/api/v1/namespaces/default/endpoints/kubernetes')).body.subsets[0].addresses[0].ip === '192.0.2.10');
    expect((await request(s, 'GET', SERVICE)).body.spec.ports[0].port).toBe(8443);

    await s.close();
    const restarted = await start(storage, 0);
    expect((await request(restarted, 'GET', SERVICE)).body.spec.ports[0].port).toBe(443);
  });

  it('re-creates a deleted kube-node-lease namespace', async () => {
    const storage = new MemoryStorage();
    const s = await start(storage, 50);
    const deleted = await request(s, 'DELETE', '/api/v1/namespaces/kube-node-lease');
    expect(deleted.status).toBe(200);
    // The namespace controller is not running here: finish the deletion as it would.
    await storage.delete('/registry/namespaces/kube-node-lease');
    const again = await waitFor('kube-node-lease re-created', async () => {
      const res = await request(s, 'GET', '/api/v1/namespaces/kube-node-lease');
      return res.status === 200 ? res.body : undefined;
    }, { timeoutMs: 5_000 });
    expect(again.status.phase).toBe('Active');
  });
});
