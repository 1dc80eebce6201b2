/**
 * Strategic-merge and list-type hints from each kind's `patchMeta`, written onto the schema
 * nodes kubectl reads them from: the property node itself (`x-kubernetes-patch-strategy`,
 * `x-kubernetes-patch-merge-key`, `x-kubernetes-list-type`), which for a field inside a shared
 * definition (`PodSpec.containers`) is that definition's node. kubectl's patchers read the hints
 * on the property before following its `$ref`, so following references on the way down and
 * annotating the property where it lives is what makes `spec.template.spec.containers` merge by
 * name in a Deployment.
 */
import type { PatchMeta, ResourceInfo } from '../../pkg/api/resource.ts';
import { definitionName, isObject, V3_REF_PREFIX, type Json } from './kind-schemas.ts';

/** The schema a node stands for: the definition behind `$ref` or a one-element `allOf`, else the node. */
export function resolveNode(node: Json, schemas: Readonly<Record<string, Json>>): Json | undefined {
  const allOf = Array.isArray(node.allOf) && node.allOf.length === 1 && isObject(node.allOf[0]) ? node.allOf[0] : undefined;
  const ref = typeof node.$ref === 'string' ? node.$ref : typeof allOf?.$ref === 'string' ? allOf.$ref : undefined;
  if (ref === undefined) return node;
  return ref.startsWith(V3_REF_PREFIX) ? schemas[ref.slice(V3_REF_PREFIX.length)] : undefined;
}

/** Follows a patchMeta path (`spec.template.spec.containers[].ports`) to the node holding its hints. */
function nodeAt(root: Json, path: string, schemas: Readonly<Record<string, Json>>): Json | undefined {
  let node: Json | undefined = root;
  for (const part of path.split('.')) {
    const isItem = part.endsWith('[]');
    const name = isItem ? part.slice(0, -2) : part;
    const resolved: Json | undefined = node && resolveNode(node, schemas);
    const props: Json | undefined = resolved && isObject(resolved.properties) ? resolved.properties : undefined;
    node = props && isObject(props[name]) ? props[name] : undefined;
    if (isItem) {
      const list: Json | undefined = node && resolveNode(node, schemas);
      node = list && isObject(list.items) ? list.items : undefined;
    }
    if (!node) return undefined;
  }
  return node;
}

function hints(node: Json, meta: PatchMeta[string], schemas: Readonly<Record<string, Json>>): Json {
  const out: Json = { 'x-kubernetes-patch-strategy': meta.strategy };
  if (meta.mergeKey) {
    out['x-kubernetes-patch-merge-key'] = meta.mergeKey;
    out['x-kubernetes-list-type'] = 'map';
    out['x-kubernetes-list-map-keys'] = [meta.mergeKey];
  } else if (meta.strategy.includes('merge') && resolveNode(node, schemas)?.type === 'array') {
    out['x-kubernetes-list-type'] = 'set';
  }
  return out;
}

/**
 * Writes every kind's patch hints into `schemas` (kind roots and named definitions, by name),
 * in place. A node shared by several kinds gets the hints of the first kind that names it; a
 * later kind asking for different hints on the same node does not change it, and is reported
 * (`"<Kind> <path>"`) so a test can hold the built-in kinds to one reading per definition.
 * Returns those conflicts; empty when every kind agrees.
 */
export function annotatePatchHints(schemas: Record<string, Json>, infos: readonly ResourceInfo[]): string[] {
  const applied = new Map<Json, string>();
  const conflicts: string[] = [];
  for (const info of infos) {
    const root = schemas[definitionName(info)];
    if (!root) continue;
    for (const [path, meta] of Object.entries(info.patchMeta)) {
      const node = nodeAt(root, path, schemas);
      if (!node) continue;
      const wanted = hints(node, meta, schemas);
      const signature = JSON.stringify(wanted);
      const previous = applied.get(node);
      if (previous === undefined) {
        Object.assign(node, wanted);
        applied.set(node, signature);
      } else if (previous !== signature) {
        conflicts.push(`${info.kind} ${path}`);
      }
    }
  }
  return conflicts;
}
