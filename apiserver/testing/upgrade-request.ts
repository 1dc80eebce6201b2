/**
 * One HTTP upgrade request (as kubectl exec/attach/port-forward sends it) to a test server over
 * HTTP or HTTPS: resolves to the upgraded socket and the `101` head, or to the error response the
 * server answered instead. Rejects only when the connection fails.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Socket } from 'node:net';

/** Who asks, and how. */
export interface UpgradeRequestOptions {
  /** Default `POST` (kubectl's SPDY exec). */
  method?: string;
  /** Default `SPDY/3.1`. */
  protocol?: string;
  /** The CA that signed an HTTPS server's certificate. */
  ca?: Buffer | string;
  /** A bearer token. */
  token?: string;
  headers?: Record<string, string>;
}

/** The answer: an upgraded socket (status 101), or the status, headers and body of a refusal. */
export interface UpgradeReply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  socket?: Socket;
}

/** Sends the upgrade to `url` (the server's base URL plus the path and query). */
export function upgradeRequest(url: string, options: UpgradeRequestOptions = {}): Promise<UpgradeReply> {
  const target = new URL(url);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  const headers = {
    Connection: 'Upgrade',
    Upgrade: options.protocol ?? 'SPDY/3.1',
    ...(options.token ? { Authorization: `Bearer ${options.token}` } : {}),
    ...options.headers,
  };
  return new Promise((resolve, reject) => {
    send(target, { method: options.method ?? 'POST', headers, ...(options.ca ? { ca: options.ca } : {}) })
      .on('upgrade', (res, socket) => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: '', socket: socket as Socket }))
      .on('response', (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (c) => (body += c)).on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      })
      .on('error', reject)
      .end();
  });
}
