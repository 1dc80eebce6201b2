import { describe, expect, it } from 'vitest';
import { validateCrdSchema } from '../structural/validate-crd-schema.ts';
import type { JSONSchemaProps, ValidationRule } from '../structural/schema-props.ts';

const ROOT = 'spec.versions[0].schema.openAPIV3Schema';

function schemaWith(rules: ValidationRule[], spec: Partial<JSONSchemaProps> = {}): JSONSchemaProps {
  return {
    type: 'object',
    properties: {
      spec: { type: 'object', properties: { replicas: { type: 'integer' }, tags: { type: 'array', items: { type: 'string', ...spec } } }, 'x-kubernetes-validations': rules },
    },
  };
}

const errors = (schema: JSONSchemaProps) => validateCrdSchema(schema, ROOT).map((e) => `${e.field}: ${e.detail}`);
const at = `${ROOT}.properties[spec].x-kubernetes-validations[0]`;

describe('x-kubernetes-validations in a CRD schema', () => {
  it('accepts rules that compile', () => {
    expect(errors(schemaWith([{ rule: 'self.replicas >= 0', message: 'must not be negative', fieldPath: '.replicas', reason: 'FieldValueForbidden' }]))).toEqual([]);
  });

  it.each<[string, ValidationRule, string]>([
    ['missing rule', { message: 'x' }, `${at}.rule: Required value: rule is not specified`],
    ['blank message', { rule: 'true', message: ' ' }, `${at}.message: Invalid value: " ": message must be non-empty if specified`],
    ['multi-line message', { rule: 'true', message: 'a\nb' }, `${at}.message: Invalid value: "a\\nb": message must not contain line breaks`],
    ['multi-line rule without message', { rule: 'true &&\ntrue' }, `${at}.message: Required value: message must be specified if rule contains line breaks`],
    ['blank messageExpression', { rule: 'true', messageExpression: ' ' }, `${at}.messageExpression: Required value: messageExpression must be non-empty if specified`],
    [
      'unknown reason',
      { rule: 'true', reason: 'Nope' },
      `${at}.reason: Unsupported value: "Nope": supported values: "FieldValueDuplicate", "FieldValueForbidden", "FieldValueInvalid", "FieldValueRequired"`,
    ],
    ['undeclared fieldPath', { rule: 'true', fieldPath: '.nope' }, `${at}.fieldPath: Invalid value: ".nope": fieldPath must be a valid path: does not refer to a valid field`],
    [
      'syntax error',
      { rule: 'self.replicas >' },
      `${at}.rule: Invalid value: apiextensions.ValidationRule{Rule:"self.replicas >", Message:"", MessageExpression:"", Reason:(*apiextensions.FieldValueErrorReason)(nil), FieldPath:"", OptionalOldSelf:(*bool)(nil)}: compilation failed: ERROR: <input>:1:16: unexpected token: EOF\n | self.replicas >\n | ...............^`,
    ],
    [
      'non-boolean rule',
      { rule: '"text"' },
      `${at}.rule: Invalid value: apiextensions.ValidationRule{Rule:"\\"text\\"", Message:"", MessageExpression:"", Reason:(*apiextensions.FieldValueErrorReason)(nil), FieldPath:"", OptionalOldSelf:(*bool)(nil)}: cel expression must evaluate to a bool`,
    ],
  ])('refuses %s', (_, rule, expected) => {
    expect(errors(schemaWith([rule]))).toEqual([expected]);
  });

  it('refuses the admission-only authorizer variable, as upstream declares it for admission expressions only', () => {
    const [error] = errors(schemaWith([{ rule: "authorizer.group('').resource('pods').check('list').allowed()" }]));
    expect(error?.split('\n')[0]).toMatch(/: compilation failed: ERROR: <input>:1:1: undeclared reference to 'authorizer' \(in container ''\)$/);
  });

  it('refuses transition rules inside lists that cannot be correlated', () => {
    const schema = schemaWith([], { 'x-kubernetes-validations': [{ rule: 'self == oldSelf' }] });
    expect(errors(schema)).toEqual([
      `${ROOT}.properties[spec].properties[tags].items.x-kubernetes-validations[0].rule: Invalid value: "self == oldSelf": oldSelf cannot be used on the uncorrelatable portion of the schema within ${ROOT}.properties[spec].properties[tags]`,
    ]);
  });

  it('refuses selecting fields the schema does not declare, as cel-go type checking does', () => {
    const rule = (r: string) => ({ rule: r });
    expect(errors(schemaWith([rule('self.replicas >= 0 && self.tags.all(t, t.size() > 0) && !has(self.extra)')])).map((e) => e.split('\n')[0])).toEqual([
      `${at}.rule: Invalid value: apiextensions.ValidationRule{Rule:"self.replicas >= 0 && self.tags.all(t, t.size() > 0) && !has(self.extra)", Message:"", MessageExpression:"", Reason:(*apiextensions.FieldValueErrorReason)(nil), FieldPath:"", OptionalOldSelf:(*bool)(nil)}: compilation failed: ERROR: <input>:1:66: undefined field 'extra'`,
    ]);
    expect(errors(schemaWith([rule('self.replicas >= 0 && self.tags.all(t, t.size() > 0)')]))).toEqual([]);
    const root = (r: string): JSONSchemaProps => ({ type: 'object', properties: { spec: { type: 'object', properties: { a: { type: 'object', properties: { b: { type: 'integer' } } } } } }, 'x-kubernetes-validations': [rule(r)] });
    expect(errors(root('self.metadata.name.startsWith("x") && self.spec.a.b > 0'))).toEqual([]);
    expect(errors(root('self.spec.a.c > 0'))[0]).toContain("compilation failed: ERROR: <input>:1:12: undefined field 'c'\n | self.spec.a.c > 0\n | ...........^");
    expect(errors(root('self.metadata.labels.size() > 0'))[0]).toContain("undefined field 'labels'");
    const open: JSONSchemaProps = { type: 'object', properties: { spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: {}, 'x-kubernetes-validations': [rule('self.anything > 0')] } } };
    expect(errors(open)).toEqual([]);
  });
});
