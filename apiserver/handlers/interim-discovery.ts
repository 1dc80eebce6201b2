/**
 * A minimal discovery surface built from the registry on every request — legacy discovery
 * (`/api`, `/api/v1`, `/apis`, `/apis/<g>/<v>`) — and the OpenAPI routes: the v3 index, whose
 * `hash` is each document's ETag, the per-group-version v3 documents (a stale `hash` is
 * redirected, the current one is cacheable for good, as upstream) and `/openapi/v2` (JSON or
 * protobuf for kubectl 1.27/1.28), all answered from {@link OpenApiDocumentCache}
 * (`apiserver/openapi/documents.ts`) with ETags and 304s.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ResourceRegistry } from '../../pkg/api/registry.ts';
import { groupVersion, type ResourceInfo } from '../../pkg/api/resource.ts';
import { OPENAPI_V2_PROTOBUF_MEDIA_TYPE } from '../openapi-protobuf/encode.ts';
import { OpenApiDocumentCache, type ServedDocument } from '../openapi/documents.ts';
import { pathNotFound } from './resource-route.ts';
import { aggregatedContentType, aggregatedDiscovery, negotiateAggregated, type ExtraSubresource } from '../discovery/aggregated.ts';
import { createHash } from 'node:crypto';
import { isKnownSubresource, POD_CONNECT_SUBRESOURCES } from './subresources.ts';
import { mergeAggregated, remoteGroups, type RemoteDiscovery } from '../discovery/remote.ts';

function json(reply: FastifyReply, body: unknown): FastifyReply {
  return reply.header('content-type', 'application/json').send(Buffer.from(JSON.stringify(body)));
}

/** Subresources a server serves beyond what its registry says (they depend on its flags). */
export interface ServedSubresources {
  /** `serviceaccounts/token` (TokenRequest): the server has a signing key. */
  tokenRequest?: boolean;
}

export function subresourceEntries(info: ResourceInfo, served: ServedSubresources = {}): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  const base = { singularName: '', namespaced: info.namespaced };
  if (info.subresources.status) out.push({ ...base, name: `${info.plural}/status`, kind: info.kind, verbs: ['get', 'patch', 'update'] });
  for (const sub of Object.keys(info.updateSubresources ?? {})) if (sub !== 'status') out.push({ ...base, name: `${info.plural}/${sub}`, kind: info.kind, verbs: ['get', 'patch', 'update'] });
  if (info.subresources.scale) out.push({ ...base, name: `${info.plural}/scale`, group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] });
  for (const sub of ['binding', 'eviction', ...POD_CONNECT_SUBRESOURCES, 'finalize']) {
    if (!isKnownSubresource(info, sub)) continue;
    const verbs = sub === 'binding' || sub === 'eviction' ? ['create'] : sub === 'finalize' ? ['update'] : sub === 'log' ? ['get'] : ['create', 'get'];
    const kind = sub === 'binding' ? 'Binding' : sub === 'eviction' ? 'Eviction' : sub === 'finalize' ? info.kind : `Pod${sub[0].toUpperCase()}${sub.slice(1)}Options`;
    out.push({ ...base, name: `${info.plural}/${sub}`, kind, verbs, ...(sub === 'eviction' ? { group: 'policy', version: 'v1' } : {}) });
  }
  if (served.tokenRequest && info.group === '' && info.kind === 'ServiceAccount') {
    out.push({ ...base, name: `${info.plural}/token`, group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest', verbs: ['create'] });
  }
  return out;
}

/** The legacy `APIResourceList` of one group/version, or undefined when nothing is served there. */
export function apiResourceList(registry: ResourceRegistry, group: string, version: string, served: ServedSubresources = {}): Record<string, unknown> | undefined {
  const infos = registry.all().filter((i) => i.group === group && i.version === version);
  if (infos.length === 0) return undefined;
  const resources = infos.flatMap((i) => [
    { name: i.plural, singularName: i.singular, namespaced: i.namespaced, kind: i.kind, verbs: i.verbs, shortNames: i.shortNames.length ? i.shortNames : undefined, categories: i.categories.length ? i.categories : undefined },
    ...subresourceEntries(i, served),
  ]);
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: groupVersion({ group, version }), resources };
}

