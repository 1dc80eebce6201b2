import { describe, expect, it } from 'vitest';
import { ApiError } from '../../pkg/errors/index.ts';
import { applyJsonPatch, decodeJsonPatch, escapePointerToken, unescapePointerToken } from './json-patch.ts';

const doc = () => ({
  metadata: { name: 'web', labels: { app: 'web' }, annotations: { 'example.com/a~b': 'x', 'example.com/c': 'y' } },
  spec: { replicas: 1, list: ['a', 'b', 'c'], containers: [{ name: 'nginx', image: 'nginx:1.7' }] },
});

function apply(ops: unknown, original: unknown = doc()): unknown {
  return applyJsonPatch(original, decodeJsonPatch(ops));
}

function errorOf(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error('expected an ApiError');
}

describe('applyJsonPatch: operations', () => {
  it.each<[string, unknown[], (d: ReturnType<typeof doc>) => unknown, unknown]>([
    ['add object member', [{ op: 'add', path: '/metadata/labels/tier', value: 'fe' }], (d) => d.metadata.labels, { app: 'web', tier: 'fe' }],
    ['add replaces an existing member', [{ op: 'add', path: '/spec/replicas', value: 3 }], (d) => d.spec.replicas, 3],
    ['add inserts into an array', [{ op: 'add', path: '/spec/list/1', value: 'x' }], (d) => d.spec.list, ['a', 'x', 'b', 'c']],
    ['add appends with -', [{ op: 'add', path: '/spec/list/-', value: 'z' }], (d) => d.spec.list, ['a', 'b', 'c', 'z']],
    ['add at index == length appends', [{ op: 'add', path: '/spec/list/3', value: 'z' }], (d) => d.spec.list, ['a', 'b', 'c', 'z']],
    ['add at a negative index counts from the end', [{ op: 'add', path: '/spec/list/-1', value: 'z' }], (d) => d.spec.list, ['a', 'b', 'c', 'z']],
    ['add without value adds null', [{ op: 'add', path: '/spec/paused' }], (d) => (d.spec as Record<string, unknown>).paused, null],
    ['remove object member', [{ op: 'remove', path: '/metadata/labels/app' }], (d) => d.metadata.labels, {}],
    ['remove array item', [{ op: 'remove', path: '/spec/list/0' }], (d) => d.spec.list, ['b', 'c']],
    ['remove last item by negative index', [{ op: 'remove', path: '/spec/list/-1' }], (d) => d.spec.list, ['a', 'b']],
    ['replace member', [{ op: 'replace', path: '/spec/containers/0/image', value: 'nginx:1.9' }], (d) => d.spec.containers[0].image, 'nginx:1.9'],
    ['replace of a missing object key adds it (upstream library)', [{ op: 'replace', path: '/spec/paused', value: true }], (d) => (d.spec as Record<string, unknown>).paused, true],
    ['replace array item', [{ op: 'replace', path: '/spec/list/1', value: 'B' }], (d) => d.spec.list, ['a', 'B', 'c']],
    ['~1 unescapes to /', [{ op: 'add', path: '/metadata/annotations/example.com~1d', value: 'z' }], (d) => (d.metadata.annotations as Record<string, string>)['example.com/d'], 'z'],
    ['~0 unescapes to ~', [{ op: 'remove', path: '/metadata/annotations/example.com~1a~0b' }], (d) => Object.keys(d.metadata.annotations), ['example.com/c']],
    ['move member', [{ op: 'move', from: '/metadata/labels/app', path: '/metadata/labels/name' }], (d) => d.metadata.labels, { name: 'web' }],
    ['move array item', [{ op: 'move', from: '/spec/list/0', path: '/spec/list/-' }], (d) => d.spec.list, ['b', 'c', 'a']],
    ['copy member', [{ op: 'copy', from: '/metadata/name', path: '/metadata/labels/name' }], (d) => d.metadata.labels, { app: 'web', name: 'web' }],
    ['copy from a missing key copies null (upstream library)', [{ op: 'copy', from: '/metadata/nothing', path: '/metadata/labels/x' }], (d) => d.metadata.labels, { app: 'web', x: null }],
    ['test then replace', [{ op: 'test', path: '/spec/replicas', value: 1 }, { op: 'replace', path: '/spec/replicas', value: 2 }], (d) => d.spec.replicas, 2],
    ['test of an object ignores key order', [{ op: 'test', path: '/spec/containers/0', value: { image: 'nginx:1.7', name: 'nginx' } }], (d) => d.spec.replicas, 1],
    ['test of a missing key against null passes', [{ op: 'test', path: '/spec/paused', value: null }], (d) => d.spec.replicas, 1],
    ['ops apply in order', [{ op: 'add', path: '/spec/x', value: {} }, { op: 'add', path: '/spec/x/y', value: 1 }], (d) => (d.spec as Record<string, unknown>).x, { y: 1 }],
    ['null document is no operation', [], (d) => d.spec.replicas, 1],
  ])('%s', (_name, ops, pick, expected) => {
    expect(pick(apply(ops) as ReturnType<typeof doc>)).toEqual(expected);
  });

  it('replace of the root takes the new document', () => {
    expect(apply([{ op: 'replace', path: '', value: { kind: 'X' } }])).toEqual({ kind: 'X' });
  });

  it('a null patch document changes nothing', () => {
    expect(applyJsonPatch(doc(), decodeJsonPatch(null))).toEqual(doc());
  });

  it('never modifies its inputs and shares no references', () => {
    const original = doc();
    const value = { nested: ['v'] };
    const out = apply([{ op: 'add', path: '/spec/extra', value }, { op: 'remove', path: '/spec/list/0' }], original) as ReturnType<typeof doc>;
    expect(original).toEqual(doc());
    expect(value).toEqual({ nested: ['v'] });
    expect((out.spec as Record<string, unknown>).extra).not.toBe(value);
    expect(out.metadata).not.toBe(original.metadata);
  });

  it('keys named __proto__ are plain data', () => {
    const out = apply([{ op: 'add', path: '/metadata/labels/__proto__', value: { polluted: true } }]) as ReturnType<typeof doc>;
    expect(Object.keys(out.metadata.labels)).toEqual(['app', '__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('applyJsonPatch: operations that do not apply are 422', () => {
  it.each<[string, unknown[]]>([
    ['failing test', [{ op: 'test', path: '/spec/replicas', value: 2 }]],
    ['test of a missing key against a value', [{ op: 'test', path: '/spec/paused', value: false }]],
    ['test without value of a present key', [{ op: 'test', path: '/spec/replicas' }]],
    ['test below a missing parent', [{ op: 'test', path: '/nope/x', value: 1 }]],
    ['add below a missing parent', [{ op: 'add', path: '/status/phase', value: 'Running' }]],
    ['add through a scalar', [{ op: 'add', path: '/spec/replicas/x', value: 1 }]],
    ['add past the array end', [{ op: 'add', path: '/spec/list/5', value: 'x' }]],
    ['add with a non-numeric array index', [{ op: 'add', path: '/spec/list/x', value: 'x' }]],
    ['add at the root path', [{ op: 'add', path: '', value: {} }]],
    ['remove of a missing key', [{ op: 'remove', path: '/metadata/labels/missing' }]],
    ['remove past the array end', [{ op: 'remove', path: '/spec/list/3' }]],
    ['remove with - index', [{ op: 'remove', path: '/spec/list/-' }]],
    ['replace past the array end', [{ op: 'replace', path: '/spec/list/3', value: 'x' }]],
    ['replace of the root with a scalar', [{ op: 'replace', path: '', value: 5 }]],
    ['move from a missing key', [{ op: 'move', from: '/spec/nope', path: '/spec/x' }]],
    ['move without from', [{ op: 'move', path: '/spec/x' }]],
    ['copy to a missing parent', [{ op: 'copy', from: '/spec/replicas', path: '/nope/x' }]],
    ['missing path', [{ op: 'add', value: 1 }]],
    ['unknown op', [{ op: 'increment', path: '/spec/replicas' }]],
    ['missing op', [{ path: '/spec/replicas' }]],
    ['null operation', [null]],
  ])('%s', (_name, ops) => {
    const err = errorOf(() => apply(ops));
    expect(err.code).toBe(422);
    expect(err.reason).toBe('Invalid');
    expect(err.message).toBe('the server rejected our request due to an error in our request');
    expect(err.toStatus().details).toEqual({});
  });

  it('keeps the library message as the cause for logs', () => {
    const err = errorOf(() => apply([{ op: 'increment', path: '/a' }]));
    expect((err.cause as Error).message).toBe('Unexpected kind: increment');
  });
});

describe('decodeJsonPatch: malformed documents are 400', () => {
  it.each<[string, unknown, 'Strict' | 'Ignore', string]>([
    ['object (strict)', { op: 'add' }, 'Strict', 'error decoding patch: json: cannot unmarshal object into Go value of type []handlers.jsonPatchOp'],
    ['string item (strict)', ['add'], 'Strict', 'error decoding patch: json: cannot unmarshal string into Go value of type handlers.jsonPatchOp'],
    ['array item (strict)', [[]], 'Strict', 'error decoding patch: json: cannot unmarshal array into Go value of type handlers.jsonPatchOp'],
    ['numeric op (strict)', [{ op: 5, path: '/a' }], 'Strict', 'error decoding patch: json: cannot unmarshal number into Go struct field jsonPatchOp.op of type string'],
    ['boolean path (strict)', [{ op: 'add', path: true }], 'Strict', 'error decoding patch: json: cannot unmarshal bool into Go struct field jsonPatchOp.path of type string'],
    ['object (ignore)', { op: 'add' }, 'Ignore', 'json: cannot unmarshal object into Go value of type jsonpatch.Patch'],
    ['number item (ignore)', [1], 'Ignore', 'json: cannot unmarshal number into Go value of type jsonpatch.Operation'],
  ])('%s', (_name, document, validation, message) => {
    const err = errorOf(() => decodeJsonPatch(document, validation));
    expect(err.code).toBe(400);
    expect(err.reason).toBe('BadRequest');
    expect(err.message).toBe(message);
  });

  it('a wrongly typed op is a 422 when field validation is Ignore', () => {
    const ops = decodeJsonPatch([{ op: 5, path: '/a' }], 'Ignore');
    expect(errorOf(() => applyJsonPatch({}, ops)).code).toBe(422);
  });

  it('more than 10000 operations is 413', () => {
    const ops = Array.from({ length: 10001 }, () => ({ op: 'test', path: '/a', value: 1 }));
    const err = errorOf(() => decodeJsonPatch(ops));
    expect(err.code).toBe(413);
    expect(err.reason).toBe('RequestEntityTooLarge');
    expect(err.message).toBe('Request entity too large: The allowed maximum operations in a JSON patch is 10000, got 10001');
  });

  it('exactly 10000 operations are accepted', () => {
    expect(decodeJsonPatch(Array.from({ length: 10000 }, () => ({ op: 'test', path: '/a' })))).toHaveLength(10000);
  });
});

describe('JSON pointer tokens', () => {
  it.each([
    ['a/b', 'a~1b'],
    ['a~b', 'a~0b'],
    ['~1', '~01'],
    ['plain', 'plain'],
  ])('%s <-> %s', (raw, escaped) => {
    expect(escapePointerToken(raw)).toBe(escaped);
    expect(unescapePointerToken(escaped)).toBe(raw);
  });
});
