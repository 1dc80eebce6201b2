import { describe, expect, it } from 'vitest';
import { SelectorParseError } from './errors.ts';
import { everything, fromLabelSelector, nothing, parseLabelSelector, selectorFromSet } from './labels.ts';

const QN_REGEX = "(e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

describe('parseLabelSelector', () => {
  it.each([
    ['', ''],
    ['   ', ''],
    ['x=a', 'x=a'],
    ['x==a', 'x==a'],
    ['x!=a', 'x!=a'],
    ['y=b,x=a', 'x=a,y=b'],
    ['a=b,c!=d,e in (y,x),f notin (z),g,!h', 'a=b,c!=d,e in (x,y),f notin (z),g,!h'],
    ['x in (a)', 'x in (a)'],
    ['x in (a,,b)', 'x in (,a,b)'],
    ['x in ()', 'x in ()'],
    ['x notin (a,)', 'x notin (,a)'],
    ['x=', 'x='],
    ['x= ,z= ', 'x=,z='],
    ['x>1', 'x>1'],
    ['x>1,z<5', 'x>1,z<5'],
    ['  x  =  a  ', 'x=a'],
    ['example.com/app=web', 'example.com/app=web'],
    ['x in (in,notin)', 'x in (in,notin)'],
    ['in=notin', 'in=notin'],
  ])('%j prints as %j', (text, printed) => {
    expect(parseLabelSelector(text).toString()).toBe(printed);
  });

  it.each([
    ['x=a||y=b', `unable to parse requirement: values[0][x]: Invalid value: "a||y": ${VALUE_MSG}`],
    ['x==a==b', "found '==', expected: ',' or 'end of string'"],
    ['!x=a', "found '=', expected: ',' or 'end of string'"],
    ['x<a', `unable to parse requirement: values[0]: Invalid value: "a": for 'Gt', 'Lt' operators, the value must be an integer`],
    ['a b', "unable to parse requirement: found 'b', expected: '=', '!=', '==', 'in', notin'"],
    ['x=a,', "found '', expected: identifier after ','"],
    [',x', "found ',', expected: !, identifier, or 'end of string'"],
    ['x in (a', "unable to parse requirement: found '', expected: ',' or ')'"],
    ['x in a', "unable to parse requirement: found 'a' expected: '('"],
    ['x in (=)', "unable to parse requirement: found '=', expected: ',', ')' or identifier"],
    ['x=(', "unable to parse requirement: found '(', expected: identifier"],
    ['!', "unable to parse requirement: found '', expected: identifier"],
    ['a@b=c', `unable to parse requirement: <nil>: Invalid value: "a@b": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character ${QN_REGEX}`],
    ['/a', 'unable to parse requirement: <nil>: Invalid value: "/a": prefix part must be non-empty'],
    ['x=!', "unable to parse requirement: found '!', expected: identifier"],
    ['x!==a', "unable to parse requirement: found '=', expected: identifier"],
  ])('%j fails with upstream message', (text, message) => {
    let caught: unknown;
    try {
      parseLabelSelector(text);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(SelectorParseError);
    expect((caught as Error).message).toBe(message);
  });

  it.each([
    ['x=a', { x: 'a' }, true],
    ['x=a', { x: 'b' }, false],
    ['x=a', {}, false],
    ['x!=a', {}, true],
    ['x!=a', { x: 'a' }, false],
    ['x in (a,b)', { x: 'b' }, true],
    ['x notin (a,b)', { x: 'c' }, true],
    ['x notin (a,b)', { x: 'a' }, false],
    ['x', { x: '' }, true],
    ['x', { y: 'a' }, false],
    ['!x', { y: 'a' }, true],
    ['!x', { x: 'a' }, false],
    ['x=', { x: '' }, true],
    ['x>1', { x: '2' }, true],
    ['x>1', { x: '1' }, false],
    ['x>1', { x: 'a' }, false],
    ['x<1', { x: '-5' }, true],
    ['x<1', {}, false],
    ['a=b,c!=d', { a: 'b', c: 'e' }, true],
    ['a=b,c!=d', { a: 'b', c: 'd' }, false],
    ['', { any: 'thing' }, true],
    ['toString', {}, false],
  ])('%j matches %j → %s', (text, labels, expected) => {
    expect(parseLabelSelector(text).matches(labels)).toBe(expected);
  });

  it('treats undefined labels as the empty set', () => {
    expect(parseLabelSelector('!x').matches(undefined)).toBe(true);
    expect(parseLabelSelector('x').matches(undefined)).toBe(false);
  });

  it.each([
    ['x=a,y=b', 'x', 'a'],
    ['x in (a)', 'x', 'a'],
    ['x in (a,b)', 'x', undefined],
    ['x!=a', 'x', undefined],
    ['y=b', 'x', undefined],
  ])('%j requiresExactMatch(%j) = %j', (text, key, value) => {
    expect(parseLabelSelector(text).requiresExactMatch(key)).toBe(value);
  });

  it('exposes sorted requirements with parsed operators', () => {
    expect(parseLabelSelector('z>3,a in (b,a),!m').requirements()).toEqual([
      { key: 'a', operator: 'in', values: ['a', 'b'] },
      { key: 'm', operator: '!', values: [] },
      { key: 'z', operator: 'gt', values: ['3'] },
    ]);
  });
});

describe('fromLabelSelector', () => {
  it.each([
    [{ matchLabels: { b: '2', a: '1' } }, 'a=1,b=2'],
    [{ matchExpressions: [{ key: 'e', operator: 'In', values: ['y', 'x'] }] }, 'e in (x,y)'],
    [
      {
        matchLabels: { z: 'v' },
        matchExpressions: [
          { key: 'f', operator: 'NotIn', values: ['q'] },
          { key: 'g', operator: 'Exists' },
          { key: 'h', operator: 'DoesNotExist' },
        ],
      },
      'f notin (q),g,!h,z=v',
    ],
    [{}, ''],
  ])('%j prints as %j', (selector, printed) => {
    expect(fromLabelSelector(selector).toString()).toBe(printed);
  });

  it.each([
    [{ matchExpressions: [{ key: 'a', operator: 'Foo', values: ['x'] }] }, '"Foo" is not a valid label selector operator'],
    [{ matchExpressions: [{ key: 'a', operator: 'In' }] }, "values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty"],
    [{ matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] }, `values: Invalid value: []string{"x"}: values set must be empty for exists and does not exist`],
    [{ matchLabels: { 'a b': 'x' } }, `key: Invalid value: "a b": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character ${QN_REGEX}`],
    [{ matchLabels: { a: '-x' } }, `values[0][a]: Invalid value: "-x": ${VALUE_MSG}`],
    [
      { matchExpressions: [{ key: '', operator: 'In', values: [] }] },
      `[key: Invalid value: "": name part must be non-empty, values: Invalid value: []string{}: for 'in', 'notin' operators, values set can't be empty]`,
    ],
  ])('%j fails: %s', (selector, message) => {
    expect(() => fromLabelSelector(selector)).toThrow(expect.objectContaining({ name: 'SelectorParseError', message }));
  });

  it('null selects nothing, {} everything', () => {
    expect(fromLabelSelector(null).matches({ a: 'b' })).toBe(false);
    expect(fromLabelSelector(undefined).selectable()).toBe(false);
    expect(fromLabelSelector({}).matches({ a: 'b' })).toBe(true);
    expect(fromLabelSelector({ matchLabels: {}, matchExpressions: [] }).empty()).toBe(true);
  });

  it('matches like the parsed string form', () => {
    const sel = fromLabelSelector({ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['db'] }] });
    expect(sel.matches({ app: 'web', tier: 'front' })).toBe(true);
    expect(sel.matches({ app: 'web', tier: 'db' })).toBe(false);
    expect(sel.matches({ tier: 'front' })).toBe(false);
  });

  it('carries field errors as causes', () => {
    try {
      fromLabelSelector({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] });
      expect.unreachable();
    } catch (err) {
      expect((err as SelectorParseError).causes).toEqual([
        { type: 'FieldValueInvalid', field: 'values', detail: "Invalid value: []string{}: for 'in', 'notin' operators, values set can't be empty" },
      ]);
    }
  });
});

describe('everything / nothing / selectorFromSet', () => {
  it('selectorFromSet demands every pair, sorted', () => {
    const sel = selectorFromSet({ b: '2', a: '1' });
    expect(sel.toString()).toBe('a=1,b=2');
    expect(sel.matches({ a: '1', b: '2', c: '3' })).toBe(true);
    expect(sel.matches({ a: '1' })).toBe(false);
  });
  it('add keeps requirements sorted', () => {
    const sel = parseLabelSelector('z=1').add(...parseLabelSelector('a=2').requirements());
    expect(sel.toString()).toBe('a=2,z=1');
  });
  it('everything is empty and matches; nothing is not empty and never matches', () => {
    expect(everything().empty()).toBe(true);
    expect(everything().matches(undefined)).toBe(true);
    expect(nothing().empty()).toBe(false);
    expect(nothing().matches({})).toBe(false);
  });
});
