/**
 * Merging one list field of a strategic merge patch (upstream `mergeSliceHandler` /
 * `mergeSlice`): lists without the `merge` strategy are replaced; merge lists of maps are merged
 * by their merge key (`$patch: delete` / `replace` items honoured), merge lists of scalars are
 * unions; the result is ordered as the patch lists its items.
 */
import type { Json, JsonObject } from './json-value.ts';
import { badPatchType, mergeFailure, noMergeKey } from './smp-errors.ts';
import { deduplicateScalars, findByKey, keyIndex, normalizeElementOrder, partitionByPresence, sliceItemKind } from './smp-order.ts';

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

/**
 * The merged list, and what upstream's caller still sees through its slice of the live list
 * afterwards (`originalView`): Go deletes merge-list items in place and appends new items into
 * the freed capacity, and `$setElementOrder` then orders by that view (see {@link GoSliceView}).
 */
export interface ListMergeResult {
  merged: Json[];
  originalView: Json[];
}

/** Upstream's `mergeSliceHandler`. Inputs are private copies and may be modified. */
export function mergeListField(original: Json[], patch: Json[], ctx: ListMergeContext): ListMergeResult {
  if (ctx.strategy === 'merge' || ctx.isDeleteList) return mergeList(original, patch, ctx);
  return { merged: patch, originalView: original };
}

function mergeList(originalIn: Json[], patchIn: Json[], ctx: ListMergeContext): ListMergeResult {
  if (originalIn.length === 0 && patchIn.length === 0) return { merged: originalIn, originalView: originalIn };
  const kind = sliceItemKind(originalIn, patchIn);
  const { mergeKey } = ctx;
  const view = new GoSliceView(originalIn);
  let original = originalIn;
  let patch = patchIn;
  let merged: Json[];
  if (kind !== 'map') {
    if (ctx.isDeleteList) return { merged: original.filter((v) => !patch.includes(v)), originalView: originalIn };
    merged = deduplicateScalars([...original, ...patch]);
  } else {
    if (mergeKey === '') throw mergeFailure(`cannot merge lists without merge key for ${ctx.itemPath.join('.')}`);
    [original, patch] = applySpecialItems(view, patch, mergeKey);
    merged = mergeItemsByKey(view, [...original], patch, ctx);
  }
  const [patchItems, serverOnly] = partitionByPresence(merged, patch, mergeKey);
  return {
    merged: normalizeElementOrder({ patchItems, serverOnly, patchOrder: patch, serverOrder: original, mergeKey, kind }),
    originalView: view.visible(),
  };
}

/**
 * The live list as the caller's Go slice header sees it while upstream edits the same backing
 * array: deleting item i shifts the rest left (the old last item stays visible past the new
 * length), appending writes into the first free position while it lies within the caller's view.
 */
export class GoSliceView {
  private readonly backing: Json[];
  private length: number;

  constructor(items: readonly Json[]) {
    this.backing = [...items];
    this.length = items.length;
  }

  /** The current slice (what the editing code sees). */
  current(): Json[] {
    return this.backing.slice(0, this.length);
  }

  delete(index: number): void {
    for (let i = index; i < this.length - 1; i++) this.backing[i] = this.backing[i + 1];
    this.length--;
  }

  append(item: Json): void {
    if (this.length < this.backing.length) this.backing[this.length] = item;
    this.length++;
  }

  set(index: number, item: Json): void {
    if (index < this.backing.length) this.backing[index] = item;
  }

  /** What the caller's unchanged slice header (the original length) shows. */
  visible(): Json[] {
    return [...this.backing];
  }
}

/**
 * Upstream's `mergeSliceWithSpecialElements`: applies `$patch: delete` items (removing every
 * live item with that key) and `$patch: replace` (the list becomes the patch's other items).
 */
function applySpecialItems(view: GoSliceView, patch: Json[], mergeKey: string): [Json[], Json[]] {
  const plain: Json[] = [];
  let replace = false;
  for (const item of patch) {
    const map = item as JsonObject;
    if (!Object.hasOwn(map, '$patch')) {
      plain.push(item);
      continue;
    }
    switch (map.$patch) {
      case 'delete':
        if (!Object.hasOwn(map, mergeKey)) throw noMergeKey(map, mergeKey);
        deleteMatching(view, mergeKey, map[mergeKey]);
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
  return replace ? [plain, []] : [view.current(), plain];
}

function deleteMatching(view: GoSliceView, mergeKey: string, value: Json): void {
  for (let i = findByKey(view.current(), mergeKey, value); i >= 0; i = findByKey(view.current(), mergeKey, value)) view.delete(i);
}

/** Upstream's `mergeSliceWithoutSpecialElements`: merge matching items, append new ones as sent. */
function mergeItemsByKey(view: GoSliceView, original: Json[], patch: Json[], ctx: ListMergeContext): Json[] {
  const byKey = keyIndex(original, ctx.mergeKey);
  for (const item of patch) {
    const map = item as JsonObject;
    if (!Object.hasOwn(map, ctx.mergeKey)) throw noMergeKey(map, ctx.mergeKey);
    const index = byKey.find(map[ctx.mergeKey]);
    if (index >= 0) {
      original[index] = ctx.mergeItem(original[index] as JsonObject, map, ctx.itemPath);
      view.set(index, original[index]);
    } else {
      byKey.add(item, original.push(item) - 1);
      view.append(item);
    }
  }
  return original;
}

