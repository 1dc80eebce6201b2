/**
 * Encodes a Swagger 2.0 (OpenAPI v2) JSON document as a gnostic `openapi.v2.Document`
 * protobuf — the only form kubectl 1.27/1.28 accept from GET /openapi/v2
 * (`application/com.github.proto-openapi.spec.v2@v1.0+protobuf`).
 *
 * `toProtoDocument` is the pure mapping (JSON object → message object, tested on its own);
 * `encodeOpenApiV2Protobuf` serialises it. Values gnostic keeps as `Any` (defaults, enums,
 * examples, `x-*` vendor extensions) are carried as YAML text; JSON text is valid YAML.
 */
import { readFileSync } from 'node:fs';
import protobuf from 'protobufjs';

type Json = Record<string, unknown>;
type Message = Record<string, unknown>;

const root = protobuf.parse(readFileSync(new URL('./openapi-v2.proto', import.meta.url), 'utf8'), { keepCase: true }).root;
const DocumentType = root.lookupType('openapi.v2.Document');

/** The media type kubectl asks for. */
export const OPENAPI_V2_PROTOBUF_MEDIA_TYPE = 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf';

/** Serialises a Swagger 2.0 JSON document to protobuf bytes. */
export function encodeOpenApiV2Protobuf(doc: Json): Uint8Array {
  const message = DocumentType.fromObject(toProtoDocument(doc));
  return DocumentType.encode(message).finish();
}

/** Decodes bytes back into a plain message object (used by tests). */
export function decodeOpenApiV2Protobuf(bytes: Uint8Array): Message {
  return DocumentType.toObject(DocumentType.decode(bytes), { longs: Number, defaults: false }) as Message;
}

export function toProtoDocument(doc: Json): Message {
  const out: Message = {
    swagger: str(doc.swagger) ?? '2.0',
    info: doc.info ? { title: str((doc.info as Json).title), version: str((doc.info as Json).version), description: str((doc.info as Json).description) } : undefined,
    schemes: arr<string>(doc.schemes),
    consumes: arr<string>(doc.consumes),
    produces: arr<string>(doc.produces),
    vendor_extension: vendorExtensions(doc),
  };
  if (doc.basePath) out.base_path = str(doc.basePath);
  if (doc.host) out.host = str(doc.host);
  if (isObject(doc.paths)) {
    out.paths = {
      path: Object.entries(doc.paths).map(([name, item]) => ({ name, value: pathItem(item as Json) })),
      vendor_extension: vendorExtensions(doc.paths),
    };
  }
  if (isObject(doc.definitions)) {
    out.definitions = { additional_properties: named(doc.definitions, schema) };
  }
  if (isObject(doc.parameters)) {
    out.parameters = { additional_properties: named(doc.parameters, parameter) };
  }
  return compact(out);
}

const operations = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'] as const;

function pathItem(item: Json): Message {
  const out: Message = { _ref: str(item.$ref), parameters: arr<Json>(item.parameters)?.map(parametersItem), vendor_extension: vendorExtensions(item) };
  for (const op of operations) if (isObject(item[op])) out[op] = operation(item[op] as Json);
  return out;
}

function operation(op: Json): Message {
  return {
    tags: arr<string>(op.tags),
    summary: str(op.summary),
    description: str(op.description),
    operation_id: str(op.operationId),
    produces: arr<string>(op.produces),
    consumes: arr<string>(op.consumes),
    parameters: arr<Json>(op.parameters)?.map(parametersItem),
    responses: isObject(op.responses) ? responses(op.responses) : undefined,
    schemes: arr<string>(op.schemes),
    deprecated: op.deprecated === true ? true : undefined,
    vendor_extension: vendorExtensions(op),
  };
}

function responses(rs: Json): Message {
  const codes = Object.entries(rs).filter(([k]) => !k.startsWith('x-'));
  return {
    response_code: codes.map(([name, value]) => {
      const v = value as Json;
      if (typeof v.$ref === 'string') return { name, value: { json_reference: { _ref: v.$ref } } };
      return { name, value: { response: { description: str(v.description) ?? '', schema: isObject(v.schema) ? { schema: schema(v.schema) } : undefined, vendor_extension: vendorExtensions(v) } } };
    }),
    vendor_extension: vendorExtensions(rs),
  };
}

function parametersItem(p: Json): Message {
  if (typeof p.$ref === 'string') return { json_reference: { _ref: p.$ref, description: str(p.description) } };
  return { parameter: parameter(p) };
}

