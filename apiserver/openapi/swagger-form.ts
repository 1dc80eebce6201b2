/**
 * The Swagger 2.0 form of an OpenAPI 3.0 schema, for `/openapi/v2`: references point at
 * `#/definitions/`, a one-element `allOf` around a reference becomes the bare `$ref` upstream
 * publishes in v2 (kubectl 1.27/1.28's v2 parser does not read `allOf`, and would take the field
 * for an arbitrary value), and keywords Swagger 2.0 lacks (`nullable`, `anyOf`, `oneOf`) are
 * dropped. The scalar definitions take upstream's v2 shape (`type: string`). Upstream's v2
 * document lists no `enum` for built-in fields, so the ones `upstream-facts.ts` adds are dropped.
 */
import { INT_OR_STRING, QUANTITY } from './definition-names.ts';
import { isObject, V3_REF_PREFIX, type Json } from './kind-schemas.ts';
import { withoutUpstreamEnums } from './upstream-facts.ts';

const V2_REF_PREFIX = '#/definitions/';

const scalarsV2: Readonly<Record<string, Json>> = {
  [INT_OR_STRING]: { type: 'string', format: 'int-or-string' },
  [QUANTITY]: { type: 'string' },
};

function toV2(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toV2);
  if (!isObject(node)) return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === 'properties' && isObject(v)) {
      out[k] = Object.fromEntries(Object.entries(v).map(([name, field]) => [name, toV2(field)]));
      continue;
    }
    if (k === 'nullable' || k === 'anyOf' || k === 'oneOf') continue;
    if (k === '$ref' && typeof v === 'string') out[k] = v.startsWith(V3_REF_PREFIX) ? V2_REF_PREFIX + v.slice(V3_REF_PREFIX.length) : v;
    else out[k] = toV2(v);
  }
  const allOf = out.allOf;
  if (Array.isArray(allOf) && allOf.length === 1 && isObject(allOf[0]) && typeof allOf[0].$ref === 'string' && out.$ref === undefined) {
    delete out.allOf;
    out.$ref = allOf[0].$ref;
  }
  return out;
}

/** A named definition in Swagger 2.0 form (pure; `schema` is not changed). */
export function swaggerSchema(name: string, schema: Json): Json {
  return scalarsV2[name] ?? (toV2(withoutUpstreamEnums(name, schema)) as Json);
}
