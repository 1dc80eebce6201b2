/**
 * Decoding a wire object with its resource's zod schema, as upstream's codec does: type errors
 * are {@link BodyDecodeError}s phrased like Go's JSON decoder, unknown fields are reported per
 * `fieldValidation`.
 */
import type { z } from 'zod';
import type { KubeObject } from '../../pkg/api/meta.ts';
import { groupVersion, type ResourceInfo } from '../../pkg/api/resource.ts';
import { goFieldFacts } from './protobuf/decode.ts';
import { BodyDecodeError } from './body-decode-error.ts';
import { enforceFieldValidation, type FieldValidation } from './field-validation.ts';
import { dropNulls, findUnknownFieldPaths, formatFieldPath, type FieldPath } from './unknown-fields.ts';
import { goDecodeFailures, type GoDecodeFailure, type JsonPath } from './go-field-values.ts';
import { jsonLiteralAt } from './json-literal.ts';
import { jsonKindName } from '../../pkg/api/validation/json-kind.ts';

export interface DecodeOptions {
  fieldValidation: FieldValidation;
  /** Field paths the body repeated (Strict rejects them, Warn reports them). */
  duplicates?: string[];
  /** The body's JSON text, when it came as JSON: error messages then quote numbers as written. */
  text?: string;
}

export interface Decoded<T> {
  object: T;
  /** Warning texts to send as `Warning: 299` headers. */
  warnings: string[];
  /** The input's fields the schema does not know (dropped from `object`), whatever `fieldValidation` did with them. */
  unknownFields: FieldPath[];
}

type SchemaInfo = Pick<ResourceInfo, 'group' | 'kind' | 'version' | 'schema'> & Partial<Pick<ResourceInfo, 'normalizeInput' | 'rawFields' | 'customResource'>>;

/** `dropNulls`, except inside the kind's raw JSON fields. */
function withoutNulls(info: SchemaInfo, input: Record<string, unknown>): unknown {
  const raw = (info.rawFields ?? []).filter((f) => input[f] !== undefined && input[f] !== null);
  if (!raw.length) return dropNulls(input);
  const rest = dropNulls(Object.fromEntries(Object.entries(input).filter(([k]) => !raw.includes(k)))) as Record<string, unknown>;
  return { ...rest, ...Object.fromEntries(raw.map((f) => [f, input[f]])) };
}

/**
 * Decodes `input` with `info.schema`; throws a {@link BodyDecodeError} on type errors and
 * (Strict) unknown or duplicate fields.
 * Built-in kinds are also held to Go's decoder where the zod schemas are looser: numbers must
 * fit their field's Go integer type (int32/int64 per upstream's wire schema) and metav1.Time
 * values must parse as RFC 3339, failing in Go's words (`json: cannot unmarshal number
 * 99999999999 into Go struct field DeploymentSpec.spec.replicas of type int32`). Which error is
 * reported follows Go: a failing Time (an Unmarshaler, which stops Go's decoder) or zod
 * refinement before anything else, then the first type error in document order. Custom
 * resources are checked by their schema alone.
 */
export function decodeWithSchema(info: SchemaInfo, input: Record<string, unknown>, options: DecodeOptions): Decoded<KubeObject> {
  const clean = info.normalizeInput ? info.normalizeInput(withoutNulls(info, input)) : withoutNulls(info, input);
  const result = info.schema.safeParse(clean);
  const { text } = options;
  const literalAt = text === undefined ? undefined : (path: JsonPath) => jsonLiteralAt(text, path);
  const failures = info.customResource ? [] : goDecodeFailures(groupVersion(info), info.kind, clean, literalAt);
  if (!result.success || failures.length) throw decodeError(info, clean, result.success ? [] : result.error.issues, failures);
  const object = result.data as KubeObject;
  const unknownFields = findUnknownFieldPaths(clean, object);
  const warnings = enforceFieldValidation(options.fieldValidation, {
    unknown: unknownFields.map(formatFieldPath),
    duplicates: options.duplicates ?? [],
  });
  return { object, warnings, unknownFields };
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

/**
 * Orders two paths in `root` as they appear in the document: member order of the object where
 * they part, item order in arrays, a path before those under it.
 */
function documentOrder(root: unknown, a: JsonPath, b: JsonPath): number {
  let node = root;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] !== b[i]) {
      if (typeof a[i] === 'number' && typeof b[i] === 'number') return (a[i] as number) - (b[i] as number);
      const keys = node !== null && typeof node === 'object' ? Object.keys(node) : [];
      return keys.indexOf(String(a[i])) - keys.indexOf(String(b[i]));
    }
    node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[a[i] as string] : undefined;
  }
  return a.length - b.length;
}

const pathKey = (path: readonly PropertyKey[]) => JSON.stringify(path.map(String));

function decodeError(info: SchemaInfo, input: unknown, issues: readonly z.core.$ZodIssue[], failures: readonly GoDecodeFailure[]): BodyDecodeError {
  // Zod's word on a number Go's integer check already judged is superseded by Go's.
  const judged = new Set(failures.map((f) => pathKey(f.path)));
  const first = <T extends { path: readonly PropertyKey[] }>(list: T[]): T | undefined => list.sort((x, y) => documentOrder(input, x.path as JsonPath, y.path as JsonPath))[0];
  const resolved = issues.filter((i) => !judged.has(pathKey(i.path))).map(resolveUnion);
  // Go reports the first type error in document order (it saves one and decodes on).
  const issue = first(resolved.filter((i) => i.code !== 'custom'));
  const stop = first([
    ...failures.filter((f) => f.aborts),
    ...resolved.filter((i) => i.code === 'custom').map((i) => ({ path: i.path as JsonPath, message: i.message })),
  ]);
  if (stop) return new BodyDecodeError(stop.message);
  const typeError = failures.find((f) => !f.aborts);
  if (typeError && (!issue || documentOrder(input, typeError.path, issue.path as JsonPath) < 0)) return new BodyDecodeError(typeError.message);
  if (!issue) return new BodyDecodeError('unknown decode failure'); // unreachable: there is a failure or an issue
  const fieldPath = issue.path.filter((p) => typeof p === 'string').join('.');
  const actual = valueAt(input, issue.path);
  if (issue.code === 'invalid_type' && actual !== undefined) {
    const expected = String((issue as { expected?: string }).expected ?? 'object');
    // Built-in kinds name the innermost Go struct and type as upstream (EnvVar, string).
    const facts = goFieldFacts(groupVersion(info), info.kind, issue.path as JsonPath);
    const goType = facts?.goType ?? goTypeOf[expected] ?? expected;
    const field = fieldPath ? `Go struct field ${facts?.struct ?? info.kind}.${facts?.fieldPath ?? fieldPath}` : `Go value`;
    return new BodyDecodeError(`json: cannot unmarshal ${jsonKindName(actual)} into ${field} of type ${goType}`, { value: actual, goType });
  }
  const where = fieldPath ? ` (field ${info.kind}.${fieldPath})` : '';
  return new BodyDecodeError(`${issue.message}${where}`);
}

/** A union's issue as its first nested one, innermost (unions report nested issues); others as they are. */
function resolveUnion(issue: z.core.$ZodIssue): z.core.$ZodIssue {
  if (issue.code !== 'invalid_union') return issue;
  const inner = (issue as { errors?: z.core.$ZodIssue[][] }).errors?.flat()[0];
  return inner ? resolveUnion({ ...inner, path: [...issue.path, ...inner.path] } as z.core.$ZodIssue) : issue;
}
