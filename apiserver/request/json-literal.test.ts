import { describe, expect, it } from 'vitest';
import { jsonLiteralAt } from './json-literal.ts';

const text = '{"spec": {"a": "x,}]\\"", "replicas": 1, "n": [1, {"v": -99999999999999999999 }, 1.50], "replicas": 99999999999},\n "k\\u0065y": 1e3}';

describe('jsonLiteralAt', () => {
  it.each([
    [['spec', 'replicas'], '99999999999'],
    [['spec', 'n', 1, 'v'], '-99999999999999999999'],
    [['spec', 'n', 2], '1.50'],
    [['spec', 'n', 0], '1'],
    [['spec', 'a'], '"x,}]\\""'],
    [['key'], '1e3'],
    [['spec', 'n', 3], undefined],
    [['spec', 'missing'], undefined],
    [['spec', 0], undefined],
  ] as const)('%j → %s', (path, literal) => {
    expect(jsonLiteralAt(text, path)).toBe(literal);
  });

  it('is undefined for text that is not JSON', () => {
    expect(jsonLiteralAt('{"a": ', ['a'])).toBeUndefined();
  });
});
