import { describe, expect, it } from 'vitest';
import { findDuplicateFields } from './duplicate-fields.ts';

describe('findDuplicateFields', () => {
  it.each([
    ['{"a":1,"b":2}', []],
    ['{"a":1,"a":2}', ['a']],
    ['{"a":1,"a":2,"a":3}', ['a', 'a']],
    [' { "a" : 1 , "a" : { } } ', ['a']],
    ['{"metadata":{"labels":{"x":"1","x":"2"}}}', ['metadata.labels.x']],
    ['{"spec":{"containers":[{"name":"a","name":"b"}]}}', ['spec.containers[0].name']],
    ['{"spec":{"containers":[{"name":"a"},{"name":"b","image":"i","image":"j"}]}}', ['spec.containers[1].image']],
    ['[{"a":1},[{"b":1,"b":2}]]', ['[1][0].b']],
    ['{"s":"a\\"b","s":"c"}', ['s']],
    ['{"a\\"b":1,"a\\"b":2}', ['a"b']],
    ['{"a":1,"\\u0061":2}', ['a']],
    ['{"x":{"a":1},"y":{"a":1}}', []],
    ['{"a":[1,2,{"k":true,"k":null}],"b":-1.5e3}', ['a[2].k']],
    ['[]', []],
    ['"x"', []],
  ])('%s', (text, expected) => {
    expect(findDuplicateFields(text)).toEqual(expected);
  });

  it.each(['{"a":1', '[1', '{"a', '{"a":1,"a":2', '{a:1}'])('stops on malformed %s, keeping what it found', (text) => {
    expect(Array.isArray(findDuplicateFields(text))).toBe(true);
  });
});
