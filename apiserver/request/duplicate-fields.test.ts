import { describe, expect, it } from 'vitest';
import { findDuplicateFields, findDuplicateFieldsOf, memberCount } from './duplicate-fields.ts';

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

describe('findDuplicateFieldsOf', () => {
  it.each([
    '{"a":1,"b":2}',
    '{"a":1,"a":2}',
    '{"a":1,"a":2,"a":3}',
    ' { "a" : 1 , "a" : { } } ',
    '{"s":"a:b\\":c","t":"x"}',
    '{"s":"a\\"b","s":"c"}',
    '{"a\\"b":1,"a\\"b":2}',
    '{"a":1,"\\u0061":2}',
    '{"x":{"a":1},"y":{"a":1}}',
    '{"a":[1,2,{"k":true,"k":null}],"b":-1.5e3}',
    '{"__proto__":{"a":1},"__proto__":{"b":2}}',
    '{"__proto__":{"a":1}}',
    '[{"a":1},[{"b":1,"b":2}]]',
    '[]',
    '"x:y"',
  ])('agrees with the full scan on %s', (text) => {
    expect(findDuplicateFieldsOf(text, JSON.parse(text))).toEqual(findDuplicateFields(text));
  });

  it.each([
    ['{"a":1,"b":{"c":"d:e"}}', 3],
    ['{"k\\\\":"v"}', 1],
    ['[1,"a:b"]', 0],
  ])('memberCount(%s) = %d', (text, expected) => {
    expect(memberCount(text)).toBe(expected);
  });
});

describe('memberCount', () => {
  it.each([
    ['{}', 0],
    ['{"a":"x:y","b":{"c":":"}}', 3],
    ['{"a\\\\":"b","c":"d\\\\\\":e"}', 2],
    ['{"a":"\\"","b":1}', 2],
    ['{"t":"2026-12-04T03:00:00Z","u":"http://x:80/"}', 2],
    ['"a:b"', 0],
  ])('%s has %d', (text, expected) => {
    JSON.parse(text);
    expect(memberCount(text)).toBe(expected);
  });
});
