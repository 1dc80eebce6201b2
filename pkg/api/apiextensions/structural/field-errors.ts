/**
 * `field.Error` builders as the apiextensions code uses them, rendering bad values the way
 * upstream `field.Error.ErrorBody` does (Go `%v` for numbers, JSON for objects) and with the
 * singular/plural wording of `field.TooLong` / `field.TooMany`.
 */
import type { FieldError } from '../../../errors/index.ts';
import { child } from '../../validation/field-errors.ts';
import { goValue } from './json-values.ts';

export { child };

/** Upstream prints a nil `*field.Path` as `<nil>`; kube-openapi errors without a path get it. */
export const NIL_PATH = '<nil>';

export function fieldRequired(field: string, detail = ''): FieldError {
  return { type: 'FieldValueRequired', field, detail: detail ? `Required value: ${detail}` : 'Required value' };
}

export function fieldForbidden(field: string, detail: string): FieldError {
  return { type: 'FieldValueForbidden', field, detail: `Forbidden: ${detail}` };
}

export function fieldInvalid(field: string, value: unknown, detail: string): FieldError {
  return { type: 'FieldValueInvalid', field, detail: `Invalid value: ${goValue(value)}${detail ? `: ${detail}` : ''}` };
}

/** `field.TypeInvalid`: printed like Invalid, cause type `FieldValueTypeInvalid`. */
export function fieldTypeInvalid(field: string, value: unknown, detail: string): FieldError {
  return { type: 'FieldValueTypeInvalid', field, detail: `Invalid value: ${goValue(value)}${detail ? `: ${detail}` : ''}` };
}

/** `field.NotSupported`: every supported value quoted. */
export function fieldNotSupported(field: string, value: unknown, supported: readonly string[]): FieldError {
  const list = supported.map((s) => JSON.stringify(s)).join(', ');
  return { type: 'FieldValueNotSupported', field, detail: `Unsupported value: ${goValue(value)}${supported.length ? `: supported values: ${list}` : ''}` };
}

/** `field.TooLong(path, "", max)`: the value is omitted. */
export function fieldTooLong(field: string, maxLength: number): FieldError {
  const detail = maxLength >= 0 ? `may not be more than ${maxLength} ${maxLength === 1 ? 'byte' : 'bytes'}` : 'value is too long';
  return { type: 'FieldValueTooLong', field, detail: `Too long: ${detail}` };
}

/** `field.TooMany(path, actual, max)`. */
export function fieldTooMany(field: string, actual: number, max: number): FieldError {
  const detail = max >= 0 ? `must have at most ${max} ${max === 1 ? 'item' : 'items'}` : 'has too many items';
  return { type: 'FieldValueTooMany', field, detail: actual >= 0 ? `Too many: ${actual}: ${detail}` : `Too many: ${detail}` };
}

/** `fldPath.Child("properties").Key(k)` → `…properties[k]`. */
export function propertiesKey(path: string, name: string): string {
  return `${child(path, 'properties')}[${name}]`;
}
