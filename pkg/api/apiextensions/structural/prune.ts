/**
 * Pruning of custom objects (apiserver/schema/pruning/algorithm.go and
 * defaulting/prunenulls.go): fields the schema does not specify are removed, except under
 * `x-kubernetes-preserve-unknown-fields`, and `apiVersion`/`kind`/`metadata` of the root and of
 * every `x-kubernetes-embedded-resource` are left alone. Non-nullable nulls without a default
 * are dropped afterwards, and unknown fields of embedded resources' `metadata` are dropped as
 * the ObjectMeta round trip (objectmeta/coerce.go) does.
 */
import { child, index, key } from '../../validation/field-errors.ts';
import { isJsonObject } from './json-values.ts';
import { additionalPropertiesSchema, hasDefault, propertySchema, type JSONSchemaProps } from './schema-props.ts';

const META_FIELDS = new Set(['apiVersion', 'kind', 'metadata']);

/** `metav1.ObjectMeta` JSON fields; anything else in an embedded `metadata` is unknown. */
const OBJECT_META_FIELDS = new Set([
  'name', 'generateName', 'namespace', 'selfLink', 'uid', 'resourceVersion', 'generation', 'creationTimestamp',
  'deletionTimestamp', 'deletionGracePeriodSeconds', 'labels', 'annotations', 'ownerReferences', 'finalizers', 'managedFields',
]);

function appendKey(path: string, k: string): string {
  return path ? `${path}.${k}` : k;
}

function isEmbedded(s: JSONSchemaProps | undefined): boolean {
  return s?.['x-kubernetes-embedded-resource'] === true;
}

function prune(x: unknown, s: JSONSchemaProps | undefined, path: string, removed: string[]): void {
  if (s?.['x-kubernetes-preserve-unknown-fields'] === true) {
    skipPrune(x, s, path, removed);
    return;
  }
  if (isJsonObject(x)) {
    for (const k of Object.keys(x)) {
      if (s && isEmbedded(s) && META_FIELDS.has(k)) continue;
      const prop = propertySchema(s, k);
      if (prop) prune(x[k], prop, appendKey(path, k), removed);
      else if (s && s.additionalProperties !== undefined) prune(x[k], additionalPropertiesSchema(s), appendKey(path, k), removed);
      else {
        if (!s || !META_FIELDS.has(k) || path !== '') removed.push(appendKey(path, k));
        delete x[k];
      }
    }
  } else if (Array.isArray(x)) {
    x.forEach((item, i) => prune(item, s?.items, `${path}[${i}]`, removed));
  }
}

function skipPrune(x: unknown, s: JSONSchemaProps | undefined, path: string, removed: string[]): void {
  if (!s) return;
  if (isJsonObject(x)) {
    for (const k of Object.keys(x)) {
      if (isEmbedded(s) && META_FIELDS.has(k)) continue;
      const prop = propertySchema(s, k);
      if (prop) prune(x[k], prop, appendKey(path, k), removed);
      else if (s.additionalProperties !== undefined) prune(x[k], additionalPropertiesSchema(s), appendKey(path, k), removed);
    }
  } else if (Array.isArray(x)) {
    x.forEach((item, i) => skipPrune(item, s.items, `${path}[${i}]`, removed));
  }
}

/** `PruneNonNullableNullsWithoutDefaults`: nulls the schema does not allow and cannot default. */
export function pruneNonNullableNulls(x: unknown, s: JSONSchemaProps | undefined): void {
  if (isJsonObject(x)) {
    for (const k of Object.keys(x)) {
      const fieldSchema = propertySchema(s, k) ?? additionalPropertiesSchema(s);
      if (x[k] === null && fieldSchema && fieldSchema.nullable !== true && !hasDefault(fieldSchema)) delete x[k];
      else pruneNonNullableNulls(x[k], fieldSchema);
    }
  } else if (Array.isArray(x)) {
    for (const item of x) pruneNonNullableNulls(item, s?.items);
  }
}

function isEmptyMetaValue(k: string, v: unknown): boolean {
  if (v === null || v === '') return true;
  if (k === 'generation' && v === 0) return true;
  if (Array.isArray(v)) return v.length === 0;
  return isJsonObject(v) && Object.keys(v).length === 0;
}

/** Drops unknown and empty fields of nested embedded resources' `metadata`; returns the unknown ones. */
function coerceEmbeddedMetadata(x: unknown, s: JSONSchemaProps | undefined, path: string, isRoot: boolean, removed: string[]): void {
  if (!s) return;
  if (isJsonObject(x)) {
    const meta = x.metadata;
    if (!isRoot && isEmbedded(s) && isJsonObject(meta)) {
      for (const k of Object.keys(meta)) {
        if (!OBJECT_META_FIELDS.has(k)) removed.push(`${child(path, 'metadata')}.${k}`);
        if (!OBJECT_META_FIELDS.has(k) || isEmptyMetaValue(k, meta[k])) delete meta[k];
      }
    }
    for (const k of Object.keys(x)) {
      const prop = propertySchema(s, k);
      if (prop) coerceEmbeddedMetadata(x[k], prop, child(path, k), false, removed);
      else if (s.additionalProperties !== undefined) coerceEmbeddedMetadata(x[k], additionalPropertiesSchema(s), key(path, k), false, removed);
    }
  } else if (Array.isArray(x)) {
    x.forEach((item, i) => coerceEmbeddedMetadata(item, s.items, index(path, i), false, removed));
  }
}

/** Prunes a default value (or any value) against the node it belongs to; returns it. */
export function pruneValue<T>(value: T, s: JSONSchemaProps): T {
  prune(value, s, '', []);
  return value;
}

/**
 * Removes fields the schema does not specify (unless preserve-unknown-fields / embedded metadata
 * rules), in place; returns the removed field paths (e.g. `spec.foo`, sorted) for the server's
 * unknown-field warnings / fieldValidation=Strict. `metadata`, `apiVersion`, `kind` at the root
 * are kept (the root's metadata is the server's business). Also drops non-nullable nulls that
 * have no default, as upstream does right after pruning (not reported).
 */
export function pruneUnknownFields(obj: Record<string, unknown>, schema: JSONSchemaProps): string[] {
  const removed: string[] = [];
  prune(obj, { ...schema, 'x-kubernetes-embedded-resource': true }, '', removed);
  removed.sort();
  pruneNonNullableNulls(obj, schema);
  const metaRemoved: string[] = [];
  coerceEmbeddedMetadata(obj, schema, '', true, metaRemoved);
  metaRemoved.sort();
  return [...removed, ...metaRemoved];
}
