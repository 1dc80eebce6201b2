/**
 * The API server's TLS listener with authentication and authorization on: a throw-away CA and
 * client certificates (openssl, via `k8ts up`'s PKI helpers) for the identities `k8ts up` uses.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBuiltinRegistry } from '../../pkg/api/builtin.ts';
import { MemoryStorage } from '../../pkg/storage/index.ts';
import { ensureCa, ensureCert, type CertPair } from '../../cli/up/pki.ts';
import { createApiServer, type ApiServer } from '../server.ts';
import { readTokenFile } from './flags.ts';

let dir: string;
let server: ApiServer;
let storage: MemoryStorage;
let url: string;
let ca: Buffer;
const certs: Record<string, CertPair> = {};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'k8ts-auth-'));
  const caPair = await ensureCa(dir);
  ca = readFileSync(caPair.cert);
  const serving = await ensureCert(dir, caPair, { name: 'apiserver', commonName: 'kube-apiserver', ips: ['127.0.0.1'], usage: 'server' });
  const identities = [
    { name: 'admin', commonName: 'kubernetes-admin', organization: 'system:masters' },
    { name: 'node-a', commonName: 'system:node:a', organization: 'system:nodes' },
    { name: 'scheduler', commonName: 'system:kube-scheduler' },
  ];
  // One at a time: openssl's -CAcreateserial serial file does not tolerate concurrent signing.
  for (const id of identities) certs[id.name] = await ensureCert(dir, caPair, { ...id, usage: 'client' });
  // A certificate from another CA: presented but not verifiable.
  const rogueCa = await ensureCa(join(dir, 'rogue'));
  certs.rogue = await ensureCert(join(dir, 'rogue'), rogueCa, { name: 'rogue', commonName: 'kubernetes-admin', organization: 'system:masters', usage: 'client' });
  writeFileSync(join(dir, 'tokens.csv'), 'admin-token,token-admin,1,"system:masters"\nplain-token,bob,2\n');
  storage = new MemoryStorage();
  server = await createApiServer({ storage, registry: createBuiltinRegistry(), auth: { tokens: readTokenFile(join(dir, 'tokens.csv')) } });
  url = await server.listen({
    host: '127.0.0.1',
    port: 0,
    tls: { cert: readFileSync(serving.cert), key: readFileSync(serving.key), ca, requestCert: true, rejectUnauthorized: false },
  });
}, 60_000);

afterAll(async () => {
  await server?.close();
  await storage?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Reply {
  code: number;
  body: Record<string, unknown>;
}

function call(method: string, path: string, as: { cert?: string; token?: string } = {}, body?: unknown, contentType = 'application/json'): Promise<Reply> {
  const pair = as.cert ? certs[as.cert] : undefined;
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}${path}`,
      {
        method,
        ca,
        cert: pair ? readFileSync(pair.cert) : undefined,
        key: pair ? readFileSync(pair.key) : undefined,
        headers: { ...(as.token ? { authorization: `Bearer ${as.token}` } : {}), ...(body ? { 'content-type': contentType } : {}) },
        timeout: 10_000,
      },
      (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => {
          let parsed: Record<string, unknown> = {};
          try {
            parsed = JSON.parse(text);
          } catch {
            parsed = { text };
          }
          resolve({ code: res.statusCode ?? 0, body: parsed });
        });
      },
    );
    req.on('error', reject);
    if (body) req.write(JSON.stringify(body));
    req.end();
  });
}

const unauthorizedStatus = { kind: 'Status', apiVersion: 'v1', status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 };

describe('authentication', () => {
  it('refuses anonymous requests with 401 except on the public-info paths', async () => {
    expect(await call('GET', '/api/v1/pods')).toEqual({ code: 401, body: { ...unauthorizedStatus, metadata: {} } });
    expect(await call('GET', '/no/such/path')).toMatchObject({ code: 401 });
    expect((await call('GET', '/healthz')).code).toBe(200);
    expect((await call('GET', '/readyz')).code).toBe(200);
    expect((await call('GET', '/version')).code).toBe(200);
  });

  it('accepts the admin certificate and a bearer token from the token file', async () => {
    expect((await call('GET', '/api/v1/pods', { cert: 'admin' })).code).toBe(200);
    expect((await call('GET', '/api/v1/pods', { token: 'admin-token' })).code).toBe(200);
  });

  it('refuses a bad token and a certificate from another CA with 401', async () => {
    expect((await call('GET', '/api/v1/pods', { token: 'wrong' })).code).toBe(401);
    expect((await call('GET', '/healthz', { token: 'wrong' })).code).toBe(401);
    expect((await call('GET', '/api/v1/pods', { cert: 'rogue' })).code).toBe(401);
  });

  it('authorizes an authenticated user without grants only for discovery', async () => {
    // Discovery is allowed (this bare server serves none, hence 404 rather than 403); /metrics is not.
    expect((await call('GET', '/api', { token: 'plain-token' })).code).toBe(404);
    expect(await call('GET', '/metrics', { token: 'plain-token' })).toMatchObject({ code: 403, body: { message: 'forbidden: User "bob" cannot get path "/metrics"' } });
    const denied = await call('GET', '/api/v1/namespaces/default/pods', { token: 'plain-token' });
    expect(denied).toMatchObject({ code: 403, body: { reason: 'Forbidden', message: 'pods is forbidden: User "bob" cannot list resource "pods" in API group "" in the namespace "default"' } });
  });
});

describe('authorization of the components k8ts up starts', () => {
  const node = (name: string) => ({ apiVersion: 'v1', kind: 'Node', metadata: { name } });
  const merge = 'application/merge-patch+json';

  it('lets node a patch its own status, not node b\'s (NodeRestriction), nor read node b (Node authorizer)', async () => {
    expect((await call('POST', '/api/v1/nodes', { cert: 'admin' }, node('a'))).code).toBe(201);
    expect((await call('POST', '/api/v1/nodes', { cert: 'admin' }, node('b'))).code).toBe(201);
    const own = await call('PATCH', '/api/v1/nodes/a/status', { cert: 'node-a' }, { status: { phase: 'Running' } }, merge);
    expect(own.code).toBe(200);
    const other = await call('PATCH', '/api/v1/nodes/b/status', { cert: 'node-a' }, { status: { phase: 'Running' } }, merge);
    expect(other).toMatchObject({ code: 403, body: { kind: 'Status', reason: 'Forbidden', code: 403, message: 'nodes "b" is forbidden: node "a" is not allowed to modify node "b"', details: { name: 'b', kind: 'nodes' } } });
    const read = await call('GET', '/api/v1/nodes/b', { cert: 'node-a' });
    expect(read).toMatchObject({ code: 403, body: { message: 'nodes "b" is forbidden: User "system:node:a" cannot get resource "nodes" in API group "" at the cluster scope: node \'a\' cannot read \'b\', only its own Node object' } });
    expect((await call('GET', '/api/v1/pods?fieldSelector=spec.nodeName%3Da', { cert: 'node-a' })).code).toBe(200);
    expect((await call('GET', '/api/v1/pods', { cert: 'node-a' })).code).toBe(403);
  });

  it('lets the scheduler bind pods but not delete a namespace', async () => {
    expect((await call('POST', '/api/v1/namespaces', { cert: 'admin' }, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'work' } })).code).toBe(201);
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } };
    expect((await call('POST', '/api/v1/namespaces/work/pods', { cert: 'admin' }, pod)).code).toBe(201);
    const binding = { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'p' }, target: { apiVersion: 'v1', kind: 'Node', name: 'a' } };
    expect((await call('POST', '/api/v1/namespaces/work/pods/p/binding', { cert: 'scheduler' }, binding)).code).toBe(201);
    const del = await call('DELETE', '/api/v1/namespaces/work', { cert: 'scheduler' });
    expect(del).toMatchObject({ code: 403, body: { reason: 'Forbidden', message: 'namespaces "work" is forbidden: User "system:kube-scheduler" cannot delete resource "namespaces" in API group "" in the namespace "work"' } });
    // Now bound to node a: node a may get it, and update its status.
    expect((await call('GET', '/api/v1/namespaces/work/pods/p', { cert: 'node-a' })).code).toBe(200);
    expect((await call('PATCH', '/api/v1/namespaces/work/pods/p/status', { cert: 'node-a' }, { status: { phase: 'Running' } }, merge)).code).toBe(200);
  });
});
