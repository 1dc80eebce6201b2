/**
 * ObjectMeta validation shared by every kind (apimachinery/pkg/api/validation/objectmeta.go).
 */
import type { FieldError } from '../../errors/index.ts';
import type { ObjectMeta } from '../meta.ts';
import { child, invalidValue, key, required } from './field-errors.ts';
import { isDNS1123Subdomain, isQualifiedName, isValidLabelValue } from './names.ts';

/** A name validator: returns problems for the name (empty = valid). */
export type NameValidator = (name: string) => string[];

export interface ValidateObjectMetaOptions {
  namespaced: boolean;
  /** Defaults to DNS-1123 subdomain. */
  nameValidator?: NameValidator;
  path?: string;
}

export function validateObjectMeta(meta: ObjectMeta | undefined, options: ValidateObjectMetaOptions): FieldError[] {
  const path = options.path ?? 'metadata';
  const errs: FieldError[] = [];
  const m = meta ?? {};
  const validateName = options.nameValidator ?? isDNS1123Subdomain;
  if (!m.name) {
    if (!m.generateName) errs.push(required(child(path, 'name'), 'name or generateName is required'));
  } else {
    for (const msg of validateName(m.name)) errs.push(invalidValue(child(path, 'name'), m.name, msg));
  }
  if (options.namespaced) {
    if (!m.namespace) errs.push(required(child(path, 'namespace')));
  } else if (m.namespace) {
    errs.push({ type: 'FieldValueForbidden', field: child(path, 'namespace'), detail: 'Forbidden: not allowed on this type' });
  }
  errs.push(...validateLabels(m.labels, child(path, 'labels')));
  errs.push(...validateAnnotations(m.annotations, child(path, 'annotations')));
  return errs;
}

export function validateLabels(labels: Record<string, string> | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(labels ?? {})) {
    for (const msg of isQualifiedName(k)) errs.push(invalidValue(path, k, msg));
    for (const msg of isValidLabelValue(v)) errs.push(invalidValue(key(path, k), v, msg));
  }
  return errs;
}

const totalAnnotationSizeLimit = 256 * 1024;

export function validateAnnotations(annotations: Record<string, string> | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  let total = 0;
  for (const [k, v] of Object.entries(annotations ?? {})) {
    for (const msg of isQualifiedName(k.toLowerCase())) errs.push(invalidValue(path, k, msg));
    total += k.length + v.length;
  }
  if (total > totalAnnotationSizeLimit) {
    errs.push({ type: 'FieldValueTooLong', field: path, detail: `Too long: must have at most ${totalAnnotationSizeLimit} bytes` });
  }
  return errs;
}
