import { describe, expect, it } from 'vitest';
import { decodeObject, encodeObject, prefixRangeEnd, withRevision } from './codec.ts';

describe('encodeObject', () => {
  it('drops metadata.resourceVersion without mutating the input', () => {
    const obj = { kind: 'ConfigMap', metadata: { name: 'a', resourceVersion: '7' }, data: { k: 'v' } };
    expect(JSON.parse(encodeObject(obj))).toEqual({ kind: 'ConfigMap', metadata: { name: 'a' }, data: { k: 'v' } });
    expect(obj.metadata.resourceVersion).toBe('7');
  });

  it('keeps objects without a resourceVersion byte-identical to JSON.stringify', () => {
    const obj = { metadata: { name: 'a' }, spec: { x: [1, 2] } };
    expect(encodeObject(obj)).toBe(JSON.stringify(obj));
  });
});

describe('decodeObject', () => {
  it.each([
    ['{"metadata":{"name":"a"}}', 5, { metadata: { name: 'a', resourceVersion: '5' } }],
    ['{"kind":"X"}', 9, { kind: 'X', metadata: { resourceVersion: '9' } }],
    ['{"metadata":null}', 1, { metadata: { resourceVersion: '1' } }],
  ])('%s at %d', (text, revision, expected) => {
    expect(decodeObject(text, revision)).toEqual(expected);
  });

  it('returns a fresh object every time', () => {
    const text = '{"metadata":{"name":"a"},"data":{"k":"v"}}';
    const first = decodeObject(text, 1);
    (first.data as Record<string, string>).k = 'changed';
    expect(decodeObject(text, 1).data).toEqual({ k: 'v' });
  });
});

describe('withRevision', () => {
  it.each([
    [{ metadata: { name: 'a' }, data: { k: 'v' } }, 5],
    [{ metadata: { resourceVersion: '3', name: 'a', labels: { x: 'y' } }, spec: { list: [1, { b: null }] } }, 9],
    [{ kind: 'X' }, 1],
    [{ kind: 'X', metadata: null }, 2],
    [{ apiVersion: 'v1', metadata: { name: 'a', resourceVersion: undefined, uid: 'u' } }, 4],
  ])('serialises as decodeObject(encodeObject(obj)) does: %j at %d', (obj, revision) => {
    const input = obj as never;
    const before = JSON.stringify(input);
    expect(JSON.stringify(withRevision(input, revision))).toBe(JSON.stringify(decodeObject(encodeObject(input), revision)));
    expect(JSON.stringify(input)).toBe(before);
  });

  it('copies the top level and metadata, not the input', () => {
    const input = { metadata: { name: 'a' }, data: { k: 'v' } };
    const out = withRevision(input, 3);
    out.metadata.name = 'b';
    (out as { data?: unknown }).data = {};
    expect(input).toEqual({ metadata: { name: 'a' }, data: { k: 'v' } });
  });
});

describe('prefixRangeEnd', () => {
  it.each([
    ['/registry/pods/', '/registry/pods0'],
    ['/a/', '/a0'],
    ['a', 'b'],
  ])('%s → %s', (prefix, end) => {
    expect(prefixRangeEnd(prefix).toString()).toBe(end);
  });

  it('works on UTF-8 bytes and means "no upper bound" for an empty prefix', () => {
    expect([...prefixRangeEnd('a\u00ff')]).toEqual([0x61, 0xc3, 0xc0]);
    expect([...prefixRangeEnd('')]).toEqual([0]);
  });
});
