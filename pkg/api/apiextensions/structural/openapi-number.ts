/**
 * kube-openapi's number validator (`numberValidator` and the `*NativeType` helpers in
 * validate/values.go): range checks of the value and of each bound against the schema's
 * single numeric type/format, then multipleOf, minimum and maximum. Integer values (Go int64)
 * compare against truncated bounds; other numbers (float64) against the bounds as written.
 */
import type { JSONSchemaProps } from './schema-props.ts';
import { isInt64 } from './json-values.ts';
import {
  type Bound,
  type Result,
  addErrors,
  exceedsMaximum,
  exceedsMinimum,
  merge,
  multipleOfMustBePositive,
  newResult,
  notMultipleOf,
  plain,
  single,
} from './openapi-errors.ts';

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
const INT64_LIMIT = 2 ** 63;
const MAX_JSON_INTEGER = 2 ** 53 - 1;

/** The numeric type/format the number validator enforces, from the node's single type. */
export function numericTypeFormat(types: readonly string[], format: string): { typeName: string; format: string } {
  if (types.length !== 1) return { typeName: '', format: '' };
  if (types[0] === 'integer') return { typeName: 'integer', format: format === 'int32' || format === 'int64' ? format : '' };
  if (types[0] === 'number') return { typeName: 'number', format: format === 'float' || format === 'double' ? format : '' };
  return { typeName: '', format: '' };
}

/** swag `IsFloat64AJSONInteger`: whole (within a relative 1e-9) and within ±(2^53-1). */
export function isFloat64AJSONInteger(f: number): boolean {
  if (!Number.isFinite(f) || f < -MAX_JSON_INTEGER || f > MAX_JSON_INTEGER) return false;
  if (Number.isInteger(f)) return true;
  const g = Math.trunc(f);
  const diff = Math.abs(f - g);
  if (g === 0) return diff < 1e-9 * Number.MIN_VALUE;
  return diff / Math.min(Math.abs(f) + Math.abs(g), Number.MAX_VALUE) < 1e-9;
}

/** `IsValueValidAgainstRange`: a plain error when `v` does not fit the type/format. */
function rangeError(v: number, typeName: string, format: string, prefix: string, path: string): string | undefined {
  let fits = true;
  if (typeName === 'integer') {
    const [min, max] = format === 'int32' ? [INT32_MIN, INT32_MAX] : [-INT64_LIMIT, INT64_LIMIT - 1];
    fits = Number.isInteger(v) && v >= min && v <= max && (format === 'int32' || v < INT64_LIMIT);
  } else if (format === 'float') {
    fits = Number.isFinite(Math.fround(v));
  }
  if (fits) return undefined;
  return format
    ? `${prefix} value must be of type ${typeName} with format ${format} in ${path}`
    : `${prefix} value must be of type ${typeName} (default format) in ${path}`;
}

function multipleOfCheck(path: string, value: number, factor: number, nativeInt: boolean): Result | undefined {
  if (nativeInt) {
    const f = Math.trunc(factor);
    if (f <= 0) return single(multipleOfMustBePositive(path, { int: f }));
    return BigInt(value) % BigInt(f) === 0n ? undefined : single(notMultipleOf(path, { int: f }, value));
  }
  if (factor <= 0) return single(multipleOfMustBePositive(path, { float: factor }));
  const mult = factor < 1 ? (1 / factor) * value : value / factor;
  return isFloat64AJSONInteger(mult) ? undefined : single(notMultipleOf(path, { float: factor }, value));
}

function maximumCheck(path: string, value: number, max: number, exclusive: boolean, nativeInt: boolean): Result | undefined {
  const bound: Bound = nativeInt ? { int: Math.trunc(max) } : { float: max };
  const limit = nativeInt ? Math.trunc(max) : max;
  const fails = exclusive ? value >= limit : value > limit;
  return fails ? single(exceedsMaximum(path, bound, exclusive, value)) : undefined;
}

function minimumCheck(path: string, value: number, min: number, exclusive: boolean, nativeInt: boolean): Result | undefined {
  const bound: Bound = nativeInt ? { int: Math.trunc(min) } : { float: min };
  const limit = nativeInt ? Math.trunc(min) : min;
  const fails = exclusive ? value <= limit : value < limit;
  return fails ? single(exceedsMinimum(path, bound, exclusive, value)) : undefined;
}

/**
 * Validates a number against `multipleOf`, `minimum` and `maximum`. When a bound itself does not
 * fit the type/format, that is reported and the comparison falls back to float64 arithmetic.
 */
export function validateNumber(s: JSONSchemaProps, value: number, path: string, typeName: string, format: string): Result {
  const res = newResult();
  const checked = rangeError(value, typeName, format, 'Checked', path);
  if (checked) addErrors(res, plain(checked));
  const intValue = isInt64(value);

  const bounded = (bound: number, prefix: string, check: (native: boolean) => Result | undefined): Result => {
    const r = newResult();
    const err = rangeError(bound, typeName, format, prefix, path);
    if (err) addErrors(r, plain(err));
    merge(r, check(err === undefined && intValue));
    return r;
  };

  const resMultiple = s.multipleOf !== undefined ? bounded(s.multipleOf, 'MultipleOf', (n) => multipleOfCheck(path, value, s.multipleOf as number, n)) : undefined;
  const resMaximum = s.maximum !== undefined ? bounded(s.maximum, 'Maximum boundary', (n) => maximumCheck(path, value, s.maximum as number, s.exclusiveMaximum === true, n)) : undefined;
  const resMinimum = s.minimum !== undefined ? bounded(s.minimum, 'Minimum boundary', (n) => minimumCheck(path, value, s.minimum as number, s.exclusiveMinimum === true, n)) : undefined;
  merge(res, resMultiple, resMinimum, resMaximum);
  res.matchCount++;
  return res;
}
