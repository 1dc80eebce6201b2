/**
 * The decode stage of create/update: body → object of the URL's kind, with apiVersion/kind
 * checked against the URL (missing ones default to it, as upstream's codec does).
 */
import type { KubeObject } from '../../pkg/api/meta.ts';
import { groupVersion, type ResourceInfo } from '../../pkg/api/resource.ts';
import { badRequest } from '../../pkg/errors/index.ts';
import { mediaTypeOf, parseObjectBody } from '../request/body.ts';
import { decodeWithSchema, type Decoded } from '../request/decode.ts';
import { BodyDecodeError, decodeBadRequest } from '../request/body-decode-error.ts';
import type { FieldValidation } from '../request/field-validation.ts';
import { findDuplicateFieldsOf } from '../request/duplicate-fields.ts';

/** The expected type of a body: the resource itself, or another kind (Scale, Binding) at a group/version. */
export type BodyType = Pick<ResourceInfo, 'group' | 'version' | 'kind' | 'schema'>;

/** Checks (and defaults) apiVersion/kind of a raw body against the expected type. */
export function checkTypeMeta(input: Record<string, unknown>, expected: Pick<ResourceInfo, 'group' | 'version' | 'kind'>): void {
  const gv = groupVersion(expected);
  const apiVersion = typeof input.apiVersion === 'string' && input.apiVersion !== '' ? input.apiVersion : gv;
  const kind = typeof input.kind === 'string' && input.kind !== '' ? input.kind : expected.kind;
  if (apiVersion !== gv) {
    throw badRequest(`the API version in the data (${apiVersion}) does not match the expected API version (${gv})`);
  }
  if (kind !== expected.kind) {
    throw badRequest(`the kind in the data (${kind}) does not match the expected kind (${expected.kind})`);
  }
  input.apiVersion = apiVersion;
  input.kind = kind;
}

/**
 * Parses, type-checks and schema-decodes a write body; returns the object and field-validation
 * warnings. A body that does not decode is upstream's 400 `<Kind> in version "<v>" cannot be
 * handled as a <Kind>: …` (strict decoding errors included).
 */
export function decodeBody(type: BodyType, raw: Buffer | string | undefined, contentType: string | undefined, fieldValidation: FieldValidation): Decoded<KubeObject> {
  const media = mediaTypeOf(contentType);
  const json = raw !== undefined && (media === '' || media.endsWith('json'));
  // A JSON body is decoded to text once, for the parser and the duplicate-field check.
  const body = json && typeof raw !== 'string' ? raw.toString('utf8') : raw;
  const input = parseObjectBody(body, contentType);
  // Counted before checkTypeMeta adds a missing apiVersion/kind.
  const duplicates = fieldValidation === 'Ignore' || !json ? [] : findDuplicateFieldsOf(body as string, input);
  checkTypeMeta(input, type);
  const decoded = decodeOrBadRequest(type, input, { fieldValidation, duplicates, text: json ? (body as string) : undefined });
  decoded.object.metadata ??= {};
  return decoded;
}

/** {@link decodeWithSchema}, a decode failure as upstream's 400 `<Kind> in version "<v>" cannot be handled as a <Kind>: …`. */
export function decodeOrBadRequest(type: BodyType, input: Record<string, unknown>, options: Parameters<typeof decodeWithSchema>[2]): Decoded<KubeObject> {
  try {
    return decodeWithSchema(type, input, options);
  } catch (err) {
    throw err instanceof BodyDecodeError ? decodeBadRequest(type, err) : err;
  }
}
