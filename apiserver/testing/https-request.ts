/**
 * One HTTPS request to a test API server, for tests that need real TLS authentication (client
 * certificates, bearer tokens) rather than `inject()`. Never rejects on an HTTP error status;
 * rejects only when the connection fails or times out.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { request } from 'node:https';

/** Who calls and what is sent. */
export interface HttpsRequestOptions {
  /** The CA that signed the server's certificate. */
  ca: Buffer | string;
  /** A client certificate pair (PEM), for x509 authentication. */
  cert?: Buffer | string;
  key?: Buffer | string;
  /** A bearer token. */
  token?: string;
  /** Sent as JSON unless it is a string. */
  body?: unknown;
  /** Content type of a body (default `application/json`). */
  contentType?: string;
  /** Extra headers; a list sends the header once per value. */
  headers?: Record<string, string | string[]>;
  timeoutMs?: number;
}

/** The answer: status, raw text, the text parsed as JSON (`{ text }` when it is not JSON), headers. */
export interface HttpsReply {
  code: number;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary response fields
  body: Record<string, any>;
  headers: IncomingHttpHeaders;
}

export function httpsRequest(url: string, method: string, options: HttpsRequestOptions): Promise<HttpsReply> {
  const payload = options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  const headers: Record<string, string | string[]> = {
    ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
    ...(payload !== undefined ? { 'content-type': options.contentType ?? 'application/json' } : {}),
    ...options.headers,
  };
  return new Promise((resolve, reject) => {
    const req = request(url, { method, ca: options.ca, cert: options.cert, key: options.key, headers, timeout: options.timeoutMs ?? 10_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: Record<string, unknown>;
        try {
          body = JSON.parse(text);
        } catch {
          body = { text };
        }
        resolve({ code: res.statusCode ?? 0, text, body, headers: res.headers });
      });
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${url}: timed out`)));
    req.on('error', reject);
    req.end(payload);
  });
}
