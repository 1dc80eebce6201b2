/**
 * Lookups in a kind's strategic-merge {@link PatchMeta}: the patch strategy and merge key of a
 * field, addressed by its path from the object root. Shared by the strategic merge patch and by
 * OpenAPI generation (`x-kubernetes-patch-strategy` / `x-kubernetes-patch-merge-key`).
 */
import type { PatchMeta } from '../../pkg/api/resource.ts';

/** The marker for "an item of the list" in a field path (`['spec', 'containers', '[]', 'ports']`). */
export const LIST_ITEM = '[]';

/** What a field's patch metadata says, split the way upstream splits `patchStrategy` tags. */
export interface FieldPatchMeta {
  /** `merge` (lists merge by key or as sets), `replace`, or `''` (the default). */
  strategy: 'merge' | 'replace' | '';
  /** True when the field also has the `retainKeys` strategy. */
  retainKeys: boolean;
  /** The list's merge key (lists of objects with the `merge` strategy), or `''`. */
  mergeKey: string;
}

const NONE: FieldPatchMeta = Object.freeze({ strategy: '', retainKeys: false, mergeKey: '' });

/**
 * The PatchMeta key of a field path: segments joined by `.`, list items as `[]` appended to the
 * list's name. Segments may be `'[]'` or a numeric index (both mean "an item of the list") or
 * already end in `[]`: `['spec','containers',0,'ports']` → `spec.containers[].ports`.
 */
export function patchMetaKey(path: readonly (string | number)[]): string {
  let key = '';
  for (const segment of path) {
    if (typeof segment === 'number' || segment === LIST_ITEM) key += LIST_ITEM;
    else key = key === '' ? segment : `${key}.${segment}`;
  }
  return key;
}

/**
 * The patch metadata of the field at `path` (see {@link patchMetaKey}); fields that are not
 * listed have none (strategy `''`: lists replace, maps merge recursively).
 */
export function patchMetaFor(meta: PatchMeta, path: readonly (string | number)[]): FieldPatchMeta {
  const entry = Object.hasOwn(meta, patchMetaKey(path)) ? meta[patchMetaKey(path)] : undefined;
  if (!entry) return NONE;
  const { strategy, retainKeys } = splitPatchStrategy(entry.strategy);
  return { strategy, retainKeys, mergeKey: entry.mergeKey ?? '' };
}

/**
 * Splits a `patchStrategy` tag value (`merge`, `retainKeys`, `merge,retainKeys`) into the
 * retainKeys flag and the other strategy, as upstream's `extractRetainKeysPatchStrategy`.
 */
export function splitPatchStrategy(tag: string): { strategy: FieldPatchMeta['strategy']; retainKeys: boolean } {
  const parts = tag.split(',').filter((p) => p !== '');
  const retainKeys = parts.includes('retainKeys');
  const other = parts.find((p) => p !== 'retainKeys');
  return { strategy: other === 'merge' || other === 'replace' ? other : '', retainKeys };
}
