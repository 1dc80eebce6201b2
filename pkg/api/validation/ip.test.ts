import { describe, expect, it } from 'vitest';
import { illegalBase64Offset } from './base64.ts';
import { isConfigMapKey } from './config-key.ts';
import { isIPv4, isIPv6, validateCIDR, validateNonSpecialIP } from './ip.ts';
import { formatTimestamp, isRFC3339 } from './micro-time.ts';

describe('IP parsing', () => {
  it.each([
    ['10.0.0.1', true, false],
    ['255.255.255.255', true, false],
    ['256.1.1.1', false, false],
    ['01.2.3.4', true, false],
    ['1.2.3.0400', false, false],
    ['1.2.3', false, false],
    ['::', false, true],
    ['::1', false, true],
    ['fd00::5', false, true],
    ['2001:db8:0:0:0:0:0:1', false, true],
    ['2001:db8::1::2', false, false],
    ['::ffff:10.0.0.1', false, true],
    ['1:2:3:4:5:6:7:8:9', false, false],
    ['fe80::1%eth0', false, false],
  ])('%s → IPv4 %s, IPv6 %s', (ip, v4, v6) => {
    expect([isIPv4(ip), isIPv6(ip)]).toEqual([v4, v6]);
  });

  it.each([
    ['10.0.0.0/8', 0],
    ['fd00::/64', 0],
    ['10.0.0.0', 1],
    ['10.0.0.0/33', 1],
    ['fd00::/129', 1],
  ])('CIDR %s has %i errors', (cidr, n) => {
    expect(validateCIDR('f', cidr)).toHaveLength(n);
  });

  it.each([
    ['0.0.0.0', 'may not be unspecified (0.0.0.0, ::)'],
    ['::', 'may not be unspecified (0.0.0.0, ::)'],
    ['127.1.2.3', 'may not be in the loopback range (127.0.0.0/8, ::1/128)'],
    ['::1', 'may not be in the loopback range (127.0.0.0/8, ::1/128)'],
    ['169.254.1.1', 'may not be in the link-local range (169.254.0.0/16, fe80::/10)'],
    ['fe80::1', 'may not be in the link-local range (169.254.0.0/16, fe80::/10)'],
    ['224.0.0.5', 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)'],
    ['10.0.0.1', undefined],
    ['2001:db8::1', undefined],
  ])('special IP %s', (ip, message) => {
    const errs = validateNonSpecialIP('f', ip);
    expect(errs[0]?.detail).toBe(message === undefined ? undefined : `Invalid value: "${ip}": ${message}`);
  });
});

describe('config keys', () => {
  it.each([
    ['app.properties', 0],
    ['KEY_NAME', 0],
    ['.hidden', 0],
    ['a/b', 1],
    ['.', 1],
    ['..', 1],
    ['..data', 1],
    ['', 1],
  ])('%s has %i problems', (k, n) => {
    expect(isConfigMapKey(k)).toHaveLength(n);
  });
});

describe('base64', () => {
  it.each([
    ['', -1],
    ['YQ==', -1],
    ['YWI=', -1],
    ['YWJj', -1],
    ['YQ', 0],
    ['ab$c', 2],
    ['YQ==YQ==', 4],
    ['YQ=', 2],
    ['Y===', 1],
  ])('%j → illegal at %i', (text, at) => {
    expect(illegalBase64Offset(text)).toBe(at);
  });
});

describe('timestamps', () => {
  it.each([
    ['2024-01-02T03:04:05Z', true],
    ['2024-01-02T03:04:05.123+05:30', true],
    ['2024-01-02 03:04:05', false],
    ['2024-13-02T03:04:05Z', false],
  ])('%s RFC 3339: %s', (text, ok) => {
    expect(isRFC3339(text)).toBe(ok);
  });

  it.each([
    ['2024-01-02T03:04:05.987Z', 0, '2024-01-02T03:04:05Z'],
    ['2024-01-02T03:04:05Z', 6, '2024-01-02T03:04:05.000000Z'],
    ['2024-01-02T03:04:05.1234567-01:00', 6, '2024-01-02T04:04:05.123456Z'],
  ] as const)('%s with %i digits → %s', (text, digits, expected) => {
    expect(formatTimestamp(text, digits)).toBe(expected);
  });
});
