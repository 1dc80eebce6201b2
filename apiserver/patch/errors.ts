/**
 * The error shapes the upstream PATCH handler (apiserver/pkg/endpoints/handlers/patch.go) returns
 * for patch documents that cannot be decoded or applied. All are {@link ApiError}s.
 */
import { ApiError, badRequest, invalid, requestEntityTooLarge } from '../../pkg/errors/index.ts';

/** The patch media types a built-in resource accepts, in upstream's order (installer.go). */
export const BUILTIN_PATCH_TYPES = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
  'application/apply-patch+yaml',
] as const;

/** The patch media types a custom resource accepts (no strategic merge patch; crd_handler.go). */
export const CUSTOM_RESOURCE_PATCH_TYPES = ['application/json-patch+json', 'application/merge-patch+json', 'application/apply-patch+yaml'] as const;

/** 415 for a Content-Type the resource does not accept (`negotiation.NewUnsupportedMediaTypeError`). */
export function unsupportedPatchType(accepted: readonly string[]): ApiError {
  return new ApiError({
    code: 415,
    reason: 'UnsupportedMediaType',
    message: `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`,
  });
}

/**
 * 422 for a patch that decodes but does not apply (a JSON patch `test` that fails, a missing
 * path, lists of lists in a strategic merge patch). Upstream builds it with
 * `NewGenericServerResponse(422, …)`, which drops the underlying message from the response;
 * `why` is kept as the error's `cause` for logs only.
 */
export function patchNotApplicable(why: string): ApiError {
  return new ApiError({
    code: 422,
    reason: 'Invalid',
    message: 'the server rejected our request due to an error in our request',
    details: {},
    cause: new Error(why),
  });
}

/** 400 for a patch body that is not a valid document of its type. */
export function patchDecodeError(message: string): ApiError {
  return badRequest(message);
}

/** 413 for a JSON patch with more than {@link MAX_JSON_PATCH_OPERATIONS} operations. */
export function tooManyOperations(count: number): ApiError {
  return requestEntityTooLarge(`Request entity too large: The allowed maximum operations in a JSON patch is ${MAX_JSON_PATCH_OPERATIONS}, got ${count}`);
}

/** Upstream's `maxJSONPatchOperations`. */
export const MAX_JSON_PATCH_OPERATIONS = 10000;

/**
 * A strategic merge patch that misuses the format (a directive of the wrong type, a list item
 * without its merge key, …): 400 BadRequest with upstream's error text, e.g. `map: map[image:nginx]
 * does not contain declared merge key: name`. Upstream returns these as plain Go errors, which its
 * API server answers with 500 (`responsewriters.ErrorToAPIStatus`); the patch is the client's
 * input, and bad input is never a 500 here.
 */
export function malformedPatchError(message: string): ApiError {
  return badRequest(message);
}

/** Texts of upstream's `mergepatch` sentinel errors. */
export const SMP_ERRORS = {
  badJSONDoc: 'invalid JSON document',
  noListOfLists: 'lists of lists are not supported',
  badPatchFormatForPrimitiveList: 'invalid patch format of primitive list',
  badPatchFormatForRetainKeys: 'invalid patch format of retainKeys',
  badPatchFormatForSetElementOrderList: 'invalid patch format of setElementOrder list',
  patchContentNotMatchRetainKeys: "patch content doesn't match retainKeys list",
  unsupportedStrategicMergePatchFormat: 'strategic merge patch format is not supported',
} as const;

/**
 * 422 for a patched object that does not decode (a type error, or under Strict an unknown or
 * duplicate field): upstream's `NewInvalid(GroupKind{}, "", …)` on the `patch` field, whose value
 * is the strategic merge patch as Go prints the map, or the patched object's JSON for JSON and
 * merge patches. kubectl prints `The request is invalid: patch: Invalid value: "…": <why>`.
 */
export function patchedObjectInvalid(value: string, why: string): ApiError {
  return invalid({ group: '', kind: '', name: '', errors: [{ type: 'FieldValueInvalid', field: 'patch', detail: `Invalid value: ${JSON.stringify(value)}: ${why}` }] });
}
