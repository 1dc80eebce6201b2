/**
 * The structural-schema rules (apiserver/schema/validation.go `ValidateStructural` and
 * complete.go): every specified node has a type (unless int-or-string or preserve-unknown-fields),
 * arrays have items, no additionalProperties at the root, root metadata restricted to name and
 * generateName, and allOf/anyOf/oneOf/not carry value validations only, for fields the
 * structural part specifies. Errors are sorted by their text, as upstream sorts them.
 */
import type { FieldError } from '../../../errors/index.ts';
import { index } from '../../validation/field-errors.ts';
import { compileGoRegexp } from './go-regexp.ts';
import { child, fieldForbidden, fieldInvalid, fieldRequired, propertiesKey } from './field-errors.ts';
import { isZero, setKnownKeys } from './known-fields.ts';
import { additionalPropertiesSchema, hasDefault, propertySchema, type JSONSchemaProps } from './schema-props.ts';

type Level = 'root' | 'item' | 'field';

const typeRequiredDetail: Record<Level, string> = {
  root: 'must not be empty at the root',
  item: 'must not be empty for specified array items',
  field: 'must not be empty for specified object fields',
};

/** `anyOf: [{type: integer}, {type: string}]` and nothing else in either branch. */
function isIntOrStringAnyOf(anyOf: JSONSchemaProps[] | undefined): boolean {
  if (!anyOf || anyOf.length !== 2) return false;
  return ['integer', 'string'].every((t, i) => anyOf[i].type === t && setKnownKeys(anyOf[i], ['type']).length === 0);
}

function validateValueValidation(s: JSONSchemaProps, skipAnyOf: boolean, skipFirstAllOfAnyOf: boolean, lvl: Level, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!skipAnyOf) (s.anyOf ?? []).forEach((sub, i) => errs.push(...validateNested(sub, false, false, lvl, index(child(path, 'anyOf'), i))));
  (s.allOf ?? []).forEach((sub, i) => errs.push(...validateNested(sub, skipFirstAllOfAnyOf && i === 0, false, lvl, index(child(path, 'allOf'), i))));
  (s.oneOf ?? []).forEach((sub, i) => errs.push(...validateNested(sub, false, false, lvl, index(child(path, 'oneOf'), i))));
  if (s.not) errs.push(...validateNested(s.not, false, false, lvl, child(path, 'not')));
  if (s.pattern) {
    const compiled = compileGoRegexp(s.pattern);
    if (!compiled.ok) errs.push(fieldInvalid(child(path, 'pattern'), s.pattern, `must be a valid regular expression, but isn't: ${compiled.error}`));
  }
  return errs;
}

/** A node inside allOf/anyOf/oneOf/not: only value validations are allowed. */
function validateNested(v: JSONSchemaProps, skipAnyOf: boolean, skipAllOfAnyOf: boolean, lvl: Level, path: string): FieldError[] {
  const errs = validateValueValidation(v, skipAnyOf, skipAllOfAnyOf, lvl, path);
  if (v.items) errs.push(...validateNested(v.items, false, false, lvl, child(path, 'items')));
  for (const [k, sub] of Object.entries(v.properties ?? {})) errs.push(...validateNested(sub, false, false, 'field', propertiesKey(path, k)));
  if (v.type) errs.push(fieldForbidden(child(path, 'type'), 'must be empty to be structural'));
  if (v.additionalProperties !== undefined && v.additionalProperties !== false) {
    errs.push(fieldForbidden(child(path, 'additionalProperties'), 'must be undefined to be structural'));
  }
  if (hasDefault(v)) errs.push(fieldForbidden(child(path, 'default'), 'must be undefined to be structural'));
  if (v.title) errs.push(fieldForbidden(child(path, 'title'), 'must be empty to be structural'));
  if (v.description) errs.push(fieldForbidden(child(path, 'description'), 'must be empty to be structural'));
  if (v.nullable) errs.push(fieldForbidden(child(path, 'nullable'), 'must be false to be structural'));
  for (const x of ['x-kubernetes-preserve-unknown-fields', 'x-kubernetes-embedded-resource', 'x-kubernetes-int-or-string'] as const) {
    if (v[x] === true) errs.push(fieldForbidden(child(path, x), 'must be false to be structural'));
  }
  if (!isZero(v['x-kubernetes-list-map-keys'])) errs.push(fieldForbidden(child(path, 'x-kubernetes-list-map-keys'), 'must be empty to be structural'));
  if (v['x-kubernetes-list-type'] !== undefined) errs.push(fieldForbidden(child(path, 'x-kubernetes-list-type'), 'must be undefined to be structural'));
  if (v['x-kubernetes-map-type'] !== undefined) errs.push(fieldForbidden(child(path, 'x-kubernetes-map-type'), 'must be undefined to be structural'));
  if (!isZero(v['x-kubernetes-validations'])) errs.push(fieldForbidden(child(path, 'x-kubernetes-validations'), 'must be empty to be structural'));
  if (propertySchema(v, 'metadata')) errs.push(fieldForbidden(propertiesKey(path, 'metadata'), 'must not be specified in a nested context'));
  return errs;
}

function validateMetadata(s: JSONSchemaProps, checkMetadata: boolean, lvl: Level, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (checkMetadata && s.type !== 'object') errs.push(fieldInvalid(child(path, 'type'), s.type ?? '', 'must be object'));
  if (lvl === 'root') {
    const names = Object.keys(s.properties ?? {});
    const onlyNames = names.length > 0 && names.every((n) => n === 'name' || n === 'generateName');
    const ignore = ['type', 'default', ...(onlyNames ? ['properties'] : [])];
    if (setKnownKeys(s, ignore).length > 0) {
      errs.push(fieldForbidden(path, 'must not specify anything other than name and generateName, but metadata is implicitly specified'));
    }
  }
  return errs;
}

