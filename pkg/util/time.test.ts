import { describe, expect, it } from 'vitest';
import { rfc3339 } from './time.ts';

describe('rfc3339', () => {
  it.each([
    [Date.UTC(2026, 0, 2, 3, 4, 5, 678), '2026-01-02T03:04:05Z'],
    [new Date(Date.UTC(1999, 11, 31, 23, 59, 59, 999)), '1999-12-31T23:59:59Z'],
    [0, '1970-01-01T00:00:00Z'],
    [Date.UTC(10000, 0, 1), '+010000-01-01T00:00:00Z'],
    [Date.UTC(-1, 0, 1), '-000001-01-01T00:00:00Z'],
    [-1, '1969-12-31T23:59:59Z'],
    [-0.5, '1970-01-01T00:00:00Z'],
    [999.9, '1970-01-01T00:00:00Z'],
    [1000, '1970-01-01T00:00:01Z'],
  ])('%s → %s', (time, text) => {
    expect(rfc3339(time)).toBe(text);
  });

  it('gives each call its own second, whatever came before', () => {
    const times = [Date.UTC(2026, 0, 1, 0, 0, 0, 1), Date.UTC(2026, 0, 1, 0, 0, 0, 999), Date.UTC(2026, 0, 1, 0, 0, 1), Date.UTC(2025, 0, 1), Date.UTC(2026, 0, 1, 0, 0, 1, 500)];
    expect(times.map((t) => rfc3339(new Date(t)))).toEqual(['2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', '2026-01-01T00:00:01Z', '2025-01-01T00:00:00Z', '2026-01-01T00:00:01Z']);
  });

  it('refuses an invalid date as Date#toISOString does', () => {
    expect(() => rfc3339(new Date(Number.NaN))).toThrow(RangeError);
  });
});
