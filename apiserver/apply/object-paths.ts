/**
 * Reading and removing the value a FieldsV1 path points at inside an object, and the
 * structured merge of an applied configuration into a live object. Pure: inputs are never
 * mutated (callers pass copies where they need mutation, see `removePath`).
 */
import type { PatchMeta } from '../../pkg/api/resource.ts';
import { itemKey } from './field-set.ts';
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
 * One step of {@link valueAt}: the value under `node` at FieldsV1 element `el` (not `.`), where
 * `fieldPath` is the schema path of `node`; undefined when there is none.
 */
export function stepInto(node: unknown, el: string, fieldPath: string, meta: PatchMeta): unknown {
  if (el.startsWith('f:')) return isObject(node) ? node[el.slice(2)] : undefined;
  if (!Array.isArray(node)) return undefined;
  const i = findItem(node, el, fieldPath, meta);
  return i < 0 ? undefined : node[i];
}

/** The value at a FieldsV1 path, or undefined. A trailing `.` means the item itself. */
export function valueAt(obj: unknown, path: string[], meta: PatchMeta): unknown {
  let node: unknown = obj;
  let fieldPath = '';
  for (const el of path) {
    if (el === '.') continue;
    node = stepInto(node, el, fieldPath, meta);
    if (node === undefined) return undefined;
    fieldPath = fieldPathOf(fieldPath, el);
  }
  return node;
}

/** Removes the field (or, for a path ending in `.`, the list item) at `path` from `obj`, in place. */
export function removePath(obj: Json, path: string[], meta: PatchMeta): void {
  const removeItem = path[path.length - 1] === '.';
  const steps = removeItem ? path.slice(0, -1) : path;
  let node: unknown = obj;
  let fieldPath = '';
  for (let i = 0; i < steps.length; i++) {
    const el = steps[i];
    const last = i === steps.length - 1;
    if (el.startsWith('f:')) {
      if (!isObject(node)) return;
      if (last) {
        delete node[el.slice(2)];
        return;
      }
      node = node[el.slice(2)];
    } else {
      if (!Array.isArray(node)) return;
      const idx = findItem(node, el, fieldPath, meta);
      if (idx < 0) return;
      if (last) {
        node.splice(idx, 1);
        return;
      }
      node = node[idx];
    }
    fieldPath = fieldPathOf(fieldPath, el);
  }
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
    for (const item of applied) {
      if (!isObject(item)) continue;
      const k = itemKey(item, lt.keys);
      const idx = out.findIndex((x) => isObject(x) && itemKey(x, lt.keys) === k);
      if (idx >= 0) out[idx] = mergeApplied(out[idx], item, `${path}[]`, meta);
      else out.push(copyJson(item));
    }
    return out;
  }
  return applied;
}

