/**
 * The RBAC objects a fresh cluster starts with (upstream `bootstrappolicy`), those users read and
 * bind: `cluster-admin`, the user-facing `admin`/`edit`/`view` (aggregated from the
 * `system:aggregate-to-*` roles, so a ClusterRole labelled `rbac.authorization.k8s.io/aggregate-to-view`
 * extends `view`, `edit` and `admin`), the discovery and review roles every user has, and their
 * bindings. The components' own grants stay in the built-in policy table (`auth/policy.ts`).
 * Aggregated roles are written with their aggregated rules already filled in, so they work
 * before the controller-manager runs. Pure builders.
 */
import type { KubeObject } from '../../pkg/api/meta.ts';
import { ALL_AUTHENTICATED, ALL_UNAUTHENTICATED, SYSTEM_MASTERS } from '../../pkg/auth/user.ts';
import { aggregatedRules } from '../../pkg/rbac/aggregate-rules.ts';
import type { PolicyRule } from '../auth/rules.ts';
import { PUBLIC_INFO_URLS } from '../auth/policy.ts';
import { ALL_SERVICE_ACCOUNTS_GROUP } from '../../pkg/auth/serviceaccount-user.ts';
import type { NewObjectMeta } from './objects.ts';
import { RBAC_GROUP as GROUP } from '../../pkg/api/rbac/v1/group.ts';
import { CONTROLLER_ROLE_PREFIX, CONTROLLER_ROLES, CONTROLLER_SA_NAMESPACE } from './controller-roles.ts';

const API_VERSION = `${GROUP}/v1`;
const AGGREGATE_TO = (role: string) => `${GROUP}/aggregate-to-${role}`;
const read = ['get', 'list', 'watch'];
const write = ['create', 'delete', 'deletecollection', 'patch', 'update'];

interface RoleSpec {
  name: string;
  labels?: Record<string, string>;
  rules?: PolicyRule[];
  aggregateFrom?: string;
  /** Not upstream bootstrap policy but a bundled add-on's manifest (no `kubernetes.io/bootstrapping` marks). */
  addon?: true;
}

/** Upstream `system:service-account-issuer-discovery`'s URLs. */
export const ISSUER_DISCOVERY_URLS = ['/.well-known/openid-configuration', '/.well-known/openid-configuration/', '/openid/v1/jwks', '/openid/v1/jwks/'] as const;

const rule = (verbs: string[], apiGroups: string[], resources: string[]): PolicyRule => ({ apiGroups, resources, verbs });

