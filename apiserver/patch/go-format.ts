/**
 * Go's `fmt` rendering of decoded JSON values (`%v` and `reflect.TypeOf`), so error messages
 * that upstream builds with `fmt.Errorf("... %v", value)` read byte for byte the same.
 * JSON numbers that are integers print as Go `int64` values (upstream decodes patches with
 * `PreserveInts`), others as `float64`.
 */

/** `fmt.Sprintf("%v", v)` for a value decoded from JSON: `map[a:1 b:[x y]]`, `<nil>`, `1e+06`. */
export function goValue(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return goNumber(v);
  if (Array.isArray(v)) return `[${v.map(goValue).join(' ')}]`;
  if (typeof v === 'object') {
    const entries = Object.keys(v as object)
      .sort()
      .map((k) => `${k}:${goValue((v as Record<string, unknown>)[k])}`);
    return `map[${entries.join(' ')}]`;
  }
  return String(v);
}

/** The Go type name `reflect.TypeOf(v)` prints for a decoded JSON value. */
export function goTypeName(v: unknown): string {
  if (v === null || v === undefined) return '%!s(<nil>)';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return isGoInt(v) ? 'int64' : 'float64';
  if (Array.isArray(v)) return '[]interface {}';
  return 'map[string]interface {}';
}

export { jsonKindName } from '../../pkg/api/validation/json-kind.ts';

function isGoInt(n: number): boolean {
  return Number.isInteger(n) && Math.abs(n) < 2 ** 63;
}

function goNumber(n: number): string {
  if (isGoInt(n)) return BigInt(n).toString();
  if (!Number.isFinite(n)) return n > 0 ? '+Inf' : n < 0 ? '-Inf' : 'NaN';
  // %v of a float64 is %g with the shortest precision: exponent form below 1e-4 or from 1e6.
  const exp = Number(n.toExponential().split('e')[1]);
  if (exp < -4 || exp >= 6) {
    const [mantissa, e] = n.toExponential().split('e');
    const sign = e.startsWith('-') ? '-' : '+';
    const digits = e.replace(/^[+-]/, '').padStart(2, '0');
    return `${mantissa}e${sign}${digits}`;
  }
  return String(n);
}
