import { describe, expect, it } from 'vitest';
import { addressAt, cidrContains, cidrSize, formatCidr, formatIP, indexOf, parseCidr, parseIP, parsePortRange, formatPortRange, portRangeContains, joinHostPort } from './index.ts';

describe('parseIP / formatIP', () => {
  it.each([
    ['10.96.0.1', 'IPv4', '10.96.0.1'],
    ['0.0.0.0', 'IPv4', '0.0.0.0'],
    ['255.255.255.255', 'IPv4', '255.255.255.255'],
    ['fd00::1', 'IPv6', 'fd00::1'],
    ['FD00:0:0:0:0:0:0:1', 'IPv6', 'fd00::1'],
    ['::', 'IPv6', '::'],
    ['::1', 'IPv6', '::1'],
    ['1::', 'IPv6', '1::'],
    ['2001:db8:0:0:1:0:0:1', 'IPv6', '2001:db8::1:0:0:1'],
    ['::ffff:10.0.0.1', 'IPv6', '::ffff:a00:1'],
    ['1:2:3:4:5:6:7:8', 'IPv6', '1:2:3:4:5:6:7:8'],
  ])('%s → %s %s', (text, family, canonical) => {
    const ip = parseIP(text);
    expect(ip?.family).toBe(family);
    expect(formatIP(ip!)).toBe(canonical);
  });

  it.each(['', 'abc', '10.0.0', '10.0.0.256', '10.0.0.01', '10.0.0.1.2', '1:2:3:4:5:6:7:8:9', '1::2::3', ':1', 'fd00::g', '10.0.0.1/32', ' 10.0.0.1'])(
    '%j is not an address',
    (text) => expect(parseIP(text)).toBeUndefined(),
  );
});

describe('parseCidr', () => {
  it.each([
    ['10.96.0.0/12', '10.96.0.0/12', 1048576n],
    ['10.96.5.7/12', '10.96.0.0/12', 1048576n],
    ['192.168.0.0/29', '192.168.0.0/29', 8n],
    ['10.0.0.1/32', '10.0.0.1/32', 1n],
    ['fd00:10:96::/112', 'fd00:10:96::/112', 65536n],
  ])('%s → %s (%d addresses)', (text, canonical, size) => {
    const cidr = parseCidr(text)!;
    expect(formatCidr(cidr)).toBe(canonical);
    expect(cidrSize(cidr)).toBe(size);
  });

  it.each(['10.96.0.0', '10.96.0.0/33', '10.96.0.0/-1', '10.96.0.0/a', 'x/12', 'fd00::/129', '10.96.0.0/012'])('%j is rejected', (text) => {
    expect(parseCidr(text)).toBeUndefined();
  });
});

describe('membership and indexes', () => {
  const range = parseCidr('10.96.0.0/12')!;
  it.each([
    ['10.96.0.0', true, 0n],
    ['10.96.0.1', true, 1n],
    ['10.111.255.255', true, 1048575n],
    ['10.112.0.0', false, undefined],
    ['10.0.0.1', false, undefined],
    ['fd00::1', false, undefined],
  ])('%s in 10.96.0.0/12: %s (index %s)', (text, inside, index) => {
    const ip = parseIP(text)!;
    expect(cidrContains(range, ip)).toBe(inside);
    expect(indexOf(range, ip)).toBe(index);
  });

  it.each([
    [0, '10.96.0.0'],
    [1, '10.96.0.1'],
    [256, '10.96.1.0'],
    [1048575, '10.111.255.255'],
  ])('address %d of the range is %s', (index, text) => {
    expect(formatIP(addressAt(range, index)!)).toBe(text);
    expect(indexOf(range, parseIP(text)!)).toBe(BigInt(index));
  });

  it('addressAt is undefined outside the block', () => {
    expect(addressAt(range, -1)).toBeUndefined();
    expect(addressAt(range, 1048576)).toBeUndefined();
  });
});

describe('parsePortRange', () => {
  it.each([
    ['30000-32767', 30000, 2768, '30000-32767'],
    ['30000+2767', 30000, 2768, '30000-32767'],
    ['30000', 30000, 1, '30000-30000'],
    [' 80-90 ', 80, 11, '80-90'],
  ])('%j → base %d size %d', (text, base, size, formatted) => {
    const range = parsePortRange(text)!;
    expect(range).toEqual({ base, size });
    expect(formatPortRange(range)).toBe(formatted);
  });

  it.each(['', 'a-b', '32767-30000', '30000-70000', '30000-', '-1'])('%j is rejected', (text) => {
    expect(parsePortRange(text)).toBeUndefined();
  });

  it.each([
    [29999, false],
    [30000, true],
    [32767, true],
    [32768, false],
    [30000.5, false],
  ])('30000-32767 contains %d: %s', (port, inside) => {
    expect(portRangeContains({ base: 30000, size: 2768 }, port)).toBe(inside);
  });
});

describe('joinHostPort', () => {
  it.each([
    ['10.0.0.1', 8080, '10.0.0.1:8080'],
    ['fd00::1', '443', '[fd00::1]:443'],
    ['web.example', '', 'web.example'],
    ['fd00::1', '', '[fd00::1]'],
  ] as const)('%s and %s → %s', (host, port, want) => expect(joinHostPort(host, port)).toBe(want));
});