const CLUSTER_ROLES: readonly RoleSpec[] = [
  { name: 'cluster-admin', rules: [rule(['*'], ['*'], ['*']), { nonResourceURLs: ['*'], verbs: ['*'] }] },
  { name: 'admin', aggregateFrom: 'admin' },
  { name: 'edit', aggregateFrom: 'edit', labels: { [AGGREGATE_TO('admin')]: 'true' } },
  { name: 'view', aggregateFrom: 'view', labels: { [AGGREGATE_TO('edit')]: 'true' } },
  {
    name: 'system:aggregate-to-admin',
    labels: { [AGGREGATE_TO('admin')]: 'true' },
    rules: [rule(['create'], ['authorization.k8s.io'], ['localsubjectaccessreviews']), rule([...write, ...read].sort(), [GROUP], ['rolebindings', 'roles'])],
  },
  {
    name: 'system:aggregate-to-edit',
    labels: { [AGGREGATE_TO('edit')]: 'true' },
    rules: [
      rule(read, [''], ['pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy', 'secrets', 'services/proxy']),
      rule(['impersonate'], [''], ['serviceaccounts']),
      rule(write, [''], ['pods', 'pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy']),
      rule(['create'], [''], ['pods/eviction']),
      rule(write, [''], ['configmaps', 'events', 'persistentvolumeclaims', 'replicationcontrollers', 'replicationcontrollers/scale', 'secrets', 'serviceaccounts', 'services', 'services/proxy']),
      rule(['create'], [''], ['serviceaccounts/token']),
      rule(write, ['apps'], ['daemonsets', 'deployments', 'deployments/rollback', 'deployments/scale', 'replicasets', 'replicasets/scale', 'statefulsets', 'statefulsets/scale']),
      rule(write, ['autoscaling'], ['horizontalpodautoscalers']),
      rule(write, ['batch'], ['cronjobs', 'jobs']),
      rule(write, ['extensions'], ['daemonsets', 'deployments', 'deployments/rollback', 'deployments/scale', 'ingresses', 'networkpolicies', 'replicasets', 'replicasets/scale', 'replicationcontrollers/scale']),
      rule(write, ['policy'], ['poddisruptionbudgets']),
      rule(write, ['networking.k8s.io'], ['ingresses', 'networkpolicies']),
      rule([...write, ...read].sort(), ['coordination.k8s.io'], ['leases']),
    ],
  },
  {
    name: 'system:aggregate-to-view',
    labels: { [AGGREGATE_TO('view')]: 'true' },
    rules: [
      rule(read, [''], ['configmaps', 'endpoints', 'persistentvolumeclaims', 'persistentvolumeclaims/status', 'pods', 'replicationcontrollers', 'replicationcontrollers/scale', 'serviceaccounts', 'services', 'services/status']),
      rule(read, [''], ['bindings', 'events', 'limitranges', 'namespaces/status', 'pods/log', 'pods/status', 'replicationcontrollers/status', 'resourcequotas', 'resourcequotas/status']),
      rule(read, [''], ['namespaces']),
      rule(read, ['discovery.k8s.io'], ['endpointslices']),
      rule(read, ['apps'], ['controllerrevisions', 'daemonsets', 'daemonsets/status', 'deployments', 'deployments/scale', 'deployments/status', 'replicasets', 'replicasets/scale', 'replicasets/status', 'statefulsets', 'statefulsets/scale', 'statefulsets/status']),
      rule(read, ['autoscaling'], ['horizontalpodautoscalers', 'horizontalpodautoscalers/status']),
      rule(read, ['batch'], ['cronjobs', 'cronjobs/status', 'jobs', 'jobs/status']),
      rule(read, ['extensions'], ['daemonsets', 'daemonsets/status', 'deployments', 'deployments/scale', 'deployments/status', 'ingresses', 'ingresses/status', 'networkpolicies', 'replicasets', 'replicasets/scale', 'replicasets/status', 'replicationcontrollers/scale']),
      rule(read, ['policy'], ['poddisruptionbudgets', 'poddisruptionbudgets/status']),
      rule(read, ['networking.k8s.io'], ['ingresses', 'ingresses/status', 'networkpolicies']),
    ],
  },
  { name: 'system:auth-delegator', rules: [rule(['create'], ['authentication.k8s.io'], ['tokenreviews']), rule(['create'], ['authorization.k8s.io'], ['subjectaccessreviews'])] },
  {
    name: 'system:basic-user',
    rules: [rule(['create'], ['authorization.k8s.io'], ['selfsubjectaccessreviews', 'selfsubjectrulesreviews']), rule(['create'], ['authentication.k8s.io'], ['selfsubjectreviews'])],
  },
  { name: 'system:discovery', rules: [{ nonResourceURLs: ['/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/openapi', '/openapi/*', '/readyz', '/version', '/version/'], verbs: ['get'] }] },
  { name: 'system:public-info-viewer', rules: [{ nonResourceURLs: [...PUBLIC_INFO_URLS], verbs: ['get'] }] },
  // The health endpoints' individual checks (`/readyz/etcd`) and the metrics, for monitoring.
  { name: 'system:monitoring', rules: [{ nonResourceURLs: ['/healthz', '/healthz/*', '/livez', '/livez/*', '/metrics', '/metrics/slis', '/readyz', '/readyz/*'], verbs: ['get'] }] },
  // Service Account Issuer Discovery: the OpenID configuration and the key set (with upstream's trailing-slash spellings).
  { name: 'system:service-account-issuer-discovery', rules: [{ nonResourceURLs: [...ISSUER_DISCOVERY_URLS], verbs: ['get'] }] },
  {
    // Full use of every kubelet's API (logs, exec, /stats/summary, /metrics/resource): what one
    // binds the API server's kubelet client identity to when it is not in system:masters.
    name: 'system:kubelet-api-admin',
    rules: [rule(read, [''], ['nodes']), rule(['proxy'], [''], ['nodes']), rule(['*'], [''], ['nodes/proxy', 'nodes/metrics', 'nodes/stats', 'nodes/log'])],
  },
];

/** Upstream's storage roles: the provisioner's (bound by whoever runs an external provisioner) and the scheduler's volume binding. */
const STORAGE_ROLES: readonly RoleSpec[] = [
  {
    name: 'system:persistent-volume-provisioner',
    rules: [
      rule(['get', 'list', 'watch', 'create', 'delete'], [''], ['persistentvolumes']),
      rule(['get', 'list', 'watch', 'update'], [''], ['persistentvolumeclaims']),
      rule(read, ['storage.k8s.io'], ['storageclasses']),
      rule(['watch'], [''], ['events']),
      rule(['create', 'update', 'patch'], ['', 'events.k8s.io'], ['events']),
    ],
  },
  {
    name: 'system:volume-scheduler',
    rules: [
      rule([...read, 'update', 'patch'], [''], ['persistentvolumes']),
      rule(read, ['storage.k8s.io'], ['storageclasses']),
      rule([...read, 'update', 'patch'], [''], ['persistentvolumeclaims']),
    ],
  },
];

/**
 * metrics-server's `system:aggregated-metrics-reader` (its manifest, as k3s bundles it): reading
 * metrics.k8s.io, aggregated into view, edit and admin, so whoever may read pods may `kubectl top`.
 */
