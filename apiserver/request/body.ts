/**
 * Request bodies of create/update/delete: JSON (default) or YAML, as upstream's serializers
 * accept them. Malformed input becomes a 400 with upstream's message prefix; unsupported media
 * types a 415.
 */
import { parse as parseYaml } from 'yaml';
import { ApiError, badRequest } from '../../pkg/errors/index.ts';

/** Upstream's `MaxRequestBodyBytes` (3 MiB). */
export const MAX_REQUEST_BODY_BYTES = 3 * 1024 * 1024;

/** The media type without parameters, lower case (`application/json`). */
export function mediaTypeOf(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0].trim().toLowerCase();
}

const notAnObject =
  'json: cannot unmarshal %s into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }';

/** Parses an object body (create/update). Throws 400/415 ApiErrors. */
export function parseObjectBody(raw: Buffer | string | undefined, contentType: string | undefined): Record<string, unknown> {
  const value = parseBody(raw, contentType);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    const what = Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value === 'boolean' ? 'bool' : typeof value;
    throw badRequest(`couldn't get version/kind; json parse error: ${notAnObject.replace('%s', what)}`);
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
  try {
    return JSON.parse(text);
  } catch (err) {
    throw badRequest(`couldn't get version/kind; json parse error: ${(err as Error).message}`);
  }
}

function parseYamlText(text: string): unknown {
  try {
    const value = parseYaml(text, { maxAliasCount: 100 });
    if (value === undefined || value === null) throw badRequest("couldn't get version/kind; json parse error: unexpected end of JSON input");
    return value;
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
