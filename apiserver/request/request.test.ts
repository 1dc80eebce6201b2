import { describe, expect, it } from 'vitest';
import { negotiateFormat } from './accept.ts';
import { decodeContinueToken, encodeContinueToken } from './continue-token.ts';
import { findDuplicateFields } from './duplicate-fields.ts';
import { compileFieldSelector, compileLabelSelector } from './selectors.ts';
import { dropNulls, findUnknownFields } from './unknown-fields.ts';
import { listOptionsErrors, parseDryRun } from './options.ts';
import { parseObjectBody } from './body.ts';

describe('negotiateFormat', () => {
  it.each([
    [undefined, { kind: 'object', media: 'application/json' }],
    ['application/json', { kind: 'object', media: 'application/json' }],
    ['*/*', { kind: 'object', media: 'application/json' }],
    ['application/yaml', { kind: 'object', media: 'application/yaml' }],
    ['application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json', { kind: 'table', version: 'v1' }],
    ['application/json;as=Table;v=v1beta1;g=meta.k8s.io', { kind: 'table', version: 'v1beta1' }],
    ['application/json;as=Table;v=v2;g=meta.k8s.io,application/json', { kind: 'object', media: 'application/json' }],
    ['application/vnd.kubernetes.protobuf,application/json', { kind: 'object', media: 'application/json' }],
    ['application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1', { kind: 'partial', version: 'v1', list: true }],
  ])('%s', (accept, expected) => {
    expect(negotiateFormat(accept)).toEqual(expected);
  });

  it('refuses Table for subresources that cannot be converted', () => {
    expect(() => negotiateFormat('application/json;as=Table;v=v1;g=meta.k8s.io', false)).toThrow(/only the following media types/);
  });

  it.each(['application/vnd.kubernetes.protobuf', 'text/html'])('406 for %s', (accept) => {
    expect(() => negotiateFormat(accept)).toThrow(expect.objectContaining({ code: 406 }));
  });
});

describe('continue tokens', () => {
  it('round-trip to the key after the prefix', () => {
    const token = encodeContinueToken({ revision: 42, startAfter: '/registry/configmaps/default/c1', prefix: '/registry/configmaps/default/' });
    expect(JSON.parse(Buffer.from(token, 'base64url').toString())).toEqual({ v: 'meta.k8s.io/v1', rv: 42, start: 'c1\u0000' });
    expect(decodeContinueToken(token, '/registry/configmaps/default/')).toEqual({ revision: 42, startAfter: '/registry/configmaps/default/c1' });
  });

  const b64 = (json: string) => Buffer.from(json).toString('base64url');
  it.each([
    ['!!!', 'illegal base64 data at input byte 0'],
    ['abc=', 'illegal base64 data at input byte 3'],
    ['abcde', 'illegal base64 data at input byte 4'],
    [b64('{"v":"meta.k8s.io/v1"'), 'unexpected end of JSON input'],
    [b64('[]'), 'json: cannot unmarshal array into Go value of type storage.continueToken'],
    [b64('{"v":"meta.k8s.io/v1","rv":"1","start":"a"}'), 'json: cannot unmarshal string into Go struct field continueToken.rv of type int64'],
    [b64('{"v":"meta.k8s.io/v1","rv":1.5,"start":"a"}'), 'json: cannot unmarshal number 1.5 into Go struct field continueToken.rv of type int64'],
    [b64('{"v":"x","rv":1,"start":"a"}'), 'server does not recognize this encoded version x'],
    [b64('{"v":"meta.k8s.io/v1","rv":0,"start":"a"}'), 'incorrect encoded start resourceVersion (version meta.k8s.io/v1)'],
    [b64('{"v":"meta.k8s.io/v1","rv":3}'), 'encoded start key empty (version meta.k8s.io/v1)'],
    [b64('{"v":"meta.k8s.io/v1","rv":3,"start":"../x"}'), '../x'],
    [b64('{"v":"meta.k8s.io/v1","rv":3,"start":"a/"}'), 'a/'],
  ])('rejects %s as upstream: %s', (token, why) => {
    expect(() => decodeContinueToken(token, '/p/')).toThrow(expect.objectContaining({ code: 400, message: `invalid continue token: continue key is not valid: ${why}` }));
  });

  it('takes a negative revision as "the latest" and matches field names as Go does, ignoring case', () => {
    expect(decodeContinueToken(b64('{"V":"meta.k8s.io/v1","RV":-1,"Start":"/c1\\u0000"}'), '/p/')).toEqual({ revision: undefined, startAfter: '/p/c1' });
  });
});

describe('findDuplicateFields', () => {
  it.each([
    ['{"a":1,"b":2}', []],
    ['{"a":1,"a":2}', ['a']],
    ['{"metadata":{"labels":{"x":"1","x":"2"}}}', ['metadata.labels.x']],
    ['{"spec":{"containers":[{"name":"a","name":"b"}]}}', ['spec.containers[0].name']],
    ['{"s":"a\\"b","s":"c"}', ['s']],
    ['[]', []],
  ])('%s', (text, expected) => {
    expect(findDuplicateFields(text)).toEqual(expected);
  });
});