const METRICS_ROLES: readonly RoleSpec[] = [
  {
    name: 'system:aggregated-metrics-reader',
    addon: true,
    labels: { 'k8s-app': 'metrics-server', [AGGREGATE_TO('admin')]: 'true', [AGGREGATE_TO('edit')]: 'true', [AGGREGATE_TO('view')]: 'true' },
    rules: [rule(read, ['metrics.k8s.io'], ['pods', 'nodes'])],
  },
];

const CLUSTER_ROLE_BINDINGS: ReadonlyArray<{ name: string; role: string; groups: string[] }> = [
  { name: 'cluster-admin', role: 'cluster-admin', groups: [SYSTEM_MASTERS] },
  { name: 'system:basic-user', role: 'system:basic-user', groups: [ALL_AUTHENTICATED] },
  { name: 'system:discovery', role: 'system:discovery', groups: [ALL_AUTHENTICATED] },
  { name: 'system:public-info-viewer', role: 'system:public-info-viewer', groups: [ALL_AUTHENTICATED, ALL_UNAUTHENTICATED] },
  { name: 'system:monitoring', role: 'system:monitoring', groups: ['system:monitoring'] },
  // Upstream binds it by default to every service account only (not to all authenticated or
  // anonymous users): in-cluster workloads may read what issued their tokens; wider access is
  // the cluster admin's call.
  { name: 'system:service-account-issuer-discovery', role: 'system:service-account-issuer-discovery', groups: [ALL_SERVICE_ACCOUNTS_GROUP] },
];

/** Upstream's marks on bootstrap policy objects. */
function bootstrapMetadata(name: string, meta: NewObjectMeta, labels: Record<string, string> = {}): KubeObject['metadata'] {
  return {
    name,
    uid: meta.uid,
    creationTimestamp: meta.creationTimestamp,
    labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults', ...labels },
    annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'true' },
  };
}

/** A bundled add-on's object: its own labels only. */
function addonMetadata(name: string, meta: NewObjectMeta, labels: Record<string, string> = {}): KubeObject['metadata'] {
  return { name, uid: meta.uid, creationTimestamp: meta.creationTimestamp, labels: { ...labels } };
}

/** The controllers' roles (`system:controller:<name>`) as role specs. */
const CONTROLLER_CLUSTER_ROLES: readonly RoleSpec[] = CONTROLLER_ROLES.map((c) => ({ name: `${CONTROLLER_ROLE_PREFIX}${c.controller}`, rules: c.rules }));

/** The default ClusterRoles, aggregated ones with their rules filled in. */
export function defaultClusterRoles(meta: () => NewObjectMeta): KubeObject[] {
  const roles = [...CLUSTER_ROLES, ...STORAGE_ROLES, ...CONTROLLER_CLUSTER_ROLES, ...METRICS_ROLES].map((spec) => ({
    apiVersion: API_VERSION,
    kind: 'ClusterRole',
    metadata: spec.addon ? addonMetadata(spec.name, meta(), spec.labels) : bootstrapMetadata(spec.name, meta(), spec.labels),
    ...(spec.aggregateFrom ? { aggregationRule: { clusterRoleSelectors: [{ matchLabels: { [AGGREGATE_TO(spec.aggregateFrom)]: 'true' } }] } } : {}),
    rules: spec.rules ?? [],
  }));
  // view, then edit (which selects view), then admin (which selects edit).
  for (const name of ['view', 'edit', 'admin']) {
    const role = roles.find((r) => r.metadata.name === name) as (typeof roles)[number];
    role.rules = aggregatedRules(role, roles) ?? [];
  }
  return roles;
}

/** The default ClusterRoleBindings: the groups' and each controller's (to its kube-system service account). */
export function defaultClusterRoleBindings(meta: () => NewObjectMeta): KubeObject[] {
  const groupBindings = CLUSTER_ROLE_BINDINGS.map((b) => ({
    apiVersion: API_VERSION,
    kind: 'ClusterRoleBinding',
    metadata: bootstrapMetadata(b.name, meta()),
    roleRef: { apiGroup: GROUP, kind: 'ClusterRole', name: b.role },
    subjects: b.groups.map((name) => ({ apiGroup: GROUP, kind: 'Group', name })),
  }));
  const controllerBindings = CONTROLLER_ROLES.map((c) => ({
    apiVersion: API_VERSION,
    kind: 'ClusterRoleBinding',
    metadata: bootstrapMetadata(`${CONTROLLER_ROLE_PREFIX}${c.controller}`, meta()),
    roleRef: { apiGroup: GROUP, kind: 'ClusterRole', name: `${CONTROLLER_ROLE_PREFIX}${c.controller}` },
    subjects: [{ kind: 'ServiceAccount', name: c.controller, namespace: CONTROLLER_SA_NAMESPACE }],
  }));
  return [...groupBindings, ...controllerBindings];
}
