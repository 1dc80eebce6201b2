import { describe, expect, it } from 'vitest';
import { createBuiltinRegistry } from '../../pkg/api/builtin.ts';
import { MemoryStorage } from '../../pkg/storage/index.ts';
import { createApiServer } from '../server.ts';
import type { AuditEvent } from './event.ts';
import { createLineBackend } from './log-backend.ts';
import { parseAuditPolicy } from './policy.ts';

/** A server whose audit events land in an array. */
async function auditedServer(rules: unknown[]) {
  const lines: string[] = [];
  const backend = createLineBackend({ write: async (b) => void lines.push(...b.toString().split('\n').filter(Boolean)), close: async () => {} });
  const policy = parseAuditPolicy({ apiVersion: 'audit.k8s.io/v1', kind: 'Policy', rules });
  const server = await createApiServer({ storage: new MemoryStorage(), registry: createBuiltinRegistry(), audit: { policy, backend } });
  const events = async () => {
    await new Promise((r) => setImmediate(r));
    await backend.flush();
    return lines.map((l) => JSON.parse(l) as AuditEvent);
  };
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

  it('installs nothing without a policy', async () => {
    const server = await createApiServer({ storage: new MemoryStorage(), registry: createBuiltinRegistry() });
    const res = await server.app.inject({ method: 'GET', url: '/healthz' });
    expect(res.headers['audit-id']).toBeUndefined();
    await server.close();
  });
});
