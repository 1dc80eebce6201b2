/**
 * Upgrade requests (WebSocket, as KubeVirt's `console`) to an aggregated API server, through the
 * TLS API server with authentication and RBAC on: authorized first, then dialled to the backend
 * with its caBundle, the proxy client certificate and the caller in the front-proxy headers, the
 * `101` and the bytes after it relayed both ways; refusals and unavailability answered as upstream.
 */
import { readFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import type { Duplex } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TlsTestApiServer } from '../testing/tls-test-server.ts';
import { hostIPv4, wardleObjects, type WardleBackend } from './testing/wardle-backend.ts';
import { startWardleAggregation, type WardleAggregation } from './testing/wardle-aggregation.ts';

const CONSOLE = '/apis/wardle.example.com/v1alpha1/namespaces/default/flunders';

/** What an upgrade request got: the status, headers and body of a refusal, or the upgraded socket. */
interface UpgradeResult {
  code: number;
  headers: IncomingHttpHeaders;
  text: string;
  socket?: Duplex;
}

/** Reads from `socket` until `bytes` bytes have arrived. */
function readBytes(socket: Duplex, bytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let got = '';
    const onData = (c: Buffer) => {
      got += c.toString('latin1');
      if (got.length < bytes) return;
      socket.off('data', onData);
      resolve(got);
    };
    socket.on('data', onData);
    socket.once('error', reject);
  });
}

describe.skipIf(!hostIPv4())('upgrade requests to an aggregated API server', () => {
  let setup: WardleAggregation;
  let api: TlsTestApiServer;
  let backend: WardleBackend;
  let ca: Buffer;
  const call = (method: string, path: string, body?: unknown) => setup.call(method, path, { body });
  const waitCondition = (reason: string) => setup.waitCondition(reason);

  /** A WebSocket upgrade of `path` as the holder of `token`. */
  const upgrade = (path: string, token = 'admin-token', extraHeaders: Record<string, string> = {}): Promise<UpgradeResult> =>
    new Promise((resolve, reject) => {
      const req = httpsRequest(`${api.url}${path}`, {
        ca,
        headers: { authorization: `Bearer ${token}`, connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==', 'sec-websocket-protocol': 'plain.kubevirt.io', ...extraHeaders },
        timeout: 10_000,
      });
      req.on('upgrade', (res, socket) => resolve({ code: res.statusCode ?? 0, headers: res.headers, text: '', socket }));
      req.on('response', (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (c: string) => (text += c)).on('end', () => resolve({ code: res.statusCode ?? 0, headers: res.headers, text }));
      });
      req.on('error', reject);
      req.end();
    });

  beforeAll(async () => {
    setup = await startWardleAggregation();
    ({ api, backend, ca } = setup);
  }, 60_000);
  afterAll(() => setup?.stop());

  it('relays the 101 and the bytes both ways, with the caller in the front-proxy headers and the proxy client certificate', async () => {
    await waitCondition('Passed');
    backend.seen.length = 0;
    const res = await upgrade(`${CONSOLE}/vmi-1/console?x=1`, 'admin-token', { 'x-remote-user': 'mallory', 'x-remote-extra-scopes': 'all' });
    expect(res.code).toBe(101);
    expect(res.headers['sec-websocket-accept']).toBe('s3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
    const socket = res.socket!;
    try {
      socket.write('hello, console');
      expect(await readBytes(socket, 'hello, console'.length)).toBe('hello, console');
      socket.write(Buffer.from([0x81, 0x00, 0xff]));
      expect(Buffer.from(await readBytes(socket, 3), 'latin1')).toEqual(Buffer.from([0x81, 0x00, 0xff]));
    } finally {
      socket.destroy();
    }
    const seen = backend.seen.find((r) => r.url === '/apis/wardle.example.com/v1alpha1/namespaces/default/flunders/vmi-1/console?x=1');
    expect(seen).toBeDefined();
    expect(seen!.clientCert).toBe(true);
    expect(seen!.headers['x-remote-user']).toBe('admin');
    expect(String(seen!.headers['x-remote-group']).split(', ')).toEqual(['system:masters', 'system:authenticated']);
    expect(seen!.headers['x-remote-extra-scopes']).toBeUndefined();
    expect(seen!.headers.authorization).toBeUndefined();
    expect(seen!.headers['x-forwarded-for']).toBe('127.0.0.1');
    expect([seen!.headers.connection, seen!.headers.upgrade, seen!.headers['sec-websocket-protocol']]).toEqual(['Upgrade', 'websocket', 'plain.kubevirt.io']);
  });

  it('closes the client side when the backend closes, and the backend side when the client closes', async () => {
    await waitCondition('Passed');
    const res = await upgrade(`${CONSOLE}/vmi-2/console`);
    expect(res.code).toBe(101);
    const closed = new Promise<void>((resolve) => res.socket!.once('close', () => resolve()));
    // The echo server ends its side when ours ends: the proxy then closes both.
    res.socket!.end();
    await closed;
  });

  it('refuses an unauthorized caller with 403 before anything reaches the backend', async () => {
    await waitCondition('Passed');
    backend.seen.length = 0;
    const res = await upgrade(`${CONSOLE}/vmi-1/console`, 'nobody-token');
    expect(res.code).toBe(403);
    expect(JSON.parse(res.text)).toMatchObject({ kind: 'Status', reason: 'Forbidden', message: 'flunders.wardle.example.com "vmi-1" is forbidden: User "nobody" cannot get resource "flunders/console" in API group "wardle.example.com" in the namespace "default"' });
    expect(backend.seen.filter((r) => r.url.includes('/console'))).toEqual([]);
    expect((await upgrade(`${CONSOLE}/vmi-1/console`, 'wrong-token')).code).toBe(401);
    expect(backend.seen.filter((r) => r.url.includes('/console'))).toEqual([]);
  });

  it('relays a backend answer that does not upgrade; a non-error one is a 503', async () => {
    await waitCondition('Passed');
    const refused = await upgrade(`${CONSOLE}/refused/console`);
    expect(refused.code).toBe(403);
    expect(JSON.parse(refused.text)).toMatchObject({ kind: 'Status', message: 'console refused' });
    const plain = await upgrade(`${CONSOLE}/plain/console`);
    expect([plain.code, plain.text, plain.headers['content-type']]).toEqual([503, 'invalid upgrade response: status code 200\n', 'text/plain; charset=utf-8']);
  });

  it('answers 503 service unavailable while the APIService is unavailable', async () => {
    await waitCondition('Passed');
    const ep = (await call('GET', '/api/v1/namespaces/default/endpoints/wardle-server')).json();
    expect((await call('PUT', '/api/v1/namespaces/default/endpoints/wardle-server', { ...ep, subsets: [] })).status).toBe(200);
    try {
      await waitCondition('MissingEndpoints');
      backend.seen.length = 0;
      const down = await upgrade(`${CONSOLE}/vmi-1/console`);
      expect([down.code, down.text, down.headers['content-type']]).toEqual([503, 'service unavailable\n', 'text/plain; charset=utf-8']);
      expect(down.headers['audit-id']).toBeTypeOf('string');
      expect(backend.seen.filter((r) => r.url.includes('/console'))).toEqual([]);
    } finally {
      const now = (await call('GET', '/api/v1/namespaces/default/endpoints/wardle-server')).json();
      expect((await call('PUT', '/api/v1/namespaces/default/endpoints/wardle-server', { ...now, subsets: (wardleObjects(backend).endpoints as { subsets: unknown }).subsets })).status).toBe(200);
    }
    await waitCondition('Passed');
  });
});