function parameter(p: Json): Message {
  if (p.in === 'body') {
    return { body_parameter: { description: str(p.description), name: str(p.name), in: 'body', required: p.required === true || undefined, schema: isObject(p.schema) ? schema(p.schema) : undefined, vendor_extension: vendorExtensions(p) } };
  }
  const common = {
    required: p.required === true || undefined,
    in: str(p.in),
    description: str(p.description),
    name: str(p.name),
    type: str(p.type),
    format: str(p.format),
    items: isObject(p.items) ? primitivesItems(p.items) : undefined,
    collection_format: str(p.collectionFormat),
    default: p.default === undefined ? undefined : any(p.default),
    unique_items: p.uniqueItems === true || undefined,
    enum: arr<unknown>(p.enum)?.map(any),
    vendor_extension: vendorExtensions(p),
  };
  if (p.in === 'query') return { non_body_parameter: { query_parameter_sub_schema: { ...common, allow_empty_value: p.allowEmptyValue === true || undefined } } };
  if (p.in === 'header') return { non_body_parameter: { header_parameter_sub_schema: common } };
  return { non_body_parameter: { path_parameter_sub_schema: common } };
}

function primitivesItems(items: Json): Message {
  return {
    type: str(items.type),
    format: str(items.format),
    items: isObject(items.items) ? primitivesItems(items.items) : undefined,
    collection_format: str(items.collectionFormat),
    default: items.default === undefined ? undefined : any(items.default),
    enum: arr<unknown>(items.enum)?.map(any),
    vendor_extension: vendorExtensions(items),
  };
}

function schema(s: Json): Message {
  const type = typeof s.type === 'string' ? [s.type] : arr<string>(s.type);
  let items: Message | undefined;
  if (Array.isArray(s.items)) items = { schema: (s.items as Json[]).map(schema) };
  else if (isObject(s.items)) items = { schema: [schema(s.items)] };
  let additional: Message | undefined;
  if (typeof s.additionalProperties === 'boolean') additional = { boolean: s.additionalProperties };
  else if (isObject(s.additionalProperties)) additional = { schema: schema(s.additionalProperties) };
  return {
    _ref: str(s.$ref),
    format: str(s.format),
    title: str(s.title),
    description: str(s.description),
    default: s.default === undefined ? undefined : any(s.default),
    multiple_of: num(s.multipleOf),
    maximum: num(s.maximum),
    exclusive_maximum: s.exclusiveMaximum === true || undefined,
    minimum: num(s.minimum),
    exclusive_minimum: s.exclusiveMinimum === true || undefined,
    max_length: num(s.maxLength),
    min_length: num(s.minLength),
    pattern: str(s.pattern),
    max_items: num(s.maxItems),
    min_items: num(s.minItems),
    unique_items: s.uniqueItems === true || undefined,
    max_properties: num(s.maxProperties),
    min_properties: num(s.minProperties),
    required: arr<string>(s.required),
    enum: arr<unknown>(s.enum)?.map(any),
    additional_properties: additional,
    type: type ? { value: type } : undefined,
    items,
    all_of: arr<Json>(s.allOf)?.map(schema),
    properties: isObject(s.properties) ? { additional_properties: named(s.properties, schema) } : undefined,
    discriminator: str(s.discriminator),
    read_only: s.readOnly === true || undefined,
    example: s.example === undefined ? undefined : any(s.example),
    vendor_extension: vendorExtensions(s),
  };
}

function vendorExtensions(o: unknown): Message[] | undefined {
  if (!isObject(o)) return undefined;
  const ext = Object.entries(o).filter(([k]) => k.startsWith('x-'));
  return ext.length ? ext.map(([name, value]) => ({ name, value: any(value) })) : undefined;
}

function named(o: Json, f: (v: Json) => Message): Message[] {
  return Object.entries(o).map(([name, value]) => ({ name, value: f(value as Json) }));
}

function any(value: unknown): Message {
  return { yaml: `${JSON.stringify(value)}\n` };
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' ? v : undefined;
}

function arr<T>(v: unknown): T[] | undefined {
  return Array.isArray(v) && v.length > 0 ? (v as T[]) : undefined;
}

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Drops undefined fields recursively so protobufjs sees only what was set. */
function compact<T>(value: T): T {
  if (Array.isArray(value)) return value.map(compact) as T;
  if (isObject(value)) {
    const out: Json = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = compact(v);
    return out as T;
  }
  return value;
}
