/**
 * Merging one list field of a strategic merge patch (upstream `mergeSliceHandler` /
 * `mergeSlice`): lists without the `merge` strategy are replaced; merge lists of maps are merged
 * by their merge key (`$patch: delete` / `replace` items honoured), merge lists of scalars are
 * unions; the result is ordered as the patch lists its items.
 */
import type { Json, JsonObject } from './json-value.ts';
import { badPatchType, mergeFailure, noMergeKey } from './smp-errors.ts';
import { deduplicateScalars, findByKey, normalizeElementOrder, partitionByPresence, sliceItemKind } from './smp-order.ts';

/** Merges one patch item into its matching live item (the map merge of the caller). */
export type MergeItem = (original: JsonObject, patch: JsonObject, itemPath: readonly string[]) => JsonObject;

/** What the list field's patch metadata and context say. */
export interface ListMergeContext {
  /** Path of one item of this list (`[..., 'containers', '[]']`). */
  itemPath: readonly string[];
  strategy: 'merge' | 'replace' | '';
  mergeKey: string;
  /** The list is a `$deleteFromPrimitiveList/<field>` list. */
  isDeleteList: boolean;
  mergeItem: MergeItem;
}

/** Upstream's `mergeSliceHandler`. Inputs are private copies and may be modified. */
export function mergeListField(original: Json[], patch: Json[], ctx: ListMergeContext): Json[] {
  if (ctx.strategy === 'merge' || ctx.isDeleteList) return mergeList(original, patch, ctx);
  return patch;
}

function mergeList(originalIn: Json[], patchIn: Json[], ctx: ListMergeContext): Json[] {
  if (originalIn.length === 0 && patchIn.length === 0) return originalIn;
  const kind = sliceItemKind(originalIn, patchIn);
  const { mergeKey } = ctx;
  let original = originalIn;
  let patch = patchIn;
  let merged: Json[];
  if (kind !== 'map') {
    if (ctx.isDeleteList) return original.filter((v) => !patch.includes(v));
    merged = deduplicateScalars([...original, ...patch]);
  } else {
    if (mergeKey === '') throw mergeFailure(`cannot merge lists without merge key for ${ctx.itemPath.join('.')}`);
    [original, patch] = applySpecialItems(original, patch, mergeKey);
    merged = mergeItemsByKey([...original], patch, ctx);
  }
  const [patchItems, serverOnly] = partitionByPresence(merged, patch, mergeKey);
  return normalizeElementOrder({ patchItems, serverOnly, patchOrder: patch, serverOrder: original, mergeKey, kind });
}

/**
 * Upstream's `mergeSliceWithSpecialElements`: applies `$patch: delete` items (removing every
 * live item with that key) and `$patch: replace` (the list becomes the patch's other items).
 */
function applySpecialItems(original: Json[], patch: Json[], mergeKey: string): [Json[], Json[]] {
  const plain: Json[] = [];
  let replace = false;
  let remaining = original;
  for (const item of patch) {
    const map = item as JsonObject;
    if (!Object.hasOwn(map, '$patch')) {
      plain.push(item);
      continue;
    }
    switch (map.$patch) {
      case 'delete':
        if (!Object.hasOwn(map, mergeKey)) throw noMergeKey(map, mergeKey);
        remaining = deleteMatching(remaining, mergeKey, map[mergeKey]);
        break;
      case 'replace':
        replace = true;
        break;
      case 'merge':
        throw mergeFailure('merging lists cannot yet be specified in the patch');
      default:
        throw badPatchType(map.$patch, map);
    }
  }
  return replace ? [plain, []] : [remaining, plain];
}

function deleteMatching(list: Json[], mergeKey: string, value: Json): Json[] {
  let out = list;
  for (let i = findByKey(out, mergeKey, value); i >= 0; i = findByKey(out, mergeKey, value)) {
    out = [...out.slice(0, i), ...out.slice(i + 1)];
  }
  return out;
}

/** Upstream's `mergeSliceWithoutSpecialElements`: merge matching items, append new ones as sent. */
function mergeItemsByKey(original: Json[], patch: Json[], ctx: ListMergeContext): Json[] {
  for (const item of patch) {
    const map = item as JsonObject;
    if (!Object.hasOwn(map, ctx.mergeKey)) throw noMergeKey(map, ctx.mergeKey);
    const index = findByKey(original, ctx.mergeKey, map[ctx.mergeKey]);
    if (index >= 0) original[index] = ctx.mergeItem(original[index] as JsonObject, map, ctx.itemPath);
    else original.push(item);
  }
  return original;
}

