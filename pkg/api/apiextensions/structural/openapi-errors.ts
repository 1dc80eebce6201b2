/**
 * The errors kube-openapi's schema validator produces (k8s.io/kube-openapi/pkg/validation/errors),
 * with their exact message text, and the `Result` they accumulate in. Every error is "in body":
 * custom objects are validated as a request body.
 */
import { formatGoFloat } from './json-values.ts';

/** `errors.Validation` codes that the apiextensions conversion distinguishes. */
export type ValidationCode =
  | 'invalidType'
  | 'required'
  | 'tooLong'
  | 'tooShort'
  | 'pattern'
  | 'enum'
  | 'multipleOf'
  | 'max'
  | 'min'
  | 'unique'
  | 'maxItems'
  | 'minItems'
  | 'tooFewProperties'
  | 'tooManyProperties'
  | 'unallowedProperty'
  | 'multipleOfMustBePositive';

/** An `*errors.Validation`: `name` is the dotted data path, `value` undefined when Go's is nil. */
export interface ValidationError {
  kind: 'validation';
  code: ValidationCode;
  name: string;
  value?: unknown;
  valid?: number;
  values?: unknown[];
  message: string;
}

/** A plain error (`errors.New` or `fmt.Errorf`): only a message, no path. */
export interface PlainError {
  kind: 'plain';
  message: string;
}

export type OpenApiError = ValidationError | PlainError;

/** `validate.Result`: errors (deduplicated by message) and the count of passed checks. */
export interface Result {
  errors: OpenApiError[];
  matchCount: number;
}

export function newResult(): Result {
  return { errors: [], matchCount: 0 };
}

/** `Result.AddErrors`: appends errors whose message is not already present. */
export function addErrors(result: Result, ...errors: OpenApiError[]): void {
  for (const e of errors) {
    if (!result.errors.some((r) => r.message === e.message)) result.errors.push(e);
  }
}

/** `Result.Merge`: adds the others' errors and match counts. */
export function merge(result: Result, ...others: (Result | undefined)[]): Result {
  for (const o of others) {
    if (!o) continue;
    addErrors(result, ...o.errors);
    result.matchCount += o.matchCount;
  }
  return result;
}

/** A result holding one error and no matches (`errorHelp.sErr`). */
export function single(error: OpenApiError): Result {
  return { errors: [error], matchCount: 0 };
}

const IN = 'body';

/** Go `%q` of a string. */
function quote(s: string): string {
  return JSON.stringify(s);
}

/** Go `%v` of a bound: int64 bounds print as integers, float64 ones in `%g` form. */
export type Bound = { int: number } | { float: number };

function formatBound(b: Bound): string {
  return 'int' in b ? String(b.int) : formatGoFloat(b.float);
}

export function invalidType(name: string, typeName: string, value: string): ValidationError {
  return { kind: 'validation', code: 'invalidType', name, value, message: `${name} in ${IN} must be of type ${typeName}: ${quote(value)}` };
}

export function requiredError(name: string): ValidationError {
  return { kind: 'validation', code: 'required', name, message: `${name} in ${IN} is required` };
}

export function tooLong(name: string, max: number, value: string): ValidationError {
  return { kind: 'validation', code: 'tooLong', name, value, valid: max, message: `${name} in ${IN} should be at most ${max} chars long` };
}

export function tooShort(name: string, min: number, value: string): ValidationError {
  return { kind: 'validation', code: 'tooShort', name, value, valid: min, message: `${name} in ${IN} should be at least ${min} chars long` };
}

export function failedPattern(name: string, pattern: string, value: string): ValidationError {
  return { kind: 'validation', code: 'pattern', name, value, message: `${name} in ${IN} should match '${pattern}'` };
}

export function enumFail(name: string, value: unknown, values: unknown[]): ValidationError {
  return { kind: 'validation', code: 'enum', name, value, values, message: `${name} in ${IN} should be one of ${JSON.stringify(values)}` };
}

export function notMultipleOf(name: string, factor: Bound, value: number): ValidationError {
  return { kind: 'validation', code: 'multipleOf', name, value, message: `${name} in ${IN} should be a multiple of ${formatBound(factor)}` };
}

export function multipleOfMustBePositive(name: string, factor: Bound): ValidationError {
  const value = 'int' in factor ? factor.int : factor.float;
  return { kind: 'validation', code: 'multipleOfMustBePositive', name, value, message: `factor MultipleOf declared for ${name} must be positive: ${formatBound(factor)}` };
}

export function exceedsMaximum(name: string, max: Bound, exclusive: boolean, value: number): ValidationError {
  const text = exclusive ? 'should be less than' : 'should be less than or equal to';
  return { kind: 'validation', code: 'max', name, value, message: `${name} in ${IN} ${text} ${formatBound(max)}` };
}

export function exceedsMinimum(name: string, min: Bound, exclusive: boolean, value: number): ValidationError {
  const text = exclusive ? 'should be greater than' : 'should be greater than or equal to';
  return { kind: 'validation', code: 'min', name, value, message: `${name} in ${IN} ${text} ${formatBound(min)}` };
}

export function duplicateItems(name: string): ValidationError {
  return { kind: 'validation', code: 'unique', name, message: `${name} in ${IN} shouldn't contain duplicates` };
}

export function tooManyItems(name: string, max: number, size: number): ValidationError {
  return { kind: 'validation', code: 'maxItems', name, value: size, valid: max, message: `${name} in ${IN} should have at most ${max} items` };
}

export function tooFewItems(name: string, min: number, size: number): ValidationError {
  return { kind: 'validation', code: 'minItems', name, value: size, valid: min, message: `${name} in ${IN} should have at least ${min} items` };
}

export function tooManyProperties(name: string, max: number, size: number): ValidationError {
  return { kind: 'validation', code: 'tooManyProperties', name, value: size, valid: max, message: `${name} in ${IN} should have at most ${max} properties` };
}

export function tooFewProperties(name: string, min: number, size: number): ValidationError {
  return { kind: 'validation', code: 'tooFewProperties', name, value: size, valid: min, message: `${name} in ${IN} should have at least ${min} properties` };
}

export function propertyNotAllowed(name: string, key: string): ValidationError {
  return { kind: 'validation', code: 'unallowedProperty', name, value: key, message: `${name}.${key} in ${IN} is a forbidden property` };
}

export function plain(message: string): PlainError {
  return { kind: 'plain', message };
}
