import { describe, expect, it } from 'vitest';
import type { MatchResources } from '../../../pkg/api/admissionregistration/v1/policy-types.ts';
import type { ValidatingAdmissionPolicy } from '../../../pkg/api/admissionregistration/v1/validatingadmissionpolicy.ts';
import { compilePolicy } from './compile-policy.ts';
import { decide, rejectionError, type BindingOutcome } from './decide.ts';
import { evaluatePolicy, evaluatePolicyFully, type PolicyActivation } from './evaluate.ts';
import { fakeCompiler } from './fake-compiler.ts';
import { matchedRequest, matchResourcesMatch, type PolicyRequest } from './matching.ts';
import { collectParams, gvkString } from './params.ts';

const deployRule = { operations: ['CREATE', 'UPDATE'], apiGroups: ['apps'], apiVersions: ['v1'], resources: ['deployments'], scope: '*' };
const request = (over: Partial<PolicyRequest['rule']> = {}, extra: Partial<PolicyRequest> = {}): PolicyRequest => ({
  rule: { operation: 'CREATE', group: 'apps', version: 'v1', resource: 'deployments', subresource: '', namespace: 'default', ...over },
  name: 'nginx',
  object: { metadata: { name: 'nginx', labels: { app: 'web' } } },
  ...extra,
});

describe('which policies and bindings apply', () => {
  it.each<[string, MatchResources | undefined, PolicyRequest, boolean]>([
    ['no matchResources (a binding without one)', undefined, request(), true],
    ['resource rule matches', { resourceRules: [deployRule] }, request(), true],
    ['other operation', { resourceRules: [deployRule] }, request({ operation: 'DELETE' }), false],
    ['other group', { resourceRules: [deployRule] }, request({ group: '' }), false],
    ['no resource rules: everything', { resourceRules: [] }, request({ group: '', resource: 'pods' }), true],
    ['excluded', { resourceRules: [deployRule], excludeResourceRules: [{ ...deployRule, resourceNames: ['nginx'] }] }, request(), false],
    ['exclusion for another name', { resourceRules: [deployRule], excludeResourceRules: [{ ...deployRule, resourceNames: ['other'] }] }, request(), true],
    ['resourceNames narrow', { resourceRules: [{ ...deployRule, resourceNames: ['other'] }] }, request(), false],
    ['namespace selector matches', { namespaceSelector: { matchLabels: { environment: 'test' } } }, request({}, { namespaceLabels: { environment: 'test' } }), true],
    ['namespace selector does not match', { namespaceSelector: { matchLabels: { environment: 'test' } } }, request({}, { namespaceLabels: { environment: 'prod' } }), false],
    ['cluster-scoped request ignores the namespace selector', { namespaceSelector: { matchLabels: { environment: 'test' } } }, request({ namespace: '', resource: 'clusterroles' }), true],
    ['object selector matches', { objectSelector: { matchLabels: { app: 'web' } } }, request(), true],
    ['object selector does not match', { objectSelector: { matchLabels: { app: 'db' } } }, request(), false],
    ['scope Cluster excludes namespaced requests', { resourceRules: [{ ...deployRule, scope: 'Cluster' }] }, request(), false],
  ])('%s', (_name, match, req, expected) => {
    expect(matchResourcesMatch(match, req)).toBe(expected);
  });
});

describe('matchPolicy Equivalent', () => {
  const v1 = request({ group: 'autoscaling', version: 'v1', resource: 'horizontalpodautoscalers' });
  const v2 = { ...v1.rule, version: 'v2' };
  const rules = [{ ...deployRule, apiGroups: ['autoscaling'], apiVersions: ['v2'], resources: ['horizontalpodautoscalers'] }];
  it.each<[string, MatchResources, unknown]>([
    ['Equivalent matches through the other version', { matchPolicy: 'Equivalent', resourceRules: rules }, v2],
    ['Exact does not', { matchPolicy: 'Exact', resourceRules: rules }, undefined],
    ['Equivalent exclusions exclude', { matchPolicy: 'Equivalent', resourceRules: [], excludeResourceRules: rules }, undefined],
    ['no resource rules: the request as it came', { matchPolicy: 'Equivalent' }, v1.rule],
  ])('%s', (_name, match, expected) => {
    expect(matchedRequest(match, v1, [v2])).toEqual(expected);
  });
});

