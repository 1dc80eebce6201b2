/**
 * A CRD version's `selectableFields` (upstream 1.32 GA): up to 8 JSON paths to string, boolean or
 * integer fields outside metadata, which field selectors on the version's objects may name besides
 * `metadata.name` and `metadata.namespace` (`kubectl get crontabs --field-selector spec.color=red`).
 * Validation with upstream's messages, and the field-selector values (a string as is, booleans and
 * integers as text, '' when absent). Pure.
 */
import type { FieldError } from '../../../errors/index.ts';
import type { KubeObject } from '../../meta.ts';
import { duplicate, invalidValue, required, tooMany } from '../../validation/field-errors.ts';
import type { JSONSchemaProps } from '../structural/index.ts';
import { validRuleFieldPath } from '../validation-rules/rule-field-path.ts';

/** Upstream `MaxSelectableFields`. */
export const MAX_SELECTABLE_FIELDS = 8;

const SELECTABLE_TYPES = ['string', 'boolean', 'integer'];

/** Upstream `ValidateCustomResourceSelectableFields` for one version, at `path` (`spec.versions[0].selectableFields`). */
export function validateSelectableFields(fields: ReadonlyArray<{ jsonPath?: string }>, schema: JSONSchemaProps, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  fields.forEach((f, i) => {
    const at = `${path}[${i}].jsonPath`;
    if (!f.jsonPath) return void errs.push(required(at));
    const valid = validRuleFieldPath(f.jsonPath, schema, { allowArrayNotation: false });
    if (!valid.ok) return void errs.push(invalidValue(at, f.jsonPath, `is an invalid path: ${valid.error}`));
    if (valid.path.split('.')[0] === 'metadata') errs.push(invalidValue(at, f.jsonPath, 'must not point to fields in metadata'));
    if (!SELECTABLE_TYPES.includes(String(valid.schema.type))) errs.push(invalidValue(at, f.jsonPath, 'must point to a field of type string, boolean or integer. Enum string fields and strings with formats are allowed.'));
    if (seen.has(valid.path)) errs.push(duplicate(at, f.jsonPath));
    seen.add(valid.path);
  });
  if (seen.size > MAX_SELECTABLE_FIELDS) errs.push(tooMany(path, seen.size, MAX_SELECTABLE_FIELDS));
  return errs;
}

/** Field-selector label → value, one per selectable field (`.spec.color` → `spec.color`). */
export function selectableFieldExtractors(fields: ReadonlyArray<{ jsonPath?: string }>): Record<string, (obj: KubeObject) => string | undefined> {
  const out: Record<string, (obj: KubeObject) => string | undefined> = {};
  for (const { jsonPath } of fields) {
    if (!jsonPath?.startsWith('.')) continue;
    const steps = jsonPath.slice(1).split('.');
    out[steps.join('.')] = (obj) => {
      let value: unknown = obj;
      for (const s of steps) value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[s] : undefined;
      return typeof value === 'string' || typeof value === 'boolean' || typeof value === 'number' ? String(value) : undefined;
    };
  }
  return out;
}
