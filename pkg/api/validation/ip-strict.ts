/**
 * Strict IP and CIDR checks of upstream's newer API fields (apimachinery validation `IsValidIP` and
 * `IsValidCIDR` since 1.33): the value must parse as Go's `netip` does (no leading zeros, no
 * IPv4-mapped IPv6 address, no bits beyond the prefix) and be in canonical form. Pure; used by
 * ServiceCIDR and IPAddress.
 */
import type { FieldError } from '../../errors/index.ts';
import { invalidValue } from './field-errors.ts';
import { isIPv4, isIPv6 } from './ip.ts';
import { ipv4Bits, ipv6Bits } from './ip-bits.ts';

/** An address as family + 128-bit (or 32-bit) value. */
export interface Parsed {
  v6: boolean;
  value: bigint;
}

export const V4_STRICT = /^(0|[1-9]\d{0,2})(\.(0|[1-9]\d{0,2})){3}$/;

/** Parses like Go's sloppy parser (leading zeros allowed in IPv4); undefined when not an address. */
export function parseSloppy(text: string): Parsed | undefined {
  if (isIPv4(text)) return { v6: false, value: ipv4Bits(text) };
  if (isIPv6(text)) return { v6: true, value: ipv6Bits(text) };
  return undefined;
}

/** An IPv4-mapped IPv6 address (`::ffff:1.2.3.4`). */
export function is4In6(p: Parsed): boolean {
  return p.v6 && p.value >> 32n === 0xffffn;
}

/** Go's `netip.Addr.String()`: dotted quad, or RFC 5952 IPv6 (longest run of ≥ 2 zero groups as `::`). */
export function canonicalIP(p: Parsed): string {
  if (!p.v6) return [24n, 16n, 8n, 0n].map((s) => String((p.value >> s) & 0xffn)).join('.');
  if (is4In6(p)) return `::ffff:${canonicalIP({ v6: false, value: p.value & 0xffffffffn })}`;
  const groups = Array.from({ length: 8 }, (_, i) => Number((p.value >> BigInt((7 - i) * 16)) & 0xffffn));
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) [bestStart, bestLen] = [i, j - i];
    i = j === i ? i + 1 : j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

/** Canonical text of an address, or undefined when `text` is not one (sloppy parse). */
export function canonicalIPText(text: string): string | undefined {
  const p = parseSloppy(text);
  return p && canonicalIP(p);
}

/** Upstream `IsValidIP` (strict): the problems with `value`, as detail strings. */
export function strictIPProblems(value: string): string[] {
  const p = parseSloppy(value);
  if (!p) return ['must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'];
  const problems: string[] = [];
  if (!p.v6 && !V4_STRICT.test(value)) problems.push('must not have leading 0s');
  if (is4In6(p)) problems.push('must not be an IPv4-mapped IPv6 address');
  if (problems.length) return problems;
  const canonical = canonicalIP(p);
  return value === canonical ? [] : [`must be in canonical form (${JSON.stringify(canonical)})`];
}

/** Upstream `IsValidIP` (strict, canonical) as field errors. */
export function validateStrictIP(path: string, value: string): FieldError[] {
  return strictIPProblems(value).map((msg) => invalidValue(path, value, msg));
}

/** Upstream `IsValidCIDR` (strict, canonical, no bits beyond the prefix length). */
export function validateStrictCIDR(path: string, value: string): FieldError[] {
  const slash = value.indexOf('/');
  const ipText = slash > 0 ? value.slice(0, slash) : '';
  const bitsText = slash > 0 ? value.slice(slash + 1) : '';
  const p = ipText ? parseSloppy(ipText) : undefined;
  const width = p?.v6 ? 128 : 32;
  if (!p || !/^\d{1,3}$/.test(bitsText) || Number(bitsText) > width) {
    return [invalidValue(path, value, 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)')];
  }
  const bits = Number(bitsText);
  if ((!p.v6 && !V4_STRICT.test(ipText)) || (bitsText.length > 1 && bitsText.startsWith('0'))) {
    return [invalidValue(path, value, 'must not have leading 0s in IP or prefix length')];
  }
  if (is4In6(p)) return [invalidValue(path, value, 'must not have an IPv4-mapped IPv6 address')];
  const hostBits = BigInt(width - bits);
  const masked = (p.value >> hostBits) << hostBits;
  if (masked !== p.value) return [invalidValue(path, value, 'must not have bits set beyond the prefix length')];
  const canonical = `${canonicalIP(p)}/${bits}`;
  return value === canonical ? [] : [invalidValue(path, value, `must be in canonical form (${JSON.stringify(canonical)})`)];
}

/** Whether a (valid) CIDR text is IPv6. */
export function isIPv6CIDR(value: string): boolean {
  return value.split('/')[0].includes(':');
}
