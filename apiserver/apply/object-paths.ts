/**
 * Reading and removing what FieldsV1 paths point at inside an object, and the structured merge
 * of an applied configuration into a live object. Pure apart from {@link removeFields}, which
 * callers give a copy.
 */
import type { PatchMeta } from '../../pkg/api/resource.ts';
import { isEmpty, itemKey, type FieldSet } from './field-set.ts';
import { listTypeAt } from './list-types.ts';
import { copyJson } from '../../pkg/util/json-copy.ts';

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The schema path (`spec.containers[]`) below `parent` after one FieldsV1 element. */
export function fieldPathOf(parent: string, el: string): string {
  if (el.startsWith('f:')) return parent ? `${parent}.${el.slice(2)}` : el.slice(2);
  return `${parent}[]`;
}

function findItem(list: unknown[], el: string, path: string, meta: PatchMeta): number {
  if (el.startsWith('v:')) {
    const wanted = el.slice(2);
    return list.findIndex((item) => JSON.stringify(item) === wanted);
  }
  if (el.startsWith('k:')) {
    const lt = listTypeAt(meta, path);
    const keys = lt.type === 'map' ? lt.keys : Object.keys(JSON.parse(el.slice(2)) as Json);
    return list.findIndex((item) => isObject(item) && itemKey(item, keys) === el);
  }
  if (el.startsWith('i:')) return Number(el.slice(2));
  return -1;
}

/**
 * {@link stepInto} for one fixed `node`, for walks that visit many of its elements: the items of
 * an associative list (`k:` elements) and of a set (`v:`) are indexed on first use, so visiting
 * every item of a long list costs O(n) rather than a scan per item (a pod with thousands of
 * containers took seconds to create). First match wins, as in {@link stepInto}. `node` must not
 * change while the returned function is used.
 */
export function stepper(node: unknown, fieldPath: string, meta: PatchMeta): (el: string) => unknown {
  if (!Array.isArray(node)) return (el) => stepInto(node, el, fieldPath, meta);
  let byKey: Map<string, unknown> | undefined;
  let byValue: Map<string, unknown> | undefined;
  const lt = listTypeAt(meta, fieldPath);
  return (el) => {
    if (el.startsWith('k:') && lt.type === 'map') {
      if (!byKey) {
        byKey = new Map();
        for (const item of node) if (isObject(item)) firstWins(byKey, itemKey(item, lt.keys), item);
      }
      return byKey.get(el);
    }
    if (el.startsWith('v:')) {
      if (!byValue) {
        byValue = new Map();
        for (const item of node) firstWins(byValue, JSON.stringify(item), item);
      }
      return byValue.get(el.slice(2));
    }
    return stepInto(node, el, fieldPath, meta);
  };
}

function firstWins(index: Map<string, unknown>, key: string, item: unknown): void {
  if (!index.has(key)) index.set(key, item);
}

/**
 * One step along a FieldsV1 path: the value under `node` at element `el` (not `.`), where
 * `fieldPath` is the schema path of `node`; undefined when there is none.
 */
export function stepInto(node: unknown, el: string, fieldPath: string, meta: PatchMeta): unknown {
  if (el.startsWith('f:')) return isObject(node) ? node[el.slice(2)] : undefined;
  if (!Array.isArray(node)) return undefined;
  const i = findItem(node, el, fieldPath, meta);
  return i < 0 ? undefined : node[i];
}

/**
 * Removes every leaf of `set` from `obj`, in place: a leaf `f:x` removes field `x`, and a list
 * item whose element is a leaf or holds `.` is removed whole. One walk: each list is indexed once
 * and compacted once (removing the paths one at a time scanned a list per path, and a manager
 * dropping thousands of items took seconds).
 */
export function removeFields(obj: unknown, set: FieldSet, meta: PatchMeta, fieldPath = ''): void {
  const step = stepper(obj, fieldPath, meta);
  const doomed = new Set<unknown>();
  for (const el of Object.keys(set)) {
    if (el === '.') continue;
    const child = set[el]!;
    if (el.startsWith('f:')) {
      if (!isObject(obj)) continue;
      if (isEmpty(child)) delete obj[el.slice(2)];
      else removeFields(obj[el.slice(2)], child, meta, fieldPathOf(fieldPath, el));
      continue;
    }
    const item = step(el);
    if (item === undefined) continue;
    if (isEmpty(child) || '.' in child) doomed.add(item);
    else removeFields(item, child, meta, fieldPathOf(fieldPath, el));
  }
  if (doomed.size === 0 || !Array.isArray(obj)) return;
  let kept = 0;
  for (const item of obj) if (!doomed.has(item)) obj[kept++] = item;
  obj.length = kept;
}

/**
 * Merges `applied` into `live` as server-side apply does: maps merge field by field,
 * associative lists merge items by key (new items appended), sets take the union, atomic
 * lists and scalars are replaced by the applied value.
 */
export function mergeApplied(live: unknown, applied: unknown, path: string, meta: PatchMeta): unknown {
  if (isObject(applied)) {
    const out: Json = isObject(live) ? { ...live } : {};
    for (const [k, v] of Object.entries(applied)) {
      if (v === null || v === undefined) continue;
      out[k] = mergeApplied(out[k], v, path ? `${path}.${k}` : k, meta);
    }
    return out;
  }
  if (Array.isArray(applied)) {
    const lt = listTypeAt(meta, path);
    if (lt.type === 'atomic' || !Array.isArray(live)) return copyJson(applied);
    const out = [...live];
    if (lt.type === 'set') {
      const seen = new Set(out.map((v) => JSON.stringify(v)));
      for (const v of applied) if (!seen.has(JSON.stringify(v))) out.push(v);
      return out;
    }
    // Live items by key (first wins), kept up to date as applied items are appended.
    const at = new Map<string, number>();
    out.forEach((x, i) => {
      if (!isObject(x)) return;
      const k = itemKey(x, lt.keys);
      if (!at.has(k)) at.set(k, i);
    });
    for (const item of applied) {
      if (!isObject(item)) continue;
      const k = itemKey(item, lt.keys);
      const idx = at.get(k);
      if (idx !== undefined) out[idx] = mergeApplied(out[idx], item, `${path}[]`, meta);
      else at.set(k, out.push(copyJson(item)) - 1);
    }
    return out;
  }
  return applied;
}

