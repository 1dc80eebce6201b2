/**
 * CRD validation rules (`x-kubernetes-validations`, CEL): checking their definitions when a CRD
 * is written, and running them on custom objects.
 */
export { validateRuleDefinitions, goValidationRule } from './rule-definitions.ts';
export { validateCustomObjectRules, hasValidationRules } from './evaluate-rules.ts';
export { validRuleFieldPath } from './rule-field-path.ts';
