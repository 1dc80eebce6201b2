/**
 * Server-side apply refuses an applied configuration whose associative list repeats a key
 * (structured-merge-diff's typed conversion of the patch, which allows no duplicates: Helm 4 and
 * `kubectl apply --server-side` users meet it with two `env` entries of one name). Pure.
 */
import type { PatchMeta } from '../../pkg/api/resource.ts';
import { formatPath, itemKey } from './field-set.ts';
import { listTypeAt } from './list-types.ts';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The first repeated list-map key in `obj` (document order): the list's path and the key, in upstream's words. */
export function firstDuplicateEntry(obj: Json, meta: PatchMeta): { list: string; key: string } | undefined {
  return walk(obj, [], [], meta);
}

/** `fields`: the patch-meta path (`spec.containers[].env`); `shown`: the FieldsV1 path for the message. */
function walk(value: unknown, fields: string[], shown: string[], meta: PatchMeta): { list: string; key: string } | undefined {
  if (isObject(value)) {
    for (const [k, v] of Object.entries(value)) {
      const found = walk(v, [...fields, k], [...shown, `f:${k}`], meta);
      if (found) return found;
    }
    return undefined;
  }
  if (!Array.isArray(value) || fields.length === 0) return undefined;
  const type = listTypeAt(meta, fields.join('.'));
  if (type.type !== 'map') return undefined;
  const seen = new Set<string>();
  const itemFields = [...fields.slice(0, -1), `${fields[fields.length - 1]}[]`];
  for (const item of value) {
    if (!isObject(item)) continue;
    const key = itemKey(item, type.keys);
    if (seen.has(key)) return { list: formatPath(shown), key: formatPath([key]) };
    seen.add(key);
    const found = walk(item, itemFields, [...shown, key], meta);
    if (found) return found;
  }
  return undefined;
}
