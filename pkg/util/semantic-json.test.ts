import { describe, expect, it } from 'vitest';
import { semanticEqual, semanticJson, sortedJson } from './semantic-json.ts';

describe('sortedJson', () => {
  it.each([
    [{ b: 1, a: { d: [2, 1], c: null } }, '{"a":{"c":null,"d":[2,1]},"b":1}'],
    [{ a: undefined, b: '$' }, '{"b":"$"}'],
    [[undefined, 'x'], '[null,"x"]'],
    [{ $patch: 'replace', a: 1 }, '{"$patch":"replace","a":1}'],
  ])('%j → %s', (value, text) => expect(sortedJson(value)).toBe(text));
});

describe('semanticJson', () => {
  it.each([
    [{ metadata: { creationTimestamp: null, labels: { a: '1' } } }, { metadata: { labels: { a: '1' } } }, true],
    [{ containers: [{ name: 'c', resources: {} }] }, { containers: [{ name: 'c' }] }, true],
    [{ args: [] }, {}, true],
    [{ a: 1 }, { a: 2 }, false],
    [{ list: [1, 2] }, { list: [2, 1] }, false],
    [{ image: 'a' }, { image: 'a', command: ['x'] }, false],
  ])('%j ~ %j → %s', (a, b, equal) => expect(semanticEqual(a, b)).toBe(equal));

  it('sorts keys', () => expect(semanticJson({ b: 1, a: 2 })).toBe('{"a":2,"b":1}'));
});
