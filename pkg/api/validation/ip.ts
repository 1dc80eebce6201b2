/**
 * IP and CIDR checks with upstream messages (apimachinery/pkg/util/validation/ip.go and
 * pkg/apis/core/validation ValidateNonSpecialIP). Each returns field errors (empty = valid).
 */
import type { FieldError } from '../../errors/index.ts';
import { invalidValue } from './field-errors.ts';

/** Dotted quad; leading zeros accepted as upstream's `ParseIPSloppy` does. */
const ipv4Re = /^(25[0-5]|2[0-4]\d|[01]?\d?\d)(\.(25[0-5]|2[0-4]\d|[01]?\d?\d)){3}$/;

/** True for a dotted-quad IPv4 address. */
export function isIPv4(value: string): boolean {
  return ipv4Re.test(value);
}

/** True for an IPv6 address (RFC 4291 text forms, optional embedded IPv4 tail). */
export function isIPv6(value: string): boolean {
  if (!value.includes(':') || value.includes('%')) return false;
  let text = value;
  let tailGroups = 0;
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  if (tail.includes('.')) {
    if (!isIPv4(tail)) return false;
    text = text.slice(0, lastColon + 1) + '0:0';
    tailGroups = 0;
  }
  const halves = text.split('::');
  if (halves.length > 2) return false;
  const groupsOf = (s: string): string[] | null => {
    if (s === '') return [];
    const parts = s.split(':');
    return parts.every((p) => /^[0-9a-fA-F]{1,4}$/.test(p)) ? parts : null;
  };
  const head = groupsOf(halves[0]);
  const rest = halves.length === 2 ? groupsOf(halves[1]) : [];
  if (!head || !rest) return false;
  const count = head.length + rest.length + tailGroups;
  return halves.length === 2 ? count < 8 : count === 8;
}

export function isIP(value: string): boolean {
  return isIPv4(value) || isIPv6(value);
}

/** `validation.IsValidIP`: `must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)`. */
export function validateIP(path: string, value: string): FieldError[] {
  return isIP(value) ? [] : [invalidValue(path, value, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)')];
}

export function validateIPv4(path: string, value: string): FieldError[] {
  return isIPv4(value) ? [] : [invalidValue(path, value, 'must be a valid IPv4 address')];
}

export function validateIPv6(path: string, value: string): FieldError[] {
  return isIPv6(value) ? [] : [invalidValue(path, value, 'must be a valid IPv6 address')];
}

/** `validation.IsValidCIDR`. */
export function validateCIDR(path: string, value: string): FieldError[] {
  const slash = value.indexOf('/');
  const ok = slash > 0 && (() => {
    const ip = value.slice(0, slash);
    const bits = value.slice(slash + 1);
    if (!/^\d{1,3}$/.test(bits)) return false;
    const n = Number(bits);
    return (isIPv4(ip) && n <= 32) || (isIPv6(ip) && n <= 128);
  })();
  return ok ? [] : [invalidValue(path, value, 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)')];
}

/** The IP family of a valid address or CIDR. */
export function ipFamilyOf(value: string): 'IPv4' | 'IPv6' {
  return value.split('/')[0].includes(':') ? 'IPv6' : 'IPv4';
}

/** `ValidateNonSpecialIP`: rejects unspecified, loopback and link-local addresses. */
export function validateNonSpecialIP(path: string, value: string): FieldError[] {
  const lower = value.toLowerCase();
  if (isIPv4(value)) {
    const [a, b, c] = value.split('.').map(Number);
    if (value === '0.0.0.0') return [invalidValue(path, value, 'may not be unspecified (0.0.0.0, ::)')];
    if (a === 127) return [invalidValue(path, value, 'may not be in the loopback range (127.0.0.0/8, ::1/128)')];
    if (a === 169 && b === 254) return [invalidValue(path, value, 'may not be in the link-local range (169.254.0.0/16, fe80::/10)')];
    if (a === 224 && b === 0 && c === 0) return [invalidValue(path, value, 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)')];
    return [];
  }
  if (isIPv6(value)) {
    if (/^(0{0,4}:)*:?(0{0,4}:?)*0{0,4}$/.test(lower) && !/[1-9a-f]/.test(lower)) return [invalidValue(path, value, 'may not be unspecified (0.0.0.0, ::)')];
    if (lower === '::1') return [invalidValue(path, value, 'may not be in the loopback range (127.0.0.0/8, ::1/128)')];
    if (/^fe[89ab][0-9a-f]?:/.test(lower)) return [invalidValue(path, value, 'may not be in the link-local range (169.254.0.0/16, fe80::/10)')];
    if (lower.startsWith('ff02:')) return [invalidValue(path, value, 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)')];
  }
  return [];
}
