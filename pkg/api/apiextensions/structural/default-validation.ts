/**
 * `ValidateDefaults` (apiserver/schema/defaulting/validation.go): every `default` must be free of
 * fields pruning would drop ("must not have unknown fields"), must satisfy embedded-resource
 * type meta, and must validate against its own node. Defaults under additionalProperties are
 * not visited (they are forbidden in metadata and never reached upstream). Defaults inside
 * metadata are only schema-validated here; upstream also checks them as ObjectMeta.
 */
import type { FieldError } from '../../../errors/index.ts';
import { child, fieldInvalid, propertiesKey } from './field-errors.ts';
import { validateEmbeddedResources } from './embedded-resources.ts';
import { jsonEqual } from '../../../util/json-equal.ts';
import { copyJson } from '../../../util/json-copy.ts';
import { validateSchema } from './openapi-validator.ts';
import { pruneValue } from './prune.ts';
import { hasDefault, type JSONSchemaProps } from './schema-props.ts';
import { toFieldErrors } from './to-field-errors.ts';

const META_FIELDS = new Set(['metadata', 'apiVersion', 'kind']);

function defaultErrors(s: JSONSchemaProps & { default: unknown }, path: string, insideMeta: boolean): FieldError[] {
  const defaultPath = child(path, 'default');
  const schemaErrors = (): FieldError[] => toFieldErrors(defaultPath, validateSchema(s, s.default, '', { customResource: false }).errors);
  if (insideMeta) return schemaErrors();
  const errs: FieldError[] = [];
  if (!jsonEqual(pruneValue(copyJson(s.default), s), s.default)) errs.push(fieldInvalid(defaultPath, s.default, 'must not have unknown fields'));
  const embedded = s['x-kubernetes-embedded-resource'] === true;
  const metaErrors = validateEmbeddedResources(s.default, s, defaultPath, !embedded);
  errs.push(...(metaErrors.length > 0 ? metaErrors : schemaErrors()));
  return errs;
}

function validateNodeDefaults(s: JSONSchemaProps, path: string, insideMeta: boolean): FieldError[] {
  const embedded = s['x-kubernetes-embedded-resource'] === true;
  const inMeta = embedded ? false : insideMeta;
  const errs: FieldError[] = hasDefault(s) ? defaultErrors(s, path, inMeta) : [];
  if (s.items && !Array.isArray(s.items)) errs.push(...validateNodeDefaults(s.items, child(path, 'items'), inMeta));
  for (const [k, prop] of Object.entries(s.properties ?? {})) {
    errs.push(...validateNodeDefaults(prop, propertiesKey(path, k), inMeta || (embedded && META_FIELDS.has(k))));
  }
  return errs;
}

/** Errors of the defaults in a structural schema whose root is a resource root, under `path`. */
export function validateDefaults(schema: JSONSchemaProps, path: string): FieldError[] {
  return validateNodeDefaults({ ...schema, 'x-kubernetes-embedded-resource': true }, path, false);
}
