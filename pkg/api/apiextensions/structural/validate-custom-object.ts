/**
 * Validation of custom objects against their CRD version's schema, as the custom resource
 * strategy does it: `ValidateCustomResource(nil, obj, schemaValidator)` followed by the
 * embedded-resource type-meta checks.
 */
import type { FieldError } from '../../../errors/index.ts';
import { validateEmbeddedResources } from './embedded-resources.ts';
import { validateSchema } from './openapi-validator.ts';
import type { JSONSchemaProps } from './schema-props.ts';
import { toFieldErrors } from './to-field-errors.ts';

/**
 * Validates any JSON value against a schema node the way the custom resource validator does,
 * reporting paths under `fieldPath` (`null` for the object root, e.g. `status` when the status
 * subresource validates `obj.status` against `properties.status`). Errors that carry no data
 * path (anyOf/oneOf/allOf/not, numeric range checks) get the field `fieldPath` or `<nil>`.
 */
export function validateValueAgainstSchema(value: unknown, schema: JSONSchemaProps, fieldPath: string | null): FieldError[] {
  return toFieldErrors(fieldPath, validateSchema(schema, value, '', { customResource: true }).errors);
}

/** Validates a custom object against the schema; FieldErrors with upstream paths and messages. */
export function validateCustomObject(obj: Record<string, unknown>, schema: JSONSchemaProps): FieldError[] {
  return [...validateValueAgainstSchema(obj, schema, null), ...validateEmbeddedResources(obj, schema)];
}
