/**
 * How server-side apply treats each list: `map` (associative, items identified by key fields),
 * `set` (scalars, identified by value) or `atomic` (owned and replaced as a whole) — upstream's
 * `x-kubernetes-list-type`. Derived from a kind's strategic-merge `PatchMeta`: a list merged by a
 * key is a map, a merged list without key is a set, anything else atomic.
 */
import type { PatchMeta } from '../../pkg/api/resource.ts';

export type ListType = { type: 'atomic' } | { type: 'set' } | { type: 'map'; keys: string[] };

/** Upstream's list-map keys where they are wider than the SMP merge key. */
const extraKeys: Record<string, string[]> = {
  containerPort: ['containerPort', 'protocol'],
};

/**
 * Looks up the list type of the field at `path` (field names, with `[]` for "inside a list item",
 * e.g. `spec.template.spec.containers[].ports`).
 */
export function listTypeAt(meta: PatchMeta, path: string): ListType {
  const entry = meta[path];
  if (!entry || !entry.strategy.includes('merge')) return { type: 'atomic' };
  if (!entry.mergeKey) return { type: 'set' };
  return { type: 'map', keys: extraKeys[entry.mergeKey] ?? [entry.mergeKey] };
}
