/**
 * The `proxy` subresource of pods, services and nodes (`kubectl proxy`, `kubectl get --raw
 * /api/v1/nodes/<node>/proxy/stats/summary`, `…/services/<svc>:<port>/proxy/`): the request is
 * forwarded with its method, headers and body to the location {@link ./proxy-location.ts}
 * chooses, and the backend's status, headers and body stream back. As upstream's
 * UpgradeAwareHandler: a GET or HEAD naming nothing after `/proxy` is redirected (301) to the
 * same path with `/`; a backend that cannot be reached is a 503 `error trying to reach service`.
 * Upgrades (WebSocket) through the proxy and upstream's HTML link rewriting are not done.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { request as undiciRequest } from 'undici';
import type { KubeObject } from '../../pkg/api/meta.ts';
import { ApiError, badRequest, methodNotAllowed } from '../../pkg/errors/index.ts';
import type { RequestScope, ServerContext } from './context.ts';
import { nodeProxyLocation, podProxyLocation, proxyTargetPath, serviceProxyLocation, splitSchemeNamePort, type ProxyLocation } from './proxy-location.ts';
import { getObject } from './read.ts';
import { dialErrorText, forwardedRequestHeaders, sendBackendResponse } from './forward.ts';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** Reads an object of the same group by kind (`Endpoints`, …); undefined when absent. */
async function readSibling(ctx: ServerContext, scope: RequestScope, kind: string, name: string): Promise<KubeObject | undefined> {
  const info = ctx.registry.all().find((i) => i.group === '' && i.kind === kind);
  if (!info) return undefined;
  return getObject(ctx, { ...scope, info, name }).catch((err: unknown) => {
    if (err instanceof ApiError && err.code === 404) return undefined;
    throw err;
  });
}

/** The location of `scope`'s object for a proxy id (reads the object; 404 when it does not exist). */
async function locate(ctx: ServerContext, scope: RequestScope, rawId: string): Promise<ProxyLocation> {
  const kind = scope.info.kind;
  const id = splitSchemeNamePort(rawId);
  if (!id) throw badRequest(`invalid ${kind === 'Node' ? 'node' : kind === 'Pod' ? 'pod' : 'service'} request "${rawId}"`);
  if (kind === 'Service') {
    const service = await getObject(ctx, { ...scope, name: id.name });
    const endpoints = await readSibling(ctx, scope, 'Endpoints', id.name);
    return serviceProxyLocation(service, endpoints, id, rawId, (n) => Math.floor(Math.random() * n));
  }
  const obj = await getObject(ctx, { ...scope, name: id.name });
  return kind === 'Pod' ? podProxyLocation(obj, id) : nodeProxyLocation(obj, id, ctx.kubelet?.scheme ?? 'http');
}

/** Serves one proxy request (the scope's name is the raw id, e.g. `web:8080`). */
export async function proxyResource(ctx: ServerContext, scope: RequestScope, proxyPath: string, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  if (!METHODS.has(request.method)) throw methodNotAllowed();
  const location = await locate(ctx, scope, scope.name ?? '');
  const path = proxyTargetPath(proxyPath);
  const queryStart = request.url.indexOf('?');
  const search = queryStart < 0 ? '' : request.url.slice(queryStart);
  if (path === '' && (request.method === 'GET' || request.method === 'HEAD')) {
    const own = queryStart < 0 ? request.url : request.url.slice(0, queryStart);
    return reply.code(301).header('location', `${own}/${search}`).send();
  }
  const target = new URL(`${location.origin}${path || '/'}${search}`);
  const body = request.body as Buffer | undefined;
  let res;
  try {
    res = await undiciRequest(target, {
      method: request.method as 'GET',
      headers: forwardedRequestHeaders(request.headers, request.ip),
      ...(body && body.length && request.method !== 'GET' && request.method !== 'HEAD' ? { body } : {}),
      headersTimeout: 30_000,
      bodyTimeout: 0,
      ...(location.kubelet && ctx.kubelet?.dispatcher ? { dispatcher: ctx.kubelet.dispatcher } : {}),
    });
  } catch (err) {
    throw new ApiError({ code: 503, reason: 'ServiceUnavailable', message: `error trying to reach service: ${dialErrorText(err, target)}` });
  }
  return sendBackendResponse(reply, res);
}
