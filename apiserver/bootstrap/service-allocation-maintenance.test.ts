import { afterEach, describe, expect, it } from 'vitest';
import { MemoryStorage } from '../../pkg/storage/memory.ts';
import { waitFor } from '../../pkg/testing/wait.ts';
import { assembleMaintenanceTestServer } from './maintenance-test-server.ts';
import type { ApiServer } from '../server.ts';

const SERVICE_CIDR_KEY = '/registry/networking.k8s.io/servicecidrs/kubernetes';
const leakedKey = '/registry/networking.k8s.io/ipaddresses/10.96.0.77';

describe('service allocation maintenance after bootstrap', () => {
  let server: ApiServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function start(storage: MemoryStorage) {
    server = await assembleMaintenanceTestServer(storage, { serviceAllocationMaintenance: { defaultServiceCIDREveryMs: 50, repairEveryMs: 50, repairGraceMs: 0 } });
  }

  it('re-creates a deleted default ServiceCIDR and releases an IPAddress whose Service is gone', async () => {
    const storage = new MemoryStorage();
    await start(storage);
    const first = await storage.get(SERVICE_CIDR_KEY);
    expect(first?.spec).toEqual({ cidrs: ['10.96.0.0/24'] });

    await storage.delete(SERVICE_CIDR_KEY);
    await storage.create(leakedKey, {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'IPAddress',
      metadata: {
        name: '10.96.0.77',
        uid: 'leaked',
        creationTimestamp: '2020-01-01T00:00:00Z',
        labels: { 'ipaddress.kubernetes.io/ip-family': 'IPv4', 'ipaddress.kubernetes.io/managed-by': 'ipallocator.k8s.io' },
      },
      spec: { parentRef: { group: '', resource: 'services', namespace: 'default', name: 'gone' } },
    });

    const again = await waitFor('default ServiceCIDR re-created', async () => storage.get(SERVICE_CIDR_KEY), { timeoutMs: 5_000 });
    expect(again.metadata.uid).not.toBe(first?.metadata.uid);
    expect(again.status).toMatchObject({ conditions: [{ type: 'Ready', status: 'True' }] });
    await waitFor('leaked IPAddress released', async () => (await storage.get(leakedKey)) === undefined, { timeoutMs: 5_000 });
    // The kubernetes Service keeps its address.
    expect(await storage.get('/registry/networking.k8s.io/ipaddresses/10.96.0.1')).toBeDefined();
  });

  it('stops its loops when the server closes', async () => {
    const storage = new MemoryStorage();
    await start(storage);
    await server!.close();
    server = undefined;
    await storage.delete(SERVICE_CIDR_KEY);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await storage.get(SERVICE_CIDR_KEY)).toBeUndefined();
  });
});
