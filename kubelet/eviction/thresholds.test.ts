import { describe, expect, it } from 'vitest';
import { DEFAULT_EVICTION_HARD, formatObserved, hardEvictionReserve, formatThresholdAmount, parseFlagMap, parseThresholds, thresholdAmount } from './thresholds.ts';

describe('parseFlagMap', () => {
  it.each([
    ['memory.available<100Mi,nodefs.available<10%', '<', { 'memory.available': '100Mi', 'nodefs.available': '10%' }],
    ['memory.available=1m30s', '=', { 'memory.available': '1m30s' }],
    ['', '<', {}],
    ['a<1,a<2', '<', { a: '2' }],
  ] as const)('%s', (text, sep, want) => {
    expect(parseFlagMap(text, sep)).toEqual(want);
  });
  it.each([
    ['memory.available=100Mi', '<', 'malformed pair, expect string<string'],
    ['memory.available', '=', 'malformed pair, expect string=string'],
    ['<100Mi', '<', 'empty key'],
  ] as const)('%s is refused', (text, sep, error) => {
    expect(() => parseFlagMap(text, sep)).toThrow(error);
  });
});

describe('parseThresholds', () => {
  it('parses the Linux defaults as hard thresholds', () => {
    const t = parseThresholds({ evictionHard: DEFAULT_EVICTION_HARD });
    expect(t).toEqual([
      { signal: 'memory.available', value: { quantity: '100Mi' }, gracePeriodMs: 0 },
      { signal: 'nodefs.available', value: { percentage: Math.fround(0.1) }, gracePeriodMs: 0 },
      { signal: 'nodefs.inodesFree', value: { percentage: Math.fround(0.05) }, gracePeriodMs: 0 },
      { signal: 'imagefs.available', value: { percentage: Math.fround(0.15) }, gracePeriodMs: 0 },
      { signal: 'imagefs.inodesFree', value: { percentage: Math.fround(0.05) }, gracePeriodMs: 0 },
    ]);
  });

  it('soft thresholds take their grace period; minimum reclaims attach to both', () => {
    const t = parseThresholds({
      evictionHard: { 'memory.available': '1Gi' },
      evictionSoft: { 'memory.available': '1.5Gi' },
      evictionSoftGracePeriod: { 'memory.available': '1m30s' },
      evictionMinimumReclaim: { 'memory.available': '0.5Gi' },
    });
    expect(t).toEqual([
      { signal: 'memory.available', value: { quantity: '1Gi' }, gracePeriodMs: 0, minReclaim: { quantity: '512Mi' } },
      { signal: 'memory.available', value: { quantity: '1536Mi' }, gracePeriodMs: 90_000, minReclaim: { quantity: '512Mi' } },
    ]);
  });

  it('ignores 0% and 100%', () => {
    expect(parseThresholds({ evictionHard: { 'nodefs.available': '0%', 'imagefs.available': '100%' } })).toEqual([]);
  });

  it.each([
    [{ evictionHard: { 'cpu.available': '1' } }, 'unsupported eviction signal cpu.available'],
    [{ evictionHard: { 'memory.available': '-1Mi' } }, 'eviction threshold memory.available must be positive: -1Mi'],
    [{ evictionHard: { 'memory.available': '0' } }, 'eviction threshold memory.available must be positive: 0'],
    [{ evictionHard: { 'nodefs.available': '-5%' } }, 'eviction percentage threshold nodefs.available must be >= 0%: -5%'],
    [{ evictionHard: { 'nodefs.available': '150%' } }, 'eviction percentage threshold nodefs.available must be <= 100%: 150%'],
    [{ evictionHard: { 'nodefs.available': 'x%' } }, 'strconv.ParseFloat: parsing "x": invalid syntax'],
    [{ evictionHard: { 'memory.available': '1Zi' } }, 'quantities must match the regular expression'],
    [{ evictionHard: {}, evictionSoft: { 'memory.available': '1Gi' } }, 'grace period must be specified for the soft eviction threshold memory.available'],
    [{ evictionHard: {}, evictionSoftGracePeriod: { 'memory.available': '-1s' } }, 'invalid eviction grace period specified: -1s, must be a positive value'],
    [{ evictionHard: {}, evictionSoftGracePeriod: { 'memory.available': 'soon' } }, 'time: invalid duration "soon"'],
    [{ evictionHard: {}, evictionMinimumReclaim: { 'memory.available': '0%' } }, 'eviction percentage minimum reclaim memory.available must be positive: 0%'],
    [{ evictionHard: {}, evictionMinimumReclaim: { 'memory.available': '-1' } }, 'negative eviction minimum reclaim specified for memory.available'],
    [{ evictionHard: {}, evictionMinimumReclaim: { 'memory.free': '1' } }, 'unsupported eviction signal memory.free'],
  ])('%j fails with upstream error', (config, error) => {
    expect(() => parseThresholds(config)).toThrow(error);
  });
});

describe('threshold amounts', () => {
  it.each([
    [{ quantity: '100Mi' }, 0, 104857600, '100Mi'],
    [{ quantity: '10000Ti' }, 0, 10000 * 2 ** 40, '10000Ti'],
    // float32 10 % of 1000 bytes: 100.0000015 → 100
    [{ percentage: Math.fround(0.1) }, 1000, 100, '100'],
    [{ percentage: Math.fround(0.1) }, 10 * 2 ** 30, 1073741840, '1073741840'],
    [{ percentage: Math.fround(0.05) }, 16777216, 838860, '838860'],
  ])('%j of %d', (value, capacity, amount, text) => {
    expect(thresholdAmount(value, capacity)).toBe(amount);
    expect(formatThresholdAmount(value, capacity)).toBe(text);
  });

  it.each([
    [{ available: 44040192, unit: 'bytes' as const }, '42Mi'],
    [{ available: 1263616, unit: 'bytes' as const }, '1234Ki'],
    [{ available: 1000, unit: 'bytes' as const }, '1k'], // below 1024 upstream prints BinarySI as DecimalSI
    [{ available: 16332000, unit: 'count' as const }, '16332k'],
  ])('observed %j prints %s', (o, text) => {
    expect(formatObserved(o)).toBe(text);
  });
});

describe('hardEvictionReserve', () => {
  const capacity = { memoryBytes: 2 ** 30, ephemeralStorageBytes: 2 ** 34 };
  it.each([
    ['the defaults', DEFAULT_EVICTION_HARD, undefined, { memoryBytes: 100 * 2 ** 20, ephemeralStorageBytes: 1717986944 }],
    ['a percentage of memory', { 'memory.available': '10%' }, undefined, { memoryBytes: 107374184, ephemeralStorageBytes: 0 }],
    ['none', {}, undefined, { memoryBytes: 0, ephemeralStorageBytes: 0 }],
    ['soft thresholds hold nothing back', {}, { 'memory.available': '1Gi' }, { memoryBytes: 0, ephemeralStorageBytes: 0 }],
  ])('%s', (_name, hard, soft, want) => {
    const thresholds = parseThresholds({ evictionHard: hard, evictionSoft: soft, evictionSoftGracePeriod: soft ? { 'memory.available': '1m' } : undefined });
    expect(hardEvictionReserve(thresholds, capacity)).toEqual(want);
  });
});
