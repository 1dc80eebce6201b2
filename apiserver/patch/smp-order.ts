/**
 * List ordering and partitioning for strategic merge patch, as upstream's strategicpatch
 * (`normalizeElementOrder`, `mergeSortedSlice`, `partition*ByPresentInList`): items named by
 * the patch (or by `$setElementOrder`) follow the patch's order, server-only items keep their
 * live order, and the two are interleaved using the live list as the reference.
 */
import { goValue } from './go-format.ts';
import { isObject, type Json, type JsonObject } from './json-value.ts';
import { badArgType, mergeFailure, noListOfLists, noMergeKey } from './smp-errors.ts';

/** The Go kind of a list's items: maps are merged by key, anything else as scalars. */
export type ItemKind = 'map' | 'scalar';

/** The Go type of a decoded value, for upstream's "same type" checks. */
export function goTypeOf(v: Json): 'map' | 'slice' | 'string' | 'bool' | 'number' | 'nil' {
  if (v === null || v === undefined) return 'nil';
  if (Array.isArray(v)) return 'slice';
  if (typeof v === 'object') return 'map';
  return typeof v === 'string' ? 'string' : typeof v === 'boolean' ? 'bool' : 'number';
}

/** Upstream's `sliceElementType`: all items of all lists share one type, which is not a list. */
export function sliceItemKind(...lists: readonly Json[][]): ItemKind {
  let seen: ReturnType<typeof goTypeOf> | undefined;
  for (const list of lists) {
    for (const item of list) {
      const type = goTypeOf(item);
      if (seen === undefined) {
        seen = type;
        if (type === 'slice') throw noListOfLists();
      } else if (seen !== type) {
        throw mergeFailure(`list element types are not identical: ${goSprintLists(lists)}`);
      }
    }
  }
  if (seen === undefined) throw mergeFailure('no elements in any of the given slices');
  return seen === 'map' ? 'map' : 'scalar';
}

/** `fmt.Sprint` of a `[][]interface{}`. */
function goSprintLists(lists: readonly Json[][]): string {
  return goValue(lists);
}

/** The value an item is identified by: its merge key's value for maps, itself for scalars. */
function identity(item: Json, mergeKey: string, kind: ItemKind): Json {
  if (kind !== 'map') return item;
  return isObject(item) ? item[mergeKey] : null;
}

/** Finds the map in `list` whose `key` equals `value` (every item must be a map). */
export function findByKey(list: readonly Json[], key: string, value: Json): number {
  for (let i = 0; i < list.length; i++) {
    const item = list[i];
    if (!isObject(item)) throw mergeFailure(`value for key ${i} is not a map`);
    if (Object.hasOwn(item, key) && item[key] === value) return i;
  }
  return -1;
}

/**
 * {@link findByKey} for many lookups in one list, each O(1) instead of a scan (a list of n items
 * merged item by item cost O(n²), and a patch of thousands of items blocked the server for
 * seconds): the first position of each value of `key`, and the first item that is not a map, past
 * which a lookup throws as the scan would. `add` records an item the caller appended at `at`.
 */
export function keyIndex(list: readonly Json[], key: string): { find(value: Json): number; add(item: Json, at: number): void } {
  const first = new Map<Json, number>();
  let notMap = -1;
  const add = (item: Json, at: number) => {
    if (notMap >= 0) return;
    if (!isObject(item)) notMap = at;
    else if (Object.hasOwn(item, key) && !first.has(item[key])) first.set(item[key], at);
  };
  list.forEach(add);
  return {
    find(value) {
      const at = first.get(value) ?? -1;
      if (notMap >= 0 && (at < 0 || at > notMap)) throw mergeFailure(`value for key ${notMap} is not a map`);
      return at;
    },
    add,
  };
}

/** Upstream's `index` (the first position of an item in `list`, by its merge key's value or, for scalars, itself; -1 when absent), O(1) per lookup. */
function positions(list: readonly Json[], mergeKey: string, kind: ItemKind): (item: Json) => number {
  const first = new Map<Json, number>();
  list.forEach((candidate, i) => {
    const id = identity(candidate, mergeKey, kind) ?? null;
    if (!first.has(id)) first.set(id, i);
  });
  return (item) => first.get(identity(item, mergeKey, kind) ?? null) ?? -1;
}

/** Splits scalars into those present in `by` and the rest, keeping order. */
export function partitionScalars(items: readonly Json[], by: readonly Json[]): [Json[], Json[]] {
  const inBy = new Set(by);
  const present = items.filter((v) => inBy.has(v));
  const absent = items.filter((v) => !inBy.has(v));
  return [present, absent];
}

