/**
 * RFC 7386 JSON merge patch as upstream applies it (evanphx/json-patch `MergePatch`): `null`
 * deletes a key, objects merge recursively, everything else (arrays included) replaces. Values
 * that are added or replace a non-object have their `null` object members dropped, at any
 * depth (`null` array items are kept).
 *
 * Pure: never modifies its inputs.
 */
import { jsonKindName } from './go-format.ts';
import { patchDecodeError } from './errors.ts';
import { getOwn, isObject, setOwn, type Json, type JsonObject } from './json-value.ts';
import { copyJson } from '../../pkg/util/json-copy.ts';
import type { FieldValidation } from './json-patch.ts';

/**
 * Checks a parsed merge patch document the way upstream decodes it: with `Strict`/`Warn` field
 * validation (the default) it must be a JSON object or `null`; then `null` and non-container
 * values are `Invalid JSON Patch`. Throws 400.
 */
export function validateMergePatchDocument(patch: Json, fieldValidation: FieldValidation = 'Strict'): void {
  if (fieldValidation !== 'Ignore' && patch !== null && !isObject(patch)) {
    throw patchDecodeError(`error decoding patch: json: cannot unmarshal ${jsonKindName(patch)} into Go value of type map[string]interface {}`);
  }
  if (patch === null || typeof patch !== 'object') throw patchDecodeError('Invalid JSON Patch');
}

/**
 * Applies a merge patch to `doc` and returns the result. A top-level array patch replaces the
 * document (the caller then finds it is not an object).
 */
export function applyMergePatch(doc: Json, patch: Json): Json {
  validateMergePatchDocument(patch, 'Ignore');
  const patchCopy = copyJson(patch);
  if (Array.isArray(patchCopy)) return pruneNulls(patchCopy);
  if (!isObject(doc)) return pruneNulls(patchCopy);
  const target = copyJson(doc);
  mergeInto(target, patchCopy as JsonObject);
  return target;
}

function mergeInto(target: JsonObject, patch: JsonObject): void {
  for (const key of Object.keys(patch)) {
    const value = patch[key];
    if (value === null) {
      delete target[key];
      continue;
    }
    const current = getOwn(target, key);
    if (current === undefined || current === null) setOwn(target, key, pruneNulls(value));
    else setOwn(target, key, merge(current, value));
  }
}

function merge(current: Json, patch: Json): Json {
  if (!isObject(current)) return pruneNulls(patch);
  if (!isObject(patch)) return patch;
  mergeInto(current, patch);
  return current;
}

/** Drops `null` members of objects at any depth (array items stay, `null` ones included). */
function pruneNulls(value: Json): Json {
  if (Array.isArray(value)) {
    for (const item of value) pruneNulls(item);
  } else if (isObject(value)) {
    for (const key of Object.keys(value)) {
      if (value[key] === null) delete value[key];
      else pruneNulls(value[key]);
    }
  }
  return value;
}
