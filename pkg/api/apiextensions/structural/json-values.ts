/**
 * JSON values as the Go API server sees them after decoding: integers (int64) vs other numbers
 * (float64), plus the Go `%v` / `%q` / `json.Marshal` renderings that upstream error text uses.
 */

/** The JSON type of a decoded value, as kube-openapi names it. */
export type JsonKind = 'null' | 'boolean' | 'string' | 'integer' | 'number' | 'array' | 'object';

const INT64_LIMIT = 2 ** 63;

/** True for a JSON object (not null, not an array). */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The kind of a decoded JSON value. Numbers that are whole and fit int64 are `integer` (the Go
 * decoder yields int64 for them), every other number is `number` (float64).
 */
export function jsonKind(value: unknown): JsonKind {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'number') return isInt64(value) ? 'integer' : 'number';
  if (Array.isArray(value)) return 'array';
  return 'object';
}

/** True when a number decodes to Go int64. */
export function isInt64(n: number): boolean {
  return Number.isInteger(n) && n >= -INT64_LIMIT && n < INT64_LIMIT;
}

/**
 * Go's `%v` of a float64 (shortest `%g`: exponent form below 1e-4 and from 1e6 up):
 * `1.5`, `100000`, `1e+06`, `1.234567e+06`, `1e-05`.
 */
export function formatGoFloat(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? '+Inf' : '-Inf';
  if (n === 0) return Object.is(n, -0) ? '-0' : '0';
  const [mantissa, expText] = n.toExponential().split('e');
  const exp = Number(expText);
  if (exp < -4 || exp >= 6) {
    const abs = Math.abs(exp);
    return `${mantissa}e${exp < 0 ? '-' : '+'}${abs < 10 ? `0${abs}` : abs}`;
  }
  return String(n);
}

/** Go's `%v` of a decoded JSON number: integers in decimal, other numbers as float64. */
export function formatGoNumber(n: number): string {
  return isInt64(n) ? String(n) : formatGoFloat(n);
}

/** Go's `json.Marshal` of a decoded JSON value: sorted object keys, HTML characters escaped. */
export function goJson(value: unknown): string {
  const sorted = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sorted);
    if (isJsonObject(v)) {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(v).sort()) out[k] = sorted(v[k]);
      return out;
    }
    return v;
  };
  const text = JSON.stringify(sorted(value)) ?? 'null';
  return text.replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

/**
 * How upstream `field.Error` prints a bad value: strings quoted (`%q`), numbers and booleans
 * with `%v`, null as `null`, anything else as JSON.
 */
export function goValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return formatGoNumber(value);
  if (typeof value === 'boolean') return String(value);
  return goJson(value);
}

