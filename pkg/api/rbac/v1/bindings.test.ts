import { describe, expect, it } from 'vitest';
import type { FieldError } from '../../../errors/index.ts';
import { clusterRoleBindingResource } from './clusterrolebinding.ts';
import { roleBindingResource } from './rolebinding.ts';

const lines = (errs: FieldError[]) => errs.map((e) => `${e.field}: ${e.detail}`);
const GV = 'rbac.authorization.k8s.io/v1';
const VIEW = { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' };

function rb(fields: Record<string, unknown>, metadata: Record<string, unknown> = { name: 'rb', namespace: 'ns' }) {
  const b = roleBindingResource.schema.parse({ apiVersion: GV, kind: 'RoleBinding', metadata, ...fields });
  roleBindingResource.applyDefaults(b);
  return b;
}

function crb(fields: Record<string, unknown>, metadata: Record<string, unknown> = { name: 'crb' }) {
  const b = clusterRoleBindingResource.schema.parse({ apiVersion: GV, kind: 'ClusterRoleBinding', metadata, ...fields });
  clusterRoleBindingResource.applyDefaults(b);
  return b;
}

describe('binding defaults', () => {
  it('fills roleRef.apiGroup and the subjects’ apiGroup by kind', () => {
    const b = rb({
      roleRef: { kind: 'Role', name: 'r' },
      subjects: [{ kind: 'ServiceAccount', name: 'sa' }, { kind: 'User', name: 'alice' }, { kind: 'Group', name: 'devs', apiGroup: '' }, { kind: 'Robot', name: 'x' }],
    });
    expect(b.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r' });
    expect(b.subjects).toEqual([
      { kind: 'ServiceAccount', name: 'sa' },
      { kind: 'User', name: 'alice', apiGroup: 'rbac.authorization.k8s.io' },
      { kind: 'Group', name: 'devs', apiGroup: 'rbac.authorization.k8s.io' },
      { kind: 'Robot', name: 'x' },
    ]);
    const again = structuredClone(b);
    roleBindingResource.applyDefaults(again);
    expect(again).toEqual(b);
  });

  it('keeps an apiGroup that was set and decodes a missing roleRef as an empty one', () => {
    expect(crb({ roleRef: VIEW, subjects: [{ kind: 'User', name: 'u', apiGroup: 'example.com' }] }).subjects).toEqual([{ kind: 'User', name: 'u', apiGroup: 'example.com' }]);
    expect(crb({}).roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: '', name: '' });
  });
});

describe('RoleBinding validation', () => {
  it.each<[string, Record<string, unknown>, string[]]>([
    ['a binding to a ClusterRole with every subject kind', { roleRef: VIEW, subjects: [{ kind: 'ServiceAccount', name: 'default' }, { kind: 'User', name: 'alice@example.com' }, { kind: 'Group', name: 'system:authenticated' }] }, []],
    ['a binding to a Role without subjects', { roleRef: { kind: 'Role', name: 'r' } }, []],
    ['no roleRef', {}, ['roleRef.kind: Unsupported value: "": supported values: "Role", "ClusterRole"', 'roleRef.name: Required value']],
    ['a roleRef in another group', { roleRef: { apiGroup: 'example.com', kind: 'Role', name: 'r' } }, ['roleRef.apiGroup: Unsupported value: "example.com": supported values: "rbac.authorization.k8s.io"']],
    ['a roleRef to another kind', { roleRef: { kind: 'Secret', name: 'r' } }, ['roleRef.kind: Unsupported value: "Secret": supported values: "Role", "ClusterRole"']],
    ['a roleRef name with a slash', { roleRef: { kind: 'Role', name: 'a/b' } }, ["roleRef.name: Invalid value: \"a/b\": may not contain '/'"]],
    ['a subject without a name', { roleRef: VIEW, subjects: [{ kind: 'User' }] }, ['subjects[0].name: Required value']],
    ['a service account subject without a namespace', { roleRef: VIEW, subjects: [{ kind: 'ServiceAccount', name: 'sa' }] }, []],
    ['a service account with a bad name', { roleRef: VIEW, subjects: [{ kind: 'ServiceAccount', name: 'Bad_Name' }] }, [
      `subjects[0].name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
    ]],
    ['a service account in the rbac group', { roleRef: VIEW, subjects: [{ kind: 'ServiceAccount', name: 'sa', apiGroup: 'rbac.authorization.k8s.io' }] }, ['subjects[0].apiGroup: Unsupported value: "rbac.authorization.k8s.io": supported values: ""']],
    ['a user in another group', { roleRef: VIEW, subjects: [{ kind: 'User', name: 'u', apiGroup: 'example.com' }] }, ['subjects[0].apiGroup: Unsupported value: "example.com": supported values: "rbac.authorization.k8s.io"']],
    ['a group in another group', { roleRef: VIEW, subjects: [{ kind: 'Group', name: 'g', apiGroup: 'v1' }] }, ['subjects[0].apiGroup: Unsupported value: "v1": supported values: "rbac.authorization.k8s.io"']],
    ['an unknown subject kind', { roleRef: VIEW, subjects: [{ kind: 'Robot', name: 'r2' }, { name: '' }] }, [
      'subjects[0].kind: Unsupported value: "Robot": supported values: "ServiceAccount", "User", "Group"',
      'subjects[1].name: Required value',
      'subjects[1].kind: Unsupported value: "": supported values: "ServiceAccount", "User", "Group"',
    ]],
  ])('%s', (_name, fields, expected) => {
    expect(lines(roleBindingResource.validate(rb(fields)))).toEqual(expected);
  });

  it('validates the name as an RBAC name and requires a namespace', () => {
    expect(lines(roleBindingResource.validate(rb({ roleRef: VIEW }, { name: 'system:x' })))).toEqual(['metadata.namespace: Required value']);
    expect(lines(roleBindingResource.validate(rb({ roleRef: VIEW }, { name: '..', namespace: 'ns' })))).toEqual(["metadata.name: Invalid value: \"..\": may not be '..'"]);
  });

  it('refuses a roleRef change on update', () => {
    const old = rb({ roleRef: VIEW });
    expect(lines(roleBindingResource.validate(rb({ roleRef: VIEW, subjects: [{ kind: 'User', name: 'u' }] }), old))).toEqual([]);
    expect(lines(roleBindingResource.validate(rb({ roleRef: { kind: 'ClusterRole', name: 'edit' } }), old))).toEqual([
      'roleRef: Invalid value: rbac.RoleRef{APIGroup:"rbac.authorization.k8s.io", Kind:"ClusterRole", Name:"edit"}: cannot change roleRef',
    ]);
  });
});

describe('ClusterRoleBinding validation', () => {
  it.each<[string, Record<string, unknown>, string[]]>([
    ['a binding to a ClusterRole', { roleRef: VIEW, subjects: [{ kind: 'ServiceAccount', name: 'sa', namespace: 'kube-system' }, { kind: 'Group', name: 'g' }] }, []],
    ['a binding to a Role', { roleRef: { kind: 'Role', name: 'r' } }, ['roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole"']],
    ['a service account without a namespace', { roleRef: VIEW, subjects: [{ kind: 'ServiceAccount', name: 'sa' }] }, ['subjects[0].namespace: Required value']],
    ['an empty roleRef and subject', { roleRef: { apiGroup: 'x' }, subjects: [{}] }, [
      'roleRef.apiGroup: Unsupported value: "x": supported values: "rbac.authorization.k8s.io"',
      'roleRef.kind: Unsupported value: "": supported values: "ClusterRole"',
      'roleRef.name: Required value',
      'subjects[0].name: Required value',
      'subjects[0].kind: Unsupported value: "": supported values: "ServiceAccount", "User", "Group"',
    ]],
  ])('%s', (_name, fields, expected) => {
    expect(lines(clusterRoleBindingResource.validate(crb(fields)))).toEqual(expected);
  });

  it('is cluster-scoped and refuses a roleRef change on update', () => {
    expect(lines(clusterRoleBindingResource.validate(crb({ roleRef: VIEW }, { name: 'c', namespace: 'ns' })))).toEqual(['metadata.namespace: Forbidden: not allowed on this type']);
    expect(lines(clusterRoleBindingResource.validate(crb({ roleRef: { ...VIEW, name: 'admin' } }), crb({ roleRef: VIEW })))).toEqual([
      'roleRef: Invalid value: rbac.RoleRef{APIGroup:"rbac.authorization.k8s.io", Kind:"ClusterRole", Name:"admin"}: cannot change roleRef',
    ]);
    expect(clusterRoleBindingResource).toMatchObject({ plural: 'clusterrolebindings', singular: 'clusterrolebinding', namespaced: false, shortNames: [], patchMeta: {} });
  });
});
