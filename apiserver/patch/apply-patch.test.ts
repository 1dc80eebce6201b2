import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../pkg/api/meta.ts';
import type { PatchMeta } from '../../pkg/api/resource.ts';
import { ApiError } from '../../pkg/errors/index.ts';
import { applyPatch, patchMediaType, type ApplyPatchInput } from './index.ts';

const META: PatchMeta = { 'spec.containers': { strategy: 'merge', mergeKey: 'name' } };

function pod(): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'default', labels: { app: 'a' } },
    spec: { containers: [{ name: 'c', image: 'nginx:1.7' }, { name: 'd', image: 'busybox' }] },
  } as KubeObject;
}

function input(contentType: string, body: ApplyPatchInput['patchBody'], extra: Partial<ApplyPatchInput> = {}): ApplyPatchInput {
  return { contentType, original: pod(), patchBody: body, patchMeta: META, isCustomResource: false, ...extra };
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

const images = (obj: KubeObject) => (obj as any).spec.containers.map((c: any) => `${c.name}=${c.image}`);

describe('applyPatch: patch types', () => {
  it.each<[string, string, string[]]>([
    ['application/json-patch+json', '[{"op":"replace","path":"/spec/containers/0/image","value":"nginx:1.9"}]', ['c=nginx:1.9', 'd=busybox']],
    ['application/merge-patch+json', '{"spec":{"containers":[{"name":"c","image":"nginx:1.9"}]}}', ['c=nginx:1.9']],
    ['application/strategic-merge-patch+json', '{"spec":{"containers":[{"name":"c","image":"nginx:1.9"}]}}', ['c=nginx:1.9', 'd=busybox']],
    ['application/strategic-merge-patch+json; charset=utf-8', '{"spec":{"containers":[{"name":"d","image":"alpine"}]}}', ['c=nginx:1.7', 'd=alpine']],
  ])('%s', (contentType, body, expected) => {
    expect(images(applyPatch(input(contentType, body)))).toEqual(expected);
  });

  it.each<[string, ApplyPatchInput['patchBody']]>([
    ['string', '{"metadata":{"labels":{"x":"y"}}}'],
    ['Buffer', Buffer.from('{"metadata":{"labels":{"x":"y"}}}')],
    ['Uint8Array', new TextEncoder().encode('{"metadata":{"labels":{"x":"y"}}}')],
  ])('reads a %s body', (_name, body) => {
    expect(applyPatch(input('application/merge-patch+json', body)).metadata.labels).toEqual({ app: 'a', x: 'y' });
  });

  it.each(['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json'])(
    '%s: the result shares no references with the inputs',
    (contentType) => {
      const original = pod();
      const body = contentType === 'application/json-patch+json' ? '[{"op":"add","path":"/metadata/labels/x","value":"y"}]' : '{"metadata":{"labels":{"x":"y"}}}';
      const out = applyPatch({ ...input(contentType, body), original });
      expect(original).toEqual(pod());
      expect(out.metadata).not.toBe(original.metadata);
      expect((out as any).spec).not.toBe((original as any).spec);
      expect((out as any).spec.containers[0]).not.toBe((original as any).spec.containers[0]);
    },
  );

  it('a custom resource accepts JSON and merge patches', () => {
    const out = applyPatch(input('application/merge-patch+json', '{"spec":{"size":3}}', { isCustomResource: true }));
    expect((out as any).spec.size).toBe(3);
  });
});

describe('applyPatch: unsupported media types are 415', () => {
  const builtin = 'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml';
  const custom = 'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml';
  it.each<[string, boolean, string]>([
    ['application/strategic-merge-patch+json', true, custom],
    ['application/json', false, builtin],
    ['application/json', true, custom],
    ['application/apply-patch+cbor', false, builtin],
    ['APPLICATION/MERGE-PATCH+JSON', false, builtin],
    ['', false, builtin],
  ])('%s (custom resource: %s)', (contentType, isCustomResource, message) => {
    const err = errorOf(() => applyPatch(input(contentType, '{}', { isCustomResource })));
    expect([err.code, err.reason, err.message]).toEqual([415, 'UnsupportedMediaType', message]);
  });

  it('server-side apply goes to the hook when one is given', () => {
    const applied = pod();
    const out = applyPatch(input('application/apply-patch+yaml', 'kind: Pod', { serverSideApply: () => applied }));
    expect(out).toBe(applied);
  });

  it('server-side apply without a hook is a clear 415', () => {
    const err = errorOf(() => applyPatch(input('application/apply-patch+yaml', 'kind: Pod')));
    expect(err.code).toBe(415);
    expect(err.message).toMatch(/^server-side apply \(application\/apply-patch\+yaml\) is not handled by the patch engine/);
  });
});

describe('applyPatch: bodies that do not decode are 400', () => {
  it.each<[string, string, string | RegExp]>([
    ['application/json-patch+json', '', 'error decoding patch: unexpected end of JSON input'],
    ['application/merge-patch+json', '  ', 'error decoding patch: unexpected end of JSON input'],
    ['application/strategic-merge-patch+json', '', 'unexpected end of JSON input'],
    ['application/json-patch+json', '[{"op":', 'error decoding patch: unexpected end of JSON input'],
    ['application/merge-patch+json', '{"a":}', "error decoding patch: invalid character '}' looking for beginning of value"],
    ['application/strategic-merge-patch+json', '{nope', "invalid character 'n' looking for beginning of object key string"],
    ['application/strategic-merge-patch+json', '[]', 'json: cannot unmarshal array into Go value of type map[string]interface {}'],
    ['application/strategic-merge-patch+json', '"x"', 'json: cannot unmarshal string into Go value of type map[string]interface {}'],
    ['application/merge-patch+json', '[]', 'error decoding patch: json: cannot unmarshal array into Go value of type map[string]interface {}'],
    ['application/merge-patch+json', 'null', 'Invalid JSON Patch'],
    ['application/json-patch+json', '{}', 'error decoding patch: json: cannot unmarshal object into Go value of type []handlers.jsonPatchOp'],
    ['application/json-patch+json', '['.repeat(1001) + ']'.repeat(1001), 'error decoding patch: exceeded max depth of 1000'],
  ])('%s %j', (contentType, body, message) => {
    const err = errorOf(() => applyPatch(input(contentType, body)));
    expect([err.code, err.reason]).toEqual([400, 'BadRequest']);
    if (typeof message === 'string') expect(err.message).toBe(message);
    else expect(err.message).toMatch(message);
  });

  it('a null strategic merge patch changes nothing', () => {
    expect(applyPatch(input('application/strategic-merge-patch+json', 'null'))).toEqual(pod());
  });

  it('a failing JSON patch test is 422', () => {
    const err = errorOf(() => applyPatch(input('application/json-patch+json', '[{"op":"test","path":"/metadata/name","value":"q"}]')));
    expect([err.code, err.reason]).toEqual([422, 'Invalid']);
  });
});

describe('patchMediaType', () => {
  it.each([
    ['application/merge-patch+json; charset=utf-8', 'application/merge-patch+json'],
    ['application/merge-patch+json', 'application/merge-patch+json'],
    [';x', ';x'],
  ])('%s → %s', (contentType, media) => {
    expect(patchMediaType(contentType)).toBe(media);
  });
});
