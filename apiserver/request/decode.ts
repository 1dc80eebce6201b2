/**
 * Decoding a wire object with its resource's zod schema, as upstream's codec does: type errors
 * are 400s phrased like Go's JSON decoder, unknown fields are reported per `fieldValidation`.
 */
import type { z } from 'zod';
import type { KubeObject } from '../../pkg/api/meta.ts';
import { groupVersion, type ResourceInfo } from '../../pkg/api/resource.ts';
import { goFieldFacts } from './protobuf/decode.ts';
import { badRequest } from '../../pkg/errors/index.ts';
import { enforceFieldValidation, type FieldValidation } from './field-validation.ts';
import { dropNulls, findUnknownFields } from './unknown-fields.ts';

export interface DecodeOptions {
  fieldValidation: FieldValidation;
  /** Field paths the body repeated (Strict rejects them, Warn reports them). */
  duplicates?: string[];
}

export interface Decoded<T> {
  object: T;
  /** Warning texts to send as `Warning: 299` headers. */
  warnings: string[];
}

type SchemaInfo = Pick<ResourceInfo, 'group' | 'kind' | 'version' | 'schema'> & Partial<Pick<ResourceInfo, 'normalizeInput' | 'rawFields'>>;

/** `dropNulls`, except inside the kind's raw JSON fields. */
function withoutNulls(info: SchemaInfo, input: Record<string, unknown>): unknown {
  const raw = (info.rawFields ?? []).filter((f) => input[f] !== undefined && input[f] !== null);
  if (!raw.length) return dropNulls(input);
  const rest = dropNulls(Object.fromEntries(Object.entries(input).filter(([k]) => !raw.includes(k)))) as Record<string, unknown>;
  return { ...rest, ...Object.fromEntries(raw.map((f) => [f, input[f]])) };
}

/** Decodes `input` with `info.schema`; throws 400 on type errors and (Strict) unknown fields. */
export function decodeWithSchema(info: SchemaInfo, input: Record<string, unknown>, options: DecodeOptions): Decoded<KubeObject> {
  const clean = info.normalizeInput ? info.normalizeInput(withoutNulls(info, input)) : withoutNulls(info, input);
  const result = info.schema.safeParse(clean);
  if (!result.success) throw decodeError(info, clean, result.error);
  const object = result.data as KubeObject;
  const warnings = enforceFieldValidation(options.fieldValidation, {
    unknown: findUnknownFields(clean, object),
    duplicates: options.duplicates ?? [],
  });
  return { object, warnings };
}

/** The Go JSON type name of a JSON value. */
function jsonTypeName(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'object') return 'object';
  return typeof value;
}

const goTypeOf: Record<string, string> = {
  string: 'string',
  number: 'int32',
  int: 'int32',
  boolean: 'bool',
  object: 'map[string]interface {}',
  record: 'map[string]string',
  array: '[]interface {}',
};

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let node = root;
  for (const seg of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[seg as string];
  }
  return node;
}

function decodeError(info: SchemaInfo, input: unknown, error: z.ZodError): Error {
  const prefix = `${info.kind} in version "${info.version}" cannot be handled as a ${info.kind}`;
  const issue = pickIssue(error.issues);
  if (!issue) return badRequest(`${prefix}: ${error.message}`);
  const fieldPath = issue.path.filter((p) => typeof p === 'string').join('.');
  const actual = valueAt(input, issue.path);
  if (issue.code === 'invalid_type' && actual !== undefined) {
    const expected = String((issue as { expected?: string }).expected ?? 'object');
    // Built-in kinds name the innermost Go struct and type as upstream (EnvVar, string).
    const facts = goFieldFacts(groupVersion(info), info.kind, issue.path.filter((p): p is string => typeof p === 'string'));
    const goType = facts?.goType ?? goTypeOf[expected] ?? expected;
    const field = fieldPath ? `Go struct field ${facts?.struct ?? info.kind}.${fieldPath}` : `Go value`;
    return badRequest(`${prefix}: json: cannot unmarshal ${jsonTypeName(actual)} into ${field} of type ${goType}`);
  }
  // Refinements (quantities, base64 bytes, times) speak as the Go decoder they stand for.
  if (issue.code === 'custom') return badRequest(`${prefix}: ${issue.message}`);
  const where = fieldPath ? ` (field ${info.kind}.${fieldPath})` : '';
  return badRequest(`${prefix}: ${issue.message}${where}`);
}

/** The innermost, most specific issue (unions report nested issues). */
function pickIssue(issues: readonly z.core.$ZodIssue[]): z.core.$ZodIssue | undefined {
  for (const issue of issues) {
    if (issue.code === 'invalid_union') {
      const nested = (issue as { errors?: z.core.$ZodIssue[][] }).errors?.flat() ?? [];
      const inner = pickIssue(nested.map((n) => ({ ...n, path: [...issue.path, ...n.path] })));
      if (inner) return inner;
    }
    return issue;
  }
  return undefined;
}
