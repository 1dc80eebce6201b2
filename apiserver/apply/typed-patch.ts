/**
 * What structured-merge-diff's typed conversion of an applied configuration refuses, whatever
 * `fieldValidation` says (server-side apply is always strict about its schema): fields the schema
 * does not declare (`.spec.replica: field not declared in schema`) and associative lists repeating
 * a key (`.spec.template.spec.containers[name="app"].env: duplicate entries for key
 * [name="MODE"]`, met by Helm 4, which applies server-side). Paths are upstream's: list-map items
 * by their keys, set items by value, other items by index. Pure.
 */
import type { PatchMeta } from '../../pkg/api/resource.ts';
import { formatPath, itemKey } from './field-set.ts';
import { listTypeAt } from './list-types.ts';
import { isObject, type JsonObject as Json } from '../patch/json-value.ts';

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

/**
 * A field's path (member names and item indexes in `root`) as structured-merge-diff prints it:
 * `spec.containers[0].foo` of a Pod is `.spec.containers[name="c"].foo`.
 */
export function typedPath(root: Json, path: ReadonlyArray<string | number>, meta: PatchMeta): string {
  const fields: string[] = [];
  const shown: string[] = [];
  let node: unknown = root;
  for (const seg of path) {
    if (typeof seg === 'string') {
      fields.push(seg);
      shown.push(`f:${seg}`);
      node = isObject(node) ? node[seg] : undefined;
      continue;
    }
    const item: unknown = Array.isArray(node) ? node[seg] : undefined;
    const type = listTypeAt(meta, fields.join('.'));
    if (type.type === 'map' && isObject(item)) shown.push(itemKey(item, type.keys));
    else if (type.type === 'set') shown.push(`v:${JSON.stringify(item)}`);
    else shown.push(`i:${seg}`);
    fields[fields.length - 1] = `${fields[fields.length - 1]}[]`;
    node = item;
  }
  return formatPath(shown);
}

/** structured-merge-diff's `ValidationErrors` text: one error as it is, several under `errors:`. */
export function validationErrorsText(errors: readonly string[]): string {
  return errors.length === 1 ? (errors[0] as string) : ['errors:', ...errors.map((e) => `  ${e}`)].join('\n');
}
