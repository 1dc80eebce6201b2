import { describe, expect, it } from 'vitest';
import { parseDuration } from './duration.ts';

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
