import { describe, expect, it } from 'vitest';
import { DEFAULT_IMAGE_GC_POLICY, freeDiskSpaceFailedMessage, imageGcEnabled, imageGcNeed, validateImageGcPolicy } from './image-gc-policy.ts';

const GI = 1024 ** 3;

describe('imageGcNeed (upstream GarbageCollect arithmetic)', () => {
  it.each([
    ['84% used: below the 85% high threshold', 100 * GI, 16 * GI, { kind: 'below-threshold', usagePercent: 84 }],
    ['85% used: at the high threshold, free down to 80%', 100 * GI, 15 * GI, { kind: 'free', usagePercent: 85, amountToFree: 5 * GI }],
    ['95% used', 100 * GI, 5 * GI, { kind: 'free', usagePercent: 95, amountToFree: 15 * GI }],
    ['usage truncates as Go integer division (84.9% free → 16%)', 1000, 849, { kind: 'below-threshold', usagePercent: 16 }],
    ['available above capacity counts as capacity', 100, 200, { kind: 'below-threshold', usagePercent: 0 }],
    ['no capacity', 0, 0, { kind: 'invalid-capacity' }],
  ])('%s', (_n, capacityBytes, availableBytes, expected) => {
    expect(imageGcNeed(DEFAULT_IMAGE_GC_POLICY, { capacityBytes, availableBytes })).toEqual(expected);
  });

  it('a high threshold of 100 acts only on a full disk', () => {
    expect(imageGcNeed({ highThresholdPercent: 100, lowThresholdPercent: 80 }, { capacityBytes: 100, availableBytes: 1 }).kind).toBe('below-threshold');
    expect(imageGcNeed({ highThresholdPercent: 100, lowThresholdPercent: 80 }, { capacityBytes: 100, availableBytes: 0 })).toEqual({ kind: 'free', usagePercent: 100, amountToFree: 20 });
  });

  it('the FreeDiskSpaceFailed message is upstream\'s', () => {
    expect(freeDiskSpaceFailedMessage(5368709120, 0)).toBe('Failed to garbage collect required amount of images. Attempted to free 5368709120 bytes, but only found 0 bytes eligible to free.');
  });
});

describe('imageGcEnabled', () => {
  it.each([
    [85, 0, true],
    [100, 0, false],
    [100, 3_600_000, true],
  ])('high %i, max age %i ms → %s', (highThresholdPercent, maxAgeMs, expected) => {
    expect(imageGcEnabled({ ...DEFAULT_IMAGE_GC_POLICY, highThresholdPercent, maxAgeMs })).toBe(expected);
  });
});

describe('validateImageGcPolicy (upstream messages)', () => {
  it.each([
    [{}, []],
    [{ highThresholdPercent: 100 }, []],
    [{ highThresholdPercent: 101 }, ['invalid configuration: imageGCHighThresholdPercent (--image-gc-high-threshold) 101 must be between 0 and 100, inclusive']],
    [{ lowThresholdPercent: -1 }, ['invalid configuration: imageGCLowThresholdPercent (--image-gc-low-threshold) -1 must be between 0 and 100, inclusive']],
    [{ lowThresholdPercent: 85 }, ['invalid configuration: imageGCLowThresholdPercent (--image-gc-low-threshold) 85 must be less than imageGCHighThresholdPercent (--image-gc-high-threshold) 85']],
    [{ maxAgeMs: -60_000 }, ['invalid configuration: imageMaximumGCAge -60000ms must not be negative']],
    [{ maxAgeMs: 60_000 }, ['invalid configuration: imageMaximumGCAge 1m0s must be greater than imageMinimumGCAge 2m0s']],
    [{ maxAgeMs: 3 * 60_000 }, []],
  ])('%j', (over, expected) => {
    expect(validateImageGcPolicy({ ...DEFAULT_IMAGE_GC_POLICY, ...over })).toEqual(expected);
  });
});
