/**
 * The per-node rules of apiextensions validation (pkg/apis/apiextensions/validation
 * `ValidateCustomResourceDefinitionOpenAPISchema` and `specStandardValidatorV3`) for a v1 CRD:
 * supported types, unsupported JSON-schema keywords, defaults forbidden in object metadata,
 * uniqueItems, properties vs additionalProperties, and the x-kubernetes-list/map rules.
 * x-kubernetes-validations (CEL) is not checked.
 */
import type { FieldError } from '../../../errors/index.ts';
import { index } from '../../validation/field-errors.ts';
import { child, fieldForbidden, fieldInvalid, fieldNotSupported, fieldRequired, propertiesKey } from './field-errors.ts';
import { isZero } from './known-fields.ts';
import { additionalPropertiesSchema, hasDefault, propertySchema, type JSONSchemaProps } from './schema-props.ts';

const OPENAPI_V3_TYPES = ['array', 'boolean', 'integer', 'number', 'object', 'string'];
const META_FIELDS = new Set(['metadata', 'kind', 'apiVersion']);

/** The `specStandardValidatorV3` state carried down the schema. */
interface Context {
  allowDefaults: boolean;
  disallowDefaultsReason: string;
  insideResourceMeta: boolean;
}

function withForbiddenDefaults(ctx: Context, reason: string): Context {
  return { ...ctx, allowDefaults: false, disallowDefaultsReason: reason };
}

function validateNode(s: JSONSchemaProps, path: string, ctx: Context): FieldError[] {
  const errs: FieldError[] = [];
  if (s.type && !OPENAPI_V3_TYPES.includes(s.type)) errs.push(fieldNotSupported(child(path, 'type'), s.type, OPENAPI_V3_TYPES));
  if (hasDefault(s) && !ctx.allowDefaults) {
    errs.push(fieldForbidden(child(path, 'default'), `must not be set${ctx.disallowDefaultsReason ? ` ${ctx.disallowDefaultsReason}` : ''}`));
  }
  if (s.id) errs.push(fieldForbidden(child(path, 'id'), 'id is not supported'));
  if (s.additionalItems !== undefined && s.additionalItems !== null) errs.push(fieldForbidden(child(path, 'additionalItems'), 'additionalItems is not supported'));
  if (!isZero(s.patternProperties)) errs.push(fieldForbidden(child(path, 'patternProperties'), 'patternProperties is not supported'));
  if (!isZero(s.definitions)) errs.push(fieldForbidden(child(path, 'definitions'), 'definitions is not supported'));
  if (s.dependencies !== undefined && s.dependencies !== null) errs.push(fieldForbidden(child(path, 'dependencies'), 'dependencies is not supported'));
  if (s.$ref !== undefined && s.$ref !== null) errs.push(fieldForbidden(child(path, '$ref'), '$ref is not supported'));
  if (s.type === 'null') errs.push(fieldForbidden(child(path, 'type'), 'type cannot be set to null, use nullable as an alternative'));
  if (Array.isArray(s.items) && s.items.length > 0) errs.push(fieldForbidden(child(path, 'items'), 'items must be a schema object and not an array'));
  if (ctx.insideResourceMeta && s['x-kubernetes-embedded-resource'] === true) {
    errs.push(fieldForbidden(child(path, 'x-kubernetes-embedded-resource'), 'must not be used inside of resource meta'));
  }
  return errs;
}

