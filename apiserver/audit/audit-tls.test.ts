/**
 * Auditing end to end on the TLS listener with real users (static tokens): the Auditing docs'
 * example policy, the JSON-lines log file, the stages of ordinary and watch requests, bodies by
 * level, authorization and PodSecurity annotations, impersonation and refused requests.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { httpsRequest, type HttpsReply } from '../testing/https-request.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBuiltinRegistry } from '../../pkg/api/builtin.ts';
import { MemoryStorage } from '../../pkg/storage/index.ts';
import { ensureCa, ensureCert } from '../../cli/up/pki.ts';
import { createApiServer, type ApiServer } from '../server.ts';
import { readTokenFile } from '../auth/flags.ts';
import { createLogBackend, type AuditBackend } from './log-backend.ts';
import { loadAuditPolicyFile } from './policy.ts';
import type { AuditEvent } from './event.ts';

let dir: string;
let server: ApiServer;
let storage: MemoryStorage;
let backend: AuditBackend;
let url: string;
let ca: Buffer;
let logPath: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'k8ts-audit-'));
  const caPair = await ensureCa(dir);
  ca = readFileSync(caPair.cert);
  const serving = await ensureCert(dir, caPair, { name: 'apiserver', commonName: 'kube-apiserver', ips: ['127.0.0.1'], usage: 'server' });
  writeFileSync(join(dir, 'tokens.csv'), 'admin-token,token-admin,1,"system:masters"\nplain-token,bob,2\n');
  logPath = join(dir, 'log', 'audit.log');
  backend = await createLogBackend({ path: logPath, rotation: { maxSizeMb: 0, maxBackups: 0, maxAgeDays: 0 } });
  const policy = loadAuditPolicyFile(join(import.meta.dirname, 'testdata', 'docs-audit-policy.yaml'));
  storage = new MemoryStorage();
  server = await createApiServer({ storage, registry: createBuiltinRegistry(), auth: { tokens: readTokenFile(join(dir, 'tokens.csv')) }, audit: { policy, backend } });
  url = await server.listen({ host: '127.0.0.1', port: 0, tls: { cert: readFileSync(serving.cert), key: readFileSync(serving.key), ca, requestCert: true, rejectUnauthorized: false } });
}, 60_000);

afterAll(async () => {
  await server?.close();
  await backend?.close();
  await storage?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Reply extends HttpsReply {
  auditId: string;
}

async function call(method: string, path: string, token: string | undefined, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  const reply = await httpsRequest(`${url}${path}`, method, { ca, token, body: body || undefined, headers: { 'user-agent': 'audit-test/1.0', ...headers } });
  return { ...reply, auditId: String(reply.headers['audit-id'] ?? '') };
}

/** The events of one request, once its final stage (ResponseComplete unless told otherwise) is on disk. */
async function eventsOf(auditId: string, finalStage: AuditEvent['stage'] = 'ResponseComplete'): Promise<AuditEvent[]> {
  for (let i = 0; i < 100; i++) {
    await backend.flush();
    const events = readFileSync(logPath, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as AuditEvent).filter((e) => e.auditID === auditId);
    if (events.some((e) => e.stage === finalStage)) return events;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`no ${finalStage} for ${auditId}`);
}

const ADMIN = 'admin-token';
const BOB = 'plain-token';

