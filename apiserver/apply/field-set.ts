/**
 * Field sets in the `FieldsV1` form used by `metadata.managedFields`: a tree whose keys are
 * `f:<field>`, `k:<json of key fields>` (associative-list item), `v:<json value>` (set item),
 * `i:<index>` (unkeyed item, only read) and `.` (the item itself). An empty object is a leaf.
 * Everything here is pure and never mutates its inputs.
 */
import type { PatchMeta } from '../../pkg/api/resource.ts';
import { listTypeAt } from './list-types.ts';
import { copyJson } from '../../pkg/util/json-copy.ts';

/** A FieldsV1 tree. */
export interface FieldSet {
  [pathElement: string]: FieldSet;
}

/** Top-level fields that are identity or server-managed and never owned by a manager. */
const ignoredRoot = new Set(['apiVersion', 'kind']);
const ignoredMetadata = new Set(['name', 'namespace', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'selfLink', 'managedFields', 'generateName']);

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Schema defaults of list-map key fields (`// +default="TCP"` on container and service port
 * protocols): structured-merge-diff matches an item missing such a key as if it had the default,
 * so an applied `{containerPort: 80}` is the stored `{containerPort: 80, protocol: TCP}`.
 */
const KEY_DEFAULTS: Readonly<Record<string, unknown>> = { protocol: 'TCP' };

/** Stable JSON of an item's key fields, as upstream writes them (`{"name":"nginx"}`). */
export function itemKey(item: Json, keys: string[]): string {
  const out: Json = {};
  for (const k of keys) {
    const v = item[k] ?? (keys.length > 1 ? KEY_DEFAULTS[k] : undefined);
    if (v !== undefined) out[k] = v;
  }
  return `k:${JSON.stringify(out)}`;
}

/** The set of fields an object sets (leaves, plus `.` for list items). */
export function fieldSetOf(obj: Json, meta: PatchMeta): FieldSet {
  const set: FieldSet = {};
  const path: string[] = [];
  for (const k of Object.keys(obj)) {
    const v = obj[k];
    if (ignoredRoot.has(k) || v === undefined || v === null) continue;
    if (k === 'metadata' && isObject(v)) {
      const m: FieldSet = {};
      path.push('metadata');
      for (const mk of Object.keys(v)) {
        const mv = v[mk];
        if (ignoredMetadata.has(mk) || mv === undefined || mv === null) continue;
        path.push(mk);
        m[`f:${mk}`] = valueSet(mv, path, meta);
        path.pop();
      }
      path.pop();
      if (Object.keys(m).length) set['f:metadata'] = m;
      continue;
    }
    path.push(k);
    set[`f:${k}`] = valueSet(v, path, meta);
    path.pop();
  }
  return set;
}

/**
 * The field set of one value at `path` (segments such as `spec`, `containers[]`, `ports`, joined
 * with `.` into the patch-meta path only when a list asks for its type).
 */
function valueSet(value: unknown, path: string[], meta: PatchMeta): FieldSet {
  if (isObject(value)) {
    const out: FieldSet = {};
    for (const k of Object.keys(value)) {
      const v = value[k];
      if (v === undefined || v === null) continue;
      path.push(k);
      out[`f:${k}`] = valueSet(v, path, meta);
      path.pop();
    }
    return out;
  }
  if (Array.isArray(value)) {
    const lt = listTypeAt(meta, path.join('.'));
    if (lt.type === 'atomic') return {};
    const out: FieldSet = {};
    const last = path.length - 1;
    const listSegment = path[last];
    for (const item of value) {
      if (lt.type === 'set') {
        out[`v:${JSON.stringify(item)}`] = {};
      } else if (isObject(item)) {
        path[last] = `${listSegment}[]`;
        const child = valueSet(item, path, meta);
        path[last] = listSegment;
        out[itemKey(item, lt.keys)] = { '.': {}, ...child };
      }
    }
    return out;
  }
  return {};
}

export function isEmpty(set: FieldSet): boolean {
  return Object.keys(set).length === 0;
}

/** Every leaf path of a set (each path a list of elements). */
export function leaves(set: FieldSet, prefix: string[] = []): string[][] {
  const out: string[][] = [];
  for (const [k, child] of Object.entries(set)) {
    const path = [...prefix, k];
    if (isEmpty(child)) out.push(path);
    else out.push(...leaves(child, path));
  }
  return out;
}

export function hasPath(set: FieldSet, path: string[]): boolean {
  let node: FieldSet | undefined = set;
  for (const el of path) {
    node = node?.[el];
    if (!node) return false;
  }
  return isEmpty(node);
}

export function union(a: FieldSet, b: FieldSet): FieldSet {
  const out: FieldSet = copyJson(a);
  for (const [k, child] of Object.entries(b)) {
    out[k] = out[k] ? union(out[k], child) : copyJson(child);
  }
  return out;
}

/** `a` without the leaves of `b` (containers left empty by the removal are dropped). */
export function difference(a: FieldSet, b: FieldSet): FieldSet {
  const out: FieldSet = {};
  for (const [k, child] of Object.entries(a)) {
    const other = b[k];
    if (!other) {
      out[k] = copyJson(child);
    } else if (isEmpty(child)) {
      if (!isEmpty(other)) out[k] = {};
    } else if (!isEmpty(other)) {
      const rest = difference(child, other);
      if (!isEmpty(rest)) out[k] = rest;
    }
  }
  return out;
}

/** Leaves present in both. */
export function intersection(a: FieldSet, b: FieldSet): FieldSet {
  const out: FieldSet = {};
  for (const [k, child] of Object.entries(a)) {
    const other = b[k];
    if (!other) continue;
    if (isEmpty(child) && isEmpty(other)) out[k] = {};
    else if (!isEmpty(child) && !isEmpty(other)) {
      const both = intersection(child, other);
      if (!isEmpty(both)) out[k] = both;
    }
  }
  return out;
}

/** `.spec.containers[name="nginx"].image` — upstream's human form of a path, for conflict messages. */
export function formatPath(path: string[]): string {
  let out = '';
  for (const el of path) {
    if (el === '.') continue;
    if (el.startsWith('f:')) out += `.${el.slice(2)}`;
    else if (el.startsWith('k:')) {
      const key = JSON.parse(el.slice(2)) as Json;
      out += `[${Object.entries(key).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',')}]`;
    } else if (el.startsWith('v:')) out += `[=${el.slice(2)}]`;
    else if (el.startsWith('i:')) out += `[${el.slice(2)}]`;
  }
  return out;
}
