/**
 * Kubernetes strategic merge patch, applied server side exactly as upstream's
 * `strategicpatch.StrategicMergeMapPatch` (apimachinery/pkg/util/strategicpatch/patch.go), driven
 * by a kind's {@link PatchMeta} instead of Go struct tags:
 * - maps merge recursively, `null` deletes a field, scalars and non-merge lists replace;
 * - lists with the `merge` strategy merge by merge key (maps) or as sets (scalars);
 * - directives: `$patch: replace | delete` (maps and list items), `$retainKeys`,
 *   `$deleteFromPrimitiveList/<field>`, `$setElementOrder/<field>`.
 * Misused directives fail as upstream: 400 for malformed directive lists, 422 for lists of
 * lists, 500 (upstream's plain errors, e.g. a list item without its merge key) otherwise.
 *
 * Pure: never modifies its inputs; the result shares no references with them.
 */
import type { PatchMeta } from '../../pkg/api/resource.ts';
import { getOwn, isObject, setOwn, type Json, type JsonObject } from './json-value.ts';
import { copyJson } from '../../pkg/util/json-copy.ts';
import { patchMetaFor, LIST_ITEM } from './patch-meta.ts';
import { badArgType, badPatchFormat, badPatchType, mergeFailure } from './smp-errors.ts';
import { mergeListField, type ListMergeResult } from './smp-lists.ts';
import { goValue } from './go-format.ts';
import { goTypeOf, normalizeElementOrder, partitionByPresence, sliceItemKind } from './smp-order.ts';

const DIRECTIVE = '$patch';
const RETAIN_KEYS = '$retainKeys';
const DELETE_FROM_PRIMITIVE_LIST = '$deleteFromPrimitiveList';
const SET_ELEMENT_ORDER = '$setElementOrder';

/**
 * Applies a strategic merge patch (a decoded JSON object, or `null` for "no change") to
 * `original` and returns the new object.
 */
export function applyStrategicMergePatch(original: JsonObject, patch: JsonObject | null, meta: PatchMeta): JsonObject {
  const target = copyJson(original);
  if (patch === null) return target;
  return new StrategicMerger(meta).mergeMap(target, copyJson(patch), []);
}

class StrategicMerger {
  constructor(private readonly meta: PatchMeta) {}

  /** Upstream's `mergeMap` (server-side options: parallel lists merged, unmatched nulls ignored). */
  mergeMap(original: JsonObject, patch: JsonObject, path: readonly string[]): JsonObject {
    if (Object.hasOwn(patch, DIRECTIVE)) return mapDirective(patch);
    applyRetainKeys(original, patch);
    this.applySetElementOrder(original, patch, path);
    for (const patchKey of Object.keys(patch)) {
      let key = patchKey;
      let isDeleteList = false;
      if (patchKey.startsWith(DELETE_FROM_PRIMITIVE_LIST)) {
        key = directiveField(patchKey, DELETE_FROM_PRIMITIVE_LIST);
        isDeleteList = true;
      }
      const patchValue = patch[patchKey];
      if (patchValue === null) {
        delete original[key];
        continue;
      }
      const current = getOwn(original, key);
      if (current === undefined || goTypeOf(current) !== goTypeOf(patchValue)) {
        if (!isDeleteList) setCleaned(original, key, patchValue);
        continue;
      }
      const fieldPath = [...path, key];
      if (isObject(current)) {
        const fieldMeta = patchMetaFor(this.meta, fieldPath);
        const value = patchValue as JsonObject;
        setOwn(original, key, fieldMeta.strategy === 'replace' ? value : this.mergeMap(current, value, fieldPath));
      } else if (Array.isArray(current)) {
        setOwn(original, key, this.mergeList(current, patchValue as Json[], fieldPath, isDeleteList).merged);
      } else {
        setCleaned(original, key, patchValue);
      }
    }
    return original;
  }

  private mergeList(original: Json[], patch: Json[], fieldPath: readonly string[], isDeleteList: boolean): ListMergeResult {
    const fieldMeta = patchMetaFor(this.meta, fieldPath);
    return mergeListField(original, patch, {
      itemPath: [...fieldPath, LIST_ITEM],
      strategy: fieldMeta.strategy,
      mergeKey: fieldMeta.mergeKey,
      isDeleteList,
      mergeItem: (o, p, itemPath) => this.mergeMap(o, p, itemPath),
    });
  }

  /**
   * Upstream's `mergePatchIntoOriginal`: for each `$setElementOrder/<field>`, merges the field's
   * patch list and orders the result: `$setElementOrder` first, then live-only items where
   * they were. Consumes the directive and the field from `patch`.
   */
  private applySetElementOrder(original: JsonObject, patch: JsonObject, path: readonly string[]): void {
    for (const directiveKey of Object.keys(patch)) {
      if (!directiveKey.startsWith(SET_ELEMENT_ORDER)) continue;
      const order = patch[directiveKey];
      delete patch[directiveKey];
      if (!Array.isArray(order)) throw badArgType('slice', order);
      const field = directiveField(directiveKey, SET_ELEMENT_ORDER);
      const foundOriginal = Object.hasOwn(original, field);
      const foundPatch = Object.hasOwn(patch, field);
      const originalList = foundOriginal ? original[field] : undefined;
      const patchList = foundPatch ? patch[field] : undefined;
      if (foundOriginal && !Array.isArray(originalList)) throw badArgType('slice', originalList);
      if (foundPatch && !Array.isArray(patchList)) throw badArgType('slice', patchList);
      const originalItems = (originalList ?? []) as Json[];
      const patchItems = (patchList ?? []) as Json[];
      const fieldPath = [...path, field];
      const { mergeKey } = patchMetaFor(this.meta, fieldPath);
      validateAgainstOrder(patchItems, order, mergeKey);
      let merged: Json[];
      let serverOrder = originalItems;
      if (foundOriginal && !foundPatch) merged = originalItems;
      else if (!foundOriginal && foundPatch) merged = removeDirectives(patchItems).value as Json[];
      else if (foundOriginal && foundPatch) ({ merged, originalView: serverOrder } = this.mergeList(originalItems, patchItems, fieldPath, false));
      else continue;
      const [named, serverOnly] = partitionByPresence(merged, order, mergeKey);
      const kind = sliceItemKind(originalItems, patchItems);
      setOwn(original, field, normalizeElementOrder({ patchItems: named, serverOnly, patchOrder: order, serverOrder, mergeKey, kind }));
      delete patch[field];
    }
  }
}

