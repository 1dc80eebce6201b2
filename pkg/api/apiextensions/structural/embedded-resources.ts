/**
 * Type-meta checks of nested `x-kubernetes-embedded-resource` objects (apiserver/schema/objectmeta
 * validation.go `validateEmbeddedResource`): `apiVersion` and `kind` are required strings, the
 * kind a DNS-1035 label up to case. The embedded `metadata` is not validated here.
 */
import type { FieldError } from '../../../errors/index.ts';
import { isDNS1035Label } from '../../validation/names.ts';
import { child, index, key } from '../../validation/field-errors.ts';
import { fieldInvalid, fieldRequired } from './field-errors.ts';
import { isJsonObject } from './json-values.ts';
import { additionalPropertiesSchema, propertySchema, type JSONSchemaProps } from './schema-props.ts';

function validateTypeMeta(path: string, obj: Record<string, unknown>): FieldError[] {
  const errs: FieldError[] = [];
  if (!('apiVersion' in obj)) errs.push(fieldRequired(child(path, 'apiVersion')));
  if (!('kind' in obj)) errs.push(fieldRequired(child(path, 'kind')));
  for (const [k, v] of Object.entries(obj)) {
    if (k === 'apiVersion') {
      const p = child(path, k);
      if (typeof v !== 'string') errs.push(fieldInvalid(p, v, 'must be a string'));
      else if (v === '') errs.push(fieldInvalid(p, v, 'must not be empty'));
      else if ((v.match(/\//g) ?? []).length > 1) errs.push(fieldInvalid(p, v, `unexpected GroupVersion string: ${v}`));
    } else if (k === 'kind') {
      const p = child(path, k);
      if (typeof v !== 'string') errs.push(fieldInvalid(p, v, 'must be a string'));
      else if (v === '') errs.push(fieldInvalid(p, v, 'must not be empty'));
      else {
        const problems = isDNS1035Label(v.toLowerCase());
        if (problems.length) errs.push(fieldInvalid(p, v, `may have mixed case, but should otherwise match: ${problems.join(',')}`));
      }
    }
  }
  return errs;
}

/** Errors of every embedded resource below the root of `value` (the root itself is skipped). */
export function validateEmbeddedResources(value: unknown, s: JSONSchemaProps | undefined, path = '', isRoot = true): FieldError[] {
  if (!s) return [];
  const errs: FieldError[] = [];
  if (isJsonObject(value)) {
    if (!isRoot && s['x-kubernetes-embedded-resource'] === true) errs.push(...validateTypeMeta(path, value));
    const additional = additionalPropertiesSchema(s);
    for (const [k, v] of Object.entries(value)) {
      const prop = propertySchema(s, k);
      if (prop) errs.push(...validateEmbeddedResources(v, prop, child(path, k), false));
      else if (additional) errs.push(...validateEmbeddedResources(v, additional, key(path, k), false));
    }
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => errs.push(...validateEmbeddedResources(v, s.items, index(path, i), false)));
  }
  return errs;
}
