import { describe, expect, it } from 'vitest';
import type { FieldError } from '../../../errors/index.ts';
import { defineValidatingAdmissionPolicyResource } from './validatingadmissionpolicy.ts';
import { validatingAdmissionPolicyResource as vap } from './policy-expressions.ts';
import { validatingAdmissionPolicyBindingResource as vapb } from './validatingadmissionpolicybinding.ts';

const lines = (errs: FieldError[]) => errs.map((e) => `${e.field}: ${e.detail}`);
const rules = [{ operations: ['CREATE', 'UPDATE'], apiGroups: ['apps'], apiVersions: ['v1'], resources: ['deployments'] }];

function policy(spec: Record<string, unknown>, resource = vap) {
  const obj = resource.schema.parse({ apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicy', metadata: { name: 'demo-policy.example.com' }, spec });
  resource.applyDefaults(obj);
  return obj;
}

function binding(spec: Record<string, unknown>) {
  const obj = vapb.schema.parse({ metadata: { name: 'demo-binding-test.example.com' }, spec });
  vapb.applyDefaults(obj);
  return obj;
}

describe('ValidatingAdmissionPolicy', () => {
  it('defaults as upstream v1 and accepts the docs example', () => {
    const obj = policy({ matchConstraints: { resourceRules: rules }, validations: [{ expression: 'object.spec.replicas <= 5' }] });
    expect(obj.spec).toEqual({
      failurePolicy: 'Fail',
      matchConstraints: { matchPolicy: 'Equivalent', namespaceSelector: {}, objectSelector: {}, resourceRules: [{ ...rules[0], scope: '*' }] },
      validations: [{ expression: 'object.spec.replicas <= 5' }],
    });
    expect(vap.validate(obj)).toEqual([]);
    expect(vap).toMatchObject({ group: 'admissionregistration.k8s.io', version: 'v1', namespaced: false, plural: 'validatingadmissionpolicies', subresources: { status: true }, categories: ['api-extensions'] });
  });

  it('starts with an empty status on create', () => {
    const obj = policy({ matchConstraints: { resourceRules: rules }, validations: [{ expression: 'true' }] });
    obj.status = { observedGeneration: 7 };
    vap.prepareForCreate!(obj);
    expect(obj.status).toEqual({});
  });

  it.each<[string, Record<string, unknown>, string[]]>([
    ['empty spec', {}, ['spec.matchConstraints: Required value', 'spec.validations: Required value: validations or auditAnnotations must contain at least one item', 'spec.auditAnnotations: Required value: validations or auditAnnotations must contain at least one item']],
    ['no resource rules', { matchConstraints: {}, validations: [{ expression: 'true' }] }, ['spec.matchConstraints.resourceRules: Required value']],
    ['bad failurePolicy', { failurePolicy: 'Never', matchConstraints: { resourceRules: rules }, validations: [{ expression: 'true' }] }, ['spec.failurePolicy: Unsupported value: "Never": supported values: "Fail", "Ignore"']],
    ['blank expression', { matchConstraints: { resourceRules: rules }, validations: [{ expression: ' ' }] }, ['spec.validations[0].expression: Required value: expression is not specified']],
    ['bad reason', { matchConstraints: { resourceRules: rules }, validations: [{ expression: 'true', reason: 'Conflict' }] }, ['spec.validations[0].reason: Unsupported value: "Conflict": supported values: "Forbidden", "Invalid", "RequestEntityTooLarge"']],
    ['multi-line message', { matchConstraints: { resourceRules: rules }, validations: [{ expression: 'true', message: 'a\nb' }] }, ['spec.validations[0].message: Invalid value: "a\\nb": message must not contain line breaks']],
    ['blank messageExpression', { matchConstraints: { resourceRules: rules }, validations: [{ expression: 'true', messageExpression: '  ' }] }, ['spec.validations[0].messageExpression: Invalid value: "  ": must be non-empty if specified']],
    ['paramKind without kind', { paramKind: { apiVersion: 'v1' }, matchConstraints: { resourceRules: rules }, validations: [{ expression: 'true' }] }, ['spec.paramKind.kind: Required value']],
    ['variable name', { matchConstraints: { resourceRules: rules }, variables: [{ name: 'in', expression: '1' }], validations: [{ expression: 'true' }] }, ['spec.variables[0].name: Invalid value: "in": name is not a valid CEL identifier']],
    ['match condition without name', { matchConstraints: { resourceRules: rules }, matchConditions: [{ expression: 'true' }], validations: [{ expression: 'true' }] }, ['spec.matchConditions[0].name: Required value']],
    ['unknown operation', { matchConstraints: { resourceRules: [{ ...rules[0], operations: ['PATCH'] }] }, validations: [{ expression: 'true' }] }, ['spec.matchConstraints.resourceRules[0].operations[0]: Unsupported value: "PATCH": supported values: "*", "CONNECT", "CREATE", "DELETE", "UPDATE"']],
    ['double wildcard with others', { matchConstraints: { resourceRules: [{ ...rules[0], resources: ['*/*', 'pods'] }] }, validations: [{ expression: 'true' }] }, ['spec.matchConstraints.resourceRules[0].resources: Invalid value: []string{"*/*", "pods"}: if \'*/*\' is present, must not specify other resources']],
    ['duplicate resource name', { matchConstraints: { resourceRules: [{ ...rules[0], resourceNames: ['a', 'a'] }] }, validations: [{ expression: 'true' }] }, ['spec.matchConstraints.resourceRules[0].resourceNames[1]: Duplicate value: "a"']],
    ['bad matchPolicy', { matchConstraints: { matchPolicy: 'Fuzzy', resourceRules: rules }, validations: [{ expression: 'true' }] }, ['spec.matchConstraints.matchPolicy: Unsupported value: "Fuzzy": supported values: "Equivalent", "Exact"']],
  ])('%s', (_name, spec, expected) => {
    expect(lines(vap.validate(policy(spec)))).toEqual(expected);
  });

  it('reports expressions that do not compile, as upstream does at create', () => {
    const checked = defineValidatingAdmissionPolicyResource((expression) => (expression.includes('+++') ? { type: 'Invalid', detail: 'compilation failed: ERROR: <input>:1:1: Syntax error' } : undefined));
    const obj = policy({ matchConstraints: { resourceRules: rules }, validations: [{ expression: '+++' }] }, checked);
    expect(lines(checked.validate(obj))).toEqual(['spec.validations[0].expression: Invalid value: "+++": compilation failed: ERROR: <input>:1:1: Syntax error']);
  });

  it.each([
    ['object.spec.replicas <=', 'spec.validations[0].expression: Invalid value: "object.spec.replicas <=": compilation failed: ERROR: <input>:1:'],
    ['params.max > 1', 'spec.validations[0].expression: Invalid value: "params.max > 1": compilation failed: ERROR: <input>:1:1: undeclared reference to \'params\''],
    ['"text"', 'spec.validations[0].expression: Invalid value: "\\"text\\"": must evaluate to bool'],
  ])('compiles %s with pkg/cel at create', (expression, start) => {
    const errs = lines(vap.validate(policy({ matchConstraints: { resourceRules: rules }, validations: [{ expression }] })));
    expect(errs).toHaveLength(1);
    expect(errs[0].startsWith(start)).toBe(true);
  });

  it('validates only the status on /status', () => {
    const obj = policy({});
    obj.status = { typeChecking: { expressionWarnings: [{ fieldRef: '', warning: 'x' }] } };
    expect(lines(vap.validate(obj, undefined, { subresource: 'status' }))).toEqual(['status.typeChecking.expressionWarnings[0].fieldRef: Required value']);
  });
});

describe('ValidatingAdmissionPolicyBinding', () => {
  it('defaults matchResources and accepts the docs example', () => {
    const obj = binding({ policyName: 'demo-policy.example.com', validationActions: ['Deny'], matchResources: { namespaceSelector: { matchLabels: { environment: 'test' } } } });
    expect(obj.spec!.matchResources).toEqual({ matchPolicy: 'Equivalent', namespaceSelector: { matchLabels: { environment: 'test' } }, objectSelector: {} });
    expect(vapb.validate(obj)).toEqual([]);
    expect(binding({ policyName: 'p', validationActions: ['Warn'] }).spec).toEqual({ policyName: 'p', validationActions: ['Warn'] });
  });

  it.each<[string, Record<string, unknown>, string[]]>([
    ['nothing', {}, ['spec.policyName: Required value', 'spec.validationActions: Required value: at least one validation action is required']],
    ['Deny and Warn', { policyName: 'p', validationActions: ['Deny', 'Warn'] }, ['spec.validationActions: Invalid value: []admissionregistration.ValidationAction{"Deny", "Warn"}: must not contain both Deny and Warn (repeating the same validation failure information in the API response and headers serves no purpose)']],
    ['unknown and duplicate actions', { policyName: 'p', validationActions: ['Block', 'Audit', 'Audit'] }, ['spec.validationActions[0]: Unsupported value: "Block": supported values: "Audit", "Deny", "Warn"', 'spec.validationActions[2]: Duplicate value: "Audit"']],
    ['paramRef without name or selector', { policyName: 'p', validationActions: ['Deny'], paramRef: {} }, ['spec.paramRef: Required value: one of name or selector must be specified', 'spec.paramRef.parameterNotFoundAction: Required value']],
    ['paramRef with both', { policyName: 'p', validationActions: ['Deny'], paramRef: { name: 'a', selector: {}, parameterNotFoundAction: 'Deny' } }, ['spec.paramRef.name: Forbidden: name and selector are mutually exclusive', 'spec.paramRef.selector: Forbidden: name and selector are mutually exclusive']],
    ['bad parameterNotFoundAction', { policyName: 'p', validationActions: ['Deny'], paramRef: { name: 'a', parameterNotFoundAction: 'Ignore' } }, ['spec.paramRef.parameterNotFoundAction: Unsupported value: "Ignore": supported values: "Deny", "Allow"']],
    ['bad policy name', { policyName: 'Bad_Name', validationActions: ['Deny'] }, ['spec.policyName: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, \'-\' or \'.\', and must start and end with an alphanumeric character (e.g. \'example.com\', regex used for validation is \'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\')']],
    ['match resources under upstream\'s misspelt path', { policyName: 'p', validationActions: ['Deny'], matchResources: { matchPolicy: 'Fuzzy' } }, ['spec.matchResouces.matchPolicy: Unsupported value: "Fuzzy": supported values: "Equivalent", "Exact"']],
  ])('%s', (_name, spec, expected) => {
    expect(lines(vapb.validate(binding(spec)))).toEqual(expected);
  });
});
