/**
 * The one generic resource handler behind `/api/*` and `/apis/*`: resolves the URL against the
 * registry on every request (CRDs come and go), picks the verb, runs it and writes the result.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ResourceInfo, Verb } from '../../pkg/api/resource.ts';
import { ApiError, methodNotAllowed } from '../../pkg/errors/index.ts';
import { negotiateFormat } from '../request/accept.ts';
import { parseObjectBody } from '../request/body.ts';
import { first, parseDryRun, parseReadOptions, validateListOptions, type Query } from '../request/options.ts';
import type { ResourcePath } from '../request/path.ts';
import { resourcePathOf } from '../request/parsed-request.ts';
import { parseDeleteOptions } from '../strategies/deletion.ts';
import { watchResource } from '../watch/handler.ts';
import type { HandlerResult, RequestScope, ServerContext } from './context.ts';
import { deleteCollection, deleteObject, deleteResponse } from './delete.ts';
import { getObject, listObjects } from './read.ts';
import { send, transformBody } from './respond.ts';
import { warningHeader } from '../request/field-validation.ts';
import { proxyResource } from './proxy.ts';
import { handleSubresource, isKnownSubresource, isObjectSubresource } from './subresources.ts';
import { streamPodLog } from './pod-log.ts';
import { createHandler, patchHandler, updateHandler } from './write-handlers.ts';
import { reviewHandler } from './reviews.ts';
import { servesTokenRequest } from './token-request.ts';
import { metricsHandler } from '../metrics-api/handler.ts';
import { componentStatusHandler } from '../componentstatus/handler.ts';

/** DELETE of one object or of a collection. */
async function deleteHandler(
  ctx: ServerContext,
  scope: RequestScope,
  verb: 'delete' | 'deletecollection',
  req: { query: Query; body: Buffer | undefined; contentType: string | undefined; readOptions: ReturnType<typeof parseReadOptions> },
): Promise<HandlerResult> {
  const { query, body, contentType, readOptions } = req;
  const raw = body && body.length > 0 ? parseObjectBody(body, contentType) : undefined;
  const fromQuery = { propagationPolicy: first(query, 'propagationPolicy'), gracePeriodSeconds: first(query, 'gracePeriodSeconds'), orphanDependents: first(query, 'orphanDependents') };
  const options = parseDeleteOptions(raw, fromQuery, parseDryRun(query.dryRun ?? (raw?.dryRun as string[] | undefined)));
  if (verb === 'delete') {
    const deleted = await deleteObject(ctx, scope, scope.name as string, options);
    // Upstream answers 202 only when the client asked for cascading deletion with orphanDependents=false.
    const code = !deleted.deleted && options.orphanDependents === false ? 202 : 200;
    return { code, body: deleteResponse(scope, deleted), transformable: !deleted.deleted };
  }
  const list = await listObjects(ctx, scope, { ...readOptions, limit: undefined, continueToken: undefined });
  return { code: 200, body: await deleteCollection(ctx, scope, list.items, options), list: true };
}

/** Upstream's body for an unknown path. */
export function pathNotFound(): ApiError {
  return new ApiError({ code: 404, reason: 'NotFound', message: 'the server could not find the requested resource', details: {} });
}

/** The metrics labels of a request (filled in as the request is understood). */
export interface RequestLabels {
  verb: string;
  group: string;
  version: string;
  resource: string;
  subresource: string;
  scope: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    k8sLabels?: RequestLabels;
    /** The authenticated user (set by the authentication hook). */
    k8sUser?: { username: string; groups: string[] };
  }
}

function resolve(ctx: ServerContext, path: ResourcePath): { info: ResourceInfo; path: ResourcePath } {
  if (path.group === '' && path.plural === 'bindings' && path.namespace && !path.name) {
    const pods = ctx.registry.lookup('', path.version, 'pods');
    if (pods) return { info: pods, path: { ...path, plural: 'pods', subresource: 'binding' } };
  }
  const info = ctx.registry.lookup(path.group, path.version, path.plural);
  if (!info) throw pathNotFound();
  if (!info.namespaced && path.namespace !== undefined) throw pathNotFound();
  if (path.subresource && !isKnownSubresource(info, path.subresource) && !servesTokenRequest(ctx.serviceAccountTokens, info, path.subresource)) throw pathNotFound();
  return { info, path };
}

function verbOf(info: ResourceInfo, method: string, path: ResourcePath, watch: boolean): Verb | 'connect' {
  const sub = path.subresource;
  if (sub === 'proxy') return 'connect';
  switch (method) {
    case 'GET':
      if (sub && sub !== 'status' && sub !== 'scale' && !info.updateSubresources?.[sub]) {
        if (sub === 'finalize') throw methodNotAllowed();
        return 'connect';
      }
      if (watch || path.legacyWatch) return 'watch';
      return path.name ? 'get' : 'list';
    case 'POST':
      if (path.subresource === 'binding' || path.subresource === 'eviction' || path.subresource === 'token') return 'create';
      if (sub) return 'connect';
      if (path.name) throw methodNotAllowed();
      return 'create';
    case 'PUT':
      if (!path.name) throw methodNotAllowed();
      return 'update';
    case 'PATCH':
      if (!path.name || sub === 'finalize') throw methodNotAllowed();
      return 'patch';
    case 'DELETE':
      if (sub) throw methodNotAllowed();
      return path.name ? 'delete' : 'deletecollection';
    default:
      throw methodNotAllowed();
  }
}

