/**
 * The aggregation tests' set-up: the wardle backend behind a Service and Endpoints, registered
 * with an APIService carrying its caBundle, in front of it the TLS API server (tokens, RBAC) with a
 * front-proxy client certificate; helpers to call the server and to wait for the APIService's
 * `Available` condition.
 */
import { readFileSync } from 'node:fs';
import { Agent, request } from 'undici';
import type { APIService } from '../../../pkg/api/apiregistration/v1/apiservice.ts';
import { startTlsTestApiServer, type TlsTestApiServer } from '../../testing/tls-test-server.ts';
import { startWardleBackend, wardleObjects, type WardleBackend } from './wardle-backend.ts';

/** An APIService condition. */
export type APIServiceCondition = NonNullable<NonNullable<APIService['status']>['conditions']>[number];

/** The token file: `admin-token` (system:masters), `nobody-token` (no rights). */
export const WARDLE_TOKENS = ['admin-token,admin,1,"system:masters"', 'nobody-token,nobody,2'].join('\n');

/** What a call answered. */
export interface CallReply {
  status: number;
  text: string;
  headers: Record<string, string | string[] | undefined>;
  json(): Record<string, any>;
}

/** A running aggregation set-up; `stop` ends the server, the backend and the client. */
export interface WardleAggregation {
  api: TlsTestApiServer;
  backend: WardleBackend;
  /** The CA of the API server's serving certificate. */
  ca: Buffer;
  /** An undici dispatcher trusting it (for requests `call` does not make, e.g. streams). */
  agent: Agent;
  /** One request to the API server as the holder of `token` (default `admin-token`), a JSON `body` if given. */
  call(method: string, path: string, options?: { token?: string; body?: unknown; accept?: string }): Promise<CallReply>;
  /** Resolves with the APIService's `Available` condition once it has `reason` (10 s at most). */
  waitCondition(reason: string): Promise<APIServiceCondition>;
  stop(): Promise<void>;
}

async function poll<T>(fn: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Starts the backend and the API server and registers the APIService (its Service, Endpoints). */
export async function startWardleAggregation(): Promise<WardleAggregation> {
  const backend = await startWardleBackend();
  // The front-proxy client certificate comes from a CA of its own in a real cluster; any will do for the backend here.
  const pre = await startTlsTestApiServer({ tokenFile: WARDLE_TOKENS });
  const proxyCert = await pre.clientCertificate('front-proxy-client', 'front-proxy-client');
  const proxyClient = { cert: readFileSync(proxyCert.cert), key: readFileSync(proxyCert.key) };
  await pre.stop();
  const api = await startTlsTestApiServer({ tokenFile: WARDLE_TOKENS, assemble: { aggregation: { proxyClient, resyncMs: 300, checkTimeoutMs: 2000 } } });
  const ca = readFileSync(api.ca.cert);
  const agent = new Agent({ connect: { ca } });
  const call: WardleAggregation['call'] = async (method, path, options = {}) => {
    const res = await request(`${api.url}${path}`, {
      method: method as 'GET',
      dispatcher: agent,
      headers: { authorization: `Bearer ${options.token ?? 'admin-token'}`, ...(options.body ? { 'content-type': 'application/json' } : {}), ...(options.accept ? { accept: options.accept } : {}) },
      ...(options.body ? { body: JSON.stringify(options.body) } : {}),
    });
    const text = await res.body.text();
    return { status: res.statusCode, text, headers: res.headers, json: () => JSON.parse(text) as Record<string, any> };
  };
  const objs = wardleObjects(backend);
  for (const [path, body] of [['/api/v1/namespaces/default/services', objs.service], ['/api/v1/namespaces/default/endpoints', objs.endpoints], ['/apis/apiregistration.k8s.io/v1/apiservices', objs.apiService]] as const) {
    const reply = await call('POST', path, { body });
    if (reply.status !== 201) throw new Error(`POST ${path}: ${reply.status} ${reply.text}`);
  }
  const waitCondition = (reason: string) =>
    poll(async () => {
      const c = ((await call('GET', '/apis/apiregistration.k8s.io/v1/apiservices/v1alpha1.wardle.example.com')).json() as APIService).status?.conditions?.find((x) => x.type === 'Available');
      return c?.reason === reason ? c : undefined;
    });
  return {
    api,
    backend,
    ca,
    agent,
    call,
    waitCondition,
    async stop() {
      await api.stop();
      await backend.stop();
      await agent.close();
    },
  };
}
