/**
 * The OpenAPI documents the server publishes, built from the registry: per group version an
 * OpenAPI 3.0 document (`/openapi/v3/<api|apis/g>/<v>`) with each kind's schema and its GET and
 * PATCH operations — PATCH with `x-kubernetes-group-version-kind`, `fieldValidation` and the
 * patch content types it accepts, which is how kubectl (1.27+) decides to leave validation to the
 * server and to send a strategic merge patch — and one Swagger 2.0 document (`/openapi/v2`,
 * JSON or protobuf, for kubectl 1.27/1.28) with the same PATCH operations. Schemas come from
 * `schema-set.ts`: kinds reference shared sub-schemas by upstream's definition names, which is
 * where `kubectl explain` takes its type names (`<[]Container>`) from.
 *
 * {@link OpenApiDocumentCache} serialises each document once per registry state, with
 * upstream's ETag (the hex SHA-512 of the serialised bytes, upper case): the protobuf Swagger
 * document alone takes over a second to build, and kubectl 1.27/1.28 fetch it before every apply.
 */
import { createHash } from 'node:crypto';
import type { ResourceRegistry } from '../../pkg/api/registry.ts';
import type { ResourceInfo } from '../../pkg/api/resource.ts';
import { encodeOpenApiV2Protobuf } from '../openapi-protobuf/encode.ts';
import { definitionName } from './kind-schemas.ts';
import { openApiSchemas, referencedNames, type OpenApiSchemas } from './schema-set.ts';
import { swaggerSchema } from './swagger-form.ts';
import { KUBERNETES_VERSION } from '../../pkg/version.ts';

/** The schema name upstream gives PATCH bodies. */
const PATCH_SCHEMA = 'io.k8s.apimachinery.pkg.apis.meta.v1.Patch';

const VERSION = KUBERNETES_VERSION.gitVersion;

/** The PATCH content types a kind accepts: custom resources take no strategic merge patch (kubectl reads this to pick its patch type). */
function patchTypes(info: Pick<ResourceInfo, 'customResource'>): string[] {
  return info.customResource
    ? ['application/json-patch+json', 'application/merge-patch+json', 'application/apply-patch+yaml']
    : ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml'];
}

const objectPath = (info: ResourceInfo): string => {
  const prefix = info.group ? `/apis/${info.group}/${info.version}` : `/api/${info.version}`;
  return info.namespaced ? `${prefix}/namespaces/{namespace}/${info.plural}/{name}` : `${prefix}/${info.plural}/{name}`;
};

/**
 * The OpenAPI v3 document of one group version, or undefined when nothing is served there. Pure.
 * It holds its kinds and every named definition they reference, transitively (no dangling
 * `$ref`). `all` is {@link openApiSchemas} of the whole registry (built here when not given):
 * shared definitions carry every kind's patch hints, the same in each document.
 */
export function openApiV3Document(registry: ResourceRegistry, group: string, version: string, all?: OpenApiSchemas): Record<string, unknown> | undefined {
  const infos = registry.all().filter((i) => i.group === group && i.version === version);
  if (infos.length === 0) return undefined;
  const source = (all ?? openApiSchemas(registry.all())).schemas;
  const paths: Record<string, unknown> = {};
  const schemas: Record<string, unknown> = {};
  for (const name of referencedNames(source, infos.map(definitionName))) schemas[name] = source[name];
  for (const info of infos) {
    const name = definitionName(info);
    const gvk = { group, version, kind: info.kind };
    const ok = { '200': { description: 'OK', content: { 'application/json': { schema: { $ref: `#/components/schemas/${name}` } } } } };
    paths[objectPath(info)] = {
      get: { operationId: `read${info.kind}`, 'x-kubernetes-action': 'get', 'x-kubernetes-group-version-kind': gvk, responses: ok },
      patch: {
        operationId: `patch${info.kind}`,
        'x-kubernetes-action': 'patch',
        'x-kubernetes-group-version-kind': gvk,
        parameters: [
          { name: 'dryRun', in: 'query', schema: { type: 'string', uniqueItems: true } },
          { name: 'fieldManager', in: 'query', schema: { type: 'string', uniqueItems: true } },
          { name: 'fieldValidation', in: 'query', schema: { type: 'string', uniqueItems: true } },
          { name: 'force', in: 'query', schema: { type: 'boolean', uniqueItems: true } },
        ],
        // kubectl computes a strategic merge patch from this document only when the operation
        // accepts that type; else it downloads the whole /openapi/v2 to decide.
        requestBody: { content: Object.fromEntries(patchTypes(info).map((type) => [type, { schema: { $ref: `#/components/schemas/${PATCH_SCHEMA}` } }])), required: true },
        responses: ok,
      },
    };
  }
  schemas[PATCH_SCHEMA] = { type: 'object', description: 'The body of a PATCH request, in the format its Content-Type names.' };
  return { openapi: '3.0.0', info: { title: 'Kubernetes', version: VERSION }, paths, components: { schemas } };
}

/**
 * The Swagger 2.0 document of every served kind and every named definition (kubectl 1.27/1.28).
 * Pure; `all` as for {@link openApiV3Document}.
 */
export function swaggerDocument(registry: ResourceRegistry, all?: OpenApiSchemas): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  const definitions: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries((all ?? openApiSchemas(registry.all())).schemas)) definitions[name] = swaggerSchema(name, schema);
  for (const info of registry.all()) {
    paths[objectPath(info)] = {
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
  return { swagger: '2.0', info: { title: 'Kubernetes', version: VERSION }, paths, definitions };
}

/** A serialised document and its ETag (upstream: hex SHA-512 of the bytes, upper case, unquoted here). */
export interface ServedDocument {
  body: Buffer;
  etag: string;
}

const served = (body: Buffer): ServedDocument => ({ body, etag: createHash('sha512').update(body).digest('hex').toUpperCase() });

/**
 * Each document serialised at most once per registry state (any registry change drops them all).
 * Contract: what it returns is shared; callers must not modify the buffers.
 */
export class OpenApiDocumentCache {
  private v2?: { json?: ServedDocument; protobuf?: ServedDocument; doc: Record<string, unknown> };
  private readonly v3 = new Map<string, ServedDocument | undefined>();
  /** The schemas all documents are cut from, built once per registry state. */
  private schemas?: OpenApiSchemas;
  /** Stops following the registry (call when the server closes). */
  readonly close: () => void;

  constructor(private readonly registry: ResourceRegistry) {
    this.close = registry.onChange(() => {
      this.v2 = undefined;
      this.v3.clear();
      this.schemas = undefined;
    });
  }

  /** `/openapi/v2` as JSON or protobuf. */
  swagger(format: 'json' | 'protobuf'): ServedDocument {
    const v2 = (this.v2 ??= { doc: swaggerDocument(this.registry, this.allSchemas()) });
    if (format === 'json') return (v2.json ??= served(Buffer.from(JSON.stringify(v2.doc))));
    return (v2.protobuf ??= served(Buffer.from(encodeOpenApiV2Protobuf(v2.doc))));
  }

  private allSchemas(): OpenApiSchemas {
    return (this.schemas ??= openApiSchemas(this.registry.all()));
  }

  /** One group version's v3 document (`group` '' for the core group), or undefined when nothing is served there. */
  groupVersion(group: string, version: string): ServedDocument | undefined {
    const key = `${group}/${version}`;
    if (!this.v3.has(key)) {
      const doc = openApiV3Document(this.registry, group, version, this.allSchemas());
      this.v3.set(key, doc && served(Buffer.from(JSON.stringify(doc))));
    }
    return this.v3.get(key);
  }
}
