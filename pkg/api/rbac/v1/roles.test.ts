import { describe, expect, it } from 'vitest';
import type { FieldError } from '../../../errors/index.ts';
import { clusterRoleResource } from './clusterrole.ts';
import { roleResource } from './role.ts';

const lines = (errs: FieldError[]) => errs.map((e) => `${e.field}: ${e.detail}`);
const GROUP = 'rbac.authorization.k8s.io/v1';

function role(fields: Record<string, unknown>, metadata: Record<string, unknown> = { name: 'r', namespace: 'ns' }) {
  const r = roleResource.schema.parse({ apiVersion: GROUP, kind: 'Role', metadata, ...fields });
  roleResource.applyDefaults(r);
  return r;
}

function clusterRole(fields: Record<string, unknown>, metadata: Record<string, unknown> = { name: 'cr' }) {
  const r = clusterRoleResource.schema.parse({ apiVersion: GROUP, kind: 'ClusterRole', metadata, ...fields });
  clusterRoleResource.applyDefaults(r);
  return r;
}

const podReader = { verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] };

describe('Role', () => {
  it.each<[string, Record<string, unknown>, string[]]>([
    ['a resource rule', { rules: [podReader] }, []],
    ['no rules', {}, []],
    ['a rule without verbs', { rules: [{ apiGroups: [''], resources: ['pods'] }] }, ['rules[0].verbs: Required value: verbs must contain at least one value']],
    ['empty verbs', { rules: [{ verbs: [], apiGroups: [''], resources: ['pods'] }] }, ['rules[0].verbs: Required value: verbs must contain at least one value']],
    ['a rule without api groups or resources', { rules: [podReader, { verbs: ['get'] }] }, [
      'rules[1].apiGroups: Required value: resource rules must supply at least one api group',
      'rules[1].resources: Required value: resource rules must supply at least one resource',
    ]],
    ['non-resource URLs', { rules: [{ verbs: ['get'], nonResourceURLs: ['/healthz'] }] }, ['rules[0].nonResourceURLs: Invalid value: []string{"/healthz"}: namespaced rules cannot apply to non-resource URLs']],
    ['non-resource URLs with resources', { rules: [{ verbs: ['get'], nonResourceURLs: ['/healthz', '/metrics'], resources: ['pods'] }] }, [
      'rules[0].nonResourceURLs: Invalid value: []string{"/healthz", "/metrics"}: namespaced rules cannot apply to non-resource URLs',
      'rules[0].nonResourceURLs: Invalid value: []string{"/healthz", "/metrics"}: rules cannot apply to both regular resources and non-resource URLs',
    ]],
  ])('%s', (_name, fields, expected) => {
    expect(lines(roleResource.validate(role(fields)))).toEqual(expected);
  });

  it.each<[string, string[]]>([
    ['system:controller:bootstrap-signer', []],
    ['Mixed_Case.name', []],
    ['.', ["metadata.name: Invalid value: \".\": may not be '.'"]],
    ['..', ["metadata.name: Invalid value: \"..\": may not be '..'"]],
    ['a/b%c', ["metadata.name: Invalid value: \"a/b%c\": may not contain '/'", "metadata.name: Invalid value: \"a/b%c\": may not contain '%'"]],
  ])('name %j', (name, expected) => {
    expect(lines(roleResource.validate(role({}, { name, namespace: 'ns' })))).toEqual(expected);
  });

  it('is namespaced', () => {
    expect(lines(roleResource.validate(role({}, { name: 'r' })))).toEqual(['metadata.namespace: Required value']);
    expect(roleResource).toMatchObject({ group: 'rbac.authorization.k8s.io', version: 'v1', plural: 'roles', singular: 'role', namespaced: true, shortNames: [], patchMeta: {} });
  });
});

