/**
 * String formats of the kube-openapi `strfmt.Default` registry, and the apiextensions rule that
 * strips formats a CRD schema may not use for its type before validating custom objects
 * (apiserver/validation/formats.go `StripUnsupportedFormatsPostProcessorForVersion`).
 *
 * `email` and `uri` are approximations of Go's `net/mail` and `url.ParseRequestURI`; the
 * others follow the upstream patterns and checksums.
 */
import { isIPv4, isIPv6 } from '../../validation/ip.ts';

type FormatCheck = (value: string) => boolean;

const k8sShortName = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const k8sLongName = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const hostnameChar = '[a-zA-Z0-9\\p{S}\\p{L}]';
const hostnameRe = new RegExp(
  `^(${hostnameChar}((-?${hostnameChar}{0,62})?)|(${hostnameChar}(([a-zA-Z0-9\\-\\p{S}\\p{L}]{0,61}${hostnameChar})?)(\\.)){1,}([a-zA-Z\\p{L}]){2,63})$`,
  'u',
);
const dateTimeTail = /^([0-9]{2}):([0-9]{2}):([0-9]{2})(.[0-9]+)?(z|([+-][0-9]{2}:[0-9]{2}))$/;
const base64Re = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{4})$/;
const octet = '(0|[1-9]\\d?|1\\d\\d?|2[0-4]\\d|25[0-5])';
const rgbRe = new RegExp(`^rgb\\(\\s*${octet}\\s*,\\s*${octet}\\s*,\\s*${octet}\\s*\\)$`);
const creditCardRe = /^(?:4[0-9]{12}(?:[0-9]{3})?|5[1-5][0-9]{14}|6(?:011|5[0-9][0-9])[0-9]{12}|3[47][0-9]{13}|3(?:0[0-5]|[68][0-9])[0-9]{11}|(?:2131|1800|35\d{3})\d{11})$/;
const durationUnits: string[][] = [['ns', 'nano'], ['us', 'µs', 'micro'], ['ms', 'milli'], ['s', 'sec'], ['m', 'min'], ['h', 'hr', 'hour'], ['d', 'day'], ['w', 'wk', 'week']];

/** Go `time.Parse("2006-01-02", s)`. */
function isDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1) return false;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= daysInMonth;
}

/** strfmt `IsDateTime`: a date, a `t`, then `hh:mm:ss[.frac](z|±hh:mm)` (case-insensitive). */
function isDateTime(value: string): boolean {
  if (value.length < 4) return false;
  const parts = value.toLowerCase().split('t');
  if (parts.length < 2 || !isDate(parts[0])) return false;
  const m = dateTimeTail.exec(parts[1]);
  return m !== null && m[1] <= '23' && m[2] <= '59' && m[3] <= '59';
}

function isHostname(value: string): boolean {
  return hostnameRe.test(value) && value.length <= 255 && value.split('.').every((p) => p.length <= 63);
}

function isCIDR(value: string): boolean {
  const slash = value.indexOf('/');
  if (slash < 0) return false;
  const ip = value.slice(0, slash);
  const prefix = value.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefix)) return false;
  if (isIPv4(ip)) return Number(prefix) <= 32;
  return isIPv6(ip) && Number(prefix) <= 128;
}

/** Go `net.ParseMAC`: 6, 8 or 20 octets joined by `:` or `-`, or dot-separated 4-digit groups. */
function isMAC(value: string): boolean {
  const colon = /^[0-9a-fA-F]{2}([:-])[0-9a-fA-F]{2}(\1[0-9a-fA-F]{2})*$/.exec(value);
  if (colon) return [6, 8, 20].includes(value.split(colon[1]).length);
  if (/^[0-9a-fA-F]{4}(\.[0-9a-fA-F]{4})*$/.test(value)) return [3, 4, 10].includes(value.split('.').length);
  return false;
}

