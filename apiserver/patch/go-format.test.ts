import { describe, expect, it } from 'vitest';
import { goTypeName, goValue, jsonKindName } from './go-format.ts';

describe('goValue (%v)', () => {
  it.each<[unknown, string]>([
    [null, '<nil>'],
    ['nginx', 'nginx'],
    [true, 'true'],
    [80, '80'],
    [1000000, '1000000'],
    [1.5, '1.5'],
    [1234567.5, '1.2345675e+06'],
    [0.00001, '1e-05'],
    [['a', 1], '[a 1]'],
    [{ name: 'x', image: 'y' }, 'map[image:y name:x]'],
    [{ b: { d: [1, 2] }, a: null }, 'map[a:<nil> b:map[d:[1 2]]]'],
    [{}, 'map[]'],
  ])('%j → %s', (v, s) => {
    expect(goValue(v)).toBe(s);
  });
});

describe('goTypeName / jsonKindName', () => {
  it.each<[unknown, string, string]>([
    ['s', 'string', 'string'],
    [1, 'int64', 'number'],
    [1.5, 'float64', 'number'],
    [false, 'bool', 'bool'],
    [[], '[]interface {}', 'array'],
    [{}, 'map[string]interface {}', 'object'],
    [null, '%!s(<nil>)', 'null'],
  ])('%j', (v, typeName, kind) => {
    expect(goTypeName(v)).toBe(typeName);
    expect(jsonKindName(v)).toBe(kind);
  });
});
