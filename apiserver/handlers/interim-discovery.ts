/**
 * A minimal discovery and OpenAPI v3 surface so that kubectl can talk to the server before the
 * full `apiserver/discovery` and `apiserver/openapi` plugins are wired: legacy discovery
 * (`/api`, `/api/v1`, `/apis`, `/apis/<g>/<v>`) built from the registry on every request, and
 * an OpenAPI v3 index whose per-group-version documents declare, for each kind, a PATCH
 * operation with `x-kubernetes-group-version-kind` and a `fieldValidation` parameter (which is
 * what kubectl 1.29+ checks before leaving validation to the server), and the same operations
 * as a Swagger 2.0 document at `/openapi/v2` (protobuf for kubectl 1.27/1.28). No schemas.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ResourceRegistry } from '../../pkg/api/registry.ts';
import { groupVersion, type ResourceInfo } from '../../pkg/api/resource.ts';
import { encodeOpenApiV2Protobuf, OPENAPI_V2_PROTOBUF_MEDIA_TYPE } from '../openapi-protobuf/encode.ts';
import { pathNotFound } from './resource-route.ts';
import { aggregatedContentType, aggregatedDiscovery, negotiateAggregated, type ExtraSubresource } from '../discovery/aggregated.ts';
import { createHash } from 'node:crypto';
import { definitionName, kindSchemaV2, kindSchemaV3 } from '../openapi/kind-schemas.ts';
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

/** The schema name upstream gives PATCH bodies. */
const PATCH_SCHEMA = 'io.k8s.apimachinery.pkg.apis.meta.v1.Patch';

/** The PATCH content types a kind accepts: custom resources take no strategic merge patch (kubectl reads this to pick its patch type). */
function patchTypes(info: Pick<ResourceInfo, 'customResource'>): string[] {
  return info.customResource
    ? ['application/json-patch+json', 'application/merge-patch+json', 'application/apply-patch+yaml']
    : ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml'];
}

function openApiDocument(registry: ResourceRegistry, group: string, version: string): Record<string, unknown> | undefined {
  const infos = registry.all().filter((i) => i.group === group && i.version === version);
  if (infos.length === 0) return undefined;
  const prefix = group ? `/apis/${group}/${version}` : `/api/${version}`;
  const paths: Record<string, unknown> = {};
  const schemas: Record<string, unknown> = {};
  for (const info of infos) {
    const name = definitionName(info);
    schemas[name] = kindSchemaV3(info);
    const ok = { '200': { description: 'OK', content: { 'application/json': { schema: { $ref: `#/components/schemas/${name}` } } } } };
    const path = info.namespaced ? `${prefix}/namespaces/{namespace}/${info.plural}/{name}` : `${prefix}/${info.plural}/{name}`;
    paths[path] = {
      get: { operationId: `read${info.kind}`, 'x-kubernetes-action': 'get', 'x-kubernetes-group-version-kind': { group, version, kind: info.kind }, responses: ok },
      patch: {
        operationId: `patch${info.kind}`,
        'x-kubernetes-action': 'patch',
        'x-kubernetes-group-version-kind': { group, version, kind: info.kind },
        parameters: [
          { name: 'dryRun', in: 'query', schema: { type: 'string', uniqueItems: true } },
          { name: 'fieldManager', in: 'query', schema: { type: 'string', uniqueItems: true } },
          { name: 'fieldValidation', in: 'query', schema: { type: 'string', uniqueItems: true } },
          { name: 'force', in: 'query', schema: { type: 'boolean', uniqueItems: true } },
        ],
        // kubectl (1.27+) computes a strategic merge patch from this document only when the
        // operation accepts that type; else it downloads the whole /openapi/v2 to decide.
        requestBody: { content: Object.fromEntries(patchTypes(info).map((type) => [type, { schema: { $ref: `#/components/schemas/${PATCH_SCHEMA}` } }])), required: true },
        responses: ok,
      },
    };
  }
  schemas[PATCH_SCHEMA] = { type: 'object', description: 'The body of a PATCH request, in the format its Content-Type names.' };
  return { openapi: '3.0.0', info: { title: 'Kubernetes', version: 'v1.33.0+k8ts' }, paths, components: { schemas } };
}

/** A Swagger 2.0 document with the same fieldValidation-capable PATCH operations (kubectl 1.27/1.28). */
function swaggerDocument(registry: ResourceRegistry): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  const definitions: Record<string, unknown> = {};
  for (const info of registry.all()) {
    definitions[definitionName(info)] = kindSchemaV2(info);
    const prefix = info.group ? `/apis/${info.group}/${info.version}` : `/api/${info.version}`;
    const path = info.namespaced ? `${prefix}/namespaces/{namespace}/${info.plural}/{name}` : `${prefix}/${info.plural}/{name}`;
    paths[path] = {
      patch: {
        operationId: `patch${info.kind}`,
        consumes: patchTypes(info),
        produces: ['application/json'],
        'x-kubernetes-action': 'patch',
        'x-kubernetes-group-version-kind': { group: info.group, version: info.version, kind: info.kind },
        parameters: ['dryRun', 'fieldManager', 'fieldValidation'].map((name) => ({ name, in: 'query', type: 'string', uniqueItems: true })),
        responses: { '200': { description: 'OK', schema: { $ref: `#/definitions/${definitionName(info)}` } } },
      },
    };
  }
  return { swagger: '2.0', info: { title: 'Kubernetes', version: 'v1.33.0+k8ts' }, paths, definitions };
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
    const body = JSON.stringify(doc);
    const etag = `"${createHash('sha256').update(body).digest('hex').slice(0, 32)}"`;
    reply.header('etag', etag);
    if (req.headers['if-none-match'] === etag) return reply.code(304).send();
    return reply.header('content-type', aggregatedContentType(version)).send(Buffer.from(body));
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
  const v2 = async (req: import('fastify').FastifyRequest, reply: FastifyReply) => {
    const doc = swaggerDocument(registry);
    if ((req.headers.accept ?? '').includes(OPENAPI_V2_PROTOBUF_MEDIA_TYPE)) return reply.send(Buffer.from(encodeOpenApiV2Protobuf(doc)));
    return json(reply, doc);
  };
  // fastify cannot parse this media type (it contains '@'), so it is set after serialisation.
  const v2ContentType = async (req: import('fastify').FastifyRequest, reply: FastifyReply, payload: unknown) => {
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
        paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${registry.all().length}` };
      }
    }
    // Aggregated group versions: the backend's own document, which the aggregator proxies.
    for (const r of remotes()) if (r.openApiV3Url) paths[`apis/${r.group}/${r.version}`] = { serverRelativeURL: r.openApiV3Url };
    return json(reply, { paths });
  });
  app.get('/openapi/v3/api/:version', async (req, reply) => {
    const doc = openApiDocument(registry, '', (req.params as { version: string }).version);
    if (!doc) throw pathNotFound();
    return json(reply, doc);
  });
  app.get('/openapi/v3/apis/:group/:version', async (req, reply) => {
    const p = req.params as { group: string; version: string };
    const doc = openApiDocument(registry, p.group, p.version);
    if (!doc) throw pathNotFound();
    return json(reply, doc);
  });
}
