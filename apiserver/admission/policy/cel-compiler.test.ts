import { describe, expect, it } from 'vitest';
import type { ValidatingAdmissionPolicy } from '../../../pkg/api/admissionregistration/v1/validatingadmissionpolicy.ts';
import { celPolicyCompiler } from './cel-compiler.ts';
import { compilePolicy } from './compile-policy.ts';
import { evaluatePolicy } from './evaluate.ts';

const deployment = (replicas: number, name = 'nginx') => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'default', labels: { app: name } }, spec: { replicas } });
const activation = (object: unknown, params: unknown = null) => ({ object, oldObject: null, request: { operation: 'CREATE', namespace: 'default' }, namespaceObject: { metadata: { name: 'default', labels: { environment: 'test' } } }, params });
const run = (spec: Record<string, unknown>, object: unknown, params: unknown = null) =>
  evaluatePolicy(compilePolicy({ metadata: { name: 'p' }, spec: { failurePolicy: 'Fail', ...spec } } as ValidatingAdmissionPolicy, celPolicyCompiler), activation(object, params));

describe('policies evaluated with pkg/cel', () => {
  it.each<[string, Record<string, unknown>, unknown, unknown, unknown[]]>([
    ['the docs example admits 5', { validations: [{ expression: 'object.spec.replicas <= 5' }] }, deployment(5), null, []],
    ['the docs example denies 6', { validations: [{ expression: 'object.spec.replicas <= 5' }] }, deployment(6), null, [{ message: 'failed expression: object.spec.replicas <= 5' }]],
    ['params', { paramKind: { apiVersion: 'v1', kind: 'ConfigMap' }, validations: [{ expression: 'object.spec.replicas <= int(params.data.maxReplicas)' }] }, deployment(4), { data: { maxReplicas: '3' } }, [{ message: 'failed expression: object.spec.replicas <= int(params.data.maxReplicas)' }]],
    ['messageExpression', { validations: [{ expression: 'object.spec.replicas <= 5', messageExpression: "'replicas ' + string(object.spec.replicas) + ' > 5'" }] }, deployment(9), null, [{ message: 'replicas 9 > 5' }]],
    ['variables', { variables: [{ name: 'env', expression: "namespaceObject.metadata.labels.environment" }], validations: [{ expression: "variables.env != 'test' || object.spec.replicas <= 1" }] }, deployment(2), null, [{ message: "failed expression: variables.env != 'test' || object.spec.replicas <= 1" }]],
    ['request', { validations: [{ expression: "request.operation == 'CREATE'" }] }, deployment(2), null, []],
    ['a runtime error', { validations: [{ expression: 'object.spec.missing > 1' }] }, deployment(2), null, [{ message: "expression 'object.spec.missing > 1' resulted in error: no such key: missing" }]],
    ['match conditions', { matchConditions: [{ name: 'only-web', expression: "object.metadata.name == 'web'" }], validations: [{ expression: 'false' }] }, deployment(2), null, []],
  ])('%s', (_name, spec, object, params, expected) => {
    expect(run(spec, object, params)).toEqual(expected);
  });

  it('stops an expression past the per-call cost limit', () => {
    const items = Array.from({ length: 2000 }, (_, i) => i);
    const quadratic = 'object.items.all(x, object.items.exists(y, y == x))';
    expect(run({ validations: [{ expression: quadratic }] }, { items })).toEqual([{ message: `expression '${quadratic}' resulted in error: operation cancelled: actual cost limit exceeded` }]);
  });

  it('reports compile errors with upstream prefix', () => {
    const result = celPolicyCompiler.compile('object.spec.replicas <=', { params: false, authorizer: true, variables: [] });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(/^compilation failed: ERROR: <input>:1:\d+: /);
    const undeclared = celPolicyCompiler.compile('params.x', { params: false, authorizer: true, variables: [] });
    expect(!undeclared.ok && undeclared.error).toContain("undeclared reference to 'params'");
  });
});