describe('ClusterRole', () => {
  it.each<[string, Record<string, unknown>, string[]]>([
    ['resource and non-resource rules', { rules: [podReader, { verbs: ['get'], nonResourceURLs: ['/healthz', '/version/*'] }] }, []],
    ['a rule mixing both', { rules: [{ verbs: ['get'], nonResourceURLs: ['/healthz'], apiGroups: [''] }] }, ['rules[0].nonResourceURLs: Invalid value: []string{"/healthz"}: rules cannot apply to both regular resources and non-resource URLs']],
    ['a rule naming resourceNames only', { rules: [{ verbs: ['get'], nonResourceURLs: ['/x'], resourceNames: ['a'] }] }, ['rules[0].nonResourceURLs: Invalid value: []string{"/x"}: rules cannot apply to both regular resources and non-resource URLs']],
    ['an aggregation rule', { aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'rbac.example.com/aggregate-to-monitoring': 'true' } }] } }, []],
    ['an aggregation rule without selectors', { aggregationRule: {} }, ['aggregationRule.clusterRoleSelectors: Required value: at least one clusterRoleSelector required if aggregationRule is non-nil']],
    ['an aggregation rule with an empty selector list', { aggregationRule: { clusterRoleSelectors: [] } }, ['aggregationRule.clusterRoleSelectors: Required value: at least one clusterRoleSelector required if aggregationRule is non-nil']],
    ['a selector with a bad operator', { aggregationRule: { clusterRoleSelectors: [{ matchExpressions: [{ key: 'a', operator: 'Is', values: ['b'] }] }] } }, [
      'aggregationRule.clusterRoleSelectors[0].matchExpressions[0].operator: Invalid value: "Is": not a valid selector operator',
      'aggregationRule.clusterRoleSelectors[0]: Invalid value: <nil>: invalid label selector.',
    ]],
    ['In without values', { aggregationRule: { clusterRoleSelectors: [{ matchExpressions: [{ key: 'a', operator: 'In' }] }] } }, [
      "aggregationRule.clusterRoleSelectors[0].matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
      'aggregationRule.clusterRoleSelectors[0]: Invalid value: <nil>: invalid label selector.',
    ]],
    ['Exists with values', { aggregationRule: { clusterRoleSelectors: [{ matchExpressions: [{ key: 'a', operator: 'Exists', values: ['b'] }] }] } }, [
      "aggregationRule.clusterRoleSelectors[0].matchExpressions[0].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
      'aggregationRule.clusterRoleSelectors[0]: Invalid value: <nil>: invalid label selector.',
    ]],
    ['a bad matchLabels value', { aggregationRule: { clusterRoleSelectors: [{ matchLabels: { a: 'b c' } }] } }, [
      `aggregationRule.clusterRoleSelectors[0].matchLabels: Invalid value: "b c": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
      'aggregationRule.clusterRoleSelectors[0]: Invalid value: <nil>: invalid label selector.',
    ]],
  ])('%s', (_name, fields, expected) => {
    expect(lines(clusterRoleResource.validate(clusterRole(fields)))).toEqual(expected);
  });

  it('tolerates a bad selector value on update when the stored role had one', () => {
    const bad = { aggregationRule: { clusterRoleSelectors: [{ matchExpressions: [{ key: 'a', operator: 'In', values: ['b c'] }] }] } };
    const valueError = 'aggregationRule.clusterRoleSelectors[0].matchExpressions[0].values[0]: Invalid value: "b c"';
    expect(lines(clusterRoleResource.validate(clusterRole(bad))).some((l) => l.startsWith(valueError))).toBe(true);
    expect(lines(clusterRoleResource.validate(clusterRole(bad), clusterRole(bad))).some((l) => l.startsWith(valueError))).toBe(false);
    expect(lines(clusterRoleResource.validate(clusterRole(bad), clusterRole({}))).some((l) => l.startsWith(valueError))).toBe(true);
  });

  it('is cluster-scoped', () => {
    expect(lines(clusterRoleResource.validate(clusterRole({}, { name: 'cr', namespace: 'ns' })))).toEqual(['metadata.namespace: Forbidden: not allowed on this type']);
    expect(clusterRoleResource).toMatchObject({ plural: 'clusterroles', singular: 'clusterrole', namespaced: false, shortNames: [], patchMeta: {} });
  });
});
