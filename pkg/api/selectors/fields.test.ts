import { describe, expect, it } from 'vitest';
import { SelectorParseError } from './errors.ts';
import { escapeFieldValue, fieldSelectorFromSet, parseFieldSelector, unescapeFieldValue } from './fields.ts';

describe('parseFieldSelector', () => {
  it.each([
    ['', '', []],
    ['metadata.name=x', 'metadata.name=x', [{ field: 'metadata.name', operator: '=', value: 'x' }]],
    ['metadata.name==x', 'metadata.name=x', [{ field: 'metadata.name', operator: '=', value: 'x' }]],
    ['spec.nodeName!=', 'spec.nodeName!=', [{ field: 'spec.nodeName', operator: '!=', value: '' }]],
    [
      'b=2,a!=1',
      'a!=1,b=2',
      [
        { field: 'a', operator: '!=', value: '1' },
        { field: 'b', operator: '=', value: '2' },
      ],
    ],
    ['a=x\\,y\\=z\\\\', 'a=x\\,y\\=z\\\\', [{ field: 'a', operator: '=', value: 'x,y=z\\' }]],
    ['a=b,,c=d', 'a=b,c=d', [{ field: 'a', operator: '=', value: 'b' }, { field: 'c', operator: '=', value: 'd' }]],
    ['a = b', 'a = b', [{ field: 'a ', operator: '=', value: ' b' }]],
  ])('%j prints as %j', (text, printed, reqs) => {
    const sel = parseFieldSelector(text);
    expect(sel.toString()).toBe(printed);
    expect(sel.requirements()).toEqual(reqs);
  });

  it.each([
    ['a', "invalid selector: 'a'; can't understand 'a'"],
    ['a=b,c', "invalid selector: 'a=b,c'; can't understand 'c'"],
    ['a=b=c', 'invalid field selector: unescaped character in value: 61'],
    ['a=b\\x', 'invalid field selector: invalid escape sequence: \\x'],
    ['a=b\\', 'invalid field selector: invalid escape sequence: \\'],
  ])('%j fails with %j', (text, message) => {
    expect(() => parseFieldSelector(text)).toThrow(new SelectorParseError(message));
  });

  const pod: Record<string, string> = { 'metadata.name': 'web', 'spec.nodeName': 'n1', 'status.phase': 'Running' };
  it.each([
    ['metadata.name=web', true],
    ['metadata.name=db', false],
    ['spec.nodeName!=', true],
    ['spec.nodeName=n1,status.phase!=Running', false],
    ['spec.unknown=', true],
    ['spec.unknown!=', false],
    ['', true],
  ])('%j on a pod → %s', (text, expected) => {
    expect(parseFieldSelector(text).matches((f) => pod[f])).toBe(expected);
  });

  it('requiresExactMatch finds = terms only', () => {
    expect(parseFieldSelector('metadata.name=a,spec.nodeName!=b').requiresExactMatch('metadata.name')).toBe('a');
    expect(parseFieldSelector('spec.nodeName!=b').requiresExactMatch('spec.nodeName')).toBeUndefined();
  });

  it('fieldSelectorFromSet escapes values when printed', () => {
    expect(fieldSelectorFromSet({ b: 'x,y', a: '1' }).toString()).toBe('a=1,b=x\\,y');
  });
});

describe('escaping', () => {
  it.each([
    ['plain', 'plain'],
    ['a,b', 'a\\,b'],
    ['a=b', 'a\\=b'],
    ['a\\b', 'a\\\\b'],
  ])('%j ⇄ %j', (raw, escaped) => {
    expect(escapeFieldValue(raw)).toBe(escaped);
    expect(unescapeFieldValue(escaped)).toBe(raw);
  });
});
