/**
 * How upstream prints a `resource.Quantity` passed by value as a field error's bad value.
 * `Quantity.String()` has a pointer receiver, so `field.Invalid(path, q, …)` falls back to Go's
 * `%#v`: `resource.Quantity{i:resource.int64Amount{value:2, scale:0}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:"2", Format:"DecimalSI"}`.
 * `value`/`scale` and the cached string `s` follow apimachinery's `ParseQuantity` fast path: the
 * input is kept in `s` only when it is already canonical (decimal: a scale that is a multiple of 3,
 * no trailing `000`, no leading zero; binary: a whole power-of-1024 suffix and a number that is
 * not a multiple of 8). Values off the fast path (e.g. `1.5Gi`) print their canonical form instead.
 */
import { canonicalQuantity } from '../quantity.ts';

const DECIMAL_EXPONENT: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_EXPONENT: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const PATTERN = /^([+-]?)(\d*)(?:\.(\d*))?(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$/;
const MAX_INT64 = 2n ** 63n - 1n;

function struct(value: bigint, scale: number, cached: string, format: string): string {
  return `resource.Quantity{i:resource.int64Amount{value:${value}, scale:${scale}}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:${JSON.stringify(cached)}, Format:${JSON.stringify(format)}}`;
}

/** The `%#v` text of a quantity (as the text it was decoded from); pure. */
export function goQuantityValue(input: string | number): string {
  const text = String(input).trim();
  if (text === '0') return struct(0n, 0, '0', 'DecimalSI');
  const m = PATTERN.exec(text);
  if (!m || (!m[2] && !m[3])) return JSON.stringify(text);
  const [, sign, num = '', denom = '', suffix = ''] = m;
  const binary = suffix in BINARY_EXPONENT;
  const format = binary ? 'BinarySI' : suffix in DECIMAL_EXPONENT ? 'DecimalSI' : 'DecimalExponent';
  const exponent = binary ? BINARY_EXPONENT[suffix]! : suffix in DECIMAL_EXPONENT ? DECIMAL_EXPONENT[suffix]! : Number(suffix.slice(1));
  const fallback = JSON.stringify(canonicalQuantity(text));
  const precision = binary ? (denom ? -1 : 15 - num.length - Math.trunc((exponent * 3) / 10) - 1) : 18 - (num.length + denom.length);
  const scale = (binary ? 0 : exponent) - denom.length;
  if (precision < 0 || scale < -9) return fallback;
  const shifted = num + denom;
  const digits = BigInt(shifted || '0');
  const result = digits * (binary ? 2n ** BigInt(exponent) : 1n);
  if (result > MAX_INT64) return fallback;
  const signed = sign === '-' ? -result : result;
  const canonical = binary ? exponent % 10 === 0 && (digits & 7n) !== 0n : scale % 3 === 0 && !shifted.endsWith('000') && shifted[0] !== '0';
  return struct(signed, scale, canonical ? text : '', format);
}