/** Splits maps into those whose merge key value appears in `by` and the rest, keeping order. */
export function partitionMaps(items: readonly Json[], by: readonly Json[], mergeKey: string): [Json[], Json[]] {
  const present: Json[] = [];
  const absent: Json[] = [];
  const inBy = keyIndex(by, mergeKey);
  for (const item of items) {
    if (!isObject(item)) throw badArgType('map', item);
    if (!Object.hasOwn(item, mergeKey)) throw noMergeKey(item, mergeKey);
    (inBy.find(item[mergeKey]) >= 0 ? present : absent).push(item);
  }
  return [present, absent];
}

/** Partitions by merge key (maps) or by value (scalars, when there is no merge key). */
export function partitionByPresence(items: readonly Json[], by: readonly Json[], mergeKey: string): [Json[], Json[]] {
  return mergeKey === '' ? partitionScalars(items, by) : partitionMaps(items, by, mergeKey);
}

/** Upstream's `normalizeElementOrder`: patch items in patch order, merged into server-only items in live order. */
export function normalizeElementOrder(options: {
  patchItems: Json[];
  serverOnly: Json[];
  patchOrder: readonly Json[];
  serverOrder: readonly Json[];
  mergeKey: string;
  kind: ItemKind;
}): Json[] {
  const { mergeKey, kind, patchOrder, serverOrder } = options;
  const patchSorted = sortByOrder(options.patchItems, patchOrder, mergeKey, kind);
  const serverSorted = sortByOrder(options.serverOnly, serverOrder, mergeKey, kind);
  return mergeSorted(serverSorted, patchSorted, serverOrder, mergeKey, kind);
}

/** Upstream's `normalizeSliceOrder`: sorts by position in `order`; `$patch: delete` items go last. */
function sortByOrder(items: Json[], order: readonly Json[], mergeKey: string, kind: ItemKind): Json[] {
  let keep = items;
  let deleted: Json[] = [];
  if (kind === 'map') {
    for (const item of [...items, ...order]) {
      if (!isObject(item)) throw badArgType('map', item);
      if (!Object.hasOwn(item, mergeKey)) throw noMergeKey(item, mergeKey);
    }
    keep = items.filter((item) => (item as JsonObject).$patch !== 'delete');
    deleted = items.filter((item) => (item as JsonObject).$patch === 'delete');
  }
  const at = positions(order, mergeKey, kind);
  const less = (a: Json, b: Json): boolean => {
    const ia = at(a);
    const ib = at(b);
    return ia >= 0 && ib >= 0 ? ia < ib : true;
  };
  return [...goStableSort(keep, less), ...deleted];
}

/**
 * Go's `sort.SliceStable` result: insertion sort (exactly what Go does for up to 20 items, and
 * equivalent for any length when `less` is a consistent order).
 */
export function goStableSort<T>(items: readonly T[], less: (a: T, b: T) => boolean): T[] {
  const out = [...items];
  if (out.length > 20) return out.map((v, i) => ({ v, i })).sort((x, y) => (less(x.v, y.v) ? -1 : less(y.v, x.v) ? 1 : x.i - y.i)).map((x) => x.v);
  for (let i = 1; i < out.length; i++) {
    for (let j = i; j > 0 && less(out[j], out[j - 1]); j--) [out[j], out[j - 1]] = [out[j - 1], out[j]];
  }
  return out;
}

/** Upstream's `mergeSortedSlice`: interleaves server-only items (`left`) into patch items (`right`). */
function mergeSorted(left: Json[], right: Json[], serverOrder: readonly Json[], mergeKey: string, kind: ItemKind): Json[] {
  const out: Json[] = [];
  const at = positions(serverOrder, mergeKey, kind);
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (i >= left.length) out.push(right[j++]);
    else if (j >= right.length) out.push(left[i++]);
    else {
      const li = at(left[i]);
      const ri = at(right[j]);
      if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]);
      else out.push(right[j++]);
    }
  }
  return out;
}

/** Upstream's in-place de-duplication of scalars (a later duplicate is replaced by the last item). */
export function deduplicateScalars(items: Json[]): Json[] {
  const s = [...items];
  // Without duplicates the pairwise pass below changes nothing: skip its O(n²).
  if (new Set(s).size === s.length) return s;
  let length = s.length - 1;
  for (let i = 0; i < length; i++) {
    for (let j = i + 1; j <= length; j++) {
      if (s[i] === s[j]) {
        s[j] = s[length];
        s.length = length;
        length--;
        j--;
      }
    }
  }
  return s;
}
