import { describe, expect, it } from 'vitest';
import type { ValidatingAdmissionPolicy } from '../../../pkg/api/admissionregistration/v1/validatingadmissionpolicy.ts';
import { celAuthorizer, type AuthorizationCheck } from '../../../pkg/cel/index.ts';
import { celPolicyCompiler } from './cel-compiler.ts';
import { compilePolicy } from './compile-policy.ts';
import { evaluatePolicy } from './evaluate.ts';

const deployment = (replicas: number, name = 'nginx') => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'default', labels: { app: name } }, spec: { replicas } });
const checks: AuthorizationCheck[] = [];
/** Alice may list pods and nothing else. */
const authorizer = celAuthorizer({
  user: { username: 'alice', groups: [] },
  authorize: async (check) => {
    checks.push(check);
    return check.resource === 'pods' && check.verb === 'list' ? { decision: 'allow', reason: '' } : { decision: 'no-opinion', reason: 'no grant' };
  },
  requestResource: { group: 'apps', resource: 'deployments', namespace: 'default', name: 'nginx' },
});
const activation = (object: unknown, params: unknown = null) => ({ object, oldObject: null, request: { operation: 'CREATE', namespace: 'default' }, namespaceObject: { metadata: { name: 'default', labels: { environment: 'test' } } }, params, authorizer });
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
    ['an authorizer check that allows', { validations: [{ expression: "authorizer.group('').resource('pods').check('list').allowed()" }] }, deployment(2), null, []],
    ['an authorizer check that denies', { validations: [{ expression: "authorizer.requestResource.check('create').allowed()", message: 'no' }] }, deployment(2), null, [{ message: 'no' }]],
    ['authorizer in variables and match conditions', { matchConditions: [{ name: 'not-lister', expression: "!authorizer.group('').resource('pods').check('list').allowed()" }], variables: [{ name: 'ok', expression: "authorizer.path('/x').check('get').allowed()" }], validations: [{ expression: 'variables.ok' }] }, deployment(2), null, []],
    [
      'a third check in one expression exceeds the cost limit, as upstream',
      { validations: [{ expression: "authorizer.path('/a').check('get').allowed() || authorizer.path('/b').check('get').allowed() || authorizer.path('/c').check('get').allowed()" }] },
      deployment(2),
      null,
      [{ message: "expression 'authorizer.path('/a').check('get').allowed() || authorizer.path('/b').check('get').allowed() || authorizer.path('/c').check('get').allowed()' resulted in error: operation cancelled: actual cost limit exceeded" }],
    ],
    ['authorizer in audit annotations', { auditAnnotations: [{ key: 'k', valueExpression: "authorizer.path('/x').check('get').reason()" }], validations: [{ expression: 'true' }] }, deployment(2), null, []],
  ])('%s', async (_name, spec, object, params, expected) => {
    expect(await run(spec, object, params)).toEqual(expected);
  });

  it('checks as the bound user, with the request resource', async () => {
    checks.length = 0;
    await run({ validations: [{ expression: "authorizer.requestResource.check('create').allowed()" }] }, deployment(2));
    expect(checks).toEqual([{ user: { username: 'alice', groups: [] }, verb: 'create', resourceRequest: true, path: '', apiGroup: 'apps', apiVersion: '*', resource: 'deployments', subresource: '', namespace: 'default', name: 'nginx', fieldSelector: '', labelSelector: '' }]);
  });

  it('does not declare authorizer in messageExpression, as upstream', () => {
    const result = celPolicyCompiler.compile("authorizer.path('/x').check('get').reason()", { params: false, authorizer: false, variables: [] });
    expect(!result.ok && result.error).toContain("undeclared reference to 'authorizer'");
  });

  it('stops an expression past the per-call cost limit', async () => {
    const items = Array.from({ length: 2000 }, (_, i) => i);
    const quadratic = 'object.items.all(x, object.items.exists(y, y == x))';
    expect(await run({ validations: [{ expression: quadratic }] }, { items })).toEqual([{ message: `expression '${quadratic}' resulted in error: operation cancelled: actual cost limit exceeded` }]);
  });

  it('reports compile errors with upstream prefix', () => {
    const result = celPolicyCompiler.compile('object.spec.replicas <=', { params: false, authorizer: true, variables: [] });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(/^compilation failed: ERROR: <input>:1:\d+: /);
    const undeclared = celPolicyCompiler.compile('params.x', { params: false, authorizer: true, variables: [] });
    expect(!undeclared.ok && undeclared.error).toContain("undeclared reference to 'params'");
  });
});
