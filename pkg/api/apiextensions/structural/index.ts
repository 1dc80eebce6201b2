/**
 * Structural schemas of CustomResourceDefinitions: validating a CRD's `openAPIV3Schema`, and
 * pruning, defaulting and validating custom objects against it, with upstream
 * apiextensions-apiserver semantics and messages.
 *
 * Typical server flow for a write: `pruneUnknownFields` (warn/reject on the returned paths),
 * `applySchemaDefaults`, then `validateCustomObject`.
 */
export { type JSONSchemaProps, JSONSchemaPropsSchema } from './schema-props.ts';
export { validateCrdSchema } from './validate-crd-schema.ts';
export { pruneUnknownFields } from './prune.ts';
export { applySchemaDefaults } from './defaulting.ts';
export { validateCustomObject, validateValueAgainstSchema } from './validate-custom-object.ts';
