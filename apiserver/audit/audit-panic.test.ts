/**
 * The Panic stage: a request that fails unexpectedly (an error that is no ApiError — a bug, where
 * upstream's handler would panic) is recorded as upstream's audit filter records a panic — the
 * Panic stage with a 500 InternalError `APIServer panic'd: …` status, in place of
 * ResponseComplete — both on routed requests and on exec upgrades.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../pkg/api/meta.ts';
import { createBuiltinRegistry } from '../../pkg/api/builtin.ts';
import { MemoryStorage } from '../../pkg/storage/index.ts';
import { createApiServer, type ApiServer } from '../server.ts';
import { memoryAudit } from '../testing/audit-events.ts';
import { upgradeRequest } from '../testing/upgrade-request.ts';

/** Memory storage whose reads of pods hit a bug. */
class BuggyPodStorage extends MemoryStorage {
  override async get(key: string, options?: { minRevision?: number }): Promise<KubeObject | undefined> {
    if (key.includes('/pods/')) throw new TypeError("Cannot read properties of undefined (reading 'spec')");
    return super.get(key, options);
  }
}

const recorder = memoryAudit([{ level: 'Request' }]);
let server: ApiServer;

beforeAll(async () => {
  server = await createApiServer({
    storage: new BuggyPodStorage(),
    registry: createBuiltinRegistry(),
    audit: recorder.audit,
    plugins: [(app) => void app.post('/debug/boom', async () => Promise.reject(new RangeError('Invalid array length')))],
  });
});
afterAll(() => server.close());

const panicStatus = (message: string) => ({ metadata: {}, status: 'Failure', reason: 'InternalError', code: 500, message: `APIServer panic'd: ${message}` });

describe('the Panic stage', () => {
  it('replaces ResponseComplete for a routed request, with the request body at level Request', async () => {
    const res = await server.app.inject({ method: 'POST', url: '/debug/boom', payload: { a: 1 }, headers: { 'audit-id': 'boom-1' } });
    expect({ code: res.statusCode, reason: res.json().reason, auditId: res.headers['audit-id'] }).toEqual({ code: 500, reason: 'InternalError', auditId: 'boom-1' });
    const events = await recorder.eventsOf('boom-1');
    expect(events.map((e) => e.stage)).toEqual(['RequestReceived', 'Panic']);
    expect(events[1]).toMatchObject({ verb: 'post', requestURI: '/debug/boom', responseStatus: panicStatus('Invalid array length'), requestObject: { a: 1 } });
  });

  it('is written for a resource request whose handler hits a bug, and nothing after it', async () => {
    const res = await server.app.inject({ method: 'GET', url: '/api/v1/namespaces/default/pods/p', headers: { 'audit-id': 'get-1' } });
    expect(res.statusCode).toBe(500);
    await new Promise((r) => setTimeout(r, 50));
    const events = await recorder.eventsOf('get-1');
    expect(events.map((e) => [e.stage, e.responseStatus?.code])).toEqual([['RequestReceived', undefined], ['Panic', 500]]);
    expect(events[1]).toMatchObject({ verb: 'get', objectRef: { resource: 'pods', namespace: 'default', name: 'p' }, responseStatus: panicStatus("Cannot read properties of undefined (reading 'spec')") });
  });

  it('is written for an exec upgrade that hits a bug (no ResponseStarted), answered with a 500 and the Audit-Id', async () => {
    const url = await server.listen({ host: '127.0.0.1', port: 0 });
    const reply = await upgradeRequest(`${url}/api/v1/namespaces/default/pods/p/exec?command=sh&stdout=true`, { headers: { 'Audit-ID': 'exec-bug-1' } });
    expect({ status: reply.status, auditId: reply.headers['audit-id'], reason: JSON.parse(reply.body).reason }).toEqual({ status: 500, auditId: 'exec-bug-1', reason: 'InternalError' });
    await new Promise((r) => setTimeout(r, 50));
    const events = await recorder.eventsOf('exec-bug-1');
    expect(events.map((e) => [e.stage, e.responseStatus?.code])).toEqual([['RequestReceived', undefined], ['Panic', 500]]);
    expect(events[1]).toMatchObject({ verb: 'create', objectRef: { subresource: 'exec' }, user: { username: 'system:unsecured' } });
  });

  it('is not written for expected failures (an ApiError is an ordinary ResponseComplete)', async () => {
    await server.app.inject({ method: 'GET', url: '/api/v1/namespaces/default/configmaps/none', headers: { 'audit-id': 'missing-1' } });
    const events = await recorder.eventsOf('missing-1');
    expect(events.map((e) => [e.stage, e.responseStatus?.code])).toEqual([['RequestReceived', undefined], ['ResponseComplete', 404]]);
  });
});
