import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from './duration.ts';

describe('parseDuration', () => {
  it.each([
    ['40s', 40_000],
    ['1m30s', 90_000],
    ['500ms', 500],
    ['1.5h', 5_400_000],
    ['0', 0],
    ['-2s', -2000],
    ['100us', 0.1],
  ])('%s → %d ms', (text, ms) => expect(parseDuration(text)).toBeCloseTo(ms));

  it.each(['', '10', 's', '1x', '1s2'])('rejects %j', (text) => expect(() => parseDuration(text)).toThrow(`time: invalid duration "${text}"`));
});

describe('formatDuration', () => {
  it.each([
    [10_000, '10s'],
    [80_000, '1m20s'],
    [300_000, '5m0s'],
    [3_600_000, '1h0m0s'],
    [500, '500ms'],
    [15_500, '15.5s'],
    [60_000, '1m0s'],
    [90_250, '1m30.25s'],
    [0, '0s'],
  ])('%d ms → %s', (ms, text) => expect(formatDuration(ms)).toBe(text));
});
