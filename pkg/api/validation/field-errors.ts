/**
 * Builders for upstream `field.Error` values (apimachinery/pkg/util/validation/field/errors.go).
 * `detail` holds the text kubectl prints after the field path, e.g.
 * `Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"`.
 */
import type { FieldError } from '../../errors/index.ts';

/** Formats a value as upstream does in error text: strings quoted, others as JSON. */
export function formatValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined || value === null) return 'null';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export function required(field: string, detail = ''): FieldError {
  return { type: 'FieldValueRequired', field, detail: detail ? `Required value: ${detail}` : 'Required value' };
}

export function invalidValue(field: string, value: unknown, detail: string): FieldError {
  return { type: 'FieldValueInvalid', field, detail: `Invalid value: ${formatValue(value)}${detail ? `: ${detail}` : ''}` };
}

export function notSupported(field: string, value: unknown, supported: readonly string[]): FieldError {
  const list = supported.map((s) => JSON.stringify(s)).join(', ');
  return { type: 'FieldValueNotSupported', field, detail: `Unsupported value: ${formatValue(value)}${supported.length ? `: supported values: ${list}` : ''}` };
}

export function duplicate(field: string, value: unknown): FieldError {
  return { type: 'FieldValueDuplicate', field, detail: `Duplicate value: ${formatValue(value)}` };
}

export function forbidden(field: string, detail: string): FieldError {
  return { type: 'FieldValueForbidden', field, detail: `Forbidden: ${detail}` };
}

export function tooLong(field: string, maxLength: number): FieldError {
  return { type: 'FieldValueTooLong', field, detail: `Too long: may not be more than ${maxLength} bytes` };
}

export function tooMany(field: string, actual: number, max: number): FieldError {
  return { type: 'FieldValueTooMany', field, detail: `Too many: ${actual}: must have at most ${max} items` };
}

/** Joins a parent path and a child: `child('spec', 'containers')` → `spec.containers`. */
export function child(parent: string, name: string): string {
  return parent ? `${parent}.${name}` : name;
}

/** `index('spec.containers', 0)` → `spec.containers[0]`. */
export function index(parent: string, i: number): string {
  return `${parent}[${i}]`;
}

/** `key('metadata.labels', 'app')` → `metadata.labels[app]`. */
export function key(parent: string, k: string): string {
  return `${parent}[${k}]`;
}
