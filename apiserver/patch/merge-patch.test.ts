import { describe, expect, it } from 'vitest';
import { ApiError } from '../../pkg/errors/index.ts';
import { applyMergePatch, validateMergePatchDocument } from './merge-patch.ts';

function errorOf(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error('expected an ApiError');
}

describe('applyMergePatch (RFC 7386)', () => {
  it.each<[string, unknown, unknown, unknown]>([
    ['replaces a member', { a: 'b' }, { a: 'c' }, { a: 'c' }],
    ['adds a member', { a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    ['null deletes a member', { a: 'b' }, { a: null }, {}],
    ['null keeps other members', { a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
    ['arrays replace', { a: ['b'] }, { a: 'c' }, { a: 'c' }],
    ['scalar replaced by array', { a: 'c' }, { a: ['b'] }, { a: ['b'] }],
    ['objects merge recursively', { a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    ['array of objects replaces', { a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
    ['empty array stays an empty array', { a: ['x'] }, { a: [] }, { a: [] }],
    ['null members of added objects are dropped', {}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
    ['null members inside array items are dropped', { a: 1 }, { a: [{ x: null, y: 1 }] }, { a: [{ y: 1 }] }],
    ['null array items are kept', {}, { a: [null, 1] }, { a: [null, 1] }],
    ['empty patch changes nothing', { a: 1 }, {}, { a: 1 }],
    ['deleting a missing member is a no-op', { a: 1 }, { b: null }, { a: 1 }],
    ['object replacing a scalar has nulls dropped', { a: 'x' }, { a: { b: null, c: 1 } }, { a: { c: 1 } }],
    ['a null live value is replaced', { a: null }, { a: { b: null, c: 1 } }, { a: { c: 1 } }],
    ['label removal (kubectl label app-)', { metadata: { labels: { app: 'x', tier: 'y' } } }, { metadata: { labels: { app: null } } }, { metadata: { labels: { tier: 'y' } } }],
    ['kubectl scale on /scale', { spec: { replicas: 1 }, status: { replicas: 1 } }, { spec: { replicas: 3 } }, { spec: { replicas: 3 }, status: { replicas: 1 } }],
  ])('%s', (_name, target, patch, expected) => {
    expect(applyMergePatch(target, patch)).toEqual(expected);
  });

  it('a top-level array patch replaces the document', () => {
    expect(applyMergePatch({ a: 1 }, [{ b: null }, null])).toEqual([{}, null]);
  });

  it('never modifies its inputs and shares no references', () => {
    const target = { a: { b: 1 }, keep: { x: [1] } };
    const patch = { a: { c: { d: 1 } }, e: [{ f: null }] };
    const out = applyMergePatch(target, patch) as Record<string, Record<string, unknown>>;
    expect(target).toEqual({ a: { b: 1 }, keep: { x: [1] } });
    expect(patch).toEqual({ a: { c: { d: 1 } }, e: [{ f: null }] });
    expect(out.keep).not.toBe(target.keep);
    expect(out.a.c).not.toBe(patch.a.c);
  });
});

describe('merge patch documents that are rejected (400)', () => {
  it.each<[string, unknown, 'Strict' | 'Ignore', string]>([
    ['array (strict)', [1], 'Strict', 'error decoding patch: json: cannot unmarshal array into Go value of type map[string]interface {}'],
    ['string (strict)', 'x', 'Strict', 'error decoding patch: json: cannot unmarshal string into Go value of type map[string]interface {}'],
    ['null (strict)', null, 'Strict', 'Invalid JSON Patch'],
    ['number (ignore)', 5, 'Ignore', 'Invalid JSON Patch'],
    ['null (ignore)', null, 'Ignore', 'Invalid JSON Patch'],
  ])('%s', (_name, patch, validation, message) => {
    const err = errorOf(() => validateMergePatchDocument(patch, validation));
    expect(err.code).toBe(400);
    expect(err.reason).toBe('BadRequest');
    expect(err.message).toBe(message);
  });

  it('an array passes with Ignore (the caller then rejects the non-object result)', () => {
    expect(() => validateMergePatchDocument([1], 'Ignore')).not.toThrow();
  });
});
