/**
 * Upstream's `required` lists, `enum` values and descriptions, written onto the published schemas of
 * built-in kinds and named definitions (`upstream-required.ts`, `upstream-enums.ts`). Our zod
 * schemas keep most fields optional or defaulted (validation reports upstream's own errors), so
 * what zod emits as `required` is not what upstream publishes; the documents say what upstream
 * says instead. The descriptions (`upstream-descriptions.json`, from the API types' doc comments,
 * see `generate-descriptions.ts`) are what `kubectl explain` prints. Custom resources keep the
 * `required`, `enum` and descriptions of their CRD.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isObject, type Json } from './kind-schemas.ts';
import { UPSTREAM_ENUMS } from './upstream-enums.ts';
import { UPSTREAM_REQUIRED } from './upstream-required.ts';

/**
 * Sets `required` of each named schema to upstream's list (removed when upstream has none) and
 * adds upstream's `enum` to its enum-typed fields (on `items` for an array field). In place, on
 * `schemas` — callers pass their own copies. `builtIn` names the schemas this applies to (kind
 * roots of built-in kinds and named definitions; never a custom resource).
 */
export function applyUpstreamFacts(schemas: Record<string, Json>, builtIn: Iterable<string>): void {
  for (const name of builtIn) {
    const schema = schemas[name];
    if (!schema) continue;
    applyDescriptions(schema, DESCRIPTIONS[name]);
    const required = UPSTREAM_REQUIRED[name];
    if (required) schema.required = [...required];
    else delete schema.required;
    const properties = isObject(schema.properties) ? schema.properties : {};
    for (const [field, values] of Object.entries(UPSTREAM_ENUMS[name] ?? {})) {
      const property = properties[field];
      if (!isObject(property)) continue;
      const target = property.type === 'array' && isObject(property.items) ? property.items : property;
      target.enum = [...values];
    }
  }
}

/** Upstream 1.33's descriptions by definition name: `''` for the type, else the field name. */
const DESCRIPTIONS: Readonly<Record<string, Readonly<Record<string, string>>>> = JSON.parse(
  readFileSync(fileURLToPath(new URL('./upstream-descriptions.json', import.meta.url)), 'utf8'),
);

/**
 * Sets the type's and its fields' descriptions. A field that is a bare reference becomes a
 * one-element `allOf` around it, as upstream's v3 documents shape it (a description beside a
 * `$ref` is ignored by OpenAPI 3.0 readers); the Swagger 2.0 form turns it back into a `$ref`.
 */
function applyDescriptions(schema: Json, descriptions: Readonly<Record<string, string>> | undefined): void {
  if (!descriptions) return;
  if (descriptions['']) schema.description = descriptions[''];
  if (!isObject(schema.properties)) return;
  for (const [field, description] of Object.entries(descriptions)) {
    const property = field ? schema.properties[field] : undefined;
    if (!isObject(property)) continue;
    if (typeof property.$ref === 'string') {
      const { $ref, ...rest } = property;
      schema.properties[field] = { allOf: [{ $ref }], ...rest, description };
    } else property.description = description;
  }
}

/** `schema` without the `enum` values {@link applyUpstreamFacts} added (Swagger 2.0 form: upstream's has none). Pure. */
export function withoutUpstreamEnums(name: string, schema: Json): Json {
  const fields = Object.keys(UPSTREAM_ENUMS[name] ?? {});
  if (fields.length === 0 || !isObject(schema.properties)) return schema;
  const properties: Json = { ...schema.properties };
  for (const field of fields) {
    const property = properties[field];
    if (!isObject(property)) continue;
    properties[field] = property.type === 'array' && isObject(property.items) ? { ...property, items: stripEnum(property.items) } : stripEnum(property);
  }
  return { ...schema, properties };
}

function stripEnum(node: Json): Json {
  const { enum: _drop, ...rest } = node;
  return rest;
}