function policy(spec: Record<string, unknown>): ValidatingAdmissionPolicy {
  return { metadata: { name: 'demo-policy.example.com' }, spec: { failurePolicy: 'Fail', ...spec } } as ValidatingAdmissionPolicy;
}

const compiler = fakeCompiler({
  'object.spec.replicas <= 5': (v) => v.object.spec.replicas <= 5,
  'object.spec.replicas <= params.maxReplicas': (v) => v.object.spec.replicas <= v.params.maxReplicas,
  'variables.replicas <= 5': (v) => v.variables.replicas <= 5,
  'object.spec.replicas': (v) => v.object.spec.replicas,
  'boom': () => {
    throw new Error('no such key: nothing');
  },
  "'replicas ' + string(object.spec.replicas) + ' is too many'": (v) => `replicas ${v.object.spec.replicas} is too many`,
  'object.metadata.name == "skip"': (v) => v.object.metadata.name === 'skip',
  'object.metadata.name != "skip"': (v) => v.object.metadata.name !== 'skip',
});

const activation = (replicas: number, name = 'nginx', params: unknown = null): PolicyActivation => ({ object: { metadata: { name }, spec: { replicas } }, oldObject: null, request: {}, namespaceObject: null, params });
const run = (spec: Record<string, unknown>, act: PolicyActivation) => evaluatePolicy(compilePolicy(policy(spec), compiler), act);

describe('evaluating a policy', () => {
  const limit = { validations: [{ expression: 'object.spec.replicas <= 5' }] };
  it.each<[string, Record<string, unknown>, PolicyActivation, unknown[]]>([
    ['admits within the limit', limit, activation(3), []],
    ['denies with the expression text', limit, activation(6), [{ message: 'failed expression: object.spec.replicas <= 5' }]],
    ['uses message and reason', { validations: [{ expression: 'object.spec.replicas <= 5', message: 'too many replicas', reason: 'Forbidden' }] }, activation(6), [{ message: 'too many replicas', reason: 'Forbidden' }]],
    ['prefers messageExpression', { validations: [{ expression: 'object.spec.replicas <= 5', message: 'm', messageExpression: "'replicas ' + string(object.spec.replicas) + ' is too many'" }] }, activation(7), [{ message: 'replicas 7 is too many' }]],
    ['a non-bool result denies', { validations: [{ expression: 'object.spec.replicas' }] }, activation(1), [{ message: 'failed expression: object.spec.replicas' }]],
    ['evaluation error under Fail', { validations: [{ expression: 'boom' }] }, activation(1), [{ message: "expression 'boom' resulted in error: no such key: nothing" }]],
    ['evaluation error under Ignore', { failurePolicy: 'Ignore', validations: [{ expression: 'boom' }] }, activation(1), []],
    ['compile error under Fail', { validations: [{ expression: 'nope' }] }, activation(1), [{ message: "compilation error: compilation failed: ERROR: <input>:1:1: undeclared reference to 'nope'" }]],
    ['a false match condition skips the policy', { matchConditions: [{ name: 'not-skipped', expression: 'object.metadata.name != "skip"' }], ...limit }, activation(9, 'skip'), []],
    ['a true match condition keeps it', { matchConditions: [{ name: 'not-skipped', expression: 'object.metadata.name != "skip"' }], ...limit }, activation(9), [{ message: 'failed expression: object.spec.replicas <= 5' }]],
    ['a failing match condition under Fail', { matchConditions: [{ name: 'c', expression: 'boom' }], ...limit }, activation(1), [{ message: "expression 'boom' resulted in error: no such key: nothing" }]],
    ['variables are evaluated when used', { variables: [{ name: 'replicas', expression: 'object.spec.replicas' }], validations: [{ expression: 'variables.replicas <= 5' }] }, activation(8), [{ message: 'failed expression: variables.replicas <= 5' }]],
    ['an unused failing variable is never evaluated', { variables: [{ name: 'broken', expression: 'boom' }], ...limit }, activation(1), []],
    ['params', { paramKind: { apiVersion: 'v1', kind: 'ConfigMap' }, validations: [{ expression: 'object.spec.replicas <= params.maxReplicas' }] }, activation(4, 'x', { maxReplicas: 3 }), [{ message: 'failed expression: object.spec.replicas <= params.maxReplicas' }]],
  ])('%s', async (_name, spec, act, expected) => {
    expect(await run(spec, act)).toEqual(expected);
  });
});