function validateListAndMapTypes(s: JSONSchemaProps, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const mapType = s['x-kubernetes-map-type'];
  const listType = s['x-kubernetes-list-type'];
  const mapKeys = s['x-kubernetes-list-map-keys'] ?? [];
  const items = Array.isArray(s.items) ? undefined : s.items;
  const typePath = child(path, 'type');
  if (mapType !== undefined && s.type !== 'object') {
    const detail = 'must be object if x-kubernetes-map-type is specified';
    errs.push(s.type ? fieldInvalid(typePath, s.type, detail) : fieldRequired(typePath, detail));
  }
  if (mapType !== undefined && mapType !== 'atomic' && mapType !== 'granular') {
    errs.push(fieldNotSupported(child(path, 'x-kubernetes-map-type'), mapType, ['atomic', 'granular']));
  }
  if (listType !== undefined && s.type !== 'array') {
    const detail = 'must be array if x-kubernetes-list-type is specified';
    errs.push(s.type ? fieldInvalid(typePath, s.type, detail) : fieldRequired(typePath, detail));
  } else if (listType === 'set' && items) {
    const detail = 'must be atomic as item of a list with x-kubernetes-list-type=set';
    const itemListType = items['x-kubernetes-list-type'];
    if (items.type === 'array' && itemListType !== undefined && itemListType !== 'atomic') {
      errs.push(fieldInvalid(child(child(path, 'items'), 'x-kubernetes-list-type'), itemListType, detail));
    } else if (items.type === 'object' && items['x-kubernetes-map-type'] !== 'atomic') {
      errs.push(fieldInvalid(child(child(path, 'items'), 'x-kubernetes-map-type'), itemListType ?? null, detail));
    }
  }
  if (listType !== undefined && !['atomic', 'set', 'map'].includes(listType)) {
    errs.push(fieldNotSupported(child(path, 'x-kubernetes-list-type'), listType, ['atomic', 'set', 'map']));
  }
  if (mapKeys.length > 0) {
    const detail = 'must be map if x-kubernetes-list-map-keys is non-empty';
    if (listType === undefined) errs.push(fieldRequired(child(path, 'x-kubernetes-list-type'), detail));
    else if (listType !== 'map') errs.push(fieldInvalid(child(path, 'x-kubernetes-list-type'), listType, detail));
  }
  if (listType === 'map') {
    if (mapKeys.length === 0) errs.push(fieldRequired(child(path, 'x-kubernetes-list-map-keys'), 'must not be empty if x-kubernetes-list-type is map'));
    if (s.items === undefined) errs.push(fieldRequired(child(path, 'items'), 'must have a schema if x-kubernetes-list-type is map'));
    if (Array.isArray(s.items)) errs.push(fieldInvalid(child(path, 'items'), s.items, 'must only have a single schema if x-kubernetes-list-type is map'));
    if (items && items.type !== 'object') {
      errs.push(fieldInvalid(child(child(path, 'items'), 'type'), items.type ?? '', "must be object if parent array's x-kubernetes-list-type is map"));
    }
    if (items && items.type === 'object') {
      const seen = new Set<string>();
      for (const k of mapKeys) {
        const prop = propertySchema(items, k);
        if (prop && (prop.type === 'array' || prop.type === 'object')) {
          errs.push(fieldInvalid(child(propertiesKey(child(path, 'items'), k), 'type'), items.type, "must be a scalar type if parent array's x-kubernetes-list-type is map"));
        } else if (!prop) {
          errs.push(fieldInvalid(child(path, 'x-kubernetes-list-map-keys'), mapKeys, 'entries must all be names of item properties'));
        }
        if (seen.has(k)) errs.push(fieldInvalid(child(path, 'x-kubernetes-list-map-keys'), mapKeys, 'must not contain duplicate entries'));
        seen.add(k);
      }
    }
  }
  if (items && (listType === 'set' || listType === 'map')) {
    if (items.nullable) errs.push(fieldForbidden(child(child(path, 'items'), 'nullable'), `cannot be nullable when x-kubernetes-list-type is ${listType}`));
    if (listType === 'map') {
      const required = new Set(items.required ?? []);
      for (const k of mapKeys) {
        const prop = propertySchema(items, k);
        if (!prop) continue;
        const propPath = propertiesKey(child(path, 'items'), k);
        if (!required.has(k) && !hasDefault(prop)) {
          errs.push(fieldRequired(child(propPath, 'default'), 'this property is in x-kubernetes-list-map-keys, so it must have a default or be a required property'));
        }
        if (prop.nullable) errs.push(fieldForbidden(child(propPath, 'nullable'), 'this property is in x-kubernetes-list-map-keys, so it cannot be nullable'));
      }
    }
  }
  return errs;
}

function validateSchemaNode(s: JSONSchemaProps, path: string, ctx: Context, isRoot: boolean): FieldError[] {
  const errs = validateNode(s, path, ctx);
  if (s.uniqueItems) errs.push(fieldForbidden(child(path, 'uniqueItems'), 'uniqueItems cannot be set to true since the runtime complexity becomes quadratic'));
  if (s.additionalProperties !== undefined) {
    if (!isZero(s.properties) && (s.additionalProperties === false || additionalPropertiesSchema(s))) {
      errs.push(fieldForbidden(child(path, 'additionalProperties'), 'additionalProperties and properties are mutual exclusive'));
    }
    const sub = ctx.insideResourceMeta ? withForbiddenDefaults(ctx, 'inside additionalProperties applying to object metadata') : ctx;
    const ap = additionalPropertiesSchema(s);
    if (ap) errs.push(...validateSchemaNode(ap, child(path, 'additionalProperties'), sub, false));
  }
  for (const [k, prop] of Object.entries(s.properties ?? {})) {
    let sub = ctx;
    if ((isRoot || s['x-kubernetes-embedded-resource'] === true) && META_FIELDS.has(k)) {
      sub = { ...sub, insideResourceMeta: true };
      if (isRoot) sub = withForbiddenDefaults(sub, `in top-level ${k}`);
    }
    errs.push(...validateSchemaNode(prop, propertiesKey(path, k), sub, false));
  }
  if (s.not) errs.push(...validateSchemaNode(s.not, child(path, 'not'), ctx, false));
  for (const key of ['allOf', 'oneOf', 'anyOf'] as const) {
    (s[key] ?? []).forEach((sub, i) => errs.push(...validateSchemaNode(sub, index(child(path, key), i), ctx, false)));
  }
  if (s.items && !Array.isArray(s.items)) errs.push(...validateSchemaNode(s.items, child(path, 'items'), ctx, false));
  if (Array.isArray(s.items)) {
    (s.items as JSONSchemaProps[]).forEach((sub, i) => errs.push(...validateSchemaNode(sub, index(child(path, 'items'), i), ctx, false)));
  }
  if (s['x-kubernetes-preserve-unknown-fields'] === false) {
    errs.push(fieldInvalid(child(path, 'x-kubernetes-preserve-unknown-fields'), false, 'must be true or undefined'));
  }
  errs.push(...validateListAndMapTypes(s, path));
  return errs;
}

/** The OpenAPI-schema rules for a v1 CRD version's `openAPIV3Schema` at `path`. */
export function validateOpenAPISchemaRules(schema: JSONSchemaProps, path: string): FieldError[] {
  return validateSchemaNode(schema, path, { allowDefaults: true, disallowDefaultsReason: '', insideResourceMeta: false }, true);
}
