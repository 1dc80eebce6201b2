/**
 * A port of kube-openapi's `SchemaValidator` (validate/schema.go and friends) as the
 * apiextensions server runs it: per node the type, allOf/anyOf/oneOf/not, string, format,
 * number, array, enum and object validators, in that order, with the same error text, paths
 * (`spec.items[0].name`, `spec.labels.key`) and match counting (anyOf/oneOf report the failures
 * of the branch that matched most).
 */
import type { JSONSchemaProps } from './schema-props.ts';
import { additionalPropertiesSchema, propertySchema } from './schema-props.ts';
import { isKnownFormat, matchesFormat, supportedFormat } from './formats.ts';
import { compileGoRegexp } from './go-regexp.ts';
import { jsonEqual } from '../../../util/json-equal.ts';
import { isJsonObject, jsonKind } from './json-values.ts';
import { isFloat64AJSONInteger, numericTypeFormat, validateNumber } from './openapi-number.ts';
import {
  type Result,
  addErrors,
  duplicateItems,
  enumFail,
  failedPattern,
  invalidType,
  merge,
  newResult,
  plain,
  propertyNotAllowed,
  requiredError,
  single,
  tooFewItems,
  tooFewProperties,
  tooLong,
  tooManyItems,
  tooManyProperties,
  tooShort,
} from './openapi-errors.ts';

/** How the schema is turned into the validator's spec.Schema. */
export interface ValidatorOptions {
  /**
   * Custom objects: `x-kubernetes-int-or-string` means type `integer,string` and unsupported
   * formats are dropped (`ConvertJSONSchemaPropsWithPostProcess`). Defaults in a CRD are
   * validated against the structural schema as is (`ToKubeOpenAPI`): false.
   */
  customResource: boolean;
}

interface Node {
  types: string[];
  format: string;
}

function nodeOf(s: JSONSchemaProps, opts: ValidatorOptions): Node {
  let types = s.type ? [s.type] : [];
  if (opts.customResource && s['x-kubernetes-int-or-string'] === true) types = ['integer', 'string'];
  const format = opts.customResource ? supportedFormat(types, s.format) : (s.format ?? '');
  return { types, format };
}

/** The JSON type and Go-side format kube-openapi infers from a value (`schemaInfoForType`). */
function schemaInfo(value: unknown): { schType: string; format: string } {
  const kind = jsonKind(value);
  if (kind === 'integer') return { schType: 'integer', format: 'int64' };
  if (kind === 'number') return { schType: 'number', format: 'float64' };
  return { schType: kind, format: '' };
}

function validateType(node: Node, nullable: boolean, value: unknown, path: string): Result {
  const { types, format } = node;
  if (value === null || value === undefined) {
    if (types.length > 0 && !types.includes('null') && !nullable) return single(invalidType(path, types.join(','), 'null'));
    return { errors: [], matchCount: 1 };
  }
  const kind = jsonKind(value);
  const { schType, format: dataFormat } = schemaInfo(value);
  const isFloatInt = schType === 'number' && isFloat64AJSONInteger(value as number) && types.includes('integer');
  const isIntFloat = schType === 'integer' && types.includes('number');
  const stringOrSlice = kind === 'string' || kind === 'array';
  if (!stringOrSlice && format !== '' && !(types.includes(schType) || dataFormat === format || isFloatInt || isIntFloat)) {
    return single(invalidType(path, format, dataFormat));
  }
  if (!(types.includes('number') || types.includes('integer')) && format !== '' && stringOrSlice) return { errors: [], matchCount: 1 };
  if (!(types.includes(schType) || isFloatInt || isIntFloat)) return single(invalidType(path, types.join(','), schType));
  return { errors: [], matchCount: 1 };
}

function validateEnum(s: JSONSchemaProps, value: unknown, path: string): Result | undefined {
  const values = s.enum;
  if (!values || values.length === 0) return undefined;
  if (value !== null && value !== undefined && values.some((e) => e !== null && jsonEqual(value, e))) return undefined;
  return single(enumFail(path, value ?? null, values));
}

function validateString(s: JSONSchemaProps, value: string, path: string): Result | undefined {
  const length = [...value].length;
  if (s.maxLength !== undefined && length > s.maxLength) return single(tooLong(path, s.maxLength, value));
  if (s.minLength !== undefined && length < s.minLength) return single(tooShort(path, s.minLength, value));
  if (s.pattern) {
    const compiled = compileGoRegexp(s.pattern);
    if (!compiled.ok) return single(failedPattern(path, `${s.pattern}, but pattern is invalid: ${compiled.error}`, value));
    if (!compiled.re.test(value)) return single(failedPattern(path, s.pattern, value));
  }
  return undefined;
}

function validateSlice(s: JSONSchemaProps, value: unknown[], path: string, opts: ValidatorOptions): Result {
  const result = newResult();
  if (s.items) value.forEach((item, i) => merge(result, validateSchema(s.items as JSONSchemaProps, item, `${path}[${i}]`, opts)));
  if (s.minItems !== undefined && value.length < s.minItems) addErrors(result, tooFewItems(path, s.minItems, value.length));
  if (s.maxItems !== undefined && value.length > s.maxItems) addErrors(result, tooManyItems(path, s.maxItems, value.length));
  if (s.uniqueItems && value.some((v, i) => value.slice(0, i).some((u) => jsonEqual(u, v)))) addErrors(result, duplicateItems(path));
  result.matchCount++;
  return result;
}

