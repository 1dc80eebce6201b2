import { describe, expect, it } from 'vitest';
import { decodePathSegments, parseRequestTarget } from './request-target.ts';

describe('parseRequestTarget', () => {
  it.each([
    ['/containerLogs/default/p/c?tailLines=1', '/containerLogs/default/p/c', '?tailLines=1'],
    ['//', '//', ''],
    ['//evil.example/x', '//evil.example/x', ''],
    [undefined, '/', ''],
  ])('%s → path %s', (raw, pathname, search) => {
    const url = parseRequestTarget(raw)!;
    expect([url.pathname, url.search, url.host]).toEqual([pathname, search, 'request']);
  });

  it.each(['http://[', '*', 'example.com:443'])('%s is not an origin-form target', (raw) => {
    expect(parseRequestTarget(raw)).toBeUndefined();
  });
});

describe('decodePathSegments', () => {
  it('decodes, or says a segment is broken', () => {
    expect(decodePathSegments(['a%2Fb', 'c'])).toEqual(['a/b', 'c']);
    expect(decodePathSegments(['ok', '%ZZ'])).toBeUndefined();
  });
});
