/**
 * The failures of a strategic merge patch, with upstream's texts and the HTTP outcome the PATCH
 * handler gives each (`interpretStrategicMergePatchError` in handlers/patch.go): malformed
 * directives are 400, lists of lists 422, every other merge failure a plain Go error (500).
 */
import type { ApiError } from '../../pkg/errors/index.ts';
import { patchDecodeError, patchNotApplicable, SMP_ERRORS, unexpectedPatchError } from './errors.ts';
import { goTypeName, goValue } from './go-format.ts';

/** 400: `invalid patch format of primitive list` and friends. */
export function badPatchFormat(which: 'badPatchFormatForPrimitiveList' | 'badPatchFormatForRetainKeys' | 'badPatchFormatForSetElementOrderList'): ApiError {
  return patchDecodeError(SMP_ERRORS[which]);
}

/** 422: a list whose items are lists. */
export function noListOfLists(): ApiError {
  return patchNotApplicable(SMP_ERRORS.noListOfLists);
}

/** `map: map[image:nginx] does not contain declared merge key: name` (500). */
export function noMergeKey(item: unknown, mergeKey: string): ApiError {
  return unexpectedPatchError(`map: ${goValue(item)} does not contain declared merge key: ${mergeKey}`);
}

/** `expected a map[string]interface {}, but received a string` (500). */
export function badArgType(expected: 'map' | 'slice', actual: unknown): ApiError {
  const expectedName = expected === 'map' ? 'map[string]interface {}' : '[]interface {}';
  return unexpectedPatchError(`expected a ${expectedName}, but received a ${goTypeName(actual)}`);
}

/** `unknown patch type: merge in map: map[$patch:merge …]` (500). */
export function badPatchType(directive: unknown, item: unknown): ApiError {
  const shown = typeof directive === 'string' ? directive : `%!s(${goTypeName(directive)}=${goValue(directive)})`;
  return unexpectedPatchError(`unknown patch type: ${shown} in map: ${goValue(item)}`);
}

/** Any other merge failure upstream reports as a plain error (500). */
export function mergeFailure(message: string): ApiError {
  return unexpectedPatchError(message);
}
