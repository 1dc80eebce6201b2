import { describe, expect, it } from 'vitest';
import type { FieldError } from '../../errors/index.ts';
import { labelSelectorHasInvalidLabelValue, validateLabelSelector } from './label-selector.ts';
import { isValidPathSegmentName } from './names.ts';

const lines = (errs: FieldError[]) => errs.map((e) => `${e.field}: ${e.detail}`);

describe('validateLabelSelector', () => {
  it('accepts absent, empty and well-formed selectors', () => {
    expect(validateLabelSelector(undefined, 's')).toEqual([]);
    expect(validateLabelSelector({}, 's')).toEqual([]);
    expect(validateLabelSelector({ matchLabels: { 'example.com/a': 'b' }, matchExpressions: [{ key: 'x', operator: 'NotIn', values: ['1'] }, { key: 'y', operator: 'DoesNotExist' }] }, 's')).toEqual([]);
  });

  it('reports keys, operators and values at upstream paths', () => {
    expect(lines(validateLabelSelector({ matchLabels: { '-a': 'ok' }, matchExpressions: [{ key: 'k', operator: 'Nope', values: ['-v'] }] }, 's'))).toEqual([
      `s.matchLabels: Invalid value: "-a": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
      's.matchExpressions[0].operator: Invalid value: "Nope": not a valid selector operator',
      `s.matchExpressions[0].values[0]: Invalid value: "-v": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
    ]);
  });

  it('can tolerate invalid values (updates of objects that already hold them)', () => {
    const selector = { matchExpressions: [{ key: 'k', operator: 'In', values: ['a b'] }] };
    expect(labelSelectorHasInvalidLabelValue(selector)).toBe(true);
    expect(labelSelectorHasInvalidLabelValue({ matchExpressions: [{ key: 'k', operator: 'In', values: ['ab'] }] })).toBe(false);
    expect(validateLabelSelector(selector, 's', { allowInvalidLabelValueInSelector: true })).toEqual([]);
  });
});

describe('isValidPathSegmentName', () => {
  it.each<[string, string[]]>([
    ['system:node-proxier', []],
    ['.', ["may not be '.'"]],
    ['..', ["may not be '..'"]],
    ['../x', ["may not contain '/'"]],
    ['50%', ["may not contain '%'"]],
  ])('%j', (name, expected) => {
    expect(isValidPathSegmentName(name)).toEqual(expected);
  });
});
