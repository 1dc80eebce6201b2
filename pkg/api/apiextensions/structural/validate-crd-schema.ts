/**
 * Validation of a v1 CRD version's `openAPIV3Schema` (pkg/apis/apiextensions/validation
 * `validateCustomResourceDefinitionValidation` with structural schemas required): nullable root,
 * the structural rules (or, when those pass, the defaults), then the per-node OpenAPI rules;
 * conversion problems of the structural schema only when nothing else was reported.
 * The x-kubernetes-validations (CEL) checks come last. Not covered: the status-subresource root
 * restrictions and the rules' cost estimates.
 */
import type { FieldError } from '../../../errors/index.ts';
import { validateDefaults } from './default-validation.ts';
import { child, fieldForbidden, fieldInvalid } from './field-errors.ts';
import { isZero } from './known-fields.ts';
import { validateOpenAPISchemaRules } from './openapi-schema-rules.ts';
import { additionalPropertiesSchema, type JSONSchemaProps } from './schema-props.ts';
import { validateStructural } from './structural-invariants.ts';
import { validateRuleDefinitions } from '../validation-rules/rule-definitions.ts';

/** Why upstream's `NewStructural` would refuse the schema (first problem found), if it would. */
function structuralConversionError(s: JSONSchemaProps): string | undefined {
  if (s.id) return "OpenAPIV3Schema 'id' is not supported";
  if (s.$schema) return "OpenAPIV3Schema 'schema' is not supported";
  if (s.$ref) return "OpenAPIV3Schema '$ref' is not supported";
  if (!isZero(s.patternProperties)) return "OpenAPIV3Schema 'patternProperties' is not supported";
  if (!isZero(s.dependencies)) return "OpenAPIV3Schema 'dependencies' is not supported";
  if (s.additionalItems !== undefined && s.additionalItems !== null) return "OpenAPIV3Schema 'additionalItems' is not supported";
  if (!isZero(s.definitions)) return "OpenAPIV3Schema 'definitions' is not supported";
  const nested = [s.not, ...(s.allOf ?? []), ...(s.anyOf ?? []), ...(s.oneOf ?? [])];
  for (const sub of nested) {
    const err = sub && structuralConversionError(sub);
    if (err) return err;
  }
  if (s['x-kubernetes-preserve-unknown-fields'] === false) return "internal error: 'x-kubernetes-preserve-unknown-fields' must be true or undefined";
  if (Array.isArray(s.items)) return "OpenAPIV3Schema 'items' must be a schema, but is an array";
  const children = [s.items, ...Object.values(s.properties ?? {}), additionalPropertiesSchema(s)];
  for (const sub of children) {
    const err = sub && structuralConversionError(sub);
    if (err) return err;
  }
  return undefined;
}

/**
 * Errors making a CRD schema non-structural or invalid (upstream apiextensions validation
 * messages, paths under `basePath`, e.g. `spec.versions[0].schema.openAPIV3Schema`).
 */
export function validateCrdSchema(schema: JSONSchemaProps, basePath: string): FieldError[] {
  const errs: FieldError[] = [];
  if (schema.nullable) errs.push(fieldForbidden(child(basePath, 'nullable'), 'nullable cannot be true at the root'));
  const conversionError = structuralConversionError(schema);
  if (conversionError === undefined) {
    const structuralErrs = validateStructural(schema, basePath);
    errs.push(...(structuralErrs.length > 0 ? structuralErrs : validateDefaults(schema, basePath)));
  }
  errs.push(...validateOpenAPISchemaRules(schema, basePath));
  if (errs.length === 0 && conversionError !== undefined) errs.push(fieldInvalid(basePath, '', conversionError));
  errs.push(...validateRuleDefinitions(schema, basePath, errs.length === 0));
  return errs;
}
