/**
 * The `openAPIV3Schema` of a CustomResourceDefinition version, as written in the CRD
 * (the subset of upstream `apiextensions/v1.JSONSchemaProps` that k8ts supports).
 * Unknown keys (`x-kubernetes-validations`, `title`, `example`, `$ref`, …) pass through so the
 * schema rules can report them with upstream messages.
 */
import { z } from 'zod';

/** openAPIV3Schema as written in a CRD (recursive JSONSchemaProps subset upstream supports). */
export type JSONSchemaProps = {
  type?: string;
  format?: string;
  description?: string;
  properties?: Record<string, JSONSchemaProps>;
  items?: JSONSchemaProps;
  additionalProperties?: JSONSchemaProps | boolean;
  required?: string[];
  enum?: unknown[];
  pattern?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean;
  exclusiveMaximum?: boolean;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  multipleOf?: number;
  minProperties?: number;
  maxProperties?: number;
  nullable?: boolean;
  default?: unknown;
  /** Value validation only: a structural schema may not declare types or defaults here. */
  allOf?: JSONSchemaProps[];
  /** Value validation only. */
  anyOf?: JSONSchemaProps[];
  /** Value validation only. */
  oneOf?: JSONSchemaProps[];
  /** Value validation only. */
  not?: JSONSchemaProps;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  'x-kubernetes-list-type'?: string;
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-map-type'?: string;
  'x-kubernetes-validations'?: ValidationRule[];
  [k: string]: unknown;
};

/** One `x-kubernetes-validations` entry: a CEL rule over `self` (and `oldSelf` for transition rules). */
export interface ValidationRule {
  rule?: string;
  message?: string;
  messageExpression?: string;
  /** FieldValueInvalid (default), FieldValueForbidden, FieldValueRequired or FieldValueDuplicate. */
  reason?: string;
  /** A JSON path below the node the error is reported at, e.g. `.spec.replicas`. */
  fieldPath?: string;
  optionalOldSelf?: boolean;
}

const ValidationRuleSchema = z.looseObject({
  rule: z.string().optional(),
  message: z.string().optional(),
  messageExpression: z.string().optional(),
  reason: z.string().optional(),
  fieldPath: z.string().optional(),
  optionalOldSelf: z.boolean().optional(),
});

/**
 * Zod schema for {@link JSONSchemaProps}: recursive, and keeps unknown keys (`x-…` extensions and
 * anything else) so `validateCrdSchema` can see them. `items` must be a single schema.
 */
export const JSONSchemaPropsSchema: z.ZodType<JSONSchemaProps> = z.lazy(() =>
  z.looseObject({
    type: z.string().optional(),
    format: z.string().optional(),
    description: z.string().optional(),
    properties: z.record(z.string(), JSONSchemaPropsSchema).optional(),
    items: JSONSchemaPropsSchema.optional(),
    additionalProperties: z.union([z.boolean(), JSONSchemaPropsSchema]).optional(),
    required: z.array(z.string()).optional(),
    enum: z.array(z.unknown()).optional(),
    pattern: z.string().optional(),
    minimum: z.number().optional(),
    maximum: z.number().optional(),
    exclusiveMinimum: z.boolean().optional(),
    exclusiveMaximum: z.boolean().optional(),
    minLength: z.number().int().optional(),
    maxLength: z.number().int().optional(),
    minItems: z.number().int().optional(),
    maxItems: z.number().int().optional(),
    uniqueItems: z.boolean().optional(),
    multipleOf: z.number().optional(),
    minProperties: z.number().int().optional(),
    maxProperties: z.number().int().optional(),
    nullable: z.boolean().optional(),
    default: z.unknown().optional(),
    allOf: z.array(JSONSchemaPropsSchema).optional(),
    anyOf: z.array(JSONSchemaPropsSchema).optional(),
    oneOf: z.array(JSONSchemaPropsSchema).optional(),
    not: JSONSchemaPropsSchema.optional(),
    'x-kubernetes-preserve-unknown-fields': z.boolean().optional(),
    'x-kubernetes-int-or-string': z.boolean().optional(),
    'x-kubernetes-embedded-resource': z.boolean().optional(),
    'x-kubernetes-list-type': z.string().optional(),
    'x-kubernetes-list-map-keys': z.array(z.string()).optional(),
    'x-kubernetes-map-type': z.string().optional(),
    'x-kubernetes-validations': z.array(ValidationRuleSchema).optional(),
  }),
);

/** True when the node carries a default (upstream treats `default: null` as no default). */
export function hasDefault(s: JSONSchemaProps | undefined): s is JSONSchemaProps & { default: unknown } {
  return s !== undefined && s.default !== undefined && s.default !== null;
}

/** The schema of `additionalProperties`, or undefined for `true`/`false`/absent. */
export function additionalPropertiesSchema(s: JSONSchemaProps | undefined): JSONSchemaProps | undefined {
  const ap = s?.additionalProperties;
  return ap !== undefined && typeof ap === 'object' ? ap : undefined;
}

/** Own-property lookup in `properties` (never inherited keys such as `constructor`). */
export function propertySchema(s: JSONSchemaProps | undefined, name: string): JSONSchemaProps | undefined {
  const props = s?.properties;
  return props && Object.prototype.hasOwnProperty.call(props, name) ? props[name] : undefined;
}
