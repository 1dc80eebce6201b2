import { describe, expect, it } from 'vitest';
import { getPrinter, toTable } from './index.ts';
import { clusterRoleBindingPrinter, clusterRolePrinter, roleBindingPrinter, rolePrinter, subjectsStrings } from './rbac.ts';

const now = new Date('2026-01-01T01:00:00Z');
const meta = { name: 'b', namespace: 'ns', creationTimestamp: '2026-01-01T00:00:00Z' };
const subjects = [
  { kind: 'User', name: 'alice' },
  { kind: 'ServiceAccount', name: 'sa1', namespace: 'kube-system' },
  { kind: 'Group', name: 'system:authenticated' },
  { kind: 'User', name: 'bob' },
  { kind: 'ServiceAccount', name: 'sa2' },
  { kind: 'Robot', name: 'r2' },
];

describe('RBAC tables', () => {
  it('prints Roles and ClusterRoles with Name and Created At (RFC 3339, whole seconds, UTC)', () => {
    for (const printer of [rolePrinter, clusterRolePrinter]) {
      expect(printer.columns.map((c) => [c.name, c.type, c.format, c.priority])).toEqual([['Name', 'string', 'name', 0], ['Created At', 'date', '', 0]]);
    }
    expect(rolePrinter.row({ metadata: { name: 'pod-reader', creationTimestamp: '2026-01-01T00:00:00Z' } }, now)).toEqual(['pod-reader', '2026-01-01T00:00:00Z']);
    expect(clusterRolePrinter.row({ metadata: { name: 'view', creationTimestamp: '2026-01-01T02:00:00.123+02:00' } }, now)).toEqual(['view', '2026-01-01T00:00:00Z']);
    expect(clusterRolePrinter.row({ metadata: { name: 'x' } }, now)).toEqual(['x', '0001-01-01T00:00:00Z']);
  });

  it('lists subjects as upstream SubjectsStrings does', () => {
    expect(subjectsStrings(subjects)).toEqual({ users: ['alice', 'bob'], groups: ['system:authenticated'], serviceAccounts: ['kube-system/sa1', '/sa2'] });
    expect(subjectsStrings(undefined)).toEqual({ users: [], groups: [], serviceAccounts: [] });
  });

  it('prints bindings with Role as Kind/name and the subjects in wide columns', () => {
    for (const printer of [roleBindingPrinter, clusterRoleBindingPrinter]) {
      expect(printer.columns.map((c) => [c.name, c.priority])).toEqual([['Name', 0], ['Role', 0], ['Age', 0], ['Users', 1], ['Groups', 1], ['ServiceAccounts', 1]]);
    }
    expect(roleBindingPrinter.columns[3].description).toBe('Users in the roleBinding');
    expect(clusterRoleBindingPrinter.columns[5].description).toBe('ServiceAccounts in the clusterRoleBinding');
    const binding = { metadata: meta, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' }, subjects };
    expect(roleBindingPrinter.row(binding, now)).toEqual(['b', 'ClusterRole/view', '60m', 'alice, bob', 'system:authenticated', 'kube-system/sa1, /sa2']);
    expect(clusterRoleBindingPrinter.row({ metadata: { name: 'c', creationTimestamp: meta.creationTimestamp }, roleRef: { kind: 'ClusterRole', name: 'cluster-admin' } }, now)).toEqual(['c', 'ClusterRole/cluster-admin', '60m', '', '', '']);
  });

  it('serves the printers for the four kinds by group and kind', () => {
    expect(getPrinter('rbac.authorization.k8s.io', 'Role')).toBe(rolePrinter);
    expect(getPrinter('rbac.authorization.k8s.io', 'ClusterRole')).toBe(clusterRolePrinter);
    expect(getPrinter('rbac.authorization.k8s.io', 'RoleBinding')).toBe(roleBindingPrinter);
    expect(getPrinter('rbac.authorization.k8s.io', 'ClusterRoleBinding')).toBe(clusterRoleBindingPrinter);
    const table = toTable({ info: { group: 'rbac.authorization.k8s.io', kind: 'Role' }, objects: [{ metadata: meta }], includeObject: 'None', now });
    expect(table?.rows).toEqual([{ cells: ['b', '2026-01-01T00:00:00Z'] }]);
  });
});
