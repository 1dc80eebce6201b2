/**
 * Values of a built-in kind that Go's JSON decoder refuses although k8ts' zod schemas may take
 * them, found by walking the body against upstream's wire schema (messages.json) rather than
 * against each zod schema: numbers that do not fit their field's Go integer type (`int32`,
 * `int64`), and `metav1.Time` values that `Time.UnmarshalJSON` refuses.
 */
import { timeDecodeError } from '../../pkg/api/validation/micro-time.ts';
import { goIntegerFits, goIntegerLiteralFits, goNumberText, isGoIntegerType } from './go-integers.ts';
import { jsonFields, messageFields, messageNameFor } from './protobuf/decode.ts';

/** Where a value is in a body: member names and item indexes. */
export type JsonPath = ReadonlyArray<string | number>;

/** One value Go's decoder refuses. */
export interface GoDecodeFailure {
  path: JsonPath;
  /** The decoder's error text, without the `<Kind> in version …` prefix. */
  message: string;
  /**
   * True when Go's decoder stops at this error (a `json.Unmarshaler` failed: it wins over any
   * other); false for a type error, which Go records and reports if it was the first.
   */
  aborts: boolean;
}

const META = 'k8s.io.apimachinery.pkg.apis.meta.v1';
const TIME = `${META}.Time`;
/** Types with a JSON form of their own rather than an object of their fields: not walked into. */
const LEAVES = new Set([
  `${META}.MicroTime`,
  `${META}.Duration`,
  `${META}.FieldsV1`,
  'k8s.io.apimachinery.pkg.util.intstr.IntOrString',
  'k8s.io.apimachinery.pkg.api.resource.Quantity',
  'k8s.io.apimachinery.pkg.runtime.RawExtension',
]);

/** Whether values of `type` can hold anything these checks refuse (else they are not walked). */
function checked(type: string): boolean {
  return isGoIntegerType(type) || type === TIME || (!LEAVES.has(type) && messageFields(type) !== undefined);
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

interface Walk {
  out: GoDecodeFailure[];
  literalAt?: (path: JsonPath) => string | undefined;
}

function walkMessage(walk: Walk, type: string, value: unknown, fieldPath: readonly string[], path: JsonPath): void {
  const fields = jsonFields(type);
  if (!fields || !isObject(value)) return; // a wrong JSON type is the schema's to report
  const struct = type.slice(type.lastIndexOf('.') + 1);
  for (const [key, v] of Object.entries(value)) {
    const spec = fields.get(key);
    if (!spec || v === null || v === undefined || !checked(spec.type === 'map' ? (spec.mapValue ?? 'string') : spec.type)) continue;
    const fp = [...fieldPath, key];
    const p = [...path, key];
    if (spec.type === 'map') {
      if (isObject(v)) for (const [k, item] of Object.entries(v)) walkValue(walk, spec.mapValue ?? 'string', item, struct, fp, [...p, k]);
    } else if (spec.repeated) {
      if (Array.isArray(v)) v.forEach((item, i) => walkValue(walk, spec.type, item, struct, fp, [...p, i]));
    } else walkValue(walk, spec.type, v, struct, fp, p);
  }
}

function walkValue(walk: Walk, type: string, value: unknown, struct: string, fieldPath: readonly string[], path: JsonPath): void {
  if (isGoIntegerType(type)) {
    if (typeof value !== 'number' || goIntegerFits(type, value)) return;
    // The literal as written, when the caller has the text (JS numbers lose long ones).
    const raw = walk.literalAt?.(path);
    const literal = raw !== undefined && /^-?\d/.test(raw) && Number(raw) === value ? raw : undefined;
    if (literal !== undefined && goIntegerLiteralFits(type, literal)) return;
    const text = literal ?? goNumberText(value);
    walk.out.push({ path, aborts: false, message: `json: cannot unmarshal number ${text} into Go struct field ${struct}.${fieldPath.join('.')} of type ${type}` });
  } else if (type === TIME) {
    const message = timeDecodeError(value);
    if (message) walk.out.push({ path, aborts: true, message });
  } else if (!LEAVES.has(type)) walkMessage(walk, type, value, fieldPath, path);
}

/**
 * What Go's decoder refuses in `object` (a body of a built-in kind, after JSON parsing) that a
 * type check of JSON types alone does not: every number in an integer field that is fractional
 * or outside the field's Go type (`json: cannot unmarshal number 1.5 into Go struct field
 * PodSpec.spec.terminationGracePeriodSeconds of type int64`), and every `metav1.Time` value
 * `time.Parse(time.RFC3339, v)` refuses, in document order. Struct and field path are Go's (the
 * innermost struct, JSON names from the root without indexes or map keys); a number is quoted as
 * `literalAt(path)` gives it, else as JS prints it. Empty for kinds without an upstream schema.
 */
export function goDecodeFailures(apiVersion: string, kind: string, object: unknown, literalAt?: (path: JsonPath) => string | undefined): GoDecodeFailure[] {
  const type = messageNameFor(apiVersion, kind);
  if (!type) return [];
  const walk: Walk = { out: [], literalAt };
  walkMessage(walk, type, object, [], []);
  return walk.out;
}