/** The `verb` label upstream's request metrics use (LIST, WATCH, APPLY, …). */
export function metricsVerb(method: string, verb: Verb | 'connect', contentType: string | undefined): string {
  if (verb === 'connect') return 'CONNECT';
  if (verb === 'patch' && (contentType ?? '').startsWith('application/apply-patch')) return 'APPLY';
  if (verb === 'create') return 'POST';
  if (verb === 'update') return 'PUT';
  return verb.toUpperCase();
}

/** The fastify handler for every `/api/*` and `/apis/*` request. */
export async function handleResourceRequest(ctx: ServerContext, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | void> {
  const parsed = resourcePathOf(request.raw);
  if (!parsed) throw pathNotFound();
  const { info, path } = resolve(ctx, parsed);
  const query = request.query as Query;
  const readOptions = parseReadOptions(query);
  const verb = verbOf(info, request.method, path, readOptions.watch);
  request.k8sLabels = {
    verb: metricsVerb(request.method, verb, request.headers['content-type']),
    group: info.group,
    version: info.version,
    resource: info.plural,
    subresource: path.subresource ?? '',
    scope: path.name ? 'resource' : path.namespace ? 'namespace' : info.namespaced ? 'cluster' : 'cluster',
  };
  // A deprecated kind warns on every answer, errors included (upstream adds it before the handler runs).
  if (info.deprecationWarning) reply.header('Warning', warningHeader(info.deprecationWarning));
  if (verb !== 'connect' && !path.subresource && !info.verbs.includes(verb)) throw methodNotAllowed();
  if (info.namespaced && !path.namespace && (verb === 'create' || verb === 'get' || verb === 'update' || verb === 'patch' || verb === 'delete' || verb === 'deletecollection' || verb === 'connect')) {
    throw pathNotFound();
  }
  const scope: RequestScope = { info, namespace: path.namespace, name: path.name, subresource: path.subresource, log: request.log, userAgent: request.headers['user-agent'], user: request.k8sUser, audit: request.k8sAudit };
  // A built-in's Scale has a Table of its own (upstream printScale); a custom resource's has none.
  const transforms = !path.subresource || path.subresource === 'status' || !!info.updateSubresources?.[path.subresource] || (path.subresource === 'scale' && !info.customResource);
  const format = negotiateFormat(request.headers.accept, transforms);
  const body = request.body as Buffer | undefined;
  const contentType = request.headers['content-type'];

  if (verb === 'list' || verb === 'watch' || verb === 'deletecollection') validateListOptions(readOptions);
  if (verb === 'watch') return watchResource(ctx, scope, readOptions, format, request, reply);
  if (path.subresource === 'log' && request.method === 'GET' && info.group === '' && info.kind === 'Pod') return streamPodLog(ctx, scope, query, reply);
  if (path.subresource === 'proxy') return proxyResource(ctx, scope, path.proxyPath ?? '', request, reply);
  let result: HandlerResult;
  if (info.computed) {
    // get or list (the only verbs a computed kind has); never from storage.
    result = info.group === '' && info.kind === 'ComponentStatus' ? await componentStatusHandler(ctx.componentProbes ?? new Map(), scope, readOptions) : await metricsHandler(ctx, scope, readOptions);
  } else if (path.subresource && !isObjectSubresource(info, path.subresource)) {
    result = await handleSubresource(ctx, scope, { method: request.method, query, body, contentType });
  } else {
    switch (verb) {
      case 'get':
        result = { code: 200, body: await getObject(ctx, scope, readOptions) };
        break;
      case 'list':
        result = { code: 200, body: await listObjects(ctx, scope, readOptions), list: true };
        break;
      case 'create':
        result = info.review ? await reviewHandler(ctx, scope, query, body, contentType) : await createHandler(ctx, scope, query, body, contentType);
        break;
      case 'update':
        result = await updateHandler(ctx, scope, query, body, contentType);
        break;
      case 'patch':
        result = await patchHandler(ctx, scope, query, body, contentType);
        break;
      case 'delete':
      case 'deletecollection':
        result = await deleteHandler(ctx, scope, verb, { query, body, contentType, readOptions });
        break;
      default:
        throw methodNotAllowed();
    }
  }
  const out = transformBody(ctx, scope, result, format, readOptions.includeObject);
  if (info.deprecationWarning) (scope.warnings ??= []).unshift(info.deprecationWarning);
  return send(reply, result.code, out, format, scope.warnings?.length ? [...new Set([...(result.warnings ?? []), ...scope.warnings])] : result.warnings);
}
