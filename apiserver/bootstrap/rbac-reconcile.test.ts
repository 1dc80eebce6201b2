import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../pkg/api/meta.ts';
import { reconcileRole, reconcileRoleBinding } from './rbac-reconcile.ts';

const GROUP = 'rbac.authorization.k8s.io';
const marks = { labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' }, annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'true' } };
const role = (fields: Record<string, unknown>, metadata: Record<string, unknown> = marks): KubeObject =>
  ({ apiVersion: `${GROUP}/v1`, kind: 'ClusterRole', metadata: { name: 'r', resourceVersion: '7', ...metadata }, ...fields }) as KubeObject;
const binding = (fields: Record<string, unknown>, metadata: Record<string, unknown> = marks): KubeObject =>
  ({ apiVersion: `${GROUP}/v1`, kind: 'ClusterRoleBinding', metadata: { name: 'b', resourceVersion: '7', ...metadata }, roleRef: { apiGroup: GROUP, kind: 'ClusterRole', name: 'r' }, ...fields }) as KubeObject;
const group = (name: string) => ({ apiGroup: GROUP, kind: 'Group', name });

describe('reconcileRole', () => {
  it('leaves a role that covers the expected rules alone, extra rules included', () => {
    const existing = role({ rules: [{ apiGroups: [''], resources: ['pods', 'secrets'], verbs: ['get', 'list', 'watch'] }] });
    const result = reconcileRole(existing, role({ rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }] }));
    expect(result).toMatchObject({ operation: 'none', protected: false, missingRules: [] });
    expect(result.object).toBe(existing);
  });

  it('appends the missing rules broken down, after the existing ones', () => {
    const existing = role({ rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }] });
    const result = reconcileRole(existing, role({ rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'watch'] }, { nonResourceURLs: ['/healthz'], verbs: ['get'] }] }));
    expect(result.operation).toBe('update');
    expect(result.missingRules).toEqual([{ apiGroups: [''], resources: ['pods'], verbs: ['watch'] }, { nonResourceURLs: ['/healthz'], verbs: ['get'] }]);
    expect((result.object as { rules?: unknown }).rules).toEqual([
      { apiGroups: [''], resources: ['pods'], verbs: ['get'] },
      { apiGroups: [''], resources: ['pods'], verbs: ['watch'] },
      { nonResourceURLs: ['/healthz'], verbs: ['get'] },
    ]);
    expect(result.object.metadata.resourceVersion).toBe('7');
  });

  it('adds missing labels and annotations and keeps the existing values', () => {
    const existing = role({ rules: [] }, { labels: { 'kubernetes.io/bootstrapping': 'mine', team: 'a' } });
    const result = reconcileRole(existing, role({ rules: [] }));
    expect(result.operation).toBe('update');
    expect(result.object.metadata.labels).toEqual({ 'kubernetes.io/bootstrapping': 'mine', team: 'a' });
    expect(result.object.metadata.annotations).toEqual({ 'rbac.authorization.kubernetes.io/autoupdate': 'true' });
  });

  it('says what a role annotated autoupdate "false" lacks, as protected', () => {
    const existing = role({ rules: [] }, { annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'false' } });
    const result = reconcileRole(existing, role({ rules: [{ apiGroups: ['apps'], resources: ['deployments'], verbs: ['get'] }] }));
    expect(result).toMatchObject({ operation: 'update', protected: true, missingRules: [{ apiGroups: ['apps'], resources: ['deployments'], verbs: ['get'] }] });
  });

  it('compares an aggregated role by its selectors only: missing ones appended, the rules left to the aggregation controller', () => {
    const view = { matchLabels: { [`${GROUP}/aggregate-to-view`]: 'true' } };
    const mine = { matchLabels: { team: 'a' } };
    const existing = role({ aggregationRule: { clusterRoleSelectors: [mine] }, rules: [{ apiGroups: ['x'], resources: ['y'], verbs: ['get'] }] });
    const expected = role({ aggregationRule: { clusterRoleSelectors: [view] }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }] });
    const result = reconcileRole(existing, expected);
    expect(result.operation).toBe('update');
    expect(result.missingRules).toEqual([]);
    expect(result.object).toMatchObject({ aggregationRule: { clusterRoleSelectors: [mine, view] }, rules: [{ apiGroups: ['x'], resources: ['y'], verbs: ['get'] }] });
    // Selectors compare by value, not key order.
    const same = role({ aggregationRule: { clusterRoleSelectors: [{ matchLabels: { b: '2', a: '1' } }] } });
    expect(reconcileRole(same, role({ aggregationRule: { clusterRoleSelectors: [{ matchLabels: { a: '1', b: '2' } }] } })).operation).toBe('none');
  });

  it('removes an aggregation rule the default no longer has', () => {
    const existing = role({ aggregationRule: { clusterRoleSelectors: [] }, rules: [] });
    const result = reconcileRole(existing, role({ rules: [] }));
    expect(result.operation).toBe('update');
    expect(result.object).not.toHaveProperty('aggregationRule');
  });
});

describe('reconcileRoleBinding', () => {
  it('appends missing subjects once and keeps the existing ones first', () => {
    const existing = binding({ subjects: [group('ops')] });
    const result = reconcileRoleBinding(existing, binding({ subjects: [group('system:masters'), group('ops'), group('system:masters')] }));
    expect(result).toMatchObject({ operation: 'update', missingSubjects: [group('system:masters')] });
    expect((result.object as { subjects?: unknown }).subjects).toEqual([group('ops'), group('system:masters')]);
  });

  it('treats an absent apiGroup or namespace as empty when comparing subjects', () => {
    const sa = { kind: 'ServiceAccount', name: 'x', namespace: 'kube-system' };
    expect(reconcileRoleBinding(binding({ subjects: [{ ...sa, apiGroup: '' }] }), binding({ subjects: [sa] })).operation).toBe('none');
  });

  it('recreates a binding whose roleRef differs (roleRef is immutable)', () => {
    const existing = binding({ roleRef: { apiGroup: GROUP, kind: 'ClusterRole', name: 'other' }, subjects: [group('a')] });
    const expected = binding({ subjects: [group('b')] });
    const result = reconcileRoleBinding(existing, expected);
    expect(result).toMatchObject({ operation: 'recreate', protected: false, missingSubjects: [group('b')] });
    expect(result.object).toBe(expected);
  });

  it('marks a binding annotated autoupdate "false" as protected', () => {
    const existing = binding({ subjects: [] }, { annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'false' } });
    expect(reconcileRoleBinding(existing, binding({ subjects: [group('a')] }))).toMatchObject({ operation: 'update', protected: true });
  });
});