describe('findUnknownFields', () => {
  it.each([
    [{ a: 1, b: 2 }, { a: 1 }, ['b']],
    [{ spec: { x: 1, y: { z: 1 } } }, { spec: { x: 1, y: {} } }, ['spec.y.z']],
    [{ list: [{ a: 1, b: 1 }, { a: 2 }] }, { list: [{ a: 1 }, { a: 2 }] }, ['list[0].b']],
    [{ a: null }, {}, []],
  ])('%o vs %o', (input, output, expected) => {
    expect(findUnknownFields(input, output)).toEqual(expected);
  });

  it('dropNulls removes null members but keeps array items', () => {
    expect(dropNulls({ a: null, b: { c: null, d: 1 }, e: [null, 1] })).toEqual({ b: { d: 1 }, e: [null, 1] });
  });
});

describe('selectors', () => {
  const obj = (labels: Record<string, string>) => ({ metadata: { name: 'n', namespace: 'ns', labels } });
  it.each([
    ['', { a: '1' }, true],
    ['a=1', { a: '1' }, true],
    ['a==1', { a: '2' }, false],
    ['a!=1', {}, true],
    ['a', { a: '' }, true],
    ['!a', { a: '' }, false],
    ['a in (1, 2)', { a: '2' }, true],
    ['a notin (1,2)', { a: '3' }, true],
    ['a notin (1,2)', {}, true],
    ['a>5', { a: '6' }, true],
    ['a<5', { a: 'x' }, false],
    ['a=1,b=2', { a: '1', b: '3' }, false],
  ])('label selector %j on %j → %s', (sel, labels, expected) => {
    expect(compileLabelSelector(sel)(obj(labels))).toBe(expected);
  });

  it.each([
    ['a b', "unable to parse requirement: found 'b', expected: '=', '!=', '==', 'in', notin'"],
    ['a in (1', "unable to parse requirement: found '', expected: ',' or ')'"],
    ['=x', "found '=', expected: !, identifier, or 'end of string'"],
    ['a===b', "unable to parse requirement: found '=', expected: identifier"],
  ])('label selector %j is a 400 with upstream\'s text', (sel, message) => {
    expect(() => compileLabelSelector(sel)).toThrow(expect.objectContaining({ code: 400, message: expect.stringContaining(message) }));
  });

  it.each([
    ['metadata.name=n', true],
    ['metadata.name!=n', false],
    ['metadata.namespace==ns,metadata.name=n', true],
    ['spec.x=1', true],
  ])('field selector %j', (sel, expected) => {
    expect(compileFieldSelector(sel, { fieldSelectors: { 'spec.x': () => '1' } })(obj({}))).toBe(expected);
  });

  it('an unknown field label is a 400 in upstream words', () => {
    expect(() => compileFieldSelector('spec.nodeName=x', {})).toThrow('field label not supported: spec.nodeName');
  });
});

describe('request basics', () => {
  it.each([[undefined, false], ['All', true], [['All'], true]])('dryRun %j', (value, expected) => {
    expect(parseDryRun(value as string)).toBe(expected);
  });

  it.each([
    ['[]', 'array'],
    ['"x"', 'string'],
    ['1', 'number'],
  ])('a non-object body %s is a 400 naming its type', (text, type) => {
    expect(() => parseObjectBody(text, 'application/json')).toThrow(`json: cannot unmarshal ${type} into Go value of type struct`);
  });

  it('refuses malformed protobuf bodies with 400 and media types it cannot read with 415', () => {
    expect(() => parseObjectBody('x', 'application/vnd.kubernetes.protobuf')).toThrow(expect.objectContaining({ code: 400 }));
    expect(() => parseObjectBody('x', 'application/cbor')).toThrow(expect.objectContaining({ code: 415 }));
  });
});

describe('listOptionsErrors', () => {
  const base: Parameters<typeof listOptionsErrors>[0] = { watch: false, resourceVersion: '', resourceVersionMatch: '', continueToken: '', sendInitialEvents: undefined };
  const details = (o: Partial<typeof base>) => listOptionsErrors({ ...base, ...o }).map((e) => `${e.field}: ${e.detail}`);
  it.each([
    [{}, []],
    [{ resourceVersion: '5', resourceVersionMatch: 'Exact' }, []],
    [{ resourceVersionMatch: 'NotOlderThan' }, ['resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided']],
    [{ resourceVersion: '1', resourceVersionMatch: 'bogus' }, ['resourceVersionMatch: Unsupported value: "bogus": supported values: "Exact", "NotOlderThan", ""']],
    [{ resourceVersion: '0', resourceVersionMatch: 'Exact' }, ['resourceVersionMatch: Forbidden: resourceVersionMatch "exact" is forbidden for resourceVersion "0"']],
    [{ sendInitialEvents: false }, ['sendInitialEvents: Forbidden: sendInitialEvents is forbidden for list']],
    [{ watch: true, sendInitialEvents: true, resourceVersionMatch: 'NotOlderThan' }, []],
    [{ watch: true, sendInitialEvents: true }, ['resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan']],
    [{ watch: true, resourceVersionMatch: 'NotOlderThan' }, ['resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided']],
    [
      { watch: true, sendInitialEvents: true, resourceVersionMatch: 'Exact', continueToken: 't' },
      [
        'resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan',
        'resourceVersionMatch: Unsupported value: "Exact": supported values: "NotOlderThan"',
        'resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden when continue is provided',
      ],
    ],
  ])('%o', (options, expected) => {
    expect(details(options)).toEqual(expected);
  });
});
