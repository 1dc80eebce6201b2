/**
 * The failures of a strategic merge patch, with upstream's texts and the HTTP outcome the PATCH
 * handler gives each (`interpretStrategicMergePatchError` in handlers/patch.go): malformed
 * directives are 400 and lists of lists 422. Every other merge failure, a plain Go error that
 * upstream answers with 500, is 400 here too ({@link malformedPatchError}).
 */
import type { ApiError } from '../../pkg/errors/index.ts';
import { patchDecodeError, patchNotApplicable, SMP_ERRORS, malformedPatchError } from './errors.ts';
import { goTypeName, goValue } from './go-format.ts';

/** 400: `invalid patch format of primitive list` and friends. */
export function badPatchFormat(which: 'badPatchFormatForPrimitiveList' | 'badPatchFormatForRetainKeys' | 'badPatchFormatForSetElementOrderList'): ApiError {
  return patchDecodeError(SMP_ERRORS[which]);
}

/** 422: a list whose items are lists. */
export function noListOfLists(): ApiError {
  return patchNotApplicable(SMP_ERRORS.noListOfLists);
}

/** `map: map[image:nginx] does not contain declared merge key: name` (400). */
export function noMergeKey(item: unknown, mergeKey: string): ApiError {
  return malformedPatchError(`map: ${goValue(item)} does not contain declared merge key: ${mergeKey}`);
}

/** `expected a map[string]interface {}, but received a string` (400). */
export function badArgType(expected: 'map' | 'slice', actual: unknown): ApiError {
  const expectedName = expected === 'map' ? 'map[string]interface {}' : '[]interface {}';
  return malformedPatchError(`expected a ${expectedName}, but received a ${goTypeName(actual)}`);
}

/** `unknown patch type: merge in map: map[$patch:merge …]` (400). */
export function badPatchType(directive: unknown, item: unknown): ApiError {
  const shown = typeof directive === 'string' ? directive : `%!s(${goTypeName(directive)}=${goValue(directive)})`;
  return malformedPatchError(`unknown patch type: ${shown} in map: ${goValue(item)}`);
}

/** Any other merge failure upstream reports as a plain error (400). */
export function mergeFailure(message: string): ApiError {
  return malformedPatchError(message);
}
