/**
 * Label and field selectors shared by the API server, clients, informers and controllers.
 * Every function is pure; parse failures throw {@link SelectorParseError} carrying upstream's
 * message (the API server returns it as a 400 BadRequest).
 */
export { SelectorParseError } from './errors.ts';
export {
  LABEL_OPERATORS,
  newRequirement,
  requirementMatches,
  requirementToString,
  validateRequirement,
  type LabelOperator,
  type LabelRequirement,
  type Labels,
} from './requirement.ts';
export { everything, fromLabelSelector, nothing, parseLabelSelector, selectorFromSet, type LabelSelectorMatcher } from './labels.ts';
export {
  escapeFieldValue,
  fieldSelectorFromSet,
  parseFieldSelector,
  unescapeFieldValue,
  type FieldGetter,
  type FieldRequirement,
  type FieldSelectorMatcher,
} from './fields.ts';
