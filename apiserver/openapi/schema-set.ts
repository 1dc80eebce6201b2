/**
 * The schemas every OpenAPI document is cut from: each served kind's root schema (with its
 * group-version-kind and patch hints) and the named definitions they reference, all under their
 * upstream names, built once per registry state. A group version's v3 document takes its kinds
 * and everything they reference, transitively (`referencedNames`); the Swagger 2.0 document
 * takes all of them in their v2 form (`swagger-form.ts`).
 */
import type { ResourceInfo } from '../../pkg/api/resource.ts';
import { copyJson } from '../../pkg/util/json-copy.ts';
import { convertedKind, definitionName, isObject, V3_REF_PREFIX, type Json } from './kind-schemas.ts';
import { annotatePatchHints } from './patch-hints.ts';
import { applyUpstreamFacts } from './upstream-facts.ts';

/** OpenAPI 3.0 schemas by definition name, and the patch-hint conflicts met while annotating them. */
export interface OpenApiSchemas {
  readonly schemas: Readonly<Record<string, Json>>;
  /** `"<Kind> <path>"` of each patchMeta entry that disagreed with another kind's on a shared node. */
  readonly conflicts: readonly string[];
}

/**
 * Builds the schemas of `infos` (pure: the memoised conversions are copied, never changed, so a
 * later call for another registry state starts from clean definitions). A kind's root wins over
 * a definition of the same name. Built-in schemas carry upstream's `required` and `enum`
 * (`upstream-facts.ts`); a custom resource's root keeps its CRD's.
 */
export function openApiSchemas(infos: readonly ResourceInfo[]): OpenApiSchemas {
  const schemas: Record<string, Json> = {};
  for (const info of infos) {
    for (const [name, schema] of Object.entries(convertedKind(info).definitions)) schemas[name] ??= copyJson(schema);
  }
  for (const info of infos) schemas[definitionName(info)] = copyJson(convertedKind(info).root);
  const customRoots = new Set(infos.filter((i) => i.customResource).map(definitionName));
  applyUpstreamFacts(schemas, Object.keys(schemas).filter((name) => !customRoots.has(name)));
  const conflicts = annotatePatchHints(schemas, infos);
  for (const info of infos) {
    const root = schemas[definitionName(info)];
    root['x-kubernetes-group-version-kind'] = [{ group: info.group, kind: info.kind, version: info.version }];
    root.description ??= `${info.kind} (${info.group ? `${info.group}/` : ''}${info.version}).`;
  }
  return { schemas, conflicts };
}

function collectRefs(node: unknown, into: string[]): void {
  if (Array.isArray(node)) for (const item of node) collectRefs(item, into);
  else if (isObject(node)) {
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string' && v.startsWith(V3_REF_PREFIX)) into.push(v.slice(V3_REF_PREFIX.length));
      else collectRefs(v, into);
    }
  }
}

/**
 * `names` and every definition they reference, transitively, in first-reached order. A
 * reference to a name missing from `schemas` is kept (and shows as dangling in the document).
 */
export function referencedNames(schemas: Readonly<Record<string, Json>>, names: readonly string[]): string[] {
  const seen = new Set<string>();
  const queue = [...names];
  while (queue.length > 0) {
    const name = queue.shift()!;
    if (seen.has(name)) continue;
    seen.add(name);
    const found: string[] = [];
    collectRefs(schemas[name], found);
    queue.push(...found);
  }
  return [...seen];
}
