import { describe, expect, it } from 'vitest';
import { canonicalQuantity, compareQuantity, parseQuantity, quantityToMilli } from './quantity.ts';

describe('quantities', () => {
  it.each([
    ['700m', '700m'],
    ['200Mi', '200Mi'],
    ['0.5', '500m'],
    [0.5, '500m'],
    ['1000m', '1'],
    ['1024Mi', '1Gi'],
    ['1.5Gi', '1536Mi'],
    ['512Mi', '512Mi'],
    ['2000', '2k'],
    ['1500', '1500'],
    [2, '2'],
    ['1e3', '1e3'],
    ['100M', '100M'],
    ['0', '0'],
    ['0.1m', '100u'],
  ])('canonicalQuantity(%j) = %s', (input, out) => {
    expect(canonicalQuantity(input)).toBe(out);
  });

  it.each([['abc'], ['1.2.3'], ['5 Mi'], ['']])('%j does not parse', (text) => {
    expect(parseQuantity(text)).toBeUndefined();
  });

  it.each([
    ['1', 1000],
    ['250m', 250],
    ['1Ki', 1024000],
    ['0.0001', 1],
  ])('quantityToMilli(%s) = %d', (input, milli) => {
    expect(quantityToMilli(input)).toBe(milli);
  });

  it('compares exactly across formats', () => {
    expect(compareQuantity('1Gi', '1024Mi')).toBe(0);
    expect(compareQuantity('1G', '1Gi')).toBe(-1);
    expect(compareQuantity('1', '999m')).toBe(1);
  });
});
