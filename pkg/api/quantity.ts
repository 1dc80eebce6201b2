/**
 * Resource quantities (apimachinery `resource.Quantity`): parsing and the canonical form the
 * API server writes back (`0.5` → `500m`, `1024Mi` → `1Gi`, `1000m` → `1`). Values are held
 * exactly as a BigInt count of nano-units; anything finer is rounded up, as upstream does.
 */

/** The three upstream formats; the canonical form keeps the format of the input. */
export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

/**
 * A parsed quantity. `nano` is the exact value × 10^9 (finer precision rounded up, as upstream);
 * `value` is the same in base units as a float (bytes, or cores for cpu: `500m` → 0.5).
 */
export interface ParsedQuantity {
  nano: bigint;
  value: number;
  /** The value in milli-units, rounded up (`0.5` → 500). */
  milli: number;
  format: QuantityFormat;
}

const BINARY: Record<string, number> = { Ki: 1, Mi: 2, Gi: 3, Ti: 4, Pi: 5, Ei: 6 };
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const NANO = 10n ** 9n;
const PATTERN = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$/;

function ceilDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b === 0n ? q : a > 0n ? q + 1n : q;
}

/**
 * Parsed quantities by text (null: invalid). Objects repeat a handful of values (`100m`, `128Mi`)
 * thousands of times, and parsing with BigInts costs microseconds each. Only short texts are
 * kept, and the map is emptied when full, so its memory stays bounded whatever clients send.
 */
const parsed = new Map<string, Readonly<ParsedQuantity> | null>();
const PARSED_MAX_ENTRIES = 4096;
const PARSED_MAX_LENGTH = 40;

/** Upstream's `ErrFormatWrong`: the text is no number followed by suffix characters. */
export const QUANTITY_FORMAT_ERROR = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
/** A number followed by suffix characters that name no suffix (`500mi`, `1K`). */
const SUFFIX_SHAPED = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)[eEinumkKMGTP]*[-+]?\d*$/;

/**
 * Why a wire value is not a quantity, in the words of upstream's `resource.ParseQuantity` (what a
 * client sees when the API server cannot decode it); undefined when it is one.
 */
export function quantityDecodeError(input: string | number): string | undefined {
  if (parseQuantity(input)) return undefined;
  return SUFFIX_SHAPED.test(String(input)) ? "unable to parse quantity's suffix" : QUANTITY_FORMAT_ERROR;
}

/** Parses `700m`, `1.5Gi`, `1e3`, `2`; undefined when not a valid quantity. The result is frozen (shared). */
export function parseQuantity(input: string | number): Readonly<ParsedQuantity> | undefined {
  const text = typeof input === 'number' ? String(input) : input;
  const hit = parsed.get(text);
  if (hit !== undefined) return hit ?? undefined;
  const q = parseText(text);
  if (text.length <= PARSED_MAX_LENGTH) {
    if (parsed.size >= PARSED_MAX_ENTRIES) parsed.clear();
    parsed.set(text, q ?? null);
  }
  return q;
}

function parseText(text: string): Readonly<ParsedQuantity> | undefined {
  const m = PATTERN.exec(text);
  if (!m) return undefined;
  const [, sign, num, suffix = ''] = m;
  const [intPart = '', fracPart = ''] = num!.split('.');
  const digits = BigInt((intPart || '0') + fracPart);
  const fracLen = fracPart.length;
  let format: QuantityFormat = 'DecimalSI';
  let value: bigint;
  if (suffix in BINARY) {
    format = 'BinarySI';
    value = ceilDiv(digits * NANO * 1024n ** BigInt(BINARY[suffix]!), 10n ** BigInt(fracLen));
  } else {
    let exp: number;
    if (suffix in DECIMAL) exp = DECIMAL[suffix]!;
    else {
      format = 'DecimalExponent';
      exp = Number(suffix.slice(1));
      if (Math.abs(exp) > 100) return undefined;
    }
    const shift = exp + 9 - fracLen;
    value = shift >= 0 ? digits * 10n ** BigInt(shift) : ceilDiv(digits, 10n ** BigInt(-shift));
  }
  const nano = sign === '-' ? -value : value;
  return Object.freeze({ nano, value: Number(nano) / 1e9, milli: Number(ceilDiv(nano, 10n ** 6n)), format });
}

function decimalForm(nano: bigint, exponent: boolean): string {
  const neg = nano < 0n;
  let abs = neg ? -nano : nano;
  if (abs === 0n) return '0';
  let exp = -9;
  while (abs % 1000n === 0n) {
    abs /= 1000n;
    exp += 3;
  }
  // DecimalSI has no suffix beyond E (10^18): larger exponents use exponent notation.
  const si = Object.keys(DECIMAL).find((k) => DECIMAL[k] === exp);
  const suffix = !exponent && si !== undefined ? si : exp === 0 ? '' : `e${exp}`;
  return `${neg ? '-' : ''}${abs}${suffix}`;
}

/** The canonical string upstream serialises a quantity as; the input unchanged if unparsable. */
export function canonicalQuantity(input: string | number): string {
  const q = parseQuantity(input);
  if (!q) return String(input);
  return formatQuantity(q.nano, q.format);
}

/**
 * The canonical string of an exact value (nano-units) in a format, as upstream `Quantity.String()`
 * prints the result of arithmetic (a sum keeps the format of its first term).
 */
export function formatQuantity(nano: bigint, format: QuantityFormat): string {
  if (format === 'BinarySI' && nano % NANO === 0n) {
    let whole = nano / NANO;
    const abs = whole < 0n ? -whole : whole;
    if (abs >= 1024n) {
      let power = 0;
      while (whole % 1024n === 0n && power < 6) {
        whole /= 1024n;
        power++;
      }
      const suffix = Object.keys(BINARY).find((k) => BINARY[k] === power) ?? '';
      return `${whole}${suffix}`;
    }
  }
  return decimalForm(nano, format === 'DecimalExponent');
}

/** A whole number (bytes, a count) as upstream's `resource.NewQuantity(n, format)` prints it: `512Mi`, `1000`, `5k`. */
export function integerQuantity(value: number, format: QuantityFormat): string {
  return formatQuantity(BigInt(value) * NANO, format);
}

/** The value in milli-units, rounded up (`0.5` → 500, `1Gi` → 1073741824000). */
export function quantityToMilli(input: string | number): number {
  return parseQuantity(input)?.milli ?? 0;
}

/** Exact comparison of two quantities (`-1`, `0`, `1`). Unparsable values count as zero. */
export function compareQuantity(a: string | number, b: string | number): number {
  const x = parseQuantity(a)?.nano ?? 0n;
  const y = parseQuantity(b)?.nano ?? 0n;
  return x < y ? -1 : x > y ? 1 : 0;
}
