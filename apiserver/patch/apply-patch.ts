/**
 * The patch engine entry the PATCH handler calls for non-apply patches: picks the patch type
 * from the Content-Type, decodes the body the way upstream's handler does, applies it and
 * returns a new object that shares no references with the inputs.
 */
import type { KubeObject } from '../../pkg/api/meta.ts';
import type { PatchMeta } from '../../pkg/api/resource.ts';
import { ApiError } from '../../pkg/errors/index.ts';
import { jsonDepth, MAX_NESTING_DEPTH } from '../request/body.ts';
import { BUILTIN_PATCH_TYPES, CUSTOM_RESOURCE_PATCH_TYPES, patchDecodeError, unsupportedPatchType } from './errors.ts';
import { jsonKindName } from './go-format.ts';
import { goJsonSyntaxError } from '../../pkg/util/go-json-syntax.ts';
import { applyJsonPatch, decodeJsonPatch, type FieldValidation } from './json-patch.ts';
import { isObject, type JsonObject } from './json-value.ts';
import { applyMergePatch, validateMergePatchDocument } from './merge-patch.ts';
import { applyStrategicMergePatch } from './strategic-merge-patch.ts';

/** The server-side apply media type (handled by the apply handler, not by {@link applyPatch}). */
export const SERVER_SIDE_APPLY_TYPE = 'application/apply-patch+yaml';

/** One PATCH request's inputs. Compatible with the handler's `PatchInput`. */
export interface ApplyPatchInput {
  /** The request's Content-Type; parameters after `;` are ignored, the rest must match exactly. */
  contentType: string;
  /** The live object in the served version. Not modified. */
  original: KubeObject;
  /** The raw request body. */
  patchBody: Buffer | Uint8Array | string;
  /** The kind's strategic-merge metadata. */
  patchMeta: PatchMeta;
  /** Custom resources accept no strategic merge patch (415, as upstream). */
  isCustomResource: boolean;
  /** The request's `fieldValidation`; `Strict` (kubectl's) and `Warn` (the default) decode strictly. */
  fieldValidation?: FieldValidation;
  /**
   * Called for `application/apply-patch+yaml`. Server-side apply lives elsewhere; without a hook
   * the engine answers with {@link rejectServerSideApply}.
   */
  serverSideApply?: (input: ApplyPatchInput) => KubeObject;
}

/**
 * Applies a JSON patch, merge patch or strategic merge patch and returns the patched object.
 * Throws ApiErrors with upstream's codes: 415 for a Content-Type the resource does not accept
 * (strategic merge patch on a custom resource included), 400 for an undecodable body, 413 for a
 * JSON patch of more than 10000 operations, 422 for a JSON patch operation that does not apply,
 * and the strategic-merge failures described in `strategic-merge-patch.ts`.
 *
 * A JSON patch that replaces the root, or a merge patch that is an array (with
 * `fieldValidation=Ignore`), can yield a non-object; the caller's decoding rejects it.
 */
export function applyPatch(input: ApplyPatchInput): KubeObject {
  const mediaType = patchMediaType(input.contentType);
  const accepted = input.isCustomResource ? CUSTOM_RESOURCE_PATCH_TYPES : BUILTIN_PATCH_TYPES;
  if (!(accepted as readonly string[]).includes(mediaType)) throw unsupportedPatchType(accepted);
  const fieldValidation = input.fieldValidation ?? 'Strict';
  switch (mediaType) {
    case 'application/json-patch+json': {
      const operations = decodeJsonPatch(parsePatchBody(input.patchBody, 'error decoding patch: '), fieldValidation);
      return applyJsonPatch(input.original, operations) as KubeObject;
    }
    case 'application/merge-patch+json': {
      const patch = parsePatchBody(input.patchBody, 'error decoding patch: ');
      validateMergePatchDocument(patch, fieldValidation);
      return applyMergePatch(input.original, patch) as KubeObject;
    }
    case 'application/strategic-merge-patch+json': {
      const patch = parsePatchBody(input.patchBody, '');
      if (patch !== null && !isObject(patch)) {
        throw patchDecodeError(`json: cannot unmarshal ${jsonKindName(patch)} into Go value of type map[string]interface {}`);
      }
      return applyStrategicMergePatch(input.original as JsonObject, patch, input.patchMeta) as KubeObject;
    }
    default:
      return (input.serverSideApply ?? rejectServerSideApply)(input);
  }
}

/**
 * The default server-side apply hook: 415, saying where apply patches belong. Replace it by
 * passing `serverSideApply` once the apply handler routes through the engine.
 */
export function rejectServerSideApply(input: Pick<ApplyPatchInput, 'contentType'>): never {
  throw new ApiError({
    code: 415,
    reason: 'UnsupportedMediaType',
    message: `server-side apply (${patchMediaType(input.contentType)}) is not handled by the patch engine; accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json`,
  });
}

/** The media type as upstream's PATCH handler reads it: everything before the first `;` (at index > 0). */
export function patchMediaType(contentType: string): string {
  const cut = contentType.indexOf(';');
  return cut > 0 ? contentType.slice(0, cut) : contentType;
}

/**
 * Parses a JSON patch body. Malformed JSON is a 400 whose message starts with `prefix`
 * (upstream: `error decoding patch: ` for JSON and merge patches, none for strategic ones).
 */
export function parsePatchBody(body: Buffer | Uint8Array | string, prefix: string): unknown {
  const text = typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  if (text.trim() === '') throw patchDecodeError(`${prefix}unexpected end of JSON input`);
  if (jsonDepth(text) > MAX_NESTING_DEPTH) throw patchDecodeError(`${prefix}exceeded max depth of ${MAX_NESTING_DEPTH}`);
  try {
    return JSON.parse(text);
  } catch (err) {
    throw patchDecodeError(`${prefix}${goJsonSyntaxError(text) ?? (err as Error).message}`);
  }
}
