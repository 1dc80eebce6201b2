/**
 * End to end through the HTTP server (`app.inject()`): bootstrap + the default admission
 * plugins + the real built-in kinds.
 */
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { cidrContains, parseCidr, parseIP } from '../../pkg/net/index.ts';
import { MemoryStorage } from '../../pkg/storage/memory.ts';
import type { ApiServer } from '../server.ts';
import { startBootstrappedTestServer } from './bootstrapped-test-server.ts';

const FIXTURE = '/work/shared/fixtures/seeds/my-nginx-app.yaml';

let server: ApiServer;
let storage: MemoryStorage;

async function call(method: string, url: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await server.app.inject({
    method: method as 'GET',
    url,
    payload: body === undefined ? undefined : JSON.stringify(body),
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
  });
  return { status: res.statusCode, body: JSON.parse(res.body) };
}

function fixtureService(): Record<string, any> {
  const docs = parseAllDocuments(readFileSync(FIXTURE, 'utf8')).map((d) => d.toJSON());
  return docs.find((d) => d.kind === 'Service');
}

const RESERVATIONS = { ipaddresses: '/registry/networking.k8s.io/ipaddresses/', nodeports: '/registry/k8ts/nodeports/' } as const;
const reserved = async (kind: keyof typeof RESERVATIONS) => (await storage.list(RESERVATIONS[kind])).items.map((o) => o.metadata.name);

beforeEach(async () => {
  storage = new MemoryStorage();
  server = await startBootstrappedTestServer(storage);
});

afterEach(async () => {
  await server.close();
  await storage.close();
});

describe('Services through HTTP', () => {
  it('the bootstrapped kubernetes Service and namespaces are served', async () => {
    const svc = await call('GET', '/api/v1/namespaces/default/services/kubernetes');
    expect(svc.status).toBe(200);
    expect(svc.body.spec).toMatchObject({ clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443, targetPort: 6443, protocol: 'TCP' }] });
    const ns = await call('GET', '/api/v1/namespaces');
    expect(ns.body.items.map((n: { metadata: { name: string } }) => n.metadata.name).sort()).toEqual(['default', 'kube-node-lease', 'kube-public', 'kube-system']);
    const ep = await call('GET', '/api/v1/namespaces/default/endpoints/kubernetes');
    expect(ep.body.subsets).toEqual([{ addresses: [{ ip: '10.0.0.10' }], ports: [{ name: 'https', port: 6443, protocol: 'TCP' }] }]);
  });

  it('a Service without clusterIP gets one in the range', async () => {
    const res = await call('POST', '/api/v1/namespaces/default/services', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } });
    expect(res.status).toBe(201);
    expect(cidrContains(parseCidr('10.96.0.0/12')!, parseIP(res.body.spec.clusterIP)!)).toBe(true);
    expect(res.body.spec.clusterIP).not.toBe('10.96.0.1');
    expect(res.body.spec).toMatchObject({ clusterIPs: [res.body.spec.clusterIP], ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack', type: 'ClusterIP' });
  });

  it('my-nginx-app.yaml keeps NodePort 32143; the same nodePort in a second Service is a 422', async () => {
    const svc = fixtureService();
    const first = await call('POST', '/api/v1/namespaces/default/services', svc);
    expect(first.status).toBe(201);
    expect(first.body.spec.ports).toEqual([{ port: 80, targetPort: 80, protocol: 'TCP', nodePort: 32143 }]);
    const second = await call('POST', '/api/v1/namespaces/default/services', { ...svc, metadata: { name: 'copy' } });
    expect(second.status).toBe(422);
    expect(second.body).toMatchObject({
      kind: 'Status',
      reason: 'Invalid',
      message: 'Service "copy" is invalid: spec.ports[0].nodePort: Invalid value: 32143: provided port is already allocated',
      details: { name: 'copy', kind: 'Service', causes: [{ reason: 'FieldValueInvalid', field: 'spec.ports[0].nodePort', message: 'Invalid value: 32143: provided port is already allocated' }] },
    });
    expect(await reserved('nodeports')).toEqual(['32143']);
  });

  it('a requested clusterIP outside the range is a 422 with upstream\'s text', async () => {
    const res = await call('POST', '/api/v1/namespaces/default/services', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { clusterIP: '10.0.0.1', ports: [{ port: 80 }] } });
    expect(res.status).toBe(422);
    expect(res.body.message).toBe('Service "web" is invalid: spec.clusterIPs: Invalid value: []string{"10.0.0.1"}: failed to allocate IP 10.0.0.1: the provided network does not match the current range');
  });

  it('deleting a Service frees its address and node port; dry-run reserves nothing', async () => {
    const dry = await call('POST', '/api/v1/namespaces/default/services?dryRun=All', fixtureService());
    expect(dry.status).toBe(201);
    expect(dry.body.spec.clusterIP).toMatch(/^10\./);
    expect(await reserved('nodeports')).toEqual([]);
    const created = await call('POST', '/api/v1/namespaces/default/services', fixtureService());
    expect(await reserved('ipaddresses')).toContain(created.body.spec.clusterIP);
    const del = await call('DELETE', '/api/v1/namespaces/default/services/my-nginx-app-svc');
    expect(del.status).toBe(200);
    expect(await reserved('nodeports')).toEqual([]);
    expect(await reserved('ipaddresses')).toEqual(['10.96.0.1']);
  });

  it('a merge patch to ClusterIP releases the node port', async () => {
    await call('POST', '/api/v1/namespaces/default/services', fixtureService());
    const res = await server.app.inject({
      method: 'PATCH',
      url: '/api/v1/namespaces/default/services/my-nginx-app-svc',
      payload: JSON.stringify({ spec: { type: 'ClusterIP' } }),
      headers: { 'content-type': 'application/merge-patch+json' },
    });
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body).spec.ports[0].nodePort).toBeUndefined();
    expect(await reserved('nodeports')).toEqual([]);
  });
});

describe('NamespaceLifecycle through HTTP', () => {
  it('404 for a missing namespace, 403 for deleting default', async () => {
    const missing = await call('POST', '/api/v1/namespaces/nope/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } });
    expect(missing.status).toBe(404);
    expect(missing.body.message).toBe('namespaces "nope" not found');
    const del = await call('DELETE', '/api/v1/namespaces/default');
    expect(del.status).toBe(403);
    expect(del.body).toMatchObject({ reason: 'Forbidden', message: 'namespaces "default" is forbidden: this namespace may not be deleted' });
  });

  it('a new namespace is usable at once; a Terminating one refuses new content', async () => {
    expect((await call('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } })).status).toBe(201);
    expect((await call('POST', '/api/v1/namespaces/team/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } })).status).toBe(201);
    // A namespace as deletion leaves it while its finalizer is pending (written by another server).
    await storage.create('/registry/namespaces/leaving', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'leaving', uid: 'u1', deletionTimestamp: '2026-01-01T00:00:00Z' }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Terminating' } });
    await storage.create('/registry/configmaps/leaving/a', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'leaving', uid: 'u2', creationTimestamp: '2026-01-01T00:00:00Z' } });
    const res = await call('POST', '/api/v1/namespaces/leaving/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b' } });
    expect(res.status).toBe(403);
    expect(res.body.message).toBe('configmaps "b" is forbidden: unable to create new content in namespace leaving because it is being terminated');
    expect(res.body.details.causes).toEqual([{ reason: 'NamespaceTerminating', message: 'namespace leaving is being terminated', field: 'metadata.namespace' }]);
    expect((await call('PUT', '/api/v1/namespaces/leaving/configmaps/a', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' }, data: { x: '1' } })).status).toBe(200);
  });
});
