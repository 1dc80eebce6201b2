/**
 * Small generic rules shared by many kinds: immutable fields, qualified names, DNS labels,
 * and Go `%#v` renderings that upstream puts into some messages.
 */
import type { FieldError } from '../../errors/index.ts';
import { invalidValue } from './field-errors.ts';
import { isDNS1123Label, isDNS1123Subdomain, isQualifiedName } from './names.ts';

/** `ValidateImmutableField`: `Invalid value: <new>: field is immutable` when values differ. */
export function validateImmutable(path: string, value: unknown, old: unknown): FieldError[] {
  return deepEqual(value, old) ? [] : [invalidValue(path, value, 'field is immutable')];
}

export function validateQualifiedNameField(path: string, value: string): FieldError[] {
  return isQualifiedName(value).map((msg) => invalidValue(path, value, msg));
}

export function validateDNS1123LabelField(path: string, value: string): FieldError[] {
  return isDNS1123Label(value).map((msg) => invalidValue(path, value, msg));
}

export function validateDNS1123SubdomainField(path: string, value: string): FieldError[] {
  return isDNS1123Subdomain(value).map((msg) => invalidValue(path, value, msg));
}

/** Structural equality for JSON values (`undefined` and missing keys are equal). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(ao), ...Object.keys(bo)]);
  for (const k of keys) if (!deepEqual(ao[k], bo[k])) return false;
  return true;
}

/** Go's `%#v` of a `[]string`: `[]string{"a", "b"}`, or `[]string(nil)` when absent. */
export function goStringSlice(values: readonly string[] | undefined): string {
  if (!values) return '[]string(nil)';
  return `[]string{${values.map((v) => JSON.stringify(v)).join(', ')}}`;
}

/** `field.Invalid` of a `[]string` value, printed as Go prints it (see {@link goStringSlice}). */
export function invalidStringSlice(field: string, values: readonly string[] | undefined, detail: string): FieldError {
  return { type: 'FieldValueInvalid', field, detail: `Invalid value: ${goStringSlice(values)}: ${detail}` };
}