/** `$patch` on a map: `replace` → the patch without the directive; `delete` → an empty map. */
function mapDirective(patch: JsonObject): JsonObject {
  const directive = patch[DIRECTIVE];
  if (directive === 'replace') {
    delete patch[DIRECTIVE];
    return patch;
  }
  if (directive === 'delete') return {};
  throw badPatchType(directive, patch);
}

/** The field a `$deleteFromPrimitiveList/<field>` or `$setElementOrder/<field>` key names (400 if malformed). */
function directiveField(key: string, prefix: typeof DELETE_FROM_PRIMITIVE_LIST | typeof SET_ELEMENT_ORDER): string {
  const slash = key.indexOf('/');
  if (slash < 0 || key.slice(0, slash) !== prefix) {
    throw badPatchFormat(prefix === SET_ELEMENT_ORDER ? 'badPatchFormatForSetElementOrderList' : 'badPatchFormatForPrimitiveList');
  }
  return key.slice(slash + 1);
}

/**
 * Upstream's `applyRetainKeysDirective`: every non-null field of the patch must be listed in
 * `$retainKeys` (400 otherwise); live fields not listed are cleared.
 */
function applyRetainKeys(original: JsonObject, patch: JsonObject): void {
  if (!Object.hasOwn(patch, RETAIN_KEYS)) return;
  const retain = patch[RETAIN_KEYS];
  delete patch[RETAIN_KEYS];
  if (!Array.isArray(retain)) throw badPatchFormat('badPatchFormatForRetainKeys');
  const keep = new Set<Json>(retain);
  for (const [key, value] of Object.entries(patch)) {
    if (value === null || key.startsWith(DELETE_FROM_PRIMITIVE_LIST) || key.startsWith(SET_ELEMENT_ORDER)) continue;
    if (!keep.has(key)) throw badPatchFormat('badPatchFormatForRetainKeys');
  }
  for (const key of Object.keys(original)) if (!keep.has(key)) delete original[key];
}

/**
 * Upstream's `validatePatchWithSetOrderList`: the patch list's items (deletions aside) must
 * appear in the `$setElementOrder` list, in the same relative order.
 */
function validateAgainstOrder(patchList: Json[], order: Json[], mergeKey: string): void {
  if (order.length === 0 || patchList.length === 0) return;
  let items = patchList;
  if (mergeKey !== '') {
    for (const item of patchList) if (!isObject(item)) throw badArgType('map', item);
    items = patchList.filter((item) => (item as JsonObject)[DIRECTIVE] !== 'delete');
  }
  let p = 0;
  let o = 0;
  while (p < items.length && o < order.length) {
    if (isObject(items[p]) && Object.hasOwn(items[p] as JsonObject, DIRECTIVE)) {
      p++;
      continue;
    }
    if (sameMergeKey(items[p], order[o], mergeKey)) p++;
    o++;
  }
  if (p < items.length && o >= order.length) {
    throw mergeFailure(`The order in patch list:\n${goValue(patchList)}\n doesn't match ${SET_ELEMENT_ORDER} list:\n${goValue(order)}\n`);
  }
}

function sameMergeKey(left: Json, right: Json, mergeKey: string): boolean {
  if (mergeKey === '') return left === right;
  if (!isObject(left)) throw badArgType('map', left);
  if (!isObject(right)) throw badArgType('map', right);
  for (const side of [left, right]) {
    if (!Object.hasOwn(side, mergeKey)) throw mergeFailure(`map: ${goValue(side)} does not contain declared merge key: ${mergeKey}`);
  }
  return left[mergeKey] === right[mergeKey];
}

/** Sets a field to a patch value taken as is: `null` members dropped, directive-bearing maps removed. */
function setCleaned(target: JsonObject, key: string, value: Json): void {
  discardNulls(value);
  const cleaned = removeDirectives(value);
  if (cleaned.keep) setOwn(target, key, cleaned.value);
  else delete target[key];
}

/** Upstream's `discardNullValuesFromPatch`: deletes `null` map values at any depth. */
function discardNulls(value: Json): void {
  if (Array.isArray(value)) {
    for (const item of value) discardNulls(item);
  } else if (isObject(value)) {
    for (const key of Object.keys(value)) {
      if (value[key] === null) delete value[key];
      else discardNulls(value[key]);
    }
  }
}

/** Upstream's `removeDirectives`: maps carrying `$patch` are dropped (from lists and maps). */
function removeDirectives(value: Json): { value: Json; keep: boolean } {
  if (Array.isArray(value)) {
    const out: Json[] = [];
    for (const item of value) {
      const r = removeDirectives(item);
      if (r.keep) out.push(r.value);
    }
    return { value: out, keep: true };
  }
  if (isObject(value)) {
    if (Object.hasOwn(value, DIRECTIVE)) return { value: undefined, keep: false };
    for (const key of Object.keys(value)) {
      const r = removeDirectives(value[key]);
      if (r.keep) setOwn(value, key, r.value);
      else delete value[key];
    }
  }
  return { value, keep: true };
}