describe('audit log', () => {
  beforeAll(async () => {
    const ns = (name: string, labels: Record<string, string> = {}) => call('POST', '/api/v1/namespaces', ADMIN, { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
    expect((await ns('team')).code).toBe(201);
    expect((await ns('audited', { 'pod-security.kubernetes.io/audit': 'restricted' })).code).toBe(201);
  });

  it('records a secret read at Metadata: user, objectRef, status, authorization annotations, no bodies', async () => {
    await call('POST', '/api/v1/namespaces/team/secrets', ADMIN, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, stringData: { password: 'hunter2' } });
    const reply = await call('GET', '/api/v1/namespaces/team/secrets/s', ADMIN);
    expect(reply.code).toBe(200);
    expect(reply.auditId).toMatch(/^[0-9a-f-]{36}$/);
    const events = await eventsOf(reply.auditId);
    expect(events.map((e) => e.stage)).toEqual(['ResponseComplete']); // the policy omits RequestReceived
    const [event] = events;
    expect(event).toMatchObject({
      kind: 'Event',
      apiVersion: 'audit.k8s.io/v1',
      level: 'Metadata',
      requestURI: '/api/v1/namespaces/team/secrets/s',
      verb: 'get',
      user: { username: 'token-admin', uid: '1', groups: ['system:masters', 'system:authenticated'] },
      sourceIPs: ['127.0.0.1'],
      userAgent: 'audit-test/1.0',
      objectRef: { resource: 'secrets', namespace: 'team', name: 's', apiVersion: 'v1' },
      responseStatus: { metadata: {}, code: 200 },
      annotations: { 'authorization.k8s.io/decision': 'allow' },
    });
    expect(event.annotations).toHaveProperty(['authorization.k8s.io/reason']);
    expect(event).not.toHaveProperty('requestObject');
    expect(event).not.toHaveProperty('responseObject');
    expect(Date.parse(event.stageTimestamp)).toBeGreaterThanOrEqual(Date.parse(event.requestReceivedTimestamp));
    expect(event.stageTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect(JSON.stringify(events)).not.toContain('hunter2');
  });

  it('records a pod create at RequestResponse with both bodies and PodSecurity audit annotations', async () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } };
    const reply = await call('POST', '/api/v1/namespaces/audited/pods', ADMIN, pod);
    expect(reply.code).toBe(201);
    const [event] = await eventsOf(reply.auditId);
    expect(event).toMatchObject({
      level: 'RequestResponse',
      verb: 'create',
      objectRef: { resource: 'pods', namespace: 'audited', name: 'web', apiVersion: 'v1' },
      responseStatus: { metadata: {}, code: 201 },
      requestObject: pod,
      responseObject: { kind: 'Pod', metadata: { name: 'web', namespace: 'audited', uid: reply.body.metadata && (reply.body.metadata as { uid: string }).uid } },
    });
    expect(event.annotations?.['pod-security.kubernetes.io/enforce-policy']).toBe('privileged:latest');
    expect(event.annotations?.['pod-security.kubernetes.io/audit-violations']).toMatch(/^would violate PodSecurity "restricted:latest": allowPrivilegeEscalation != false/);
  });

  it('records a pod in a namespace without audit labels as fully privileged, without violations', async () => {
    const reply = await call('POST', '/api/v1/namespaces/team/pods', ADMIN, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
    const [event] = await eventsOf(reply.auditId);
    expect(event.annotations?.['pod-security.kubernetes.io/enforce-policy']).toBe('privileged:latest');
    expect(event.annotations).not.toHaveProperty(['pod-security.kubernetes.io/audit-violations']);
  });

  it('records a watch at ResponseStarted and ResponseComplete', async () => {
    const reply = await call('GET', '/api/v1/namespaces/audited/pods?watch=true&timeoutSeconds=1', ADMIN);
    expect(reply.code).toBe(200);
    const events = await eventsOf(reply.auditId);
    expect(events.map((e) => e.stage)).toEqual(['ResponseStarted', 'ResponseComplete']);
    expect(events[0]).toMatchObject({ level: 'RequestResponse', verb: 'watch', responseStatus: { metadata: {}, code: 200 }, objectRef: { resource: 'pods', namespace: 'audited' } });
    expect(events[1]).not.toHaveProperty('responseObject');
  });

  it('records a refused request with the forbid decision and the Status fields', async () => {
    const reply = await call('GET', '/api/v1/namespaces/team/secrets', BOB);
    expect(reply.code).toBe(403);
    const [event] = await eventsOf(reply.auditId);
    expect(event).toMatchObject({
      level: 'Metadata',
      verb: 'list',
      user: { username: 'bob', uid: '2', groups: ['system:authenticated'] },
      responseStatus: { metadata: {}, status: 'Failure', reason: 'Forbidden', code: 403, message: 'secrets is forbidden: User "bob" cannot list resource "secrets" in API group "" in the namespace "team"' },
      annotations: { 'authorization.k8s.io/decision': 'forbid' },
    });
  });

  it('records the authenticated user and the impersonated one; keeps the client’s Audit-ID', async () => {
    const reply = await call('GET', '/api/v1/namespaces/team/configmaps', ADMIN, undefined, { 'impersonate-user': 'bob', 'audit-id': 'my-audit-id' });
    expect(reply.auditId).toBe('my-audit-id');
    const [event] = await eventsOf('my-audit-id');
    expect(event).toMatchObject({ level: 'Metadata', user: { username: 'token-admin' }, impersonatedUser: { username: 'bob' }, responseStatus: { code: 403 } });
  });

  it('records a request that failed authentication as upstream: one ResponseStarted event with the 401 Status and an empty user', async () => {
    const reply = await call('GET', '/api/v1/namespaces/team/pods', 'wrong-token');
    expect(reply.code).toBe(401);
    const events = await eventsOf(reply.auditId, 'ResponseStarted');
    await new Promise((r) => setTimeout(r, 50));
    await backend.flush();
    expect(readFileSync(logPath, 'utf8').split('\n').filter((l) => l.includes(reply.auditId))).toHaveLength(1);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      stage: 'ResponseStarted',
      level: 'RequestResponse',
      user: {},
      verb: 'list',
      objectRef: { resource: 'pods', namespace: 'team', apiVersion: 'v1' },
      responseStatus: { metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 },
    });
  });

  it('leaves out what the policy says None to (authenticated discovery)', async () => {
    const reply = await call('GET', '/version', BOB);
    expect(reply.code).toBe(200);
    const marker = await call('GET', '/api/v1/namespaces/team/secrets', BOB);
    await eventsOf(marker.auditId);
    expect(readFileSync(logPath, 'utf8')).not.toContain(reply.auditId);
  });
});
