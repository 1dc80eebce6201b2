/** The kube-dns Service `k8ts up` registers: one slice, and endpoints that follow the DNS address across `up`s. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestControlPlane, type TestControlPlane } from '../../pkg/testing/control-plane.ts';
import { registerDnsService } from './dns-service.ts';

describe('registerDnsService', () => {
  let cp: TestControlPlane;
  beforeAll(async () => {
    cp = await startTestControlPlane({ controllers: ['endpointslicemirroring'] });
  });
  afterAll(() => cp?.stop());

  const slices = async () => (await cp.client.endpointSlices.inNamespace('kube-system').list({ labelSelector: 'kubernetes.io/service-name=kube-dns' })).items;

  it('points the endpoints at the new address when a cluster comes up again with DNS elsewhere', async () => {
    await registerDnsService(cp.client, '10.244.0.1');
    await registerDnsService(cp.client, '10.250.0.1');
    const endpoints = await cp.client.endpoints.inNamespace('kube-system').get('kube-dns');
    expect(endpoints.subsets?.[0]?.addresses).toEqual([{ ip: '10.250.0.1' }]);
    expect((await slices()).map((s) => [s.metadata.name, s.endpoints?.map((e) => e.addresses)])).toEqual([['kube-dns-k8ts', [['10.250.0.1']]]]);
    expect((await cp.client.services.inNamespace('kube-system').get('kube-dns')).spec?.clusterIP).toBe('10.96.0.10');
  });

  it('leaves the Endpoints unmirrored, and the mirror of an older cluster goes', async () => {
    const endpoints = cp.client.endpoints.inNamespace('kube-system');
    // An older `up` wrote the Endpoints without the opt-out, so the mirroring controller made a second slice.
    const old = await endpoints.get('kube-dns');
    await endpoints.update({ ...old, metadata: { ...old.metadata, labels: { 'k8s-app': 'kube-dns' } } });
    await expect.poll(async () => (await slices()).length, { timeout: 10_000 }).toBe(2);
    await registerDnsService(cp.client, '10.250.0.1');
    expect((await endpoints.get('kube-dns')).metadata.labels).toEqual({ 'k8s-app': 'kube-dns', 'endpointslice.kubernetes.io/skip-mirror': 'true' });
    await expect.poll(async () => (await slices()).map((s) => s.metadata.name), { timeout: 10_000 }).toEqual(['kube-dns-k8ts']);
    const rv = (await endpoints.get('kube-dns')).metadata.resourceVersion;
    await registerDnsService(cp.client, '10.250.0.1');
    expect((await endpoints.get('kube-dns')).metadata.resourceVersion).toBe(rv);
  });
});