function validateObject(s: JSONSchemaProps, value: Record<string, unknown>, path: string, opts: ValidatorOptions): Result {
  const result = newResult();
  const keys = Object.keys(value);
  if (s.minProperties !== undefined && keys.length < s.minProperties) addErrors(result, tooFewProperties(path, s.minProperties, keys.length));
  if (s.maxProperties !== undefined && keys.length > s.maxProperties) addErrors(result, tooManyProperties(path, s.maxProperties, keys.length));
  const additional = additionalPropertiesSchema(s);
  for (const key of keys) {
    if (propertySchema(s, key)) continue;
    if (s.additionalProperties === false) addErrors(result, propertyNotAllowed(path, key));
    else if (additional) merge(result, validateSchema(additional, value[key], `${path}.${key}`, opts));
  }
  for (const [name, sub] of Object.entries(s.properties ?? {})) {
    if (Object.prototype.hasOwnProperty.call(value, name)) merge(result, validateSchema(sub, value[name], path ? `${path}.${name}` : name, opts));
  }
  for (const name of s.required ?? []) {
    if (!Object.prototype.hasOwnProperty.call(value, name)) addErrors(result, requiredError(`${path}.${name}`));
  }
  return result;
}

/** allOf / anyOf / oneOf / not (`schemaPropsValidator`). */
function validateSchemaProps(s: JSONSchemaProps, value: unknown, path: string, opts: ValidatorOptions): Result {
  const main = newResult();
  if (s.anyOf && s.anyOf.length > 0) {
    let best: Result | undefined;
    let firstSuccess: Result | undefined;
    for (const sub of s.anyOf) {
      const r = validateSchema(sub, value, path, opts);
      if (r.errors.length === 0) {
        best = undefined;
        firstSuccess = r;
        break;
      }
      if (!best || r.matchCount > best.matchCount) best = r;
    }
    if (!firstSuccess) addErrors(main, plain(`${JSON.stringify(path)} must validate at least one schema (anyOf)`));
    merge(main, best ?? firstSuccess);
  }
  if (s.oneOf && s.oneOf.length > 0) {
    let best: Result | undefined;
    let firstSuccess: Result | undefined;
    let validated = 0;
    for (const sub of s.oneOf) {
      const r = validateSchema(sub, value, path, opts);
      if (r.errors.length === 0) {
        validated++;
        best = undefined;
        firstSuccess ??= r;
        continue;
      }
      if (validated === 0 && (!best || r.matchCount > best.matchCount)) best = r;
    }
    if (validated !== 1) {
      const detail = validated === 0 ? 'Found none valid' : `Found ${validated} valid alternatives`;
      addErrors(main, plain(`${JSON.stringify(path)} must validate one and only one schema (oneOf). ${detail}`));
      merge(main, best);
    } else {
      merge(main, firstSuccess);
    }
  }
  if (s.allOf && s.allOf.length > 0) {
    let validated = 0;
    for (const sub of s.allOf) {
      const r = validateSchema(sub, value, path, opts);
      if (r.errors.length === 0) validated++;
      merge(main, r);
    }
    if (validated !== s.allOf.length) {
      addErrors(main, plain(`${JSON.stringify(path)} must validate all the schemas (allOf)${validated === 0 ? '. None validated' : ''}`));
    }
  }
  if (s.not && validateSchema(s.not, value, path, opts).errors.length === 0) {
    addErrors(main, plain(`${JSON.stringify(path)} must not validate the schema (not)`));
  }
  main.matchCount++;
  return main;
}

/**
 * Validates `value` at data path `path` ('' for the root) against schema node `s`; the result
 * holds kube-openapi errors (see `toFieldErrors`) and the match count.
 */
export function validateSchema(s: JSONSchemaProps, value: unknown, path: string, opts: ValidatorOptions): Result {
  const node = nodeOf(s, opts);
  const nullable = s.nullable === true;
  const result = newResult();
  if (value === null || value === undefined) {
    merge(result, validateType(node, nullable, null, path));
    merge(result, validateEnum(s, null, path));
    return result;
  }
  const kind = jsonKind(value);
  const step = (r: Result | undefined): void => {
    merge(result, r);
    result.matchCount++;
  };
  if (node.types.length > 0 || node.format !== '') step(validateType(node, nullable, value, path));
  step(validateSchemaProps(s, value, path, opts));
  if (kind === 'string') step(validateString(s, value as string, path));
  if (kind === 'string' && isKnownFormat(node.format)) {
    step(matchesFormat(node.format, value as string) ? undefined : single(invalidType(path, node.format, value as string)));
  }
  if (kind === 'integer' || kind === 'number') {
    const { typeName, format } = numericTypeFormat(node.types, node.format);
    step(validateNumber(s, value as number, path, typeName, format));
  }
  if (kind === 'array') step(validateSlice(s, value as unknown[], path, opts));
  step(validateEnum(s, value, path));
  if (isJsonObject(value)) step(validateObject(s, value, path, opts));
  result.matchCount++;
  return result;
}
