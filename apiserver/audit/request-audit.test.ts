import { describe, expect, it } from 'vitest';
import { jsonBody } from './request-audit.ts';

describe('request audit helpers', () => {
  it.each<[string, unknown, unknown, unknown]>([
    ['a JSON object', 'application/json', Buffer.from('{"a":1}'), { a: 1 }],
    ['a merge patch', 'application/merge-patch+json; charset=utf-8', '{"b":2}', { b: 2 }],
    ['a JSON patch', 'application/json-patch+json', '[{"op":"remove","path":"/x"}]', [{ op: 'remove', path: '/x' }]],
    ['an apply patch sent as JSON', 'application/apply-patch+yaml', '{"c":3}', { c: 3 }],
    ['an apply patch in YAML', 'application/apply-patch+yaml', 'c: 3', undefined],
    ['protobuf', 'application/vnd.kubernetes.protobuf', Buffer.from([1, 2]), undefined],
    ['no content type', undefined, '{}', undefined],
    ['an empty body', 'application/json', Buffer.alloc(0), undefined],
  ])('bodies: %s', (_name, contentType, body, expected) => {
    expect(jsonBody(contentType, body)).toEqual(expected);
  });
});