function isISBN10(value: string): boolean {
  const s = value.replace(/[\s-]+/g, '');
  if (!/^(?:[0-9]{9}X|[0-9]{10})$/.test(s)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += (i + 1) * Number(s[i]);
  sum += 10 * (s[9] === 'X' ? 10 : Number(s[9]));
  return sum % 11 === 0;
}

function isISBN13(value: string): boolean {
  const s = value.replace(/[\s-]+/g, '');
  if (!/^[0-9]{13}$/.test(s)) return false;
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += (i % 2 === 0 ? 1 : 3) * Number(s[i]);
  return Number(s[12]) === (10 - (sum % 10)) % 10;
}

function isCreditCard(value: string): boolean {
  const s = value.replace(/[^0-9]+/g, '');
  if (!creditCardRe.test(s)) return false;
  let sum = 0;
  let double = false;
  for (let i = s.length - 1; i >= 0; i--) {
    let d = Number(s[i]);
    if (double) {
      d *= 2;
      if (d >= 10) d = (d % 10) + 1;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/** Go `time.ParseDuration`, else strfmt's lenient `<n> <unit>` form (`3 days`, `1hr`). */
function isDuration(value: string): boolean {
  if (/^[-+]?(0|(\d*(\.\d*)?(ns|us|µs|μs|ms|s|m|h))+)$/.test(value) && /\d/.test(value)) return true;
  let ok = false;
  for (const m of value.matchAll(/(\d+)\s*([A-Za-zµ]+)/g)) {
    if (!Number.isSafeInteger(Number(m[1]))) return false;
    const unit = m[2].trim().toLowerCase();
    for (const variants of durationUnits) {
      const last = variants.length - 1;
      if (variants.some((v, i) => (i === last && unit.startsWith(v)) || v === unit)) ok = true;
    }
  }
  return ok;
}

/** Approximates Go `mail.ParseAddress`: `local@domain`, optionally as `Name <local@domain>`. */
function isEmail(value: string): boolean {
  const addr = /<([^<>]*)>\s*$/.exec(value)?.[1] ?? value.trim();
  return /^[^\s@<>()[\],;:"]+@[^\s@<>()[\],;:"]+$/.test(addr);
}

/** Approximates Go `url.ParseRequestURI`: an absolute URI (`scheme:…`) or an absolute path. */
function isRequestURI(value: string): boolean {
  if (/[\s\x00-\x1f\x7f]/.test(value)) return false;
  return value.startsWith('/') || /^[A-Za-z][A-Za-z0-9+.-]*:.+/.test(value);
}

/** Registry of known formats by normalized name (dashes removed, as strfmt does). */
const knownFormats: Record<string, FormatCheck> = {
  bsonobjectid: (v) => /^[0-9a-fA-F]{24}$/.test(v),
  uri: isRequestURI,
  email: isEmail,
  hostname: isHostname,
  ipv4: (v) => isIPv4(v) || (isIPv6(v) && v.includes('.')),
  ipv6: isIPv6,
  cidr: isCIDR,
  mac: isMAC,
  uuid: (v) => /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i.test(v),
  uuid3: (v) => /^[0-9a-f]{8}-?[0-9a-f]{4}-?3[0-9a-f]{3}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i.test(v),
  uuid4: (v) => /^[0-9a-f]{8}-?[0-9a-f]{4}-?4[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$/i.test(v),
  uuid5: (v) => /^[0-9a-f]{8}-?[0-9a-f]{4}-?5[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$/i.test(v),
  isbn: (v) => isISBN10(v) || isISBN13(v),
  isbn10: isISBN10,
  isbn13: isISBN13,
  creditcard: isCreditCard,
  ssn: (v) => v.length === 11 && /^\d{3}[- ]?\d{2}[- ]?\d{4}$/.test(v),
  hexcolor: (v) => /^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/.test(v),
  rgbcolor: (v) => rgbRe.test(v),
  byte: (v) => base64Re.test(v),
  password: () => true,
  date: isDate,
  datetime: isDateTime,
  duration: isDuration,
  k8sshortname: (v) => v.length <= 63 && k8sShortName.test(v),
  k8slongname: (v) => v.length <= 253 && k8sLongName.test(v),
};

function normalize(format: string): string {
  return format.replace(/-/g, '');
}

/** True when the strfmt registry knows the format (so the format validator applies). */
export function isKnownFormat(format: string): boolean {
  return format !== '' && Object.prototype.hasOwnProperty.call(knownFormats, normalize(format));
}

/** True when a string satisfies a known format (unknown formats accept everything). */
export function matchesFormat(format: string, value: string): boolean {
  const check = knownFormats[normalize(format)];
  return check === undefined || check(value);
}

/**
 * The format a custom-object validator keeps for a schema node: string formats from the
 * registry for string (or untyped / int-or-string) nodes, int32/int64 for integers, float/double
 * for numbers; anything else is dropped ('').
 */
export function supportedFormat(types: readonly string[], format: string | undefined): string {
  if (!format) return '';
  const type = types.length === 1 ? types[0] : '';
  switch (type) {
    case '':
    case 'string':
      return isKnownFormat(format) ? format : '';
    case 'integer':
      return format === 'int32' || format === 'int64' ? format : '';
    case 'number':
      return format === 'float' || format === 'double' ? format : '';
    default:
      return '';
  }
}
