/**
 * Decoding of a versioned configuration object (AdmissionConfiguration, a plugin's
 * configuration) as upstream's universal decoder does it: `kind` then `apiVersion` must be
 * present, the group/version/kind must be one the reader knows, then the body is checked by
 * a zod schema — strictly (unknown fields are an error) when the upstream codec is strict.
 * Messages follow upstream's (`Object 'Kind' is missing in '…'`, `no kind "X" is registered
 * for version "g/v"`, `strict decoding error: unknown field "f"`). Pure.
 */
import type { z } from 'zod';

/** What {@link decodeConfigObject} accepts. */
export interface DecodeSpec<T> {
  group: string;
  /** Versions of `group` serving `kind`. */
  versions: readonly string[];
  kind: string;
  /** The body's schema (use `.strict()` objects when `strict`). */
  schema: z.ZodType<T>;
  /** Report unknown fields (upstream's strict codec), else ignore them. */
  strict: boolean;
  /** Other group/versions serving the kind (e.g. AdmissionConfiguration's `apiserver.k8s.io/v1alpha1`). */
  alsoServedBy?: readonly string[];
  /** The text the object was read from, quoted in "is missing" errors (default: its JSON). */
  source?: string;
}

/** The decoded value, or upstream's error text. */
export type DecodeResult<T> = { ok: true; value: T } | { ok: false; message: string };

const typeName = (value: unknown) => (Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value);

/** Follows a zod issue path into the raw input. */
function at(raw: unknown, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>((v, k) => (v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined), raw);
}

/** Checks apiVersion/kind, then the body. */
export function decodeConfigObject<T>(raw: unknown, spec: DecodeSpec<T>): DecodeResult<T> {
  const source = spec.source ?? JSON.stringify(raw);
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return { ok: false, message: `couldn't get version/kind; json parse error: cannot unmarshal ${typeName(raw)} into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }` };
  const { apiVersion, kind } = raw as { apiVersion?: unknown; kind?: unknown };
  if (typeof kind !== 'string' || kind === '') return { ok: false, message: `Object 'Kind' is missing in '${source}'` };
  if (typeof apiVersion !== 'string' || apiVersion === '') return { ok: false, message: `Object 'apiVersion' is missing in '${source}'` };
  const served = [...spec.versions.map((v) => `${spec.group}/${v}`), ...(spec.alsoServedBy ?? [])];
  if (kind !== spec.kind || !served.includes(apiVersion)) return { ok: false, message: `no kind "${kind}" is registered for version "${apiVersion}"` };
  const parsed = spec.schema.safeParse(raw);
  if (parsed.success) return { ok: true, value: parsed.data };
  const unknown = parsed.error.issues.flatMap((issue) => (issue.code === 'unrecognized_keys' ? issue.keys.map((k) => [...issue.path, k].join('.')) : []));
  const other = parsed.error.issues.filter((issue) => issue.code !== 'unrecognized_keys');
  if (other.length) {
    const issue = other[0];
    const expected = 'expected' in issue ? String(issue.expected) : issue.message;
    return { ok: false, message: `json: cannot unmarshal ${typeName(at(raw, issue.path))} into Go struct field ${spec.kind}.${issue.path.join('.')} of type ${expected}` };
  }
  if (spec.strict && unknown.length) return { ok: false, message: `strict decoding error: ${unknown.map((f) => `unknown field "${f}"`).join(', ')}` };
  return { ok: true, value: raw as T };
}
