import { describe, expect, it } from 'vitest';
import { goIntegerFits, goIntegerLiteralFits, goNumberText, isGoIntegerType } from './go-integers.ts';

describe('Go integer decoding rules', () => {
  it.each([
    ['int32', 2147483647, true],
    ['int32', 2147483648, false],
    ['int32', -2147483648, true],
    ['int32', -2147483649, false],
    ['int32', 99999999999, false],
    ['int32', 1.5, false],
    ['int64', 99999999999, true],
    ['int64', -99999999999999999999, false],
    ['int64', 2 ** 63, false],
    ['int64', -(2 ** 63), true],
    ['int64', 0.5, false],
    ['uint32', -1, false],
    ['string', 1.5, true],
  ] as const)('%s takes %d: %s', (type, n, fits) => {
    expect(goIntegerFits(type, n)).toBe(fits);
  });

  it.each([
    ['int64', '9223372036854775807', true],
    ['int64', '9223372036854775808', false],
    ['int64', '-9223372036854775808', true],
    ['int32', '1.0', false],
    ['int32', '1e3', false],
    ['int32', '-0', true],
  ] as const)('%s takes the literal %s: %s', (type, literal, fits) => {
    expect(goIntegerLiteralFits(type, literal)).toBe(fits);
  });

  it.each([
    [1.5, '1.5'],
    [99999999999, '99999999999'],
    [-99999999999999999999, '-100000000000000000000'],
    [1e21, '1000000000000000000000'],
    [-1e25, '-10000000000000000905969664'],
    [1.5e-7, '1.5e-7'],
  ])('%d is written %s', (n, text) => {
    expect(goNumberText(n)).toBe(text);
  });

  it('knows the integer types', () => {
    expect(['int32', 'int64', 'uint32', 'uint64', 'string', 'bool'].map(isGoIntegerType)).toEqual([true, true, true, true, false, false]);
  });
});
