/**
 * Auditing of exec/attach/port-forward, which the API server serves as raw HTTP upgrades outside
 * fastify: the assembled server over TLS with static tokens, a real kubelet API server (stub
 * runtime whose streaming server answers 101 and echoes) reached over plain HTTP, and upgrade
 * requests as kubectl sends them (SPDY POST; the WebSocket GET of newer kubectl). The events are
 * checked against what upstream's audit filter writes for a hijacked, long-running request.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStubKubeletApi, type StubKubeletApi } from '../../kubelet/testing/stub-kubelet-api.ts';
import { kubeletTransportFromPem } from '../handlers/kubelet-client.ts';
import { memoryAudit } from '../testing/audit-events.ts';
import { httpsRequest } from '../testing/https-request.ts';
import { startTlsTestApiServer, type TlsTestApiServer } from '../testing/tls-test-server.ts';
import { upgradeRequest, type UpgradeRequestOptions } from '../testing/upgrade-request.ts';
import type { AuditEvent } from './event.ts';

const ADMIN = 'admin-token';
const BOB = 'plain-token';
const recorder = memoryAudit([
  { level: 'None', resources: [{ group: '', resources: ['nodes', 'nodes/status'] }] },
  { level: 'Metadata', resources: [{ group: '', resources: ['pods/exec', 'pods/attach', 'pods/portforward', 'nodes/proxy'] }] },
  { level: 'None' },
]);
let kubelet: StubKubeletApi;
let api: TlsTestApiServer;
let ca: Buffer;

/** A port nothing listens on (for a kubelet that cannot be reached). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

beforeAll(async () => {
  kubelet = await startStubKubeletApi();
  api = await startTlsTestApiServer({
    tokenFile: `${ADMIN},token-admin,1,"system:masters"\n${BOB},bob,2\n`,
    assemble: { audit: recorder.audit, kubelet: kubeletTransportFromPem('http') },
  });
  ca = readFileSync(api.ca.cert);
  const send = async (method: string, path: string, body: unknown) => {
    const reply = await httpsRequest(`${api.url}${path}`, method, { ca, token: ADMIN, body });
    if (reply.code >= 300) throw new Error(`${method} ${path}: ${reply.code} ${reply.text}`);
    return reply.body;
  };
  const nodeAt = async (name: string, port: number) => {
    const node = await send('POST', '/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name } });
    await send('PUT', `/api/v1/nodes/${name}/status`, { ...node, status: { addresses: [{ type: 'InternalIP', address: '127.0.0.1' }], daemonEndpoints: { kubeletEndpoint: { Port: port } } } });
  };
  await nodeAt('stub-node', kubelet.port);
  await nodeAt('gone-node', await closedPort());
  const pod = (name: string, nodeName: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { nodeName, containers: [{ name: 'talk', image: 'busybox' }] } });
  await send('POST', '/api/v1/namespaces/default/pods', pod('talker', 'stub-node'));
  await send('POST', '/api/v1/namespaces/default/pods', pod('stranded', 'gone-node'));
}, 60_000);

afterAll(async () => {
  await api?.stop();
  await kubelet?.close();
});

let sequence = 0;

/** An upgrade to the API server with a known Audit-ID (a 101 comes from the kubelet and has none); an upgraded socket is used once and closed. */
async function upgrade(path: string, options: UpgradeRequestOptions = {}): Promise<{ status: number; auditID: string; body: string; echoed?: string }> {
  const auditID = `upgrade-${++sequence}`;
  const reply = await upgradeRequest(`${api.url}${path}`, { ca, token: ADMIN, ...options, headers: { 'Audit-ID': auditID, 'User-Agent': 'kubectl/v1.33.0 (linux/amd64)', ...options.headers } });
  let echoed: string | undefined;
  if (reply.socket) {
    const socket = reply.socket;
    socket.write('ping');
    echoed = await new Promise<string>((resolve) => socket.once('data', (d) => resolve(String(d))));
    socket.destroy();
  }
  return { status: reply.status, auditID, body: reply.body, echoed };
}

const stages = (events: AuditEvent[]) => events.map((e) => [e.stage, e.responseStatus?.code]);

