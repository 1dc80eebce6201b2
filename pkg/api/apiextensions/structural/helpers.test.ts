import { describe, expect, it } from 'vitest';
import { isKnownFormat, matchesFormat, supportedFormat } from './formats.ts';
import { compileGoRegexp } from './go-regexp.ts';
import { formatGoFloat, goValue, jsonKind } from './json-values.ts';
import { JSONSchemaPropsSchema } from './schema-props.ts';

describe('Go value rendering', () => {
  it.each([
    [1.5, '1.5'],
    [100000, '100000'],
    [1e6, '1e+06'],
    [1234567.5, '1.2345675e+06'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [-2.5e21, '-2.5e+21'],
  ])('%%v of float64 %d is %s', (n, text) => {
    expect(formatGoFloat(n)).toBe(text);
  });

  it.each<[unknown, string]>([
    ['a"b', '"a\\"b"'],
    [12, '12'],
    [1.25, '1.25'],
    [true, 'true'],
    [null, 'null'],
    [{ b: 1, a: '<x>' }, '{"a":"\\u003cx\\u003e","b":1}'],
  ])('field.Error value %j renders as %s', (value, text) => {
    expect(goValue(value)).toBe(text);
  });

  it.each<[unknown, string]>([
    [1, 'integer'],
    [1.5, 'number'],
    [2 ** 64, 'number'],
    ['1', 'string'],
    [null, 'null'],
    [[], 'array'],
    [{}, 'object'],
  ])('%j is a JSON %s', (value, kind) => {
    expect(jsonKind(value)).toBe(kind);
  });
});

describe('formats', () => {
  it.each([
    ['date-time', '2024-01-02T03:04:05Z', true],
    ['date-time', '2024-01-02T03:04:05.123+01:00', true],
    ['date-time', '2024-01-02', false],
    ['date-time', '2024-01-02T25:00:00Z', false],
    ['date', '2023-02-29', false],
    ['date', '2024-02-29', true],
    ['byte', 'aGVsbG8=', true],
    ['byte', 'not base64!', false],
    ['uuid', '123e4567-e89b-12d3-a456-426614174000', true],
    ['uuid', 'nope', false],
    ['ipv4', '10.0.0.1', true],
    ['ipv4', '::1', false],
    ['ipv6', '::1', true],
    ['cidr', '10.0.0.0/8', true],
    ['cidr', '10.0.0.0/33', false],
    ['mac', '01:23:45:67:89:ab', true],
    ['mac', '01:23:45', false],
    ['hostname', 'example.com', true],
    ['hostname', '-bad-', false],
    ['k8s-long-name', 'a.b-c', true],
    ['k8s-long-name', 'A.b', false],
    ['duration', '1h30m', true],
    ['duration', '3 days', true],
    ['duration', 'soon', false],
    ['email', 'a@example.com', true],
    ['email', 'not an email', false],
    ['uri', 'https://example.com/x', true],
    ['uri', 'relative/path', false],
  ])('%s %j → %s', (format, value, ok) => {
    expect(matchesFormat(format, value)).toBe(ok);
  });

  it.each<[string[], string, string]>([
    [['string'], 'date-time', 'date-time'],
    [['string'], 'int32', ''],
    [['integer'], 'int32', 'int32'],
    [['integer'], 'date-time', ''],
    [['number'], 'double', 'double'],
    [['integer', 'string'], 'date-time', 'date-time'],
    [['boolean'], 'byte', ''],
  ])('types %j keep format %s as %j', (types, format, kept) => {
    expect(supportedFormat(types, format)).toBe(kept);
  });

  it('knows registry names regardless of dashes', () => {
    expect([isKnownFormat('datetime'), isKnownFormat('date-time'), isKnownFormat('int32')]).toEqual([true, true, false]);
  });
});

describe('Go regular expressions', () => {
  it.each([
    ['(?i)^abc$', 'ABC', true],
    ['\\Aab\\z', 'ab', true],
    ['\\Aab\\z', 'abc', false],
    ['^[[:alpha:]]+$', 'abc', true],
    ['^[[:digit:]]+$', 'abc', false],
    ['^\\pL+$', 'héllo', true],
    ['^(?P<x>a)$', 'a', true],
    ['^a\\.b$', 'a.b', true],
  ])('%s matches %j: %s', (pattern, text, ok) => {
    const compiled = compileGoRegexp(pattern);
    expect(compiled.ok && compiled.re.test(text)).toBe(ok);
  });

  it('reports patterns that do not compile', () => {
    expect(compileGoRegexp('(')).toMatchObject({ ok: false, error: expect.stringMatching(/^error parsing regexp: /) });
  });
});

describe('JSONSchemaPropsSchema', () => {
  it('parses nested schemas and keeps unknown keys', () => {
    const input = {
      type: 'object',
      'x-kubernetes-validations': [{ rule: 'self.a > 0' }],
      properties: { spec: { type: 'object', additionalProperties: { type: 'string', 'x-custom': 1 }, anyOf: [{ required: ['a'] }] } },
    };
    expect(JSONSchemaPropsSchema.parse(input)).toEqual(input);
  });

  it.each([
    [{ type: 1 }],
    [{ properties: { a: { required: 'a' } } }],
    [{ items: [{ type: 'string' }] }],
    [{ additionalProperties: 'yes' }],
  ])('rejects %j', (input) => {
    expect(JSONSchemaPropsSchema.safeParse(input).success).toBe(false);
  });
});
