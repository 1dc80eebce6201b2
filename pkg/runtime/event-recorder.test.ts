import { describe, expect, it } from 'vitest';
import { eventName } from './event-recorder.ts';

describe('eventName', () => {
  it('is the object name and the exact nanoseconds in hex, distinct within one millisecond', () => {
    const ms = 1_764_000_000_123;
    expect(eventName('web', ms, 7)).toBe(`web.${(BigInt(ms) * 1_000_000n + 7n).toString(16)}`);
    const names = new Set(Array.from({ length: 1000 }, (_, i) => eventName('web', ms, 500_000 + i)));
    expect(names.size).toBe(1000);
  });
});
