/**
 * OpenAPI schemas of served kinds, generated from their zod schemas (the same source that
 * decodes requests), with the Kubernetes extensions kubectl reads: the group-version-kind on
 * each kind, and strategic-merge / list-type hints from the kind's `patchMeta`.
 * `kindSchemaV3` is OpenAPI 3.0 (for /openapi/v3), `kindSchemaV2` Swagger 2.0 (for /openapi/v2).
 * A kind whose zod schema cannot be converted gets an open object schema instead of failing
 * the whole document.
 */
import { z } from 'zod';
import { ObjectMetaSchema } from '../../pkg/api/meta.ts';
import type { ResourceInfo } from '../../pkg/api/resource.ts';
import { copyJson } from '../../pkg/util/json-copy.ts';

type Json = Record<string, unknown>;

const v3Cache = new WeakMap<ResourceInfo, Json>();
const v2Cache = new WeakMap<ResourceInfo, Json>();

/** Upstream definition name: `io.k8s.api.core.v1.Pod`, `io.k8s.api.apps.v1.Deployment`. */
export function definitionName(info: Pick<ResourceInfo, 'group' | 'version' | 'kind' | 'customResource'>): string {
  // Custom resources are named by their reversed group, as upstream: `com.example.stable.v1.CronTab`.
  if (info.customResource) return `${info.group.split('.').reverse().join('.')}.${info.version}.${info.kind}`;
  const pkg = info.group ? info.group.split('.')[0] : 'core';
  return `io.k8s.api.${pkg}.${info.version}.${info.kind}`;
}

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const safeInt = 9007199254740991;

/** Drops noise zod emits that upstream documents never carry. */
function clean(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(clean);
  if (!isObject(node)) return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === '$schema' || k === 'default') continue;
    if ((k === 'minimum' && v === -safeInt) || (k === 'maximum' && v === safeInt)) continue;
    out[k] = clean(v);
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

/** Follows a patchMeta path (`spec.template.spec.containers[].ports`) to its schema node. */
function nodeAt(root: Json, path: string): Json | undefined {
  let node: Json | undefined = root;
  for (const part of path.split('.')) {
    const isItem = part.endsWith('[]');
    const name = isItem ? part.slice(0, -2) : part;
    const props: Json | undefined = node && isObject(node.properties) ? (node.properties as Json) : undefined;
    node = props && isObject(props[name]) ? (props[name] as Json) : undefined;
    if (isItem) node = node && isObject(node.items) ? (node.items as Json) : undefined;
    if (!node) return undefined;
  }
  return node;
}

function annotate(root: Json, info: ResourceInfo): void {
  for (const [path, meta] of Object.entries(info.patchMeta)) {
    const node = nodeAt(root, path);
    if (!node) continue;
    node['x-kubernetes-patch-strategy'] = meta.strategy;
    if (meta.mergeKey) {
      node['x-kubernetes-patch-merge-key'] = meta.mergeKey;
      node['x-kubernetes-list-type'] = 'map';
      node['x-kubernetes-list-map-keys'] = [meta.mergeKey];
    } else if (meta.strategy.includes('merge') && node.type === 'array') {
      node['x-kubernetes-list-type'] = 'set';
    }
  }
  root['x-kubernetes-group-version-kind'] = [{ group: info.group, kind: info.kind, version: info.version }];
  root.description ??= `${info.kind} (${info.group ? `${info.group}/` : ''}${info.version}).`;
}

let objectMeta: Json | undefined;

/**
 * A custom resource's `metadata` as the full ObjectMeta schema (upstream publishes a `$ref` to
 * it): with a bare `type: object`, kubectl apply's strategic-merge patcher takes metadata for a
 * map and warns `error calculating patch from openapi spec: expected kind, but got map`.
 */
function withObjectMeta(schema: Json): Json {
  const properties = schema.properties as Json | undefined;
  if (!isObject(properties?.metadata)) return schema;
  objectMeta ??= clean(z.toJSONSchema(ObjectMetaSchema, { io: 'input', unrepresentable: 'any', target: 'openapi-3.0' })) as Json;
  return { ...schema, properties: { ...properties, metadata: { ...copyJson(objectMeta), ...properties.metadata, type: 'object' } } };
}

/** The OpenAPI 3.0 schema of a kind (memoised per ResourceInfo). */
export function kindSchemaV3(info: ResourceInfo): Json {
  let schema = v3Cache.get(info);
  if (!schema) {
    if (info.openApiSchema) schema = withObjectMeta(copyJson(info.openApiSchema) as Json);
    else {
      try {
        schema = clean(z.toJSONSchema(info.schema, { io: 'input', unrepresentable: 'any', target: 'openapi-3.0' })) as Json;
      } catch {
        schema = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
      }
    }
    annotate(schema, info);
    v3Cache.set(info, schema);
  }
  return schema;
}

function toV2(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toV2);
  if (!isObject(node)) return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === 'nullable' || k === 'anyOf' || k === 'oneOf') continue;
    out[k] = toV2(v);
  }
  return out;
}

/** The Swagger 2.0 schema of a kind (memoised per ResourceInfo). */
export function kindSchemaV2(info: ResourceInfo): Json {
  let schema = v2Cache.get(info);
  if (!schema) {
    schema = toV2(kindSchemaV3(info)) as Json;
    v2Cache.set(info, schema);
  }
  return schema;
}
