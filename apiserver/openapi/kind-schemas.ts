/**
 * OpenAPI 3.0 schemas of served kinds, generated from their zod schemas (the same source that
 * decodes requests). Shared sub-schemas with an upstream name (`definition-names.ts`) become
 * named definitions the kind references with `$ref: '#/components/schemas/<name>'`, as upstream
 * publishes them; everything else stays inline. Custom resources keep the schema of their CRD.
 * A kind whose zod schema cannot be converted gets an open object schema instead of failing the
 * whole document. Patch hints and the group-version-kind are added later (`schema-set.ts`).
 * A custom resource's `metadata` references the ObjectMeta definition, as upstream's does.
 */
import { z } from 'zod';
import { ObjectMetaSchema } from '../../pkg/api/meta.ts';
import type { ResourceInfo } from '../../pkg/api/resource.ts';
import { copyJson } from '../../pkg/util/json-copy.ts';
import { definitionNameRegistry, INT_OR_STRING, QUANTITY } from './definition-names.ts';

/** A JSON object (an OpenAPI schema node). */
export type Json = Record<string, unknown>;

/** The prefix of every schema reference in an OpenAPI 3.0 document. */
export const V3_REF_PREFIX = '#/components/schemas/';

/** A kind's converted schema: its own root and the named definitions it references (transitively). */
export interface ConvertedKind {
  readonly root: Json;
  readonly definitions: Readonly<Record<string, Json>>;
}

const cache = new WeakMap<ResourceInfo, ConvertedKind>();

/** Upstream definition name: `io.k8s.api.core.v1.Pod`, `io.k8s.api.apps.v1.Deployment`. */
export function definitionName(info: Pick<ResourceInfo, 'group' | 'version' | 'kind' | 'customResource'>): string {
  // Custom resources are named by their reversed group, as upstream: `com.example.stable.v1.CronTab`.
  if (info.customResource) return `${info.group.split('.').reverse().join('.')}.${info.version}.${info.kind}`;
  const pkg = info.group ? info.group.split('.')[0] : 'core';
  return `io.k8s.api.${pkg}.${info.version}.${info.kind}`;
}

/** Whether `v` is a JSON object (not an array, not null). */
export function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const safeInt = 9007199254740991;

/**
 * Drops noise zod emits that upstream documents never carry, and points zod's local
 * `#/definitions/<name>` references at the document's `#/components/schemas/<name>`.
 */
function clean(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(clean);
  if (!isObject(node)) return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === 'properties' && isObject(v)) {
      // Field names are data, not keywords: a `default` field (LimitRangeItem) stays.
      out[k] = Object.fromEntries(Object.entries(v).map(([name, field]) => [name, clean(field)]));
      continue;
    }
    if (k === '$schema' || k === 'default' || k === 'definitions' || k === 'id') continue;
    if ((k === 'minimum' && v === -safeInt) || (k === 'maximum' && v === safeInt)) continue;
    out[k] = k === '$ref' && typeof v === 'string' ? v.replace(/^#\/definitions\//, V3_REF_PREFIX) : clean(v);
  }
  if (Array.isArray(out.anyOf)) {
    const types = (out.anyOf as Json[]).map((s) => s.type).sort();
    if (types.join() === 'integer,string') {
      delete out.anyOf;
      Object.assign(out, { type: 'string', format: 'int-or-string', 'x-kubernetes-int-or-string': true });
    } else if (types.join() === 'number,string') {
      delete out.anyOf;
      Object.assign(out, { type: 'string', format: 'quantity' });
    }
  }
  return out;
}

/**
 * The two scalar definitions as upstream's v3 documents shape them: no `type` of their own, so
 * `kubectl explain` prints their name (`<IntOrString>`, `<map[string]Quantity>`).
 */
const scalarDefinitions: Readonly<Record<string, Json>> = {
  [INT_OR_STRING]: { format: 'int-or-string', oneOf: [{ type: 'integer' }, { type: 'string' }], 'x-kubernetes-int-or-string': true },
  [QUANTITY]: { oneOf: [{ type: 'string' }, { type: 'number' }] },
};

/** The upstream name of the ObjectMeta definition. */
const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';

/** zod's output cleaned, its named definitions taken out of it (scalars in upstream's v3 shape). */
function toConverted(raw: Json): ConvertedKind {
  const definitions: Record<string, Json> = {};
  for (const [name, schema] of Object.entries(isObject(raw.definitions) ? raw.definitions : {})) {
    definitions[name] = scalarDefinitions[name] ?? (clean(schema) as Json);
  }
  return { root: clean(raw) as Json, definitions };
}

const toJson = (schema: z.ZodType): Json =>
  z.toJSONSchema(schema, { metadata: definitionNameRegistry(), io: 'input', unrepresentable: 'any', target: 'openapi-3.0' }) as Json;

let objectMetaDefinitions: Readonly<Record<string, Json>> | undefined;

/**
 * A custom resource's schema with `metadata` referencing the ObjectMeta definition, as upstream
 * publishes it (`kubectl explain` prints `<ObjectMeta>`), plus ObjectMeta and the definitions it
 * references. With a bare `type: object`, kubectl apply's strategic-merge patcher would take
 * metadata for a map (`error calculating patch from openapi spec: expected kind, but got map`).
 */
function withObjectMeta(schema: Json): ConvertedKind {
  const properties = schema.properties as Json | undefined;
  if (!isObject(properties?.metadata)) return { root: schema, definitions: {} };
  objectMetaDefinitions ??= toConverted(toJson(z.object({ metadata: ObjectMetaSchema }))).definitions;
  const { description } = properties.metadata;
  const metadata: Json = { allOf: [{ $ref: V3_REF_PREFIX + OBJECT_META }], ...(typeof description === 'string' ? { description } : {}) };
  return { root: { ...schema, properties: { ...properties, metadata } }, definitions: objectMetaDefinitions };
}

function convert(info: ResourceInfo): ConvertedKind {
  if (info.openApiSchema) return withObjectMeta(copyJson(info.openApiSchema) as Json);
  try {
    return toConverted(toJson(info.schema));
  } catch {
    return { root: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true }, definitions: {} };
  }
}

/**
 * A kind's schema and the named definitions it references, memoised per ResourceInfo.
 * Contract: the result is shared and frozen in spirit — callers copy before changing anything.
 */
export function convertedKind(info: ResourceInfo): ConvertedKind {
  let converted = cache.get(info);
  if (!converted) {
    converted = convert(info);
    cache.set(info, converted);
  }
  return converted;
}
