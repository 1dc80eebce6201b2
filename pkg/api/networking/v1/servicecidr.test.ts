/** ServiceCIDR and IPAddress: upstream validation messages, the dual-stack upgrade, strict IP/CIDR forms. */
import { describe, expect, it } from 'vitest';
import type { FieldError } from '../../../errors/index.ts';
import { validateStrictCIDR, validateStrictIP, canonicalIPText } from '../../validation/ip-strict.ts';
import { validateIPAddress } from './ipaddress.ts';
import { validateServiceCIDR } from './servicecidr.ts';

const lines = (errs: FieldError[]) => errs.map((e) => `${e.field}: ${e.detail}`);
const sc = (cidrs: string[] | undefined) => ({ metadata: { name: 'newcidr1' }, spec: cidrs ? { cidrs } : {} });
const ref = { group: '', resource: 'services', namespace: 'default', name: 'web' };

describe('ServiceCIDR validation', () => {
  it.each([
    [['10.96.0.0/12'], []],
    [['10.96.0.0/12', 'fd00:10:96::/112'], []],
    [undefined, ['spec.cidrs: Required value: at least one CIDR required']],
    [['10.0.0.0/24', '10.0.1.0/24', '10.0.2.0/24'], ['spec.cidrs: Invalid value: networking.ServiceCIDRSpec{CIDRs:[]string{"10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/24"}}: may only hold up to 2 values']],
    [['10.0.0.0/24', '10.0.1.0/24'], ['spec.cidrs: Invalid value: networking.ServiceCIDRSpec{CIDRs:[]string{"10.0.0.0/24", "10.0.1.0/24"}}: may specify no more than one IP for each IP family, i.e 192.168.0.0/24 and 2001:db8::/64']],
    [['10.0.0.1/24'], ['spec.cidrs[0]: Invalid value: "10.0.0.1/24": must not have bits set beyond the prefix length']],
    [['010.0.0.0/24'], ['spec.cidrs[0]: Invalid value: "010.0.0.0/24": must not have leading 0s in IP or prefix length']],
    [['fd00:0:0::/64'], ['spec.cidrs[0]: Invalid value: "fd00:0:0::/64": must be in canonical form ("fd00::/64")']],
    [['bad'], ['spec.cidrs[0]: Invalid value: "bad": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)']],
  ])('cidrs %j → %j', (cidrs, expected) => {
    expect(lines(validateServiceCIDR(sc(cidrs)))).toEqual(expected);
  });

  it.each([
    [['10.96.0.0/12'], ['10.96.0.0/12'], []],
    [['10.96.0.0/12'], ['10.96.0.0/16'], ['spec.cidrs[0]: Invalid value: "10.96.0.0/16": field is immutable']],
    [['10.96.0.0/12'], ['10.96.0.0/12', 'fd00::/112'], []],
    [['10.96.0.0/12'], ['10.97.0.0/16', 'fd00::/112'], ['spec.cidrs[0]: Invalid value: "10.97.0.0/16": field is immutable']],
    [['10.96.0.0/12', 'fd00::/112'], ['10.96.0.0/12'], ['spec.cidrs: Invalid value: []string{"10.96.0.0/12"}: field is immutable']],
  ])('update %j → %j', (old, next, expected) => {
    expect(lines(validateServiceCIDR(sc(next), sc(old)))).toEqual(expected);
  });
});

describe('IPAddress validation', () => {
  it.each([
    ['10.96.0.10', ref, []],
    ['2001:db8::1', ref, []],
    ['10.96.0.010', ref, ['metadata.name: Invalid value: "10.96.0.010": must not have leading 0s']],
    ['2001:DB8::1', ref, ['metadata.name: Invalid value: "2001:DB8::1": must be in canonical form ("2001:db8::1")']],
    ['::ffff:10.0.0.1', ref, ['metadata.name: Invalid value: "::ffff:10.0.0.1": must not be an IPv4-mapped IPv6 address']],
    ['web', ref, ['metadata.name: Invalid value: "web": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)']],
    ['10.96.0.10', undefined, ['spec.parentRef: Required value']],
    ['10.96.0.10', { group: '', resource: '', name: '' }, ['spec.parentRef.resource: Required value', 'spec.parentRef.name: Required value']],
    ['10.96.0.10', { resource: 'services', name: 'a/b', namespace: '..' }, ['spec.parentRef.name: Invalid value: "a/b": may not contain \'/\'', 'spec.parentRef.namespace: Invalid value: "..": may not be \'..\'']],
  ])('%s with parentRef %j → %j', (name, parentRef, expected) => {
    expect(lines(validateIPAddress({ metadata: { name }, spec: parentRef ? { parentRef } : {} }))).toEqual(expected);
  });

  it('parentRef is immutable', () => {
    const old = { metadata: { name: '10.96.0.10' }, spec: { parentRef: ref } };
    const next = { metadata: { name: '10.96.0.10' }, spec: { parentRef: { ...ref, name: 'other' } } };
    expect(lines(validateIPAddress(next, old))).toEqual(['spec.parentRef: Invalid value: networking.ParentReference{Group:"", Resource:"services", Namespace:"default", Name:"other"}: field is immutable']);
  });
});

describe('strict IP forms', () => {
  it.each([
    ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    ['2001:db8:0:1:0:0:0:1', '2001:db8:0:1::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['2001:db8:1:1:1:1:0:1', '2001:db8:1:1:1:1:0:1'],
    ['::', '::'],
    ['10.0.0.1', '10.0.0.1'],
  ])('canonical(%s) = %s', (text, canonical) => {
    expect(canonicalIPText(text)).toBe(canonical);
    expect(validateStrictIP('x', canonical)).toEqual([]);
  });

  it('a CIDR with a non-zero-padded prefix is canonical; a padded one is not', () => {
    expect(validateStrictCIDR('x', '192.168.0.0/24')).toEqual([]);
    expect(lines(validateStrictCIDR('x', '192.168.0.0/024'))).toEqual(['x: Invalid value: "192.168.0.0/024": must not have leading 0s in IP or prefix length']);
  });
});
