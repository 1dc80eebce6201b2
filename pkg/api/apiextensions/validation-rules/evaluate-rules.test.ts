import { describe, expect, it } from 'vitest';
import type { JSONSchemaProps, ValidationRule } from '../structural/schema-props.ts';
import { validateCustomObjectRules } from './evaluate-rules.ts';

function crSchema(spec: JSONSchemaProps, rootRules: ValidationRule[] = []): JSONSchemaProps {
  return {
    type: 'object',
    properties: { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' }, spec },
    ...(rootRules.length ? { 'x-kubernetes-validations': rootRules } : {}),
  };
}

const replicas: JSONSchemaProps = {
  type: 'object',
  properties: { replicas: { type: 'integer' }, maxReplicas: { type: 'integer' }, name: { type: 'string' } },
  'x-kubernetes-validations': [{ rule: 'self.replicas <= self.maxReplicas', message: 'replicas should be smaller than or equal to maxReplicas' }],
};

const obj = (spec: Record<string, unknown>, name = 'x') => ({ apiVersion: 'stable.example.com/v1', kind: 'Widget', metadata: { name, labels: { a: 'b' } }, spec });

describe('validateCustomObjectRules', () => {
  it('passes valid objects and reports a failed rule at its node with the rule type as value', () => {
    expect(validateCustomObjectRules(obj({ replicas: 1, maxReplicas: 3 }), undefined, crSchema(replicas))).toEqual([]);
    expect(validateCustomObjectRules(obj({ replicas: 5, maxReplicas: 3 }), undefined, crSchema(replicas))).toEqual([
      { type: 'FieldValueInvalid', field: 'spec', detail: 'Invalid value: "object": replicas should be smaller than or equal to maxReplicas' },
    ]);
  });

  it.each<[string, ValidationRule, string, string]>([
    ['no message', { rule: 'self.replicas < 2' }, 'spec', 'Invalid value: "object": failed rule: self.replicas < 2'],
    ['messageExpression', { rule: 'self.replicas < 2', messageExpression: '"replicas " + string(self.replicas) + " too high"' }, 'spec', 'Invalid value: "object": replicas 5 too high'],
    ['reason Forbidden', { rule: 'self.replicas < 2', message: 'no', reason: 'FieldValueForbidden' }, 'spec', 'Forbidden: no'],
    ['reason Required', { rule: 'self.replicas < 2', message: 'no', reason: 'FieldValueRequired' }, 'spec', 'Required value: no'],
    ['reason Duplicate', { rule: 'self.replicas < 2', reason: 'FieldValueDuplicate' }, 'spec', 'Duplicate value: "object"'],
    ['fieldPath', { rule: 'self.replicas < 2', message: 'too many', fieldPath: '.replicas' }, 'spec.replicas', 'Invalid value: "object": too many'],
    ['runtime error', { rule: 'self.missing > 1' }, 'spec', 'Invalid value: "object": no such key: missing evaluating rule: self.missing > 1'],
  ])('%s', (_, rule, field, detail) => {
    const schema = crSchema({ ...replicas, 'x-kubernetes-validations': [rule] });
    expect(validateCustomObjectRules(obj({ replicas: 5, maxReplicas: 3 }), undefined, schema).map((e) => [e.field, e.detail])).toEqual([[field, detail]]);
  });

  it('sees apiVersion, kind, metadata.name at the root, and reports root failures at <nil>', () => {
    const schema = crSchema(replicas, [{ rule: 'self.metadata.name.startsWith("w-") && self.kind == "Widget" && !has(self.metadata.labels)', message: 'bad root' }]);
    expect(validateCustomObjectRules(obj({ replicas: 1, maxReplicas: 1 }, 'w-1'), undefined, schema)).toEqual([]);
    expect(validateCustomObjectRules(obj({ replicas: 1, maxReplicas: 1 }, 'v-1'), undefined, schema).map((e) => e.field)).toEqual(['<nil>']);
  });

  it('runs rules on every item of lists and maps, with indexed paths', () => {
    const spec: JSONSchemaProps = {
      type: 'object',
      properties: {
        ports: { type: 'array', items: { type: 'integer', 'x-kubernetes-validations': [{ rule: 'self > 1024', message: 'privileged port' }] } },
        limits: { type: 'object', additionalProperties: { type: 'string', 'x-kubernetes-validations': [{ rule: 'isQuantity(self)', message: 'not a quantity' }] } },
      },
    };
    const errs = validateCustomObjectRules(obj({ ports: [8080, 80], limits: { cpu: '1', mem: 'lots' } }), undefined, crSchema(spec));
    expect(errs.map((e) => `${e.field}: ${e.detail}`)).toEqual(['spec.ports[1]: Invalid value: "integer": privileged port', 'spec.limits[mem]: Invalid value: "string": not a quantity']);
  });

  it('runs transition rules only on update, with oldSelf correlated by property and map-list key', () => {
    const spec: JSONSchemaProps = {
      type: 'object',
      properties: {
        mode: { type: 'string', 'x-kubernetes-validations': [{ rule: 'self == oldSelf', message: 'Value is immutable' }] },
        items: {
          type: 'array',
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['name'],
          items: {
            type: 'object',
            properties: { name: { type: 'string' }, size: { type: 'integer' } },
            'x-kubernetes-validations': [{ rule: 'self.size >= oldSelf.size', message: 'cannot shrink' }],
          },
        },
      },
    };
    const before = obj({ mode: 'a', items: [{ name: 'x', size: 2 }] });
    expect(validateCustomObjectRules(obj({ mode: 'b', items: [{ name: 'x', size: 1 }] }), undefined, crSchema(spec))).toEqual([]);
    const errs = validateCustomObjectRules(obj({ mode: 'b', items: [{ name: 'y', size: 1 }, { name: 'x', size: 1 }] }), before, crSchema(spec));
    expect(errs.map((e) => `${e.field}: ${e.detail}`)).toEqual(['spec.mode: Invalid value: "string": Value is immutable', 'spec.items[1]: Invalid value: "object": cannot shrink']);
  });

  it('gives optionalOldSelf rules an optional oldSelf on create too', () => {
    const spec: JSONSchemaProps = {
      type: 'object',
      properties: { v: { type: 'integer', 'x-kubernetes-validations': [{ rule: 'oldSelf.hasValue() ? self >= oldSelf.value() : self < 10', optionalOldSelf: true, message: 'no' }] } },
    };
    expect(validateCustomObjectRules(obj({ v: 12 }), undefined, crSchema(spec)).length).toBe(1);
    expect(validateCustomObjectRules(obj({ v: 12 }), obj({ v: 11 }), crSchema(spec))).toEqual([]);
    expect(validateCustomObjectRules(obj({ v: 10 }), obj({ v: 11 }), crSchema(spec)).length).toBe(1);
  });

  it('ratchets: an unchanged invalid value does not fail an update that leaves it alone', () => {
    const before = obj({ replicas: 5, maxReplicas: 3, name: 'a' });
    const schema = crSchema({ type: 'object', properties: { cfg: replicas, name: { type: 'string' } } });
    const old = obj({ cfg: { replicas: 5, maxReplicas: 3 }, name: 'a' });
    expect(validateCustomObjectRules(obj({ cfg: { replicas: 5, maxReplicas: 3 }, name: 'b' }), old, schema)).toEqual([]);
    expect(validateCustomObjectRules(obj({ cfg: { replicas: 6, maxReplicas: 3 }, name: 'a' }), old, schema).map((e) => e.field)).toEqual(['spec.cfg']);
    expect(before.spec.replicas).toBe(5);
  });

  it('types values by the schema: integer as int, number as double, int-or-string as either', () => {
    const spec: JSONSchemaProps = {
      type: 'object',
      properties: {
        ratio: { type: 'number', 'x-kubernetes-validations': [{ rule: 'self < 1.5', message: 'ratio' }] },
        port: { 'x-kubernetes-int-or-string': true, 'x-kubernetes-validations': [{ rule: 'type(self) == string ? self.startsWith("p") : self > 0', message: 'port' }] },
      },
    };
    expect(validateCustomObjectRules(obj({ ratio: 1, port: 'http' }), undefined, crSchema(spec)).map((e) => e.detail)).toEqual(['Invalid value: "": port']);
    expect(validateCustomObjectRules(obj({ ratio: 2, port: 8080 }), undefined, crSchema(spec)).map((e) => e.detail)).toEqual(['Invalid value: "number": ratio']);
  });

  it.each(['FieldValueTypeInvalid', 'FieldValueRequired', 'FieldValueNotSupported', 'FieldValueTooLong', 'FieldValueTooMany'] as const)('runs no rule after a schema error of type %s (upstream hasBlockingErr)', (type) => {
    const errs = validateCustomObjectRules(obj({ replicas: 5, maxReplicas: 3 }), undefined, crSchema(replicas), [{ type, field: 'spec.replicas', detail: '…' }]);
    expect(errs).toEqual([{ type: 'FieldValueInvalid', field: '<nil>', detail: 'Invalid value: "null": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation' }]);
  });

  it('still runs the rules after a schema error that does not block them (a bound)', () => {
    const errs = validateCustomObjectRules(obj({ replicas: 5, maxReplicas: 3 }), undefined, crSchema(replicas), [{ type: 'FieldValueInvalid', field: 'spec.replicas', detail: '…' }]);
    expect(errs.map((e) => e.field)).toEqual(['spec']);
  });

  it('stops a rule that reads its input too often (upstream per-call cost limit)', () => {
    const spec: JSONSchemaProps = {
      type: 'object',
      properties: { items: { type: 'array', items: { type: 'integer' }, 'x-kubernetes-validations': [{ rule: 'self.all(x, self.exists_one(y, y == x))', message: 'unique' }] } },
      'x-kubernetes-validations': [{ rule: 'false', message: 'never reached' }],
    };
    const small = validateCustomObjectRules(obj({ items: [1, 2, 3] }), undefined, crSchema(spec));
    expect(small.map((e) => e.detail)).toEqual(['Invalid value: "object": never reached']);
    const items = Array.from({ length: 5000 }, (_, i) => i);
    const errs = validateCustomObjectRules(obj({ items }), undefined, crSchema({ ...spec, 'x-kubernetes-validations': [] }));
    expect(errs).toEqual([
      {
        type: 'FieldValueInvalid',
        field: 'spec.items',
        detail: `Invalid value: "array": 'operation cancelled: actual cost limit exceeded': no further validation rules will be run due to call cost exceeds limit for rule: unique`,
      },
    ]);
  });
});
