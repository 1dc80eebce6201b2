import { describe, expect, it } from 'vitest';
import { dropNulls, findUnknownFields } from './unknown-fields.ts';

describe('dropNulls', () => {
  it('returns the value itself when no object member is null (array items do not count)', () => {
    const value = { a: 1, b: { c: [null, { d: 'x' }] } };
    expect(dropNulls(value)).toBe(value);
  });

  it.each([
    [{ a: null, b: 1 }, { b: 1 }],
    [{ l: [{ a: null }, 2] }, { l: [{}, 2] }],
    [[{ a: { b: null } }], [{ a: {} }]],
  ])('copies %j without its null members', (value, expected) => {
    const before = JSON.stringify(value);
    expect(dropNulls(value)).toEqual(expected);
    expect(JSON.stringify(value)).toBe(before);
  });

  it('never hands on an own __proto__ member (the copy drops it, as it always did)', () => {
    const value = JSON.parse('{"a":1,"__proto__":{"x":1}}');
    const out = dropNulls(value) as Record<string, unknown>;
    expect(out).not.toBe(value);
    expect(Object.keys(out)).toEqual(['a']);
  });
});

describe('findUnknownFields', () => {
  it.each([
    [{ a: { b: [{ c: 1, d: 2 }] } }, { a: { b: [{ c: 1 }] } }, 'spec', ['spec.a.b[0].d']],
    [{ a: 1, x: null, y: 2 }, { a: 1 }, '', ['y']],
    [[{ a: 1 }, { b: 1 }], [{ a: 1 }, {}], '', ['[1].b']],
  ])('%j vs %j under %j', (input, output, path, expected) => {
    expect(findUnknownFields(input, output, path)).toEqual(expected);
  });
});
