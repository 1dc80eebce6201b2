/**
 * Strategic merge patch for the fallback patch engine (upstream `strategicpatch`), driven by
 * `ResourceInfo.patchMeta`: lists with a `merge` strategy merge by their merge key (or as sets
 * of primitives), other lists are replaced, maps merge recursively. Directives: `$patch`
 * (replace / delete / merge), `$retainKeys`, `$deleteFromPrimitiveList/<field>`,
 * `$setElementOrder/<field>` (orders the merged list). Pure.
 */
import type { PatchMeta } from '../../pkg/api/resource.ts';

type Json = unknown;
type JsonObject = Record<string, Json>;

function isObject(v: Json): v is JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

const join = (path: string, key: string) => (path ? `${path}.${key}` : key);

/** Applies `patch` to `original` (neither is modified). `undefined` means "delete this value". */
export function strategicMerge(original: Json, patch: Json, meta: PatchMeta, path = ''): Json {
  if (!isObject(patch)) return structuredClone(patch);
  const directive = patch.$patch;
  if (directive === 'delete') return undefined;
  if (directive === 'replace') {
    const { $patch: _p, ...rest } = patch;
    return structuredClone(rest);
  }
  const out: JsonObject = isObject(original) ? structuredClone(original) : {};
  const orders: Array<[string, Json[]]> = [];
  for (const [key, value] of Object.entries(patch)) {
    if (key === '$patch' || key === '$retainKeys') continue;
    if (key.startsWith('$setElementOrder/')) {
      if (Array.isArray(value)) orders.push([key.slice('$setElementOrder/'.length), value]);
      continue;
    }
    if (key.startsWith('$deleteFromPrimitiveList/')) {
      const field = key.slice('$deleteFromPrimitiveList/'.length);
      const remove = new Set((Array.isArray(value) ? value : []).map((v) => JSON.stringify(v)));
      if (Array.isArray(out[field])) out[field] = (out[field] as Json[]).filter((v) => !remove.has(JSON.stringify(v)));
      continue;
    }
    if (value === null) {
      delete out[key];
      continue;
    }
    const childPath = join(path, key);
    const merged = Array.isArray(value) ? mergeList(out[key], value, meta, childPath) : strategicMerge(out[key], value, meta, childPath);
    if (merged === undefined) delete out[key];
    else out[key] = merged;
  }
  for (const [field, order] of orders) out[field] = applyOrder(out[field], order, meta[join(path, field)]?.mergeKey);
  if (Array.isArray(patch.$retainKeys)) {
    const keep = new Set(patch.$retainKeys as string[]);
    for (const key of Object.keys(out)) if (!keep.has(key)) delete out[key];
  }
  return out;
}

function mergeList(original: Json, patch: Json[], meta: PatchMeta, path: string): Json[] {
  const spec = meta[path];
  const base = Array.isArray(original) ? original : [];
  if (!spec || !spec.strategy.includes('merge')) {
    return patch.filter((item) => !(isObject(item) && item.$patch)).map((item) => structuredClone(item));
  }
  if (patch.some((item) => isObject(item) && item.$patch === 'replace')) {
    return patch.filter((item) => !(isObject(item) && item.$patch === 'replace')).map((item) => structuredClone(item));
  }
  const key = spec.mergeKey;
  if (!key) {
    const out = structuredClone(base);
    const seen = new Set(out.map((v) => JSON.stringify(v)));
    for (const item of patch) if (!seen.has(JSON.stringify(item))) out.push(structuredClone(item));
    return out;
  }
  const out: Json[] = structuredClone(base);
  for (const item of patch) {
    if (!isObject(item)) continue;
    const index = out.findIndex((o) => isObject(o) && o[key] === item[key]);
    if (item.$patch === 'delete') {
      if (index >= 0) out.splice(index, 1);
      continue;
    }
    if (index >= 0) out[index] = strategicMerge(out[index], item, meta, `${path}[]`);
    else out.push(strategicMerge(undefined, item, meta, `${path}[]`));
  }
  return out;
}

/** Orders a merged list as `$setElementOrder` lists it; items it does not mention keep their relative order at the end. */
function applyOrder(list: Json, order: Json[], mergeKey: string | undefined): Json {
  if (!Array.isArray(list)) return list;
  const id = (v: Json) => JSON.stringify(mergeKey && isObject(v) ? v[mergeKey] : v);
  const wanted = order.map((o) => JSON.stringify(mergeKey && isObject(o) ? o[mergeKey] : o));
  const rank = new Map(wanted.map((w, i) => [w, i]));
  return [...list].sort((a, b) => (rank.get(id(a)) ?? wanted.length) - (rank.get(id(b)) ?? wanted.length));
}