function validateInvariants(s: JSONSchemaProps, lvl: Level, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const embedded = s['x-kubernetes-embedded-resource'] === true;
  const intOrString = s['x-kubernetes-int-or-string'] === true;
  const preserve = s['x-kubernetes-preserve-unknown-fields'] === true;
  if (s.type === 'array' && !s.items) errs.push(fieldRequired(child(path, 'items'), 'must be specified'));
  if (s.items) errs.push(...validateInvariants(s.items, 'item', child(path, 'items')));
  for (const [k, sub] of Object.entries(s.properties ?? {})) errs.push(...validateInvariants(sub, 'field', propertiesKey(path, k)));
  if (s.additionalProperties !== undefined) {
    if (lvl === 'root') errs.push(fieldForbidden(child(path, 'additionalProperties'), 'must not be used at the root'));
    const ap = additionalPropertiesSchema(s);
    if (ap) errs.push(...validateInvariants(ap, 'field', child(path, 'additionalProperties')));
  }
  if (intOrString && preserve) errs.push(fieldInvalid(child(path, 'x-kubernetes-preserve-unknown-fields'), true, 'must be false if x-kubernetes-int-or-string is true'));
  if (intOrString && embedded) errs.push(fieldInvalid(child(path, 'x-kubernetes-embedded-resource'), true, 'must be false if x-kubernetes-int-or-string is true'));

  const skipAnyOf = isIntOrStringAnyOf(s.anyOf);
  const skipFirstAllOfAnyOf = (s.allOf?.length ?? 0) >= 1 && isIntOrStringAnyOf(s.allOf?.[0].anyOf);
  errs.push(...validateValueValidation(s, skipAnyOf, skipFirstAllOfAnyOf, lvl, path));

  const checkMetadata = lvl === 'root' || embedded;
  if (embedded && s.type !== 'object') {
    const detail = 'must be object if x-kubernetes-embedded-resource is true';
    errs.push(s.type ? fieldInvalid(child(path, 'type'), s.type, detail) : fieldRequired(child(path, 'type'), detail));
  } else if (!s.type && !intOrString && !preserve) {
    errs.push(fieldRequired(child(path, 'type'), typeRequiredDetail[lvl]));
  }
  if (embedded && s.additionalProperties !== undefined) {
    errs.push(fieldForbidden(child(path, 'additionalProperties'), 'must not be used if x-kubernetes-embedded-resource is set'));
  }
  if (lvl === 'root' && s.type && s.type !== 'object') errs.push(fieldInvalid(child(path, 'type'), s.type, 'must be object at the root'));
  for (const meta of ['kind', 'apiVersion']) {
    const prop = propertySchema(s, meta);
    if (prop && checkMetadata && prop.type !== 'string') errs.push(fieldInvalid(child(propertiesKey(path, meta), 'type'), prop.type ?? '', 'must be string'));
  }
  const metadata = propertySchema(s, 'metadata');
  if (metadata) errs.push(...validateMetadata(metadata, checkMetadata, lvl, propertiesKey(path, 'metadata')));
  if (embedded && !preserve && isZero(s.properties)) {
    errs.push(fieldRequired(child(path, 'properties'), 'must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields'));
  }
  return errs;
}

/** Every value validation in allOf/anyOf/oneOf/not must have a structural counterpart. */
function validateCompleteness(v: JSONSchemaProps, s: JSONSchemaProps | undefined, sPath: string, vPath: string, nested: boolean): FieldError[] {
  if (!s) return [fieldRequired(sPath, `because it is defined in ${vPath}`)];
  const errs: FieldError[] = [];
  if (v.not) errs.push(...validateCompleteness(v.not, s, sPath, child(vPath, 'not'), true));
  (v.allOf ?? []).forEach((sub, i) => errs.push(...validateCompleteness(sub, s, sPath, index(child(vPath, 'allOf'), i), true)));
  (v.anyOf ?? []).forEach((sub, i) => errs.push(...validateCompleteness(sub, s, sPath, index(child(vPath, 'anyOf'), i), true)));
  (v.oneOf ?? []).forEach((sub, i) => errs.push(...validateCompleteness(sub, s, sPath, index(child(vPath, 'oneOf'), i), true)));
  if (!nested) return errs;
  if (v.items) errs.push(...validateCompleteness(v.items, s.items, child(sPath, 'items'), child(vPath, 'items'), true));
  for (const [k, sub] of Object.entries(v.properties ?? {})) {
    const sFld = propertySchema(s, k);
    if (!sFld) errs.push(fieldRequired(propertiesKey(sPath, k), `because it is defined in ${propertiesKey(vPath, k)}`));
    else errs.push(...validateCompleteness(sub, sFld, propertiesKey(sPath, k), propertiesKey(vPath, k), true));
  }
  return errs;
}

/** `ValidateStructural`: structural-schema errors under `path`, sorted by their text. */
export function validateStructural(schema: JSONSchemaProps, path: string): FieldError[] {
  const errs = [...validateInvariants(schema, 'root', path), ...validateCompleteness(schema, schema, path, path, false)];
  const text = (e: FieldError): string => `${e.field}: ${e.detail}`;
  return errs.sort((a, b) => (text(a) < text(b) ? -1 : text(a) > text(b) ? 1 : 0));
}
