/**
 * ResourceList arithmetic for quota (upstream pkg/quota/v1/resources.go): lists are
 * `{ name: quantity }` maps; sums keep the format of the first non-zero operand, as
 * apimachinery's `Quantity.Add` does, so `600Mi + 100Mi` prints `700Mi` and `0 + 1Gi` prints `1Gi`.
 * Every function is pure and returns a new list.
 */
import { canonicalQuantity, parseQuantity, type QuantityFormat } from '../api/quantity.ts';

/** Quantities by resource name (`requests.cpu: "500m"`). */
export type ResourceList = Record<string, string | number>;

const NANO = 10n ** 9n;

function nanoOf(q: string | number | undefined): bigint {
  return q === undefined ? 0n : (parseQuantity(q)?.nano ?? 0n);
}

function formatOf(q: string | number | undefined): QuantityFormat {
  return q === undefined ? 'DecimalSI' : (parseQuantity(q)?.format ?? 'DecimalSI');
}

/** The canonical text of `nano` (value × 10⁹) in `format` (apimachinery `Quantity.String`). */
export function formatNano(nano: bigint, format: QuantityFormat): string {
  if (format === 'BinarySI' && nano % NANO === 0n) {
    const whole = nano / NANO;
    const abs = whole < 0n ? -whole : whole;
    if (abs >= 1024n && whole % 1024n === 0n) return canonicalQuantity(`${whole / 1024n}Ki`);
    return String(whole);
  }
  if (format === 'DecimalExponent') return canonicalQuantity(`${nano}e-9`);
  return canonicalQuantity(`${nano}n`);
}

/** `a + b` with the receiver's format (b's when a is zero), as `Quantity.Add`. */
export function addQuantity(a: string | number | undefined, b: string | number | undefined): string {
  const x = nanoOf(a);
  const format = x === 0n && b !== undefined ? formatOf(b) : formatOf(a ?? b);
  return formatNano(x + nanoOf(b), format);
}

/** `a - b` in a's format. */
export function subtractQuantity(a: string | number | undefined, b: string | number | undefined): string {
  return formatNano(nanoOf(a) - nanoOf(b), formatOf(a ?? b));
}

export function compareQuantities(a: string | number | undefined, b: string | number | undefined): number {
  const x = nanoOf(a);
  const y = nanoOf(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Upstream `quota.Add`: keys of both, summed where both have them. */
export function addLists(a: ResourceList, b: ResourceList): ResourceList {
  const out: ResourceList = {};
  for (const [k, v] of Object.entries(a)) out[k] = k in b ? addQuantity(v, b[k]) : formatNano(nanoOf(v), formatOf(v));
  for (const [k, v] of Object.entries(b)) if (!(k in a)) out[k] = formatNano(nanoOf(v), formatOf(v));
  return out;
}

/** Upstream `SubtractWithNonNegativeResult`: `a - b` per key of a, floored at zero. */
export function subtractNonNegative(a: ResourceList, b: ResourceList): ResourceList {
  const out: ResourceList = {};
  for (const [k, v] of Object.entries(a)) {
    const diff = nanoOf(v) - nanoOf(b[k]);
    out[k] = formatNano(diff > 0n ? diff : 0n, formatOf(v));
  }
  return out;
}

/** Upstream `Mask`: only the given names. */
export function maskList(list: ResourceList, names: Iterable<string>): ResourceList {
  const out: ResourceList = {};
  for (const name of names) if (name in list) out[name] = list[name]!;
  return out;
}

/** Upstream `RemoveZeros`. */
export function removeZeros(list: ResourceList): ResourceList {
  return Object.fromEntries(Object.entries(list).filter(([, v]) => nanoOf(v) !== 0n));
}

/** Upstream `IsNegative`: the names with a negative quantity, sorted. */
export function negativeNames(list: ResourceList): string[] {
  return Object.keys(list).filter((k) => nanoOf(list[k]) < 0n).sort();
}

/** Upstream `LessThanOrEqual`: the names of `a` above their value in `b` (names absent from `b` are not limited). */
export function exceededNames(a: ResourceList, b: ResourceList): string[] {
  return Object.keys(a).filter((k) => k in b && nanoOf(a[k]) > nanoOf(b[k])).sort();
}

/** Upstream `quota.Equals`: same names, equal values. */
export function listsEqual(a: ResourceList | undefined, b: ResourceList | undefined): boolean {
  const x = a ?? {};
  const y = b ?? {};
  const keys = Object.keys(x);
  return keys.length === Object.keys(y).length && keys.every((k) => k in y && nanoOf(x[k]) === nanoOf(y[k]));
}

/** Upstream `prettyPrint`: `name=value` sorted by name, joined by commas. */
export function prettyPrintList(list: ResourceList): string {
  return Object.keys(list).sort().map((k) => `${k}=${formatNano(nanoOf(list[k]), formatOf(list[k]))}`).join(',');
}

/** The quantity in canonical form. */
export function canonical(q: string | number): string {
  return formatNano(nanoOf(q), formatOf(q));
}
