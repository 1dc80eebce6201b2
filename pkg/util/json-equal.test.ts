import { describe, expect, it } from 'vitest';
import { jsonEqual } from './json-equal.ts';

describe('jsonEqual', () => {
  it.each([
    ['key order', { a: 1, b: { c: [1, 2], d: 'x' } }, { b: { d: 'x', c: [1, 2] }, a: 1 }],
    ['undefined members', { a: 1, b: undefined, c: { d: undefined } }, { a: 1, c: {} }],
    ['an undefined array element as null', [1, undefined], [1, null]],
    ['scalars', 'x', 'x'],
    ['nulls', { a: null }, { a: null }],
    ['empty things', { a: [], b: {} }, { b: {}, a: [] }],
    ['dates as their JSON', { t: new Date(0) }, { t: new Date(0) }],
  ])('equal: %s', (_name, a, b) => {
    expect(jsonEqual(a, b)).toBe(true);
    expect(jsonEqual(b, a)).toBe(true);
  });

  it.each([
    ['a different value', { a: 1 }, { a: 2 }],
    ['a missing member', { a: 1, b: 2 }, { a: 1 }],
    ['null against a missing member', { a: null }, {}],
    ['array order', [1, 2], [2, 1]],
    ['array length', [1], [1, 1]],
    ['array against object', { a: [] }, { a: {} }],
    ['number against string', { a: 1 }, { a: '1' }],
    ['nested difference', { a: { b: { c: [{ d: 1 }] } } }, { a: { b: { c: [{ d: 2 }] } } }],
  ])('different: %s', (_name, a, b) => {
    expect(jsonEqual(a, b)).toBe(false);
    expect(jsonEqual(b, a)).toBe(false);
  });
});
