/**
 * JSON values as CEL sees them. Kubernetes decodes JSON numbers to int64 when they are integral
 * and to float64 otherwise; CEL's `int` is a JS `bigint` here, its `double` a JS `number`. With a
 * schema node (a CRD's structural schema) the declared type decides instead, as upstream's
 * `UnstructuredToVal` does: `integer` → int, `number` → double, `string` with format `byte` →
 * bytes and `date-time` → timestamp; object properties are renamed to their CEL-escaped names.
 */

/** The parts of an OpenAPI schema node the conversion reads. */
export interface CelSchemaNode {
  type?: string;
  format?: string;
  properties?: Record<string, CelSchemaNode>;
  additionalProperties?: CelSchemaNode | boolean;
  items?: CelSchemaNode | CelSchemaNode[];
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
}

const RESERVED = new Set(['true', 'false', 'null', 'in', 'as', 'break', 'const', 'continue', 'else', 'for', 'function', 'if', 'import', 'let', 'loop', 'package', 'namespace', 'return', 'var', 'void', 'while']);
const ESCAPES: Record<string, string> = { __: '__underscores__', '.': '__dot__', '-': '__dash__', '/': '__slash__' };

/**
 * Upstream `cel.Escape`: the name a property has in CEL (`foo-bar` → `foo__dash__bar`,
 * `namespace` → `__namespace__`), or undefined when it cannot be written as an identifier
 * (such properties are only reachable through a map's index operator).
 */
export function escapeCelPropertyName(name: string): string | undefined {
  if (name === '' || /^[0-9]/.test(name)) return undefined;
  if (RESERVED.has(name)) return `__${name}__`;
  const escaped = name.replace(/__|[-./]/g, (m) => ESCAPES[m]!);
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(escaped) ? escaped : undefined;
}

/** A JSON value (decoded without a schema, e.g. a built-in object) as a CEL value. */
export function jsonToCel(value: unknown): unknown {
  if (typeof value === 'number') return Number.isInteger(value) && Number.isSafeInteger(value) ? BigInt(value) : value;
  if (Array.isArray(value)) return value.map(jsonToCel);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = jsonToCel(v);
    return out;
  }
  return value;
}

function itemsOf(schema: CelSchemaNode): CelSchemaNode | undefined {
  return Array.isArray(schema.items) ? undefined : schema.items;
}

function stringToCel(value: string, format: string | undefined): unknown {
  if (format === 'byte') return Uint8Array.from(Buffer.from(value, 'base64'));
  if (format === 'date-time' || format === 'datetime' || format === 'date') {
    const time = new Date(value);
    if (!Number.isNaN(time.getTime())) return time;
  }
  return value;
}

function objectToCel(value: Record<string, unknown>, schema: CelSchemaNode): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const additional = typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined;
  if (schema.properties) {
    for (const [k, v] of Object.entries(value)) {
      const property = schema.properties[k];
      const name = escapeCelPropertyName(k);
      if (name === undefined) continue;
      if (property) out[name] = schemaValueToCel(v, property);
      else if (schema['x-kubernetes-preserve-unknown-fields']) out[name] = jsonToCel(v);
    }
    return out;
  }
  if (additional) {
    for (const [k, v] of Object.entries(value)) out[k] = schemaValueToCel(v, additional);
    return out;
  }
  return jsonToCel(value) as Record<string, unknown>;
}

/**
 * A JSON value as a CEL value typed by its schema node. `embeddedResource` adds the fields every
 * resource root has in CEL (apiVersion, kind, metadata.name, metadata.generateName), as upstream's
 * `WithTypeAndObjectMeta` does for the object root and embedded resources.
 */
export function schemaValueToCel(value: unknown, schema: CelSchemaNode | undefined, embeddedResource = false): unknown {
  if (value === null || value === undefined || !schema) return jsonToCel(value);
  if (typeof value === 'number') {
    if (schema.type === 'number') return value;
    return Number.isInteger(value) && Number.isSafeInteger(value) ? BigInt(value) : value;
  }
  if (typeof value === 'string') return schema['x-kubernetes-int-or-string'] ? value : stringToCel(value, schema.format);
  if (Array.isArray(value)) {
    const items = itemsOf(schema);
    return value.map((v) => schemaValueToCel(v, items, items?.['x-kubernetes-embedded-resource'] === true));
  }
  if (typeof value === 'object') {
    const out = objectToCel(value as Record<string, unknown>, schema);
    if (embeddedResource || schema['x-kubernetes-embedded-resource']) addResourceMeta(out, value as Record<string, unknown>);
    return out;
  }
  return value;
}

function addResourceMeta(out: Record<string, unknown>, value: Record<string, unknown>): void {
  if (typeof value.apiVersion === 'string') out.apiVersion = value.apiVersion;
  if (typeof value.kind === 'string') out.kind = value.kind;
  const meta = value.metadata as Record<string, unknown> | undefined;
  if (meta && typeof meta === 'object') {
    const celMeta: Record<string, unknown> = {};
    if (typeof meta.name === 'string') celMeta.name = meta.name;
    if (typeof meta.generateName === 'string') celMeta.generateName = meta.generateName;
    out.metadata = celMeta;
  }
}

/** A CEL result as JSON (bigint → number, timestamps → RFC 3339, bytes → base64, Maps → objects). */
export function celToJson(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Date) return value.toISOString().replace('.000Z', 'Z');
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map(celToJson);
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [String(k), celToJson(v)]));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, celToJson(v)]));
  return value;
}
