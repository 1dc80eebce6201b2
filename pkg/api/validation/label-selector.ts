/**
 * Upstream `metav1validation.ValidateLabelSelector` (apimachinery/pkg/apis/meta/v1/validation):
 * field errors of a `metav1.LabelSelector` written in an object (matchLabels keys and values,
 * each matchExpressions requirement's operator, key and values).
 */
import type { FieldError } from '../../errors/index.ts';
import type { LabelSelector } from '../meta.ts';
import { child, forbidden, index, invalidValue, required } from './field-errors.ts';
import { isQualifiedName, isValidLabelValue } from './names.ts';

export interface LabelSelectorValidationOptions {
  /**
   * Skip the label-value check of matchExpressions values: upstream allows it on update when the
   * stored object already held such a value (backwards compatibility with existing data).
   */
  allowInvalidLabelValueInSelector?: boolean;
}

/** Upstream `ValidateLabelName`: the key is a qualified name. */
function validateLabelName(name: string, path: string): FieldError[] {
  return isQualifiedName(name).map((msg) => invalidValue(path, name, msg));
}

/**
 * Upstream `metav1validation.ValidateLabels` (the selector's `matchLabels`): key errors and value
 * errors are both reported at `path` itself, without the key.
 */
function validateMatchLabels(labels: Record<string, string> | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(labels ?? {})) {
    errs.push(...validateLabelName(k, path));
    for (const msg of isValidLabelValue(v)) errs.push(invalidValue(path, v, msg));
  }
  return errs;
}

/** Upstream `ValidateLabelSelectorRequirement`. */
function validateRequirement(req: NonNullable<LabelSelector['matchExpressions']>[number], options: LabelSelectorValidationOptions, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const values = req.values ?? [];
  switch (req.operator) {
    case 'In':
    case 'NotIn':
      if (values.length === 0) errs.push(required(child(path, 'values'), "must be specified when `operator` is 'In' or 'NotIn'"));
      break;
    case 'Exists':
    case 'DoesNotExist':
      if (values.length > 0) errs.push(forbidden(child(path, 'values'), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
      break;
    default:
      errs.push(invalidValue(child(path, 'operator'), req.operator, 'not a valid selector operator'));
  }
  errs.push(...validateLabelName(req.key, child(path, 'key')));
  if (!options.allowInvalidLabelValueInSelector) {
    values.forEach((value, i) => {
      for (const msg of isValidLabelValue(value)) errs.push(invalidValue(index(child(path, 'values'), i), value, msg));
    });
  }
  return errs;
}

/** Field errors of `selector` at `path` (none for an absent selector). Pure. */
export function validateLabelSelector(selector: LabelSelector | undefined, path: string, options: LabelSelectorValidationOptions = {}): FieldError[] {
  if (!selector) return [];
  const errs = validateMatchLabels(selector.matchLabels, child(path, 'matchLabels'));
  (selector.matchExpressions ?? []).forEach((req, i) => errs.push(...validateRequirement(req, options, index(child(path, 'matchExpressions'), i))));
  return errs;
}

/** Upstream `LabelSelectorHasInvalidLabelValue`: some matchExpressions value is not a valid label value. */
export function labelSelectorHasInvalidLabelValue(selector: LabelSelector | undefined): boolean {
  return (selector?.matchExpressions ?? []).some((req) => (req.values ?? []).some((v) => isValidLabelValue(v).length > 0));
}
