/**
 * Structural defaulting (apiserver/schema/defaulting/algorithm.go): a property's `default` is set
 * when the property is absent or a non-nullable null; null array items and null
 * additionalProperties values get the items/values default. Defaults are pruned against their
 * schema node first (as `PruneDefaults` does when the CRD is loaded) and deep-copied.
 */
import { isJsonObject } from './json-values.ts';
import { copyJson } from '../../../util/json-copy.ts';
import { pruneValue } from './prune.ts';
import { additionalPropertiesSchema, hasDefault, propertySchema, type JSONSchemaProps } from './schema-props.ts';

function isNonNullableNull(x: unknown, s: JSONSchemaProps | undefined): s is JSONSchemaProps {
  return x === null && s !== undefined && s.nullable !== true;
}

/** A fresh, pruned copy of a node's default (undefined when it has none). */
function defaultOf(s: JSONSchemaProps): unknown {
  return hasDefault(s) ? pruneValue(copyJson(s.default), s) : undefined;
}

function applyDefaults(x: unknown, s: JSONSchemaProps | undefined): void {
  if (!s) return;
  if (isJsonObject(x)) {
    for (const [k, prop] of Object.entries(s.properties ?? {})) {
      if (!hasDefault(prop)) continue;
      if (!Object.prototype.hasOwnProperty.call(x, k) || isNonNullableNull(x[k], prop)) x[k] = defaultOf(prop);
    }
    const additional = additionalPropertiesSchema(s);
    for (const k of Object.keys(x)) {
      const prop = propertySchema(s, k);
      if (prop) applyDefaults(x[k], prop);
      else if (s.additionalProperties !== undefined) {
        if (isNonNullableNull(x[k], additional) && hasDefault(additional)) x[k] = defaultOf(additional);
        applyDefaults(x[k], additional);
      }
    }
  } else if (Array.isArray(x)) {
    for (let i = 0; i < x.length; i++) {
      if (isNonNullableNull(x[i], s.items) && hasDefault(s.items)) x[i] = defaultOf(s.items);
      applyDefaults(x[i], s.items);
    }
  }
}

/**
 * Applies `default`s in place (upstream structural defaulting: a default applies when the field
 * is absent, also inside array items and additionalProperties values; defaults are pruned too).
 * Nested defaults inside an applied default are applied as well, since the walk continues into
 * the value just set.
 */
export function applySchemaDefaults(obj: Record<string, unknown>, schema: JSONSchemaProps): void {
  applyDefaults(obj, schema);
}
