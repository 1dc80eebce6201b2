import { describe, expect, it } from 'vitest';
import { canonicalQuantity, compareQuantity, integerQuantity, parseQuantity, QUANTITY_FORMAT_ERROR, quantityDecodeError, quantityToMilli } from './quantity.ts';

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
    // apimachinery TestQuantityParseEmit / TestQuantityString
    ['1Ki', '1Ki'],
    ['1000M', '1G'],
    ['.001Ki', '1024m'],
    ['.000001Ki', '1024u'],
    ['.000000000001Ki', '2n'],
    ['-1024Mi', '-1Gi'],
    ['1025', '1025'],
    ['300Mi', '300Mi'],
    ['307200Ki', '300Mi'],
    ['1.08', '1080m'],
    ['0.5Mi', '512Ki'],
    ['1e21', '1e21'],
    ['1000E', '1e21'],
    ['80e-3', '80e-3'],
    ['1.2e3', '1200'],
    ['0.001e12', '1e9'],
    ['3.001n', '4n'],
    ['1.', '1'],
    ['1.G', '1G'],
    ['+4', '4'],
  ])('canonicalQuantity(%j) = %s', (input, out) => {
    expect(canonicalQuantity(input)).toBe(out);
  });

  it.each([['abc'], ['1.2.3'], ['5 Mi'], [''], ['1.1.M'], ['1+1.0M'], ['0.1mi'], ['0.1am'], ['.5i'], ['1i'], ['-3.01e-'], [' 1'], ['1 '], ['200MB']])('%j does not parse', (text) => {
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

  it.each([
    ['500m', 0.5],
    ['1Gi', 1073741824],
    ['2', 2],
    ['-1k', -1000],
  ])('parseQuantity(%s).value = %d base units', (input, value) => {
    expect(parseQuantity(input)?.value).toBe(value);
  });

  it.each([
    ['0', '0', 0],
    ['100m', '50m', 1],
    ['50m', '100m', -1],
    ['10000T', '100Gi', 1],
  ])('compareQuantity(%s, %s) = %d (TestQuantityCmp)', (a, b, cmp) => {
    expect(compareQuantity(a, b)).toBe(cmp);
  });

  it('compares exactly across formats', () => {
    expect(compareQuantity('1Gi', '1024Mi')).toBe(0);
    expect(compareQuantity('1G', '1Gi')).toBe(-1);
    expect(compareQuantity('1', '999m')).toBe(1);
  });
});

describe('parseQuantity memo', () => {
  it('hands back one frozen result per text, and invalid texts stay invalid', () => {
    const a = parseQuantity('250m');
    expect(parseQuantity('250m')).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
    expect(a?.nano).toBe(250_000_000n);
    expect(parseQuantity('12x')).toBeUndefined();
    expect(parseQuantity('12x')).toBeUndefined();
  });
  it('stays exact past its size bound and for long texts', () => {
    for (let i = 0; i < 5000; i++) expect(parseQuantity(`${i}Mi`)?.nano).toBe(BigInt(i) * 1024n * 1024n * 10n ** 9n);
    expect(parseQuantity('7Mi')?.value).toBe(7 * 1024 * 1024);
    const long = `${'0'.repeat(60)}1500m`;
    expect(parseQuantity(long)?.value).toBe(1.5);
    expect(parseQuantity(long)).not.toBe(parseQuantity(long)); // not kept: each call parses
  });
});

describe('integerQuantity', () => {
  it.each([
    [536870912, 'BinarySI', '512Mi'],
    [946172 * 1024, 'BinarySI', '946172Ki'],
    [1000, 'BinarySI', '1k'], // below 1024 upstream prints the decimal form
    [1500, 'BinarySI', '1500'],
    [0, 'BinarySI', '0'],
    [5000, 'DecimalSI', '5k'],
    [1234, 'DecimalSI', '1234'],
  ] as const)('%d %s → %s', (value, format, want) => {
    expect(integerQuantity(value, format)).toBe(want);
  });
});

describe('quantityDecodeError (upstream ParseQuantity errors)', () => {
  it.each([
    ['500m', undefined],
    [2, undefined],
    ['1x', QUANTITY_FORMAT_ERROR],
    ['lots', QUANTITY_FORMAT_ERROR],
    ['', QUANTITY_FORMAT_ERROR],
    ['1.2.3', QUANTITY_FORMAT_ERROR],
    ['500mi', "unable to parse quantity's suffix"],
    ['1K', "unable to parse quantity's suffix"],
    ['2GB', QUANTITY_FORMAT_ERROR],
  ])('%j → %s', (input, want) => expect(quantityDecodeError(input)).toBe(want));
});
