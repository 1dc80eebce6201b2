import { describe, expect, it } from 'vitest';
import type { Clock } from '../../../pkg/workqueue/index.ts';
import { FailedPodBackoff } from './backoff.ts';

function clock(): Clock & { advance(ms: number): void } {
  let now = 0;
  return { now: () => now, setTimeout: () => 0 as never, clearTimeout: () => undefined, advance: (ms) => (now += ms) };
}

describe('failed pod back-off', () => {
  it.each([
    // [ms since the last deletion, delays after each of three deletions made back to back once allowed]
    ['doubles from 1 s', [0, 1_000, 2_000], [1_000, 2_000, 4_000]],
    ['starts over after twice the maximum without failures', [0, 31 * 60_000], [1_000, 1_000]],
  ])('%s', (_name, gaps, delays) => {
    const c = clock();
    const b = new FailedPodBackoff(c);
    const seen: number[] = [];
    for (const gap of gaps) {
      c.advance(gap);
      expect(b.inBackoff('k')).toBe(false);
      b.next('k');
      seen.push(b.delayMs('k'));
      expect(b.inBackoff('k')).toBe(true);
    }
    expect(seen).toEqual(delays);
  });

  it('caps at 15 minutes and keys are independent', () => {
    const c = clock();
    const b = new FailedPodBackoff(c);
    for (let i = 0; i < 20; i++) {
      b.next('k');
      c.advance(b.delayMs('k'));
    }
    expect(b.delayMs('k')).toBe(15 * 60_000);
    expect(b.inBackoff('other')).toBe(false);
  });
});
