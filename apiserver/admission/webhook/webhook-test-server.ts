/**
 * Test-only: a local HTTPS (admission or conversion) webhook with a throw-away self-signed certificate (made with
 * `openssl`) valid for 127.0.0.1 and the given DNS names, and a tiny HTTP helper for the API.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A self-signed certificate and key (PEM). */
export interface TestCert {
  cert: string;
  key: string;
  /** `cert`, base64 — a webhook's `caBundle`. */
  caBundle: string;
}

export function makeSelfSignedCert(dnsNames: readonly string[] = []): TestCert {
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-webhook-cert-'));
  try {
    const san = ['IP:127.0.0.1', ...dnsNames.map((n) => `DNS:${n}`)].join(',');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=webhook', '-addext', `subjectAltName=${san}`, '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    const cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
    return { cert, key: readFileSync(join(dir, 'key.pem'), 'utf8'), caBundle: Buffer.from(cert).toString('base64') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The AdmissionReview request a handler gets. */
export interface ReviewRequest {
  uid: string;
  kind: { group: string; version: string; kind: string };
  operation: string;
  namespace?: string;
  name: string;
  object: any;
  oldObject: any;
  dryRun: boolean;
  [key: string]: unknown;
}

/** A handler returns the `response` fields besides `uid` (or a raw body / a delay via the path). */
export type ReviewHandler = (path: string, request: ReviewRequest) => Promise<Record<string, unknown>> | Record<string, unknown>;

export interface TestWebhookServer {
  port: number;
  url(path: string): string;
  /** Requests received, in order. */
  received: Array<{ path: string; request: ReviewRequest }>;
  close(): Promise<void>;
}

/** A local HTTPS server answering JSON POSTs: `handler(path, body)` gives the response body; a throw drops the connection. */
export interface TestJsonServer {
  port: number;
  url(path: string): string;
  close(): Promise<void>;
}

export async function startJsonServer(cert: TestCert, handler: (path: string, body: any) => Promise<unknown> | unknown): Promise<TestJsonServer> {
  const server: Server = createServer({ cert: cert.cert, key: cert.key }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const path = (req.url ?? '/').split('?')[0];
      try {
        const answer = await handler(path, JSON.parse(Buffer.concat(chunks).toString('utf8')));
        if (res.destroyed) return;
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify(answer));
      } catch {
        res.destroy();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: (path) => `https://127.0.0.1:${port}${path}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export async function startWebhookServer(cert: TestCert, handler: ReviewHandler): Promise<TestWebhookServer> {
  const received: TestWebhookServer['received'] = [];
  const server = await startJsonServer(cert, async (path, review) => {
    received.push({ path, request: review.request });
    const response = await handler(path, review.request);
    return { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response: { uid: review.request.uid, ...response } };
  });
  return { ...server, received };
}

/** base64 of a JSON patch, as a webhook sends it. */
export function b64Patch(ops: unknown): string {
  return Buffer.from(typeof ops === 'string' ? ops : JSON.stringify(ops)).toString('base64');
}

/** Minimal JSON call against the API server. */
export async function api(baseUrl: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: any; warning: string | null }> {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, warning: res.headers.get('warning') };
}