/** Registers the interim routes on `app`. */
export function interimDiscoveryPlugin(app: FastifyInstance, options: { registry: ResourceRegistry; served?: ServedSubresources; remotes?: () => RemoteDiscovery[] }): void {
  const { registry, served = {} } = options;
  /** Available aggregated group versions not served here (the proxy answers their `/apis/<g>/<v>`). */
  const remotes = (): RemoteDiscovery[] => (options.remotes?.() ?? []).filter((r) => !registry.groups().get(r.group)?.includes(r.version));
  const extraSubresources = (info: ResourceInfo): ExtraSubresource[] =>
    subresourceEntries(info, served)
      .map((e) => ({ subresource: String(e.name).split('/')[1], kind: String(e.kind), group: e.group as string | undefined, version: e.version as string | undefined, verbs: e.verbs as string[] }))
      .filter((e) => e.subresource !== 'status' && e.subresource !== 'scale');
  /** Answers with aggregated discovery when asked (ETag/304, Vary: Accept); false otherwise. */
  const aggregated = (req: import('fastify').FastifyRequest, reply: FastifyReply, core: boolean): FastifyReply | undefined => {
    const version = negotiateAggregated(req.headers.accept);
    reply.header('vary', 'Accept');
    if (!version) return undefined;
    const doc = aggregatedDiscovery({ registry, core, version, extraSubresources });
    if (!core) doc.items = mergeAggregated(doc.items as Array<Record<string, unknown>>, remotes());
    const body = Buffer.from(JSON.stringify(doc));
    return sendDocument(req, reply, { body, etag: createHash('sha256').update(body).digest('hex').slice(0, 32) }, aggregatedContentType(version));
  };
  app.get('/api', async (req, reply) => aggregated(req, reply, true) ?? json(reply, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '' }] }));
  app.get('/api/:version', async (req, reply) => {
    const list = apiResourceList(registry, '', (req.params as { version: string }).version, served);
    if (!list) throw pathNotFound();
    return json(reply, list);
  });
  app.get('/apis', async (req, reply) => {
    const answered = aggregated(req, reply, false);
    if (answered) return answered;
    const groups = [...registry.groups()]
      .filter(([g]) => g !== '')
      .map(([name, versions]) => ({
        name,
        versions: versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v })),
        preferredVersion: { groupVersion: `${name}/${versions[0]}`, version: versions[0] },
      }));
    for (const [name, versions] of remoteGroups(remotes())) {
      const gvs = versions.map((v) => ({ groupVersion: `${name}/${v.version}`, version: v.version }));
      const existing = groups.find((g) => g.name === name);
      if (existing) existing.versions.push(...gvs);
      else groups.push({ name, versions: gvs, preferredVersion: gvs[0]! });
    }
    return json(reply, { kind: 'APIGroupList', apiVersion: 'v1', groups });
  });
  app.get('/apis/:group', async (req, reply) => {
    const name = (req.params as { group: string }).group;
    const versions = [...(registry.groups().get(name) ?? []), ...(remoteGroups(remotes()).get(name) ?? []).map((r) => r.version)];
    if (!name || !versions.length) throw pathNotFound();
    const gvs = versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v }));
    return json(reply, { kind: 'APIGroup', apiVersion: 'v1', name, versions: gvs, preferredVersion: gvs[0] });
  });
  app.get('/apis/:group/:version', async (req, reply) => {
    const p = req.params as { group: string; version: string };
    const list = apiResourceList(registry, p.group, p.version);
    if (!list) throw pathNotFound();
    return json(reply, list);
  });
  const documents = new OpenApiDocumentCache(registry);
  app.addHook('onClose', async () => documents.close());
  const v2 = async (req: FastifyRequest, reply: FastifyReply) => {
    const protobuf = (req.headers.accept ?? '').includes(OPENAPI_V2_PROTOBUF_MEDIA_TYPE);
    return sendDocument(req, reply, documents.swagger(protobuf ? 'protobuf' : 'json'), protobuf ? undefined : 'application/json');
  };
  // fastify cannot parse this media type (it contains '@'), so it is set after serialisation.
  const v2ContentType = async (req: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    if (reply.statusCode === 200 && (req.headers.accept ?? '').includes(OPENAPI_V2_PROTOBUF_MEDIA_TYPE)) reply.header('content-type', 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf');
    return payload;
  };
  app.get('/openapi/v2', { onSend: v2ContentType }, v2);
  app.get('/swagger-2.0.0.pb-v1', { onSend: v2ContentType }, v2);
  app.get('/openapi/v3', async (_req, reply) => {
    const paths: Record<string, unknown> = {};
    for (const [group, versions] of registry.groups()) {
      for (const v of versions) {
        const key = group ? `apis/${group}/${v}` : `api/${v}`;
        paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${documents.groupVersion(group, v)?.etag ?? ''}` };
      }
    }
    // Aggregated group versions: the backend's own document, which the aggregator proxies.
    for (const r of remotes()) if (r.openApiV3Url) paths[`apis/${r.group}/${r.version}`] = { serverRelativeURL: r.openApiV3Url };
    return json(reply, { paths });
  });
  const v3 = (group: string, version: string, req: FastifyRequest, reply: FastifyReply) => {
    const doc = documents.groupVersion(group, version);
    if (!doc) throw pathNotFound();
    const hash = (req.query as { hash?: string }).hash;
    if (hash) {
      // As upstream: a stale hash is redirected to the current one; the current one is cacheable for good.
      if (hash !== doc.etag) return reply.redirect(`/openapi/v3/${group ? `apis/${group}` : 'api'}/${version}?hash=${doc.etag}`, 301);
      reply.header('cache-control', 'public, immutable').header('expires', new Date(Date.now() + 365 * 24 * 3600_000).toUTCString());
    }
    return sendDocument(req, reply, doc, 'application/json');
  };
  app.get('/openapi/v3/api/:version', async (req, reply) => v3('', (req.params as { version: string }).version, req, reply));
  app.get('/openapi/v3/apis/:group/:version', async (req, reply) => {
    const p = req.params as { group: string; version: string };
    return v3(p.group, p.version, req, reply);
  });
}

/**
 * Sends a document with its ETag (quoted) and `Vary: Accept`, or 304 when the client already has
 * it; `contentType` goes with the body (the protobuf type is set after serialisation, see `v2ContentType`).
 */
function sendDocument(req: FastifyRequest, reply: FastifyReply, doc: ServedDocument, contentType?: string): FastifyReply {
  const etag = `"${doc.etag}"`;
  reply.header('etag', etag).header('vary', 'Accept');
  if (req.headers['if-none-match'] === etag) return reply.code(304).send();
  if (contentType) reply.header('content-type', contentType);
  return reply.send(doc.body);
}
