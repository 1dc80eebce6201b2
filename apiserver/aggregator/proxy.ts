/**
 * Proxying `/apis/<group>/<version>/…` to the aggregated API server of a registered remote
 * APIService (upstream's proxyHandler): the request has been authenticated and authorized by
 * this server already; the backend gets it over HTTPS with the caller in the front-proxy headers
 * `X-Remote-User`, `X-Remote-Group` (one per group) and `X-Remote-Extra-<key>`, the caller's own
 * credentials and impersonation headers removed. Responses (watches too) stream back as they
 * come. As upstream, an unavailable APIService or a backend that cannot be resolved or reached
 * is answered with a plain-text 503 (`service unavailable`), which kubectl reports as "the server
 * is currently unable to handle the request". Upgrade requests (WebSocket, SPDY) are not routed
 * by fastify; ./upgrade.ts proxies them with the same headers and TLS settings.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { request as undiciRequest } from 'undici';
import type { APIService } from '../../pkg/api/apiregistration/v1/apiservice.ts';
import { endpointsResource } from '../../pkg/api/core/v1/endpoints.ts';
import { serviceResource } from '../../pkg/api/core/v1/service.ts';
import { UNSECURED_USER, type UserInfo } from '../../pkg/auth/user.ts';
import type { Storage } from '../../pkg/storage/types.ts';
import { storageKey } from '../handlers/objects.ts';
import { dialErrorText, forwardedRequestHeaders, sendBackendResponse } from '../handlers/forward.ts';
import { resolveBackend } from './backend.ts';
import type { Aggregator } from './controller.ts';

/** `/apis/<group>/<version>[/…]` (or its OpenAPI v3 document `/openapi/v3/apis/<group>/<version>`) taken apart; undefined for any other path. Pure. */
export function aggregatedPath(url: string): { group: string; version: string } | undefined {
  const path = url.split('?', 1)[0]!;
  const m = /^\/apis\/([^/]+)\/([^/]+)(?:\/.*)?$/.exec(path) ?? /^\/openapi\/v3\/apis\/([^/]+)\/([^/]+)$/.exec(path);
  return m ? { group: m[1]!, version: m[2]! } : undefined;
}

/** Upstream's escaping of an extra key in `X-Remote-Extra-<key>` (url.PathEscape). Pure. */
export function escapeExtraKey(key: string): string {
  // Go keeps `$&+:=@` in a path segment and escapes `!'()*`, which encodeURIComponent does the other way round.
  return encodeURIComponent(key)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%(24|26|2B|3A|3D|40)/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** The headers the backend gets: the request's, less credentials and hop-by-hop ones, plus the front-proxy identity. Pure. */
export function backendHeaders(incoming: FastifyRequest['headers'], user: UserInfo, remoteIp: string): Record<string, string | string[]> {
  // Front-proxy headers a caller made up are dropped too.
  const headers = forwardedRequestHeaders(incoming, remoteIp, ['x-remote-']);
  headers['x-remote-user'] = user.username;
  if (user.groups.length) headers['x-remote-group'] = [...user.groups];
  for (const [key, values] of Object.entries(user.extra ?? {})) headers[`x-remote-extra-${escapeExtraKey(key)}`] = [...values];
  return headers;
}

/**
 * The headers the backend of an upgrade (WebSocket, SPDY) gets: as {@link backendHeaders}, but
 * keeping the `Connection` and `Upgrade` headers that ask for the upgrade (upstream's upgrade
 * path clones the request's headers and sets the front-proxy ones on it). Pure.
 */
export function upgradeBackendHeaders(incoming: FastifyRequest['headers'], user: UserInfo, remoteIp: string): Record<string, string | string[]> {
  const headers = backendHeaders(incoming, user, remoteIp);
  for (const name of ['connection', 'upgrade']) {
    const value = incoming[name];
    if (value !== undefined) headers[name] = value;
  }
  return headers;
}

/** Upstream's answer for an APIService that is not Available or whose backend cannot be resolved (Go's `http.Error` text). */
export const SERVICE_UNAVAILABLE = 'service unavailable';

function unavailable(reply: FastifyReply, message = SERVICE_UNAVAILABLE): FastifyReply {
  return reply.code(503).header('content-type', 'text/plain; charset=utf-8').header('x-content-type-options', 'nosniff').send(`${message}\n`);
}

/**
 * `https://host:port` of a ready endpoint of the APIService's Service, read from storage now
 * (upstream's service resolver); throws when there is none (a 503 ApiError) or a read fails.
 */
export async function backendOrigin(storage: Storage, keyPrefix: string, svc: APIService): Promise<string> {
  const ref = svc.spec?.service ?? {};
  const service = await storage.get(storageKey(serviceResource, ref.namespace, ref.name ?? '', keyPrefix));
  const endpoints = await storage.get(storageKey(endpointsResource, ref.namespace, ref.name ?? '', keyPrefix));
  return resolveBackend(svc, service, endpoints, (n) => Math.floor(Math.random() * n));
}

/** Forwards one request to the APIService's backend and streams the answer back. */
async function proxyToBackend(options: { storage: Storage; keyPrefix: string; aggregator: Aggregator; svc: APIService; user: UserInfo; request: FastifyRequest; reply: FastifyReply; log: FastifyRequest['log'] }): Promise<FastifyReply> {
  const { storage, keyPrefix, svc, request, reply } = options;
  let origin: string;
  try {
    origin = await backendOrigin(storage, keyPrefix, svc);
  } catch (err) {
    options.log.info({ err, apiService: svc.metadata.name }, 'cannot resolve aggregated API server');
    return unavailable(reply);
  }
  const body = request.body as Buffer | undefined;
  const target = new URL(`${origin}${request.url}`);
  let res;
  try {
    res = await undiciRequest(target, {
      method: request.method as 'GET',
      headers: backendHeaders(request.headers, options.user, request.ip),
      ...(body?.length && request.method !== 'GET' && request.method !== 'HEAD' ? { body } : {}),
      dispatcher: options.aggregator.agents.agentFor(svc),
      headersTimeout: 60_000,
      bodyTimeout: 0,
    });
  } catch (err) {
    options.log.info({ err, apiService: svc.metadata.name }, 'error while proxying request');
    return unavailable(reply, dialErrorText(err, target));
  }
  return sendBackendResponse(reply, res);
}

/**
 * Registers the proxy ahead of the resource routes: a `preHandler` hook (after authentication
 * and authorization) that takes over the requests of registered remote group versions.
 */
export function installAggregatorProxy(app: FastifyInstance, options: { storage: Storage; keyPrefix: string; aggregator: Aggregator; authenticated: boolean }): void {
  // A callback hook: no promise per request on the common path (no remote registered, or another path).
  app.addHook('preHandler', (request, reply, done) => {
    if (!options.aggregator.hasRemotes()) return done();
    const gv = aggregatedPath(request.url);
    const remote = gv && options.aggregator.remote(gv.group, gv.version);
    if (!remote) return done();
    // The reply is sent here; `done` is not called then (fastify's early response).
    const user = (request.k8sUser as UserInfo | undefined) ?? (options.authenticated ? undefined : UNSECURED_USER);
    if (!user) return void reply.code(500).header('content-type', 'text/plain; charset=utf-8').send('missing user\n');
    if (!remote.available) return void unavailable(reply);
    proxyToBackend({ ...options, svc: remote.apiService, user, request, reply, log: request.log }).catch((err: unknown) => done(err as Error));
  });
}
