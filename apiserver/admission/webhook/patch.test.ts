import { describe, expect, it } from 'vitest';
import { applyWebhookPatch, decodeWebhookPatch } from './patch.ts';

const b64 = (text: string) => Buffer.from(text).toString('base64');

describe('decodeWebhookPatch', () => {
  it.each<[string, string, unknown]>([
    ['a JSON patch', b64('[{"op":"add","path":"/a","value":1}]'), { ok: true, count: 1 }],
    ['an empty list', b64('[]'), { ok: true, count: 0 }],
    ['null', b64('null'), { ok: true, count: 0 }],
    ['an object', b64('{"op":"add"}'), { ok: false, stage: 'patch', error: 'json: cannot unmarshal object into Go value of type jsonpatch.Patch' }],
    ['a list of strings', b64('["x"]'), { ok: false, stage: 'patch', error: 'json: cannot unmarshal string into Go value of type jsonpatch.Operation' }],
    ['not JSON', b64('<xml/>'), { ok: false, stage: 'patch', error: "invalid character '<' looking for beginning of value" }],
    ['empty bytes', b64('  '), { ok: false, stage: 'patch', error: 'unexpected end of JSON input' }],
    ['not base64', 'a*bc', { ok: false, stage: 'base64', error: 'illegal base64 data at input byte 1' }],
    ['unpadded base64', 'YWJjZA', { ok: false, stage: 'base64', error: 'illegal base64 data at input byte 4' }],
  ])('%s', (_name, patch, expected) => {
    const got = decodeWebhookPatch(patch);
    expect(got.ok ? { ok: true, count: got.operations.length } : got).toEqual(expected);
  });
});

describe('applyWebhookPatch', () => {
  const obj = { metadata: { name: 'p', labels: { a: '1' } }, spec: { containers: [{ name: 'c' }] } };
  const ops = (patch: unknown) => {
    const decoded = decodeWebhookPatch(b64(JSON.stringify(patch)));
    if (!decoded.ok) throw new Error(decoded.error);
    return decoded.operations;
  };

  it('applies to a copy', () => {
    const out = applyWebhookPatch(obj, ops([{ op: 'add', path: '/spec/containers/-', value: { name: 'sidecar' } }, { op: 'remove', path: '/metadata/labels/a' }]));
    expect(out).toEqual({ metadata: { name: 'p', labels: {} }, spec: { containers: [{ name: 'c' }, { name: 'sidecar' }] } });
    expect(obj.spec.containers).toHaveLength(1);
  });

  it.each<[string, unknown, string]>([
    ['missing path', [{ op: 'replace', path: '/spec/x/y', value: 1 }], 'replace operation does not apply: doc is missing path: /spec/x/y: missing value'],
    ['failed test', [{ op: 'test', path: '/metadata/name', value: 'q' }], 'testing value /metadata/name failed: test failed'],
    ['replace the root with a list', [{ op: 'replace', path: '', value: [] }], ''],
  ])('throws the reason: %s', (_n, patch, message) => {
    let thrown: unknown;
    try {
      applyWebhookPatch(obj, ops(patch));
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(Error);
    if (message) expect((thrown as Error).message).toBe(message);
  });
});
