/**
 * A mutating webhook's `patch` (base64 JSON patch): decoding, as upstream `jsonpatch.DecodePatch`
 * of the response bytes, and applying it to the object. Pure.
 */
import { ApiError } from '../../../pkg/errors/index.ts';
import { applyJsonPatch, decodeJsonPatch, type JsonPatchOperation } from '../../patch/index.ts';
import type { Json } from '../../patch/json-value.ts';
import { goJsonSyntaxError } from '../../../pkg/util/go-json-syntax.ts';
import { illegalBase64Offset } from '../../../pkg/api/validation/base64.ts';

/** The result of decoding: operations, or the reason upstream would give. */
export type DecodedPatch = { ok: true; operations: JsonPatchOperation[] } | { ok: false; stage: 'base64' | 'patch'; error: string };

/**
 * Decodes `response.patch`. A string that is not base64 fails as upstream's JSON decoding of a
 * `[]byte` field (`illegal base64 data at input byte N`); bytes that are not a JSON patch fail
 * as `jsonpatch.DecodePatch` (`invalid character …`, `json: cannot unmarshal … jsonpatch.Patch`).
 */
export function decodeWebhookPatch(patch: string): DecodedPatch {
  const illegal = illegalBase64Offset(patch);
  if (illegal >= 0) return { ok: false, stage: 'base64', error: `illegal base64 data at input byte ${illegal}` };
  const text = Buffer.from(patch, 'base64').toString('utf8');
  let document: Json;
  try {
    document = JSON.parse(text) as Json;
  } catch (err) {
    return { ok: false, stage: 'patch', error: goJsonSyntaxError(text) ?? (err as Error).message };
  }
  try {
    return { ok: true, operations: decodeJsonPatch(document, 'Ignore') };
  } catch (err) {
    return { ok: false, stage: 'patch', error: err instanceof Error ? err.message : String(err) };
  }
}

/**
 * Applies decoded operations to a copy of `object`. Throws a plain Error with the reason the
 * patch does not apply (upstream returns it as an internal error whatever the failurePolicy).
 */
export function applyWebhookPatch(object: unknown, operations: readonly JsonPatchOperation[]): Record<string, unknown> {
  let result: Json;
  try {
    result = applyJsonPatch(object as Json, operations);
  } catch (err) {
    const cause = err instanceof ApiError && err.cause instanceof Error ? err.cause.message : err instanceof Error ? err.message : String(err);
    throw new Error(cause);
  }
  if (result === null || typeof result !== 'object' || Array.isArray(result)) throw new Error('patched object is not a JSON object');
  return result as Record<string, unknown>;
}
