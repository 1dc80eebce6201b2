/**
 * apiextensions' `kubeOpenAPIResultToFieldErrors` (apiserver/validation/validation.go): turns
 * kube-openapi errors into `field.Error`s. The field is the error's data path under `basePath`
 * (`null` = upstream's nil path, which prints as `<nil>` for errors without a data path).
 */
import type { FieldError } from '../../../errors/index.ts';
import {
  NIL_PATH,
  fieldInvalid,
  fieldNotSupported,
  fieldRequired,
  fieldTooLong,
  fieldTooMany,
  fieldTypeInvalid,
} from './field-errors.ts';
import { goJson } from './json-values.ts';
import type { OpenApiError } from './openapi-errors.ts';

function errorPath(basePath: string | null, name: string): string | null {
  if (name === '' || name === '.') return basePath;
  const trimmed = name.startsWith('.') ? name.slice(1) : name;
  return basePath === null ? trimmed : `${basePath}.${trimmed}`;
}

/** Converts kube-openapi errors into field errors, in order. */
export function toFieldErrors(basePath: string | null, errors: readonly OpenApiError[]): FieldError[] {
  return errors.map((err) => {
    if (err.kind === 'plain') return fieldInvalid(basePath ?? NIL_PATH, '', err.message);
    const field = errorPath(basePath, err.name) ?? NIL_PATH;
    const value = err.value === undefined || err.value === null ? '' : err.value;
    switch (err.code) {
      case 'required':
        return fieldRequired(field);
      case 'enum':
        return fieldNotSupported(field, err.value ?? null, (err.values ?? []).map((v) => (typeof v === 'string' ? v : goJson(v))));
      case 'tooLong':
        return fieldTooLong(field, err.valid ?? -1);
      case 'maxItems':
      case 'tooManyProperties':
        return fieldTooMany(field, typeof err.value === 'number' ? err.value : -1, err.valid ?? -1);
      case 'invalidType':
        return fieldTypeInvalid(field, value, err.message);
      default:
        return fieldInvalid(field, value, err.message);
    }
  });
}
