import { describe, expect, it } from 'vitest';
import { certificateValidity, opensslDate } from './sign.ts';

describe('certificateValidity (upstream PermissiveSigningPolicy: 5m backdate, 8h short)', () => {
  const now = Date.parse('2026-12-07T12:00:00Z');
  const farCa = Date.parse('2036-01-01T00:00:00Z');
  const iso = (v: { notBefore: Date; notAfter: Date }) => [v.notBefore.toISOString(), v.notAfter.toISOString()];

  it.each([
    ['a year: the end is backdated too', 365 * 86_400, ['2026-12-07T11:55:00.000Z', '2027-12-07T11:55:00.000Z']],
    ['exactly 8 hours counts as long', 8 * 3600, ['2026-12-07T11:55:00.000Z', '2026-12-07T19:55:00.000Z']],
    ['an hour ends in full', 3600, ['2026-12-07T11:55:00.000Z', '2026-12-07T13:00:00.000Z']],
  ])('%s', (_name, seconds, expected) => {
    expect(iso(certificateValidity(now, seconds, farCa))).toEqual(expected);
  });

  it('never ends after the CA', () => {
    expect(iso(certificateValidity(now, 365 * 86_400, Date.parse('2027-01-01T00:00:00Z')))[1]).toBe('2027-01-01T00:00:00.000Z');
  });

  it('writes openssl dates as UTCTime before 2050 and GeneralizedTime after', () => {
    expect(opensslDate(new Date('2026-12-07T11:55:00.123Z'))).toBe('261207115500Z');
    expect(opensslDate(new Date('2051-01-02T03:04:05Z'))).toBe('20510102030405Z');
  });
});
