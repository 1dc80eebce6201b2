/**
 * Request bodies of create/update/delete: JSON (default) or YAML, as upstream's serializers
 * accept them. Malformed input becomes a 400 with upstream's message prefix; unsupported media
 * types a 415.
 */
import { parse as parseYaml } from 'yaml';
import { ApiError, badRequest } from '../../pkg/errors/index.ts';
import { decodeProtobufObject, ProtobufError } from './protobuf/decode.ts';
import { jsonKindName } from '../../pkg/api/validation/json-kind.ts';
import { goJsonSyntaxError } from '../../pkg/util/go-json-syntax.ts';

/** Upstream's `MaxRequestBodyBytes` (3 MiB). */
export const MAX_REQUEST_BODY_BYTES = 3 * 1024 * 1024;

let lastContentType: string | undefined;
let lastMediaType = '';

/** The media type without parameters, lower case (`application/json`). Remembers the last answer (a request asks several times). */
export function mediaTypeOf(contentType: string | undefined): string {
  if (contentType === undefined) return '';
  if (contentType === lastContentType) return lastMediaType;
  const semicolon = contentType.indexOf(';');
  const media = (semicolon < 0 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase();
  lastContentType = contentType;
  lastMediaType = media;
  return media;
}

const notAnObject =
  'json: cannot unmarshal %s into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }';

export const PROTOBUF_MEDIA_TYPE = 'application/vnd.kubernetes.protobuf';

/** Parses an object body (create/update): JSON, YAML, or Kubernetes protobuf. Throws 400/415 ApiErrors. */
export function parseObjectBody(raw: Buffer | string | undefined, contentType: string | undefined): Record<string, unknown> {
  if (mediaTypeOf(contentType) === PROTOBUF_MEDIA_TYPE) return parseProtobufBody(raw);
  const value = parseBody(raw, contentType);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw badRequest(`couldn't get version/kind; json parse error: ${notAnObject.replace('%s', jsonKindName(value))}`);
  }
  return value as Record<string, unknown>;
}

/** Parses a JSON or YAML body into a value (any JSON type). */
export function parseBody(raw: Buffer | string | undefined, contentType: string | undefined): unknown {
  const text = raw === undefined ? '' : typeof raw === 'string' ? raw : raw.toString('utf8');
  const media = mediaTypeOf(contentType);
  if (media === 'application/yaml' || media === 'application/x-yaml' || media === 'text/yaml') return parseYamlText(text);
  if (media !== '' && media !== 'application/json' && media !== '*/*' && media !== 'text/plain') {
    throw unsupportedBodyType(media);
  }
  if (text.trim() === '') throw badRequest("couldn't get version/kind; json parse error: unexpected end of JSON input");
  // A text shorter than the limit cannot nest deeper than it: skip the scan.
  if (text.length > MAX_NESTING_DEPTH && jsonDepth(text) > MAX_NESTING_DEPTH) throw badRequest(`couldn't get version/kind; json parse error: exceeded max depth of ${MAX_NESTING_DEPTH}`);
  try {
    return JSON.parse(text);
  } catch (err) {
    throw badRequest(`couldn't get version/kind; json parse error: ${goJsonSyntaxError(text) ?? (err as Error).message}`);
  }
}

/** Nesting limit for bodies (upstream's JSON decoder refuses depths over 10000; we are stricter). */
export const MAX_NESTING_DEPTH = 1000;

/** The maximum `{`/`[` nesting of a JSON text (strings skipped), without recursion. */
export function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 92) i++;
      else if (ch === 34) inString = false;
    } else if (ch === 34) inString = true;
    else if (ch === 123 || ch === 91) max = Math.max(max, ++depth);
    else if (ch === 125 || ch === 93) depth--;
  }
  return max;
}

/** The maximum nesting of a parsed value, without recursion; Infinity for cyclic values (YAML aliases). */
export function valueDepth(value: unknown): number {
  const stack: Array<{ v: unknown; d: number }> = [{ v: value, d: 0 }];
  const seen = new Set<object>();
  let max = 0;
  while (stack.length) {
    const { v, d } = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (seen.has(v)) return Infinity;
    seen.add(v);
    max = Math.max(max, d + 1);
    if (max > MAX_NESTING_DEPTH) return max;
    for (const child of Object.values(v)) stack.push({ v: child, d: d + 1 });
  }
  return max;
}

function parseProtobufBody(raw: Buffer | string | undefined): Record<string, unknown> {
  const bytes = raw === undefined ? new Uint8Array() : typeof raw === 'string' ? Buffer.from(raw, 'latin1') : raw;
  try {
    return decodeProtobufObject(bytes);
  } catch (err) {
    if (!(err instanceof ProtobufError)) throw err;
    if (err.message.startsWith('no protobuf schema')) throw unsupportedBodyType(PROTOBUF_MEDIA_TYPE);
    throw badRequest(`failed to decode protobuf body: ${err.message}`);
  }
}

function parseYamlText(text: string): unknown {
  try {
    // Duplicate keys are accepted (last wins), as upstream's non-strict YAML decoding does.
    const value = parseYaml(text, { maxAliasCount: 100, uniqueKeys: false });
    if (value === undefined || value === null) throw badRequest("couldn't get version/kind; json parse error: unexpected end of JSON input");
    // Aliases may build shared or cyclic structures; only trees of bounded depth are objects.
    if (valueDepth(value) > MAX_NESTING_DEPTH) throw badRequest('error converting YAML to JSON: the document is cyclic or nested too deeply');
    return JSON.parse(JSON.stringify(value));
  } catch (err) {
    if (err instanceof ApiError) throw err;
    throw badRequest(`error converting YAML to JSON: ${(err as Error).message}`);
  }
}

export function unsupportedBodyType(media: string): ApiError {
  return new ApiError({
    code: 415,
    reason: 'UnsupportedMediaType',
    message: `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml (got ${media})`,
  });
}
