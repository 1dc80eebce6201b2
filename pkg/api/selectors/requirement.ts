/**
 * One label selector requirement (upstream `labels.Requirement`): construction with upstream
 * validation, matching and the canonical string form.
 */
import type { FieldError } from '../../errors/index.ts';
import { invalidStringSlice } from '../validation/common-rules.ts';
import { invalidValue, notSupported } from '../validation/field-errors.ts';
import { isQualifiedName, isValidLabelValue } from '../validation/names.ts';
import { aggregateText, SelectorParseError } from './errors.ts';

/** Upstream `selection.Operator` values. `=`/`==` and `in` behave alike, as do `!=` and `notin`. */
export type LabelOperator = 'in' | 'notin' | '=' | '==' | '!=' | 'exists' | '!' | 'gt' | 'lt';

export const LABEL_OPERATORS: readonly LabelOperator[] = ['in', 'notin', '=', '==', '!=', 'exists', '!', 'gt', 'lt'];

/** A validated requirement. `values` is as given (the parser hands them sorted and unique). */
export interface LabelRequirement {
  readonly key: string;
  readonly operator: LabelOperator;
  readonly values: readonly string[];
}

/** Label sets as found on objects; `undefined` is the empty set. */
export type Labels = Readonly<Record<string, string>> | undefined;

const INT_RE = /^[+-]?\d+$/;

function isInt64(text: string): boolean {
  if (!INT_RE.test(text)) return false;
  const n = BigInt(text);
  return n >= -(2n ** 63n) && n < 2n ** 63n;
}

/** Validation problems of a label key, with the key's path (`''` means upstream's nil path). */
export function validateLabelKey(key: string, path: string): FieldError[] {
  const errs = isQualifiedName(key);
  return errs.length ? [invalidValue(path, key, errs.join('; '))] : [];
}

function child(path: string, name: string): string {
  return path ? `${path}.${name}` : name;
}

/** Field errors for a requirement (upstream `labels.NewRequirement` rules); `[]` when valid. */
export function validateRequirement(key: string, operator: string, values: readonly string[] | undefined, path = ''): FieldError[] {
  const errs: FieldError[] = [...validateLabelKey(key, child(path, 'key'))];
  const vals = values ?? [];
  const valuesPath = child(path, 'values');
  switch (operator) {
    case 'in':
    case 'notin':
      if (vals.length === 0) errs.push(invalidStringSlice(valuesPath, values, `for 'in', 'notin' operators, values set can't be empty`));
      break;
    case '=':
    case '==':
    case '!=':
      if (vals.length !== 1) errs.push(invalidStringSlice(valuesPath, values, `exact-match compatibility requires one single value`));
      break;
    case 'exists':
    case '!':
      if (vals.length !== 0) errs.push(invalidStringSlice(valuesPath, values, `values set must be empty for exists and does not exist`));
      break;
    case 'gt':
    case 'lt':
      if (vals.length !== 1) errs.push(invalidStringSlice(valuesPath, values, `for 'Gt', 'Lt' operators, exactly one value is required`));
      vals.forEach((v, i) => {
        if (!isInt64(v)) errs.push(invalidValue(`${valuesPath}[${i}]`, v, "for 'Gt', 'Lt' operators, the value must be an integer"));
      });
      break;
    default:
      errs.push(notSupported(child(path, 'operator'), operator, LABEL_OPERATORS));
  }
  vals.forEach((v, i) => {
    const problems = isValidLabelValue(v);
    if (problems.length) errs.push(invalidValue(`${valuesPath}[${i}][${key}]`, v, problems.join('; ')));
  });
  return errs;
}

/**
 * Builds a requirement, throwing {@link SelectorParseError} with upstream's aggregated message
 * when it is invalid (bad key, wrong value count, bad value, unknown operator).
 */
export function newRequirement(key: string, operator: LabelOperator, values: readonly string[] | undefined, path = ''): LabelRequirement {
  const errs = validateRequirement(key, operator, values, path);
  if (errs.length) throw new SelectorParseError(aggregateText(errs), errs);
  return Object.freeze({ key, operator, values: Object.freeze([...(values ?? [])]) });
}

/** Upstream `Requirement.Matches`. */
export function requirementMatches(req: LabelRequirement, labels: Labels): boolean {
  const has = labels !== undefined && Object.hasOwn(labels, req.key);
  const value = has ? labels[req.key] : '';
  switch (req.operator) {
    case 'in':
    case '=':
    case '==':
      return has && req.values.includes(value);
    case 'notin':
    case '!=':
      return !has || !req.values.includes(value);
    case 'exists':
      return has;
    case '!':
      return !has;
    case 'gt':
    case 'lt': {
      if (!has || !isInt64(value) || req.values.length !== 1 || !isInt64(req.values[0])) return false;
      const l = BigInt(value);
      const r = BigInt(req.values[0]);
      return req.operator === 'gt' ? l > r : l < r;
    }
  }
}

const OPERATOR_TEXT: Record<LabelOperator, string> = {
  '=': '=',
  '==': '==',
  '!=': '!=',
  in: ' in ',
  notin: ' notin ',
  gt: '>',
  lt: '<',
  exists: '',
  '!': '',
};

/** Upstream `Requirement.String()`: `!k`, `k`, `k=v`, `k in (a,b)` (values sorted). */
export function requirementToString(req: LabelRequirement): string {
  if (req.operator === 'exists') return req.key;
  if (req.operator === '!') return `!${req.key}`;
  const values = req.values.length === 1 ? req.values[0] : [...req.values].sort().join(',');
  const body = req.operator === 'in' || req.operator === 'notin' ? `(${values})` : values;
  return `${req.key}${OPERATOR_TEXT[req.operator]}${body}`;
}
