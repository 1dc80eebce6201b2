/**
 * Which keys of a schema node upstream's Go `JSONSchemaProps` has, and whether a key holds a
 * non-zero value there. Keys it lacks (vendor extensions other than `x-kubernetes-*`) are dropped
 * when the CRD is decoded, so the rules that compare whole nodes ignore them.
 */
import type { JSONSchemaProps } from './schema-props.ts';

const KNOWN_KEYS = [
  'id', '$schema', '$ref', 'description', 'type', 'format', 'title', 'default', 'maximum', 'exclusiveMaximum', 'minimum',
  'exclusiveMinimum', 'maxLength', 'minLength', 'pattern', 'maxItems', 'minItems', 'uniqueItems', 'multipleOf', 'enum',
  'maxProperties', 'minProperties', 'required', 'items', 'allOf', 'oneOf', 'anyOf', 'not', 'properties', 'additionalProperties',
  'patternProperties', 'dependencies', 'additionalItems', 'definitions', 'externalDocs', 'example', 'nullable',
  'x-kubernetes-preserve-unknown-fields', 'x-kubernetes-embedded-resource', 'x-kubernetes-int-or-string',
  'x-kubernetes-list-map-keys', 'x-kubernetes-list-type', 'x-kubernetes-map-type', 'x-kubernetes-validations',
] as const;

/** True when `value` is Go's zero value for a schema key (absent, false, '', null, empty list/map). */
export function isZero(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') return Object.keys(value as object).length === 0;
  return false;
}

/** Pointer-like keys: any value but absent/null counts as set (`additionalProperties: false`, `default: {}`). */
const PRESENCE_KEYS = new Set<string>(['additionalProperties', 'default', 'example', 'items', 'not']);

/** The keys of `s` that upstream knows and that are set, except those in `ignore`. */
export function setKnownKeys(s: JSONSchemaProps, ignore: readonly string[] = []): string[] {
  return KNOWN_KEYS.filter((k) => {
    if (ignore.includes(k)) return false;
    const v = s[k];
    return PRESENCE_KEYS.has(k) ? v !== undefined && v !== null : !isZero(v);
  });
}
