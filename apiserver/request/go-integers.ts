/**
 * Go's encoding/json rules for a JSON number decoded into an integer field: the literal must
 * parse with `strconv.ParseInt(literal, 10, 64)` (digits only, no fraction or exponent) and fit
 * the field's type, else `json: cannot unmarshal number <literal> into … of type int32`.
 */

const RANGES: Record<string, readonly [bigint, bigint]> = {
  int32: [-(2n ** 31n), 2n ** 31n - 1n],
  int64: [-(2n ** 63n), 2n ** 63n - 1n],
  uint32: [0n, 2n ** 32n - 1n],
  uint64: [0n, 2n ** 64n - 1n],
};

/** Whether `goType` is a Go integer type these rules cover (`int32`, `int64`, `uint32`, `uint64`). */
export function isGoIntegerType(goType: string): boolean {
  return goType in RANGES;
}

/**
 * Whether Go would take the JSON number `n` (as JSON.parse gave it) into an integer of
 * `goType`: a whole number within the type's range. Exact except where the double lost the
 * literal (`1.0` and `1e3` read as whole numbers; Go refuses both) or rounded it across a bound.
 */
export function goIntegerFits(goType: string, n: number): boolean {
  const range = RANGES[goType];
  if (!range) return true;
  if (!Number.isInteger(n)) return false;
  const big = BigInt(n);
  return big >= range[0] && big <= range[1];
}

/** Whether Go takes a JSON number literal (its exact text) into an integer of `goType`. */
export function goIntegerLiteralFits(goType: string, literal: string): boolean {
  const range = RANGES[goType];
  if (!range) return true;
  if (!/^-?\d+$/.test(literal)) return false;
  const big = BigInt(literal);
  return big >= range[0] && big <= range[1];
}

/**
 * The text of a JSON number as Go's error quotes it when the literal is gone: JS's shortest
 * round-trip form, spelled out in digits for whole numbers JS would write with an exponent.
 */
export function goNumberText(n: number): string {
  const text = String(n);
  return Number.isInteger(n) && /e/i.test(text) ? BigInt(n).toString() : text;
}