describe('auditing of long-running connect requests: exec, attach, port-forward upgrades and proxy', () => {
  it('records a kubectl exec (SPDY POST) as upstream: create on pods/exec, 101 at ResponseStarted and ResponseComplete', async () => {
    const path = '/api/v1/namespaces/default/pods/talker/exec?command=sh&command=-c&command=date&container=talk&stdin=true&stdout=true&tty=true';
    const reply = await upgrade(path);
    expect({ status: reply.status, echoed: reply.echoed }).toEqual({ status: 101, echoed: 'ping' });
    const events = await recorder.eventsOf(reply.auditID);
    expect(stages(events)).toEqual([
      ['RequestReceived', undefined],
      ['ResponseStarted', 101],
      ['ResponseComplete', 101],
    ]);
    for (const event of events) {
      expect(event).toMatchObject({
        level: 'Metadata',
        requestURI: path,
        verb: 'create',
        user: { username: 'token-admin', uid: '1', groups: ['system:masters', 'system:authenticated'] },
        sourceIPs: ['127.0.0.1'],
        userAgent: 'kubectl/v1.33.0 (linux/amd64)',
        objectRef: { resource: 'pods', namespace: 'default', name: 'talker', apiVersion: 'v1', subresource: 'exec' },
      });
      expect(event).not.toHaveProperty('requestObject');
      expect(event).not.toHaveProperty('responseObject');
    }
    expect(events[1].responseStatus).toEqual({ metadata: {}, code: 101 });
    expect(events[2].annotations).toMatchObject({ 'authorization.k8s.io/decision': 'allow' });
    // RequestReceived is stamped with the arrival time; the later stages follow in order.
    const [received, started, complete] = events.map((e) => Date.parse(e.stageTimestamp));
    expect(events[0].stageTimestamp).toBe(events[0].requestReceivedTimestamp);
    expect(received).toBeLessThanOrEqual(started);
    expect(started).toBeLessThanOrEqual(complete);
    expect(new Set(events.map((e) => e.requestReceivedTimestamp)).size).toBe(1);
  });

  it.each([
    ['exec over WebSocket (GET)', 'GET', '/api/v1/namespaces/default/pods/talker/exec?command=ls&stdout=true', 'get', 'exec'],
    ['attach', 'POST', '/api/v1/namespaces/default/pods/talker/attach?container=talk&stdout=true', 'create', 'attach'],
    ['port-forward', 'POST', '/api/v1/namespaces/default/pods/talker/portforward', 'create', 'portforward'],
  ])('records %s with the verb of its method and its subresource', async (_name, method, path, verb, subresource) => {
    const reply = await upgrade(path, { method, ...(method === 'GET' ? { protocol: 'websocket' } : {}) });
    expect(reply.status).toBe(101);
    const events = await recorder.eventsOf(reply.auditID);
    expect(stages(events)).toEqual([['RequestReceived', undefined], ['ResponseStarted', 101], ['ResponseComplete', 101]]);
    expect(events[2]).toMatchObject({ verb, objectRef: { resource: 'pods', namespace: 'default', name: 'talker', subresource } });
  });

  it('records an upgrade the API server refuses itself with its code and Status, and answers its Audit-Id', async () => {
    const missing = await upgrade('/api/v1/namespaces/default/pods/nobody/exec?command=sh&stdout=true');
    expect(missing.status).toBe(404);
    const events = await recorder.eventsOf(missing.auditID);
    expect(stages(events)).toEqual([['RequestReceived', undefined], ['ResponseStarted', 404], ['ResponseComplete', 404]]);
    // Upstream notes the Status before writing the header, so ResponseStarted carries it too.
    expect(events[1].responseStatus).toEqual(events[2].responseStatus);
    expect(events[2].responseStatus).toEqual({ metadata: {}, status: 'Failure', reason: 'NotFound', code: 404, message: 'pods "nobody" not found', details: { name: 'nobody', kind: 'pods' } });
  });

  it('records an exec that fails authentication as upstream: one ResponseStarted event with the 401 Status', async () => {
    const reply = await upgrade('/api/v1/namespaces/default/pods/talker/exec?command=sh&stdout=true', { token: 'wrong-token' });
    expect(reply.status).toBe(401);
    const events = await recorder.eventsOf(reply.auditID, 'ResponseStarted');
    await new Promise((r) => setTimeout(r, 50));
    expect((await recorder.events()).filter((e) => e.auditID === reply.auditID)).toHaveLength(1);
    expect(events[0]).toMatchObject({ stage: 'ResponseStarted', user: {}, verb: 'create', objectRef: { subresource: 'exec' }, responseStatus: { status: 'Failure', reason: 'Unauthorized', code: 401 } });
  });

  it('records a forbidden exec with the forbid decision', async () => {
    const denied = await upgrade('/api/v1/namespaces/default/pods/talker/exec?command=sh&stdout=true', { token: BOB });
    expect(denied.status).toBe(403);
    const events = await recorder.eventsOf(denied.auditID);
    expect(stages(events)).toEqual([['RequestReceived', undefined], ['ResponseStarted', 403], ['ResponseComplete', 403]]);
    expect(events[2]).toMatchObject({ user: { username: 'bob' }, responseStatus: { reason: 'Forbidden' }, annotations: { 'authorization.k8s.io/decision': 'forbid' } });
  });

  it('answers and records a kubelet that cannot be reached as upstream: 500, the dial error, no reason', async () => {
    const reply = await upgrade('/api/v1/namespaces/default/pods/stranded/exec?command=sh&stdout=true');
    expect(reply.status).toBe(500);
    const status = JSON.parse(reply.body) as { message: string; code: number };
    expect(status).toMatchObject({ kind: 'Status', code: 500 });
    expect(status.message).toMatch(/^error dialing backend: .*ECONNREFUSED/);
    const events = await recorder.eventsOf(reply.auditID);
    expect(stages(events)).toEqual([['RequestReceived', undefined], ['ResponseStarted', 500], ['ResponseComplete', 500]]);
    expect(events[2].responseStatus).toMatchObject({ status: 'Failure', code: 500, message: status.message });
  });

  it('records a nodes/proxy request (routed, not an upgrade) as long-running too: ResponseStarted at the first byte', async () => {
    const reply = await httpsRequest(`${api.url}/api/v1/nodes/stub-node/proxy/healthz`, 'GET', { ca, token: ADMIN, headers: { 'Audit-ID': 'node-proxy-1' } });
    expect({ code: reply.code, text: reply.text, auditId: reply.headers['audit-id'] }).toEqual({ code: 200, text: 'ok', auditId: 'node-proxy-1' });
    const events = await recorder.eventsOf('node-proxy-1');
    expect(stages(events)).toEqual([['RequestReceived', undefined], ['ResponseStarted', 200], ['ResponseComplete', 200]]);
    expect(events[2]).toMatchObject({ verb: 'get', objectRef: { resource: 'nodes', name: 'stub-node', apiVersion: 'v1', subresource: 'proxy' } });
  });
});
