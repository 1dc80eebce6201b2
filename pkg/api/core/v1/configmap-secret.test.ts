import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import type { FieldError } from '../../../errors/index.ts';
import { configMapResource } from './configmap.ts';
import { secretResource } from './secret.ts';

const lines = (errs: FieldError[]) => errs.map((e) => `${e.field}: ${e.detail}`);
const meta = { name: 'c', namespace: 'default' };
const KEY_ERR = "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";

describe('ConfigMap', () => {
  it('the nginx-config fixture decodes and validates', () => {
    const docs = parseAllDocuments(readFileSync('/work/shared/fixtures/seeds/flask-redis-nginx/nginx.yaml', 'utf8')).map((d) => d.toJS());
    const cm = configMapResource.schema.parse(docs.find((d) => d.kind === 'ConfigMap'));
    cm.metadata.namespace = 'default';
    configMapResource.applyDefaults(cm);
    expect(Object.keys(cm.data ?? {})).toEqual(['default.conf']);
    expect(cm.data?.['default.conf']).toContain('proxy_pass http://flaskapp;');
    expect(configMapResource.validate(cm)).toEqual([]);
  });

  it.each<[string, Record<string, unknown>, string[]]>([
    ['bad key', { data: { 'a b': 'x' } }, [`data[a b]: Invalid value: "a b": ${KEY_ERR}`]],
    ['dot-dot key', { data: { '..x': 'x' } }, [`data[..x]: Invalid value: "..x": must not start with '..'`]],
    ['key in both bags', { data: { a: 'x' }, binaryData: { a: 'eA==' } }, ['data[a]: Invalid value: "a": duplicate of key present in binaryData']],
    ['too large', { data: { a: 'x'.repeat(1024 * 1024 + 1) } }, [': Too long: may not be more than 1048576 bytes']],
  ])('%s', (_name, fields, expected) => {
    expect(lines(configMapResource.validate(configMapResource.schema.parse({ metadata: meta, ...fields })))).toEqual(expected);
  });

  it('rejects non-base64 binaryData at decode', () => {
    const result = configMapResource.schema.safeParse({ metadata: meta, binaryData: { a: 'not base64!' } });
    expect(result.error?.issues[0]?.message).toBe('illegal base64 data at input byte 3');
  });

  it('freezes data once immutable', () => {
    const old = configMapResource.schema.parse({ metadata: meta, immutable: true, data: { a: '1' } });
    const next = configMapResource.schema.parse({ metadata: meta, data: { a: '2' } });
    expect(lines(configMapResource.validate(next, old))).toEqual([
      'immutable: Forbidden: field is immutable when `immutable` is set',
      'data: Forbidden: field is immutable when `immutable` is set',
    ]);
  });

  it('is served with short name cm and no categories', () => {
    expect(configMapResource).toMatchObject({ shortNames: ['cm'], categories: [], namespaced: true });
  });
});

describe('Secret', () => {
  function create(fields: Record<string, unknown>) {
    const s = secretResource.schema.parse({ metadata: meta, ...fields });
    secretResource.prepareForCreate!(s);
    secretResource.applyDefaults(s);
    return s;
  }

  it('defaults type Opaque and merges stringData into data', () => {
    const s = create({ data: { a: 'MQ==', b: 'Mg==' }, stringData: { b: 'two', c: 'three' } });
    expect(s).toEqual({ metadata: meta, type: 'Opaque', data: { a: 'MQ==', b: 'dHdv', c: 'dGhyZWU=' } });
    expect(secretResource.validate(s)).toEqual([]);
    expect(secretResource.fieldSelectors?.type?.(s)).toBe('Opaque');
  });

  it.each<[string, Record<string, unknown>, string[]]>([
    ['tls without keys', { type: 'kubernetes.io/tls' }, ['data[tls.crt]: Required value', 'data[tls.key]: Required value']],
    ['basic-auth without username or password', { type: 'kubernetes.io/basic-auth' }, ['data[username]: Required value', 'data[password]: Required value']],
    ['service account token without annotation', { type: 'kubernetes.io/service-account-token' }, ['metadata.annotations[kubernetes.io/service-account.name]: Required value']],
    ['dockerconfigjson missing', { type: 'kubernetes.io/dockerconfigjson' }, ['data[.dockerconfigjson]: Required value']],
    ['bad key', { stringData: { 'a/b': 'x' } }, [`data[a/b]: Invalid value: "a/b": ${KEY_ERR}`]],
  ])('%s', (_name, fields, expected) => {
    expect(lines(secretResource.validate(create(fields)))).toEqual(expected);
  });

  it('type is immutable', () => {
    const old = create({});
    const next = create({ type: 'example.com/other' });
    expect(lines(secretResource.validate(next, old))).toEqual(['type: Invalid value: "example.com/other": field is immutable']);
  });

  it('rejects invalid base64 in data at decode', () => {
    expect(secretResource.schema.safeParse({ metadata: meta, data: { a: 'abc' } }).success).toBe(false);
  });
});
