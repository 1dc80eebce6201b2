import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBuiltinRegistry } from '../../pkg/api/builtin.ts';
import { MemoryStorage } from '../../pkg/storage/index.ts';
import { createApiServer, type ApiServer } from '../server.ts';
import { upgradeRequest } from '../testing/upgrade-request.ts';
import { memoryAudit } from '../testing/audit-events.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A server whose audit events land in an array. */
async function auditedServer(rules: unknown[]) {
  const { audit, events } = memoryAudit(rules);
  const server = await createApiServer({ storage: new MemoryStorage(), registry: createBuiltinRegistry(), audit });
  return { server, events };
}

describe('audit hooks (inject, no authentication)', () => {
  it('records unguarded requests as system:unsecured, every stage, Request level with the request body only', async () => {
    const { server, events } = await auditedServer([{ level: 'Request', resources: [{ group: '', resources: ['namespaces'] }] }]);
    const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n1', managedFields: [] } };
    const res = await server.app.inject({ method: 'POST', url: '/api/v1/namespaces', payload: ns, headers: { 'x-forwarded-for': '192.0.2.7' } });
    expect(res.statusCode).toBe(201);
    const got = await events();
    expect(got.map((e) => e.stage)).toEqual(['RequestReceived', 'ResponseComplete']);
    expect(got[0]).not.toHaveProperty('responseStatus');
    expect(got[1]).toMatchObject({ level: 'Request', verb: 'create', auditID: res.headers['audit-id'], user: { username: 'system:unsecured' }, sourceIPs: ['192.0.2.7', '127.0.0.1'], objectRef: { resource: 'namespaces', name: 'n1', apiVersion: 'v1' }, requestObject: ns });
    expect(got[1]).not.toHaveProperty('responseObject');
    expect(got[1]).not.toHaveProperty('annotations'); // no authorizer ran
    await server.close();
  });

  it('omits stages, strips managed fields and records non-resource requests with the lowercase method', async () => {
    const { server, events } = await auditedServer([{ level: 'RequestResponse', nonResourceURLs: ['/healthz*'], omitStages: ['RequestReceived'], omitManagedFields: true }]);
    await server.app.inject({ method: 'GET', url: '/healthz' });
    await server.app.inject({ method: 'GET', url: '/api/v1/namespaces' });
    const got = await events();
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({ stage: 'ResponseComplete', verb: 'get', requestURI: '/healthz', responseStatus: { code: 200 } });
    expect(got[0]).not.toHaveProperty('objectRef');
    await server.close();
  });

  it('gives the event the Audit-Id the response carries, and keeps a client-sent Audit-ID', async () => {
    const { server, events } = await auditedServer([{ level: 'Metadata' }]);
    const generated = await server.app.inject({ method: 'GET', url: '/api/v1/namespaces' });
    const sent = await server.app.inject({ method: 'GET', url: '/api/v1/namespaces/none', headers: { 'audit-id': 'client-chosen' } });
    expect(generated.headers['audit-id']).toMatch(UUID);
    expect(sent.headers['audit-id']).toBe('client-chosen');
    const got = await events();
    expect(got.filter((e) => e.stage === 'ResponseComplete').map((e) => [e.auditID, e.responseStatus?.code])).toEqual([
      [generated.headers['audit-id'], 200],
      ['client-chosen', 404],
    ]);
    await server.close();
  });
});

describe('Audit-Id without an audit policy (upstream WithAuditInit)', () => {
  let server: ApiServer;
  beforeAll(async () => {
    server = await createApiServer({ storage: new MemoryStorage(), registry: createBuiltinRegistry() });
  });
  afterAll(() => server.close());

  it.each([
    ['a health check', 'GET', '/healthz', 200],
    ['a list', 'GET', '/api/v1/namespaces', 200],
    ['a missing object', 'GET', '/api/v1/namespaces/none', 404],
    ['an unknown path', 'GET', '/nowhere', 404],
    ['a body that does not decode', 'POST', '/api/v1/namespaces', 400],
    ['a malformed URL escape (answered before any hook)', 'GET', '/api/v1/namespaces/%ZZ', 400],
  ])('answers %s with a new UUID per request', async (_name, method, url, code) => {
    const res = await server.app.inject({ method: method as 'GET', url, payload: method === 'POST' ? '{' : undefined, headers: method === 'POST' ? { 'content-type': 'application/json' } : {} });
    const again = await server.app.inject({ method: method as 'GET', url, payload: method === 'POST' ? '{' : undefined, headers: method === 'POST' ? { 'content-type': 'application/json' } : {} });
    expect(res.statusCode).toBe(code);
    expect(res.headers['audit-id']).toMatch(UUID);
    expect(again.headers['audit-id']).toMatch(UUID);
    expect(again.headers['audit-id']).not.toBe(res.headers['audit-id']);
  });

  it("echoes the client's Audit-ID", async () => {
    const res = await server.app.inject({ method: 'GET', url: '/api/v1/namespaces', headers: { 'Audit-ID': 'req-from-client' } });
    expect(res.headers['audit-id']).toBe('req-from-client');
  });

  it('answers it on the wire as upstream spells it (Audit-Id), also on an upgrade the server refuses itself', async () => {
    const url = await server.listen({ host: '127.0.0.1', port: 0 });
    const plain = await fetch(`${url}/api/v1/namespaces`, { headers: { 'audit-id': 'wire-1' } });
    expect(plain.headers.get('audit-id')).toBe('wire-1');
    const exec = await upgradeRequest(`${url}/api/v1/namespaces/default/pods/none/exec?command=sh&stdout=true`, { headers: { 'Audit-ID': 'exec-1' } });
    expect({ status: exec.status, auditId: exec.headers['audit-id'] }).toEqual({ status: 404, auditId: 'exec-1' });
    const raw = await rawHead(url, '/api/v1/namespaces');
    expect(raw).toMatch(/\r\nAudit-Id: [0-9a-f-]{36}\r\n/);
    const unknown = await upgradeRequest(`${url}/nowhere`);
    expect({ status: unknown.status, auditId: unknown.headers['audit-id'] }).toEqual({ status: 404, auditId: expect.stringMatching(UUID) });
  });
});

/** The raw response head of a GET, header names as sent. */
async function rawHead(base: string, path: string): Promise<string> {
  const { hostname, port } = new URL(base);
  const socket = connect(Number(port), hostname);
  socket.write(`GET ${path} HTTP/1.1\r\nHost: ${hostname}\r\nConnection: close\r\n\r\n`);
  let text = '';
  for await (const chunk of socket) text += String(chunk);
  return text.slice(0, text.indexOf('\r\n\r\n') + 2);
}
