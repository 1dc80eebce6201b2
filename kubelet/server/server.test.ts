/**
 * The kubelet API over HTTPS (`--tls-cert-file` / `--tls-private-key-file`) and plain HTTP:
 * a client trusting the cluster CA gets healthz, logs and an exec upgrade; a client trusting
 * another CA is refused the handshake.
 */
import { request as httpsRequest } from 'node:https';
import { request as httpRequest } from 'node:http';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, type TestPki } from '../testing/test-pki.ts';
import { startStubKubeletApi, type StubKubeletApi } from '../testing/stub-kubelet-api.ts';

let pki: TestPki;
let tls: StubKubeletApi;
let plain: StubKubeletApi;

beforeAll(async () => {
  pki = await createTestPki();
  tls = await startStubKubeletApi({ cert: pki.kubeletServing.cert, key: pki.kubeletServing.key });
  plain = await startStubKubeletApi();
}, 30_000);

afterAll(async () => {
  await tls?.close();
  await plain?.close();
  pki?.remove();
});

/** GET over HTTPS trusting `ca`; resolves to status and body. */
function getHttps(port: number, path: string, ca: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    httpsRequest({ host: '127.0.0.1', port, path, ca }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c) => (body += c)).on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject).end();
  });
}

describe('kubelet API TLS', () => {
  it('serves healthz and container logs over HTTPS to a client that verifies the serving certificate', async () => {
    expect(await getHttps(tls.port, '/healthz', pki.ca.cert)).toEqual({ status: 200, body: 'ok' });
    expect(await getHttps(tls.port, '/containerLogs/default/talker/talk', pki.ca.cert)).toEqual({ status: 200, body: 'one\ntwo\n' });
    expect(await getHttps(tls.port, '/containerLogs/default/nope/talk', pki.ca.cert)).toEqual({ status: 404, body: 'pod "nope" not found' });
  });

  it('a client trusting another CA fails the handshake', async () => {
    await expect(getHttps(tls.port, '/healthz', pki.otherCa.cert)).rejects.toThrow(/self[- ]signed|unable to verify|certificate/i);
  });

  it('proxies an exec upgrade over HTTPS to the runtime streaming server', async () => {
    const socket = await new Promise<Socket>((resolve, reject) => {
      httpsRequest({ host: '127.0.0.1', port: tls.port, path: '/exec/default/talker/talk?command=sh&stdout=true', ca: pki.ca.cert, headers: { Connection: 'Upgrade', Upgrade: 'SPDY/3.1' } })
        .on('upgrade', (res, s) => (res.statusCode === 101 ? resolve(s as Socket) : reject(new Error(`status ${res.statusCode}`))))
        .on('response', (res) => reject(new Error(`no upgrade: ${res.statusCode}`)))
        .on('error', reject)
        .end();
    });
    socket.write('ping');
    const echoed = await new Promise<string>((resolve) => socket.once('data', (d) => resolve(d.toString())));
    socket.destroy();
    expect(echoed).toBe('ping');
    expect(tls.streamed.at(-1)).toBe('/exec/c1');
  });

  it('without a certificate it serves plain HTTP, as before', async () => {
    const res = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      httpRequest({ host: '127.0.0.1', port: plain.port, path: '/containerLogs/default/talker/talk?tailLines=1' }, (r) => {
        let body = '';
        r.setEncoding('utf8').on('data', (c) => (body += c)).on('end', () => resolve({ status: r.statusCode ?? 0, body }));
      }).on('error', reject).end();
    });
    expect(res).toEqual({ status: 200, body: 'two\n' });
  });
});

/** Sends `head` as the raw request (request line and headers) and resolves to the status line and body. */
function rawRequest(port: number, head: string): Promise<{ statusLine: string; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(head));
    let data = '';
    socket.setEncoding('utf8').on('data', (c) => (data += c));
    socket.on('end', () => resolve({ statusLine: data.split('\r\n')[0]!, body: data.slice(data.indexOf('\r\n\r\n') + 4) }));
    socket.on('error', reject);
  });
}

describe('kubelet API under malformed request targets', () => {
  it.each([
    ['GET // HTTP/1.1', 'HTTP/1.1 404 Not Found'],
    ['GET //evil.example/pods HTTP/1.1', 'HTTP/1.1 404 Not Found'],
    ['GET /containerLogs/%ZZ/talker/talk HTTP/1.1', 'HTTP/1.1 400 Bad Request'],
    ['GET /exec/default/%ZZ/talk?command=ls&output=1 HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1', 'HTTP/1.1 400 Bad Request'],
  ])('%s answers %s, and the kubelet keeps serving', async (requestLine, statusLine) => {
    const res = await rawRequest(plain.port, `${requestLine}\r\nHost: kubelet\r\nConnection: close\r\n\r\n`);
    expect(res.statusLine).toBe(statusLine);
    expect(await getHttpStatus(plain.port, '/healthz')).toBe(200);
  });
});

function getHttpStatus(port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    httpRequest({ host: '127.0.0.1', port, path }, (r) => {
      r.resume().on('end', () => resolve(r.statusCode ?? 0));
    }).on('error', reject).end();
  });
}
