import { describe, expect, it } from 'vitest';
import { NODE_RULES } from '../auth/policy.ts';
import { rulesAllow, type PolicyRule } from '../auth/rules.ts';
import type { RequestAttributes } from '../auth/request-attributes.ts';
import { defaultClusterRoleBindings, defaultClusterRoles } from './rbac-defaults.ts';

const meta = () => ({ uid: 'u', creationTimestamp: '2026-12-05T00:00:00Z' });
const roles = defaultClusterRoles(meta);
const rulesOf = (name: string) => (roles.find((r) => r.metadata.name === name) as unknown as { rules: PolicyRule[] }).rules;
const can = (role: string, verb: string, apiGroup: string, resource: string, subresource = '') => allows(rulesOf(role), verb, apiGroup, resource, subresource);
const allows = (rules: readonly PolicyRule[], verb: string, apiGroup: string, resource: string, subresource = '') =>
  rulesAllow(rules, { verb, apiGroup, resource, subresource, resourceRequest: true, namespace: 'ns', name: '', path: '', apiVersion: 'v1', user: { username: 'u', groups: [] }, fieldSelector: [] } as RequestAttributes);

describe('default ClusterRoles', () => {
  it('leaves RuntimeClasses out of view, edit and admin, as upstream; nodes read them (system:node rules)', () => {
    for (const role of ['view', 'edit', 'admin']) expect(can(role, 'get', 'node.k8s.io', 'runtimeclasses')).toBe(false);
    for (const verb of ['get', 'list', 'watch']) expect(allows(NODE_RULES, verb, 'node.k8s.io', 'runtimeclasses')).toBe(true);
    expect(allows(NODE_RULES, 'create', 'node.k8s.io', 'runtimeclasses')).toBe(false);
  });

  it('leaves the CSI kinds out of view, edit and admin, as upstream; nodes read CSIDrivers (system:node rules)', () => {
    for (const role of ['view', 'edit', 'admin']) {
      for (const resource of ['csidrivers', 'csinodes', 'volumeattachments', 'csistoragecapacities']) expect(can(role, 'get', 'storage.k8s.io', resource)).toBe(false);
    }
    for (const verb of ['get', 'list', 'watch']) expect(allows(NODE_RULES, verb, 'storage.k8s.io', 'csidrivers')).toBe(true);
    expect(allows(NODE_RULES, 'create', 'storage.k8s.io', 'csidrivers')).toBe(false);
  });

  it('leaves the API Priority and Fairness objects out of view, edit and admin, as upstream; cluster-admin has them', () => {
    for (const role of ['view', 'edit', 'admin']) {
      for (const resource of ['flowschemas', 'prioritylevelconfigurations']) expect(can(role, 'get', 'flowcontrol.apiserver.k8s.io', resource), `${role} ${resource}`).toBe(false);
    }
    expect(can('cluster-admin', 'create', 'flowcontrol.apiserver.k8s.io', 'flowschemas')).toBe(true);
  });

  it('aggregates view into edit into admin, with the rules filled in', () => {
    expect(can('view', 'list', '', 'pods')).toBe(true);
    expect(can('view', 'get', '', 'pods', 'log')).toBe(true);
    expect(can('view', 'get', '', 'secrets')).toBe(false);
    expect(can('view', 'create', 'apps', 'deployments')).toBe(false);
    expect(can('edit', 'list', '', 'pods')).toBe(true);
    expect(can('edit', 'create', 'apps', 'deployments')).toBe(true);
    expect(can('edit', 'get', '', 'secrets')).toBe(true);
    expect(can('edit', 'create', 'rbac.authorization.k8s.io', 'rolebindings')).toBe(false);
    expect(can('admin', 'create', 'rbac.authorization.k8s.io', 'rolebindings')).toBe(true);
    expect(can('admin', 'patch', 'apps', 'deployments', 'scale')).toBe(true);
    expect(can('cluster-admin', 'delete', 'anything.example.com', 'widgets')).toBe(true);
  });

  it('has upstream\'s storage roles: claims for view/edit, the provisioner\'s and the volume scheduler\'s', () => {
    expect(can('view', 'get', '', 'persistentvolumeclaims', 'status')).toBe(true);
    expect(can('edit', 'create', '', 'persistentvolumeclaims')).toBe(true);
    expect(can('edit', 'create', '', 'persistentvolumes')).toBe(false);
    expect(can('system:persistent-volume-provisioner', 'create', '', 'persistentvolumes')).toBe(true);
    expect(can('system:persistent-volume-provisioner', 'update', '', 'persistentvolumeclaims')).toBe(true);
    expect(can('system:persistent-volume-provisioner', 'delete', '', 'persistentvolumeclaims')).toBe(false);
    expect(can('system:volume-scheduler', 'patch', '', 'persistentvolumes')).toBe(true);
    expect(can('system:volume-scheduler', 'list', 'storage.k8s.io', 'storageclasses')).toBe(true);
    expect(can('system:volume-scheduler', 'delete', '', 'persistentvolumes')).toBe(false);
  });

  it('has upstream\'s system:kubelet-api-admin: the kubelet API\'s stats, metrics, logs and proxy, read access to nodes', () => {
    for (const sub of ['stats', 'metrics', 'log', 'proxy']) expect(can('system:kubelet-api-admin', 'get', '', 'nodes', sub)).toBe(true);
    expect(can('system:kubelet-api-admin', 'create', '', 'nodes', 'proxy')).toBe(true);
    expect(can('system:kubelet-api-admin', 'list', '', 'nodes')).toBe(true);
    expect(can('system:kubelet-api-admin', 'delete', '', 'nodes')).toBe(false);
    expect(can('system:kubelet-api-admin', 'get', '', 'pods')).toBe(false);
  });

  it('marks every object as upstream bootstrap policy and selects by the aggregate-to labels', () => {
    const admin = roles.find((r) => r.metadata.name === 'admin');
    expect(admin).toMatchObject({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' }, annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'true' } },
      aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'rbac.authorization.k8s.io/aggregate-to-admin': 'true' } }] },
    });
    expect(roles.find((r) => r.metadata.name === 'view')?.metadata.labels).toEqual({ 'kubernetes.io/bootstrapping': 'rbac-defaults', 'rbac.authorization.k8s.io/aggregate-to-edit': 'true' });
  });

  it('has metrics-server\'s system:aggregated-metrics-reader (its manifest\'s labels), aggregated into view, edit and admin', () => {
    expect(roles.find((r) => r.metadata.name === 'system:aggregated-metrics-reader')).toMatchObject({
      metadata: {
        labels: {
          'k8s-app': 'metrics-server',
          'rbac.authorization.k8s.io/aggregate-to-admin': 'true',
          'rbac.authorization.k8s.io/aggregate-to-edit': 'true',
          'rbac.authorization.k8s.io/aggregate-to-view': 'true',
        },
      },
      rules: [{ apiGroups: ['metrics.k8s.io'], resources: ['pods', 'nodes'], verbs: ['get', 'list', 'watch'] }],
    });
    expect(roles.find((r) => r.metadata.name === 'system:aggregated-metrics-reader')?.metadata.labels).not.toHaveProperty('kubernetes.io/bootstrapping');
    for (const role of ['view', 'edit', 'admin']) {
      expect(can(role, 'list', 'metrics.k8s.io', 'pods')).toBe(true);
      expect(can(role, 'get', 'metrics.k8s.io', 'nodes')).toBe(true);
      expect(can(role, 'create', 'metrics.k8s.io', 'pods')).toBe(false);
    }
  });

  it('binds cluster-admin to system:masters and discovery to every authenticated user', () => {
    const bindings = defaultClusterRoleBindings(meta);
    expect(bindings.find((b) => b.metadata.name === 'cluster-admin')).toMatchObject({
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'system:masters' }],
    });
    expect(bindings.find((b) => b.metadata.name === 'system:discovery')).toMatchObject({ subjects: [{ kind: 'Group', name: 'system:authenticated' }] });
  });

  it('has upstream\'s system:service-account-issuer-discovery, bound to every service account only', () => {
    expect(roles.find((r) => r.metadata.name === 'system:service-account-issuer-discovery')).toMatchObject({
      metadata: { labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' }, annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'true' } },
      rules: [{ nonResourceURLs: ['/.well-known/openid-configuration', '/.well-known/openid-configuration/', '/openid/v1/jwks', '/openid/v1/jwks/'], verbs: ['get'] }],
    });
    const binding = defaultClusterRoleBindings(meta).find((b) => b.metadata.name === 'system:service-account-issuer-discovery');
    expect(binding).toMatchObject({
      metadata: { labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' } },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:service-account-issuer-discovery' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'system:serviceaccounts' }],
    });
    // Not granted to everyone: neither discovery nor public-info-viewer names the URLs.
    for (const name of ['system:discovery', 'system:public-info-viewer']) {
      const urls = rulesOf(name).flatMap((r) => r.nonResourceURLs ?? []);
      expect(urls.some((u) => u.includes('openid') || u === '/*' || u === '*')).toBe(false);
    }
  });

  it('has upstream\'s system:controller:horizontal-pod-autoscaler role, bound to the kube-system/horizontal-pod-autoscaler service account', () => {
    const hpa = 'system:controller:horizontal-pod-autoscaler';
    expect(can(hpa, 'watch', 'autoscaling', 'horizontalpodautoscalers')).toBe(true);
    expect(can(hpa, 'update', 'autoscaling', 'horizontalpodautoscalers', 'status')).toBe(true);
    expect(can(hpa, 'update', 'autoscaling', 'horizontalpodautoscalers')).toBe(false);
    expect(can(hpa, 'get', 'apps', 'deployments', 'scale')).toBe(true);
    expect(can(hpa, 'update', 'example.com', 'widgets', 'scale')).toBe(true);
    expect(can(hpa, 'patch', 'apps', 'deployments', 'scale')).toBe(false);
    expect(can(hpa, 'update', 'apps', 'deployments')).toBe(false);
    expect(can(hpa, 'list', '', 'pods')).toBe(true);
    expect(can(hpa, 'get', '', 'pods')).toBe(false);
    expect(can(hpa, 'list', 'metrics.k8s.io', 'pods')).toBe(true);
    expect(can(hpa, 'get', 'custom.metrics.k8s.io', 'pods')).toBe(true);
    expect(can(hpa, 'list', 'external.metrics.k8s.io', 'queue_length')).toBe(true);
    expect(can(hpa, 'create', 'events.k8s.io', 'events')).toBe(true);
    expect(can(hpa, 'patch', '', 'events')).toBe(true);
    expect(roles.find((r) => r.metadata.name === hpa)?.metadata).toMatchObject({ labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' }, annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'true' } });
    expect(defaultClusterRoleBindings(meta).find((b) => b.metadata.name === hpa)).toMatchObject({
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: hpa },
      subjects: [{ kind: 'ServiceAccount', name: 'horizontal-pod-autoscaler', namespace: 'kube-system' }],
    });
  });

  it('has upstream\'s system:controller:service-cidrs-controller role, bound to kube-system/service-cidrs-controller', () => {
    const sc = 'system:controller:service-cidrs-controller';
    expect(can(sc, 'watch', 'networking.k8s.io', 'servicecidrs')).toBe(true);
    expect(can(sc, 'patch', 'networking.k8s.io', 'servicecidrs')).toBe(true);
    expect(can(sc, 'update', 'networking.k8s.io', 'servicecidrs', 'finalizers')).toBe(true);
    expect(can(sc, 'patch', 'networking.k8s.io', 'servicecidrs', 'status')).toBe(true);
    expect(can(sc, 'delete', 'networking.k8s.io', 'servicecidrs')).toBe(false);
    expect(can(sc, 'list', 'networking.k8s.io', 'ipaddresses')).toBe(true);
    expect(can(sc, 'create', 'networking.k8s.io', 'ipaddresses')).toBe(false);
    expect(can(sc, 'create', 'events.k8s.io', 'events')).toBe(true);
    expect(defaultClusterRoleBindings(meta).find((b) => b.metadata.name === sc)).toMatchObject({
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: sc },
      subjects: [{ kind: 'ServiceAccount', name: 'service-cidrs-controller', namespace: 'kube-system' }],
    });
  });

  it('has upstream\'s system:controller:replication-controller role, bound to kube-system/replication-controller', () => {
    const rc = 'system:controller:replication-controller';
    expect(can(rc, 'watch', '', 'replicationcontrollers')).toBe(true);
    expect(can(rc, 'update', '', 'replicationcontrollers', 'status')).toBe(true);
    expect(can(rc, 'update', '', 'replicationcontrollers', 'finalizers')).toBe(true);
    expect(can(rc, 'delete', '', 'replicationcontrollers')).toBe(false);
    expect(can(rc, 'create', '', 'pods')).toBe(true);
    expect(can(rc, 'patch', '', 'pods')).toBe(true);
    expect(can(rc, 'get', '', 'pods')).toBe(false);
    expect(can(rc, 'create', '', 'events')).toBe(true);
    expect(defaultClusterRoleBindings(meta).find((b) => b.metadata.name === rc)).toMatchObject({
      subjects: [{ kind: 'ServiceAccount', name: 'replication-controller', namespace: 'kube-system' }],
    });
  });

  it('has upstream\'s system:controller:validatingadmissionpolicy-status-controller role', () => {
    const role = 'system:controller:validatingadmissionpolicy-status-controller';
    expect(can(role, 'watch', 'admissionregistration.k8s.io', 'validatingadmissionpolicies')).toBe(true);
    expect(can(role, 'patch', 'admissionregistration.k8s.io', 'validatingadmissionpolicies', 'status')).toBe(true);
    expect(can(role, 'update', 'admissionregistration.k8s.io', 'validatingadmissionpolicies')).toBe(false);
    expect(can(role, 'get', 'admissionregistration.k8s.io', 'validatingadmissionpolicybindings')).toBe(false);
    expect(can(role, 'create', '', 'events')).toBe(true);
    expect(defaultClusterRoleBindings(meta).find((b) => b.metadata.name === role)).toMatchObject({
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
      subjects: [{ kind: 'ServiceAccount', name: 'validatingadmissionpolicy-status-controller', namespace: 'kube-system' }],
    });
  });

  it('lets view read HPAs and their status, and edit write them', () => {
    expect(can('view', 'list', 'autoscaling', 'horizontalpodautoscalers')).toBe(true);
    expect(can('view', 'get', 'autoscaling', 'horizontalpodautoscalers', 'status')).toBe(true);
    expect(can('view', 'create', 'autoscaling', 'horizontalpodautoscalers')).toBe(false);
    expect(can('edit', 'deletecollection', 'autoscaling', 'horizontalpodautoscalers')).toBe(true);
    expect(can('admin', 'patch', 'autoscaling', 'horizontalpodautoscalers')).toBe(true);
  });
});