describe('audit annotations', () => {
  const full = (spec: Record<string, unknown>, act: PolicyActivation) => evaluatePolicyFully(compilePolicy(policy(spec), compiler), act);
  it('records string values and rejects on errors under Fail only', async () => {
    expect(await full({ auditAnnotations: [{ key: 'replicas', valueExpression: "'replicas ' + string(object.spec.replicas) + ' is too many'" }] }, activation(7))).toEqual({ denials: [], annotations: [{ key: 'replicas', value: 'replicas 7 is too many' }], auditErrors: [] });
    expect((await full({ auditAnnotations: [{ key: 'broken', valueExpression: 'boom' }] }, activation(1))).auditErrors).toEqual(["expression 'boom' resulted in error: no such key: nothing"]);
    expect((await full({ failurePolicy: 'Ignore', auditAnnotations: [{ key: 'broken', valueExpression: 'boom' }] }, activation(1))).auditErrors).toEqual([]);
    expect((await full({ auditAnnotations: [{ key: 'n', valueExpression: 'object.spec.replicas' }] }, activation(1))).auditErrors).toEqual(["valueExpression 'object.spec.replicas' resulted in unsupported return type: double. Return type must be either string or null."]);
  });
});

describe('deciding from the outcomes', () => {
  const denied = (actions: string[], bindingName = 'demo-binding-test.example.com'): BindingOutcome => ({ policyName: 'demo-policy.example.com', bindingName, validationActions: actions, denials: [{ message: 'failed expression: object.spec.replicas <= 5' }] });
  it.each<[string, BindingOutcome[], { rejected: boolean; warnings: number; audited: number }]>([
    ['Deny rejects', [denied(['Deny'])], { rejected: true, warnings: 0, audited: 0 }],
    ['Warn warns', [denied(['Warn'])], { rejected: false, warnings: 1, audited: 0 }],
    ['Audit records', [denied(['Audit'])], { rejected: false, warnings: 0, audited: 1 }],
    ['Warn and Audit', [denied(['Warn', 'Audit'])], { rejected: false, warnings: 1, audited: 1 }],
    ['no denials', [{ ...denied(['Deny']), denials: [] }], { rejected: false, warnings: 0, audited: 0 }],
    ['configuration errors reject whatever the actions', [{ ...denied(['Warn']), denials: [], configError: 'failed to configure binding: x' }], { rejected: true, warnings: 0, audited: 0 }],
    ['failed audit annotations reject whatever the actions', [{ ...denied(['Audit']), denials: [], auditErrors: ['x'] }], { rejected: true, warnings: 0, audited: 0 }],
  ])('%s', (_name, outcomes, expected) => {
    const v = decide(outcomes);
    expect({ rejected: v.rejection !== undefined, warnings: v.warnings.length, audited: v.audited.length }).toEqual(expected);
  });

  it('words warnings and the rejection as upstream', () => {
    expect(decide([denied(['Warn'])]).warnings).toEqual(["Validation failed for ValidatingAdmissionPolicy 'demo-policy.example.com' with binding 'demo-binding-test.example.com': failed expression: object.spec.replicas <= 5"]);
    const err = rejectionError(decide([denied(['Deny'], 'first'), denied(['Deny'], 'second')]).rejection!, { group: 'apps', resource: 'deployments', name: 'nginx' });
    const message = "ValidatingAdmissionPolicy 'demo-policy.example.com' with binding 'first' denied request: failed expression: object.spec.replicas <= 5";
    expect(err.toStatus()).toMatchObject({ code: 422, reason: 'Invalid', message: `deployments.apps "nginx" is forbidden: ${message}`, details: { name: 'nginx', group: 'apps', kind: 'deployments', causes: [{ message }] } });
    const forbidden = rejectionError({ policyName: 'p', message: 'failed to configure policy: x', reason: 'Forbidden' }, { group: '', resource: 'configmaps', name: 'c' });
    expect(forbidden.toStatus()).toMatchObject({ code: 403, reason: 'Forbidden', message: `configmaps "c" is forbidden: ValidatingAdmissionPolicy 'p' denied request: failed to configure policy: x` });
  });
});

