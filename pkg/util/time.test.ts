import { describe, expect, it } from 'vitest';
import { rfc3339 } from './time.ts';

describe('rfc3339', () => {
  it.each([
    [Date.UTC(2026, 0, 2, 3, 4, 5, 678), '2026-01-02T03:04:05Z'],
    [new Date(Date.UTC(1999, 11, 31, 23, 59, 59, 999)), '1999-12-31T23:59:59Z'],
    [0, '1970-01-01T00:00:00Z'],
    [Date.UTC(10000, 0, 1), '+010000-01-01T00:00:00Z'],
    [Date.UTC(-1, 0, 1), '-000001-01-01T00:00:00Z'],
  ])('%s → %s', (time, text) => {
    expect(rfc3339(time)).toBe(text);
  });
});