describe('collecting params', () => {
  const cm = (name: string, labels: Record<string, string> = {}) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default', labels } });
  const store = [cm('b', { tier: 'x' }), cm('a', { tier: 'x' }), cm('c')];
  const resolved = (namespaced: boolean) => ({ namespaced, reader: { get: async (_ns: string | undefined, name: string) => store.find((o) => o.metadata.name === name), list: async () => store } });
  const kind = { apiVersion: 'v1', kind: 'ConfigMap' };
  it.each<[string, Parameters<typeof collectParams>[0], unknown]>([
    ['no paramKind: one evaluation with null params', { requestNamespace: 'default' }, { ok: true, params: [null] }],
    ['paramKind without paramRef: null params', { paramKind: kind, resolved: resolved(true), requestNamespace: 'default' }, { ok: true, params: [null] }],
    ['by name', { paramKind: kind, resolved: resolved(true), paramRef: { name: 'a' }, requestNamespace: 'default' }, { ok: true, params: [store[1]] }],
    ['by selector, sorted', { paramKind: kind, resolved: resolved(true), paramRef: { selector: { matchLabels: { tier: 'x' } } }, requestNamespace: 'default' }, { ok: true, params: [store[1], store[0]] }],
    ['missing, Allow: no evaluation', { paramKind: kind, resolved: resolved(true), paramRef: { name: 'zz', parameterNotFoundAction: 'Allow' }, requestNamespace: 'default' }, { ok: true, params: [] }],
    ['missing, Deny', { paramKind: kind, resolved: resolved(true), paramRef: { name: 'zz', parameterNotFoundAction: 'Deny' }, requestNamespace: 'default' }, { ok: false, error: 'no params found for policy binding with `Deny` parameterNotFoundAction' }],
    ['namespaced params for a cluster-scoped request', { paramKind: kind, resolved: resolved(true), paramRef: { name: 'a' }, requestNamespace: '' }, { ok: false, error: 'cannot use namespaced paramRef in policy binding that matches cluster-scoped resources' }],
    ['a namespace for cluster-scoped params', { paramKind: kind, resolved: resolved(false), paramRef: { name: 'a', namespace: 'x' }, requestNamespace: '' }, { ok: false, error: 'paramRef.namespace must not be provided for a cluster-scoped `paramKind`' }],
  ])('%s', async (_name, input, expected) => {
    expect(await collectParams(input)).toEqual(expected);
  });

  it('names kinds as Go prints a GroupVersionKind', () => {
    expect(gvkString({ apiVersion: 'rules.example.com/v1', kind: 'ReplicaLimit' })).toBe('rules.example.com/v1, Kind=ReplicaLimit');
    expect(gvkString({ apiVersion: 'v1', kind: 'ConfigMap' })).toBe('/v1, Kind=ConfigMap');
  });
});
