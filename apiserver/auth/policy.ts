/**
 * The built-in authorization policy: upstream's bootstrap ClusterRoles and ClusterRoleBindings
 * that matter for k8ts's own components, as one table that holds even if the cluster's RBAC
 * objects are edited or deleted (those are authorized after it: `rbac/rbac-authorizer.ts`). A
 * binding grants its rules to the users and groups it names.
 */
import type { PolicyRule } from './rules.ts';
import { ALL_AUTHENTICATED, ALL_UNAUTHENTICATED, ANONYMOUS_USER, NODES_GROUP, SYSTEM_MASTERS } from '../../pkg/auth/user.ts';
import { BOOTSTRAPPERS_GROUP } from '../../pkg/bootstrap/token.ts';
import { CLUSTER_INFO_NAME, CLUSTER_INFO_NAMESPACE } from '../../pkg/bootstrap/cluster-info.ts';

/** Rules granted to users and groups (a ClusterRole bound by a ClusterRoleBinding). */
export interface PolicyBinding {
  /** The upstream ClusterRole this mirrors. */
  role: string;
  users?: readonly string[];
  groups?: readonly string[];
  /** Set for a Role + RoleBinding: the rules apply only to requests in this namespace. */
  namespace?: string;
  rules: readonly PolicyRule[];
}

const read = ['get', 'list', 'watch'] as const;
const write = ['create', 'update', 'patch', 'delete', 'deletecollection'] as const;
const eventRules: PolicyRule[] = [
  { verbs: ['create', 'update', 'patch'], apiGroups: ['', 'events.k8s.io'], resources: ['events'] },
];

/** Upstream `system:public-info-viewer`: what anonymous requests may read. */
export const PUBLIC_INFO_URLS = ['/healthz', '/livez', '/readyz', '/version', '/version/'] as const;

/** The statically defined rules every node gets besides the Node authorizer's own (upstream `NodeRules`). */
export const NODE_RULES: readonly PolicyRule[] = [
  { verbs: ['create'], apiGroups: ['authentication.k8s.io'], resources: ['tokenreviews'] },
  { verbs: ['create'], apiGroups: ['authorization.k8s.io'], resources: ['subjectaccessreviews', 'localsubjectaccessreviews'] },
  { verbs: read, apiGroups: [''], resources: ['services'] },
  ...eventRules,
  { verbs: ['get'], apiGroups: [''], resources: ['endpoints'] },
  { verbs: ['create', 'get', 'list', 'watch'], apiGroups: ['certificates.k8s.io'], resources: ['certificatesigningrequests'] },
  { verbs: read, apiGroups: ['node.k8s.io'], resources: ['runtimeclasses'] },
  { verbs: read, apiGroups: ['storage.k8s.io'], resources: ['csidrivers'] },
];

/** The built-in bindings, in no particular order (any allow wins). */
export const POLICY: readonly PolicyBinding[] = [
  {
    role: 'cluster-admin',
    groups: [SYSTEM_MASTERS],
    rules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }, { verbs: ['*'], nonResourceURLs: ['*'] }],
  },
  {
    role: 'system:public-info-viewer',
    groups: [ALL_AUTHENTICATED, ALL_UNAUTHENTICATED],
    rules: [{ verbs: ['get'], nonResourceURLs: [...PUBLIC_INFO_URLS] }],
  },
  {
    role: 'system:discovery + system:basic-user',
    groups: [ALL_AUTHENTICATED],
    rules: [
      { verbs: ['get'], nonResourceURLs: ['/api', '/api/*', '/apis', '/apis/*', '/openapi', '/openapi/*'] },
      { verbs: ['create'], apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'] },
      { verbs: ['create'], apiGroups: ['authentication.k8s.io'], resources: ['selfsubjectreviews'] },
    ],
  },
  {
    role: 'system:kube-scheduler + system:volume-scheduler',
    users: ['system:kube-scheduler'],
    rules: [
      ...eventRules,
      { verbs: ['create', 'get', 'update', 'list', 'watch'], apiGroups: ['coordination.k8s.io'], resources: ['leases'] },
      { verbs: ['create', 'get', 'update'], apiGroups: [''], resources: ['endpoints'] },
      { verbs: read, apiGroups: [''], resources: ['nodes', 'namespaces', 'services', 'replicationcontrollers', 'persistentvolumeclaims', 'persistentvolumes', 'configmaps'] },
      // system:volume-scheduler: VolumeBinding binds claims to volumes (ReadUpdate on both).
      { verbs: [...read, 'update', 'patch'], apiGroups: [''], resources: ['persistentvolumes', 'persistentvolumeclaims'] },
      { verbs: ['delete', 'get', 'list', 'watch'], apiGroups: [''], resources: ['pods'] },
      { verbs: ['create'], apiGroups: [''], resources: ['bindings', 'pods/binding'] },
      { verbs: ['patch', 'update'], apiGroups: [''], resources: ['pods/status'] },
      { verbs: read, apiGroups: ['apps'], resources: ['replicasets', 'statefulsets'] },
      { verbs: read, apiGroups: ['policy'], resources: ['poddisruptionbudgets'] },
      { verbs: read, apiGroups: ['storage.k8s.io'], resources: ['storageclasses', 'csinodes', 'csidrivers', 'csistoragecapacities', 'volumeattachments'] },
      { verbs: read, apiGroups: ['scheduling.k8s.io'], resources: ['priorityclasses'] },
      { verbs: read, apiGroups: ['resource.k8s.io'], resources: ['*'] },
      { verbs: ['create'], apiGroups: ['authentication.k8s.io'], resources: ['tokenreviews'] },
      { verbs: ['create'], apiGroups: ['authorization.k8s.io'], resources: ['subjectaccessreviews'] },
    ],
  },
  {
    // Without per-controller service accounts upstream's controller-manager needs every
    // controller role; k8ts runs all controllers under this one identity.
    role: 'system:kube-controller-manager (all controller roles)',
    users: ['system:kube-controller-manager'],
    rules: [
      { verbs: [...read, ...write], apiGroups: ['*'], resources: ['*'] },
      // clusterrole-aggregation writes rules it does not hold itself.
      { verbs: ['escalate'], apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'] },
      { verbs: ['get'], nonResourceURLs: ['/metrics'] },
    ],
  },
  {
    role: 'system:node-proxier',
    users: ['system:kube-proxy'],
    groups: ['system:node-proxier'],
    rules: [
      { verbs: ['list', 'watch'], apiGroups: [''], resources: ['endpoints', 'services'] },
      { verbs: read, apiGroups: [''], resources: ['nodes'] },
      ...eventRules,
      { verbs: ['list', 'watch'], apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'] },
    ],
  },
  {
    // kubeadm binds system:bootstrappers:kubeadm:default-node-token; every bootstrap token is
    // for joining nodes in k8ts, so the role goes to the whole group.
    role: 'system:node-bootstrapper',
    groups: [BOOTSTRAPPERS_GROUP],
    rules: [{ verbs: ['create', 'get', 'list', 'watch'], apiGroups: ['certificates.k8s.io'], resources: ['certificatesigningrequests'] }],
  },
  {
    // kubeadm's Role kubeadm:bootstrap-signer-clusterinfo in kube-public, bound to system:anonymous.
    role: 'kubeadm:bootstrap-signer-clusterinfo',
    users: [ANONYMOUS_USER],
    namespace: CLUSTER_INFO_NAMESPACE,
    rules: [{ verbs: ['get'], apiGroups: [''], resources: ['configmaps'], resourceNames: [CLUSTER_INFO_NAME] }],
  },
  {
    // A proxy on a joined machine runs with its node's credentials (there is no per-machine
    // kube-proxy identity without service accounts); nodes may therefore read what a proxy reads
    // besides what NODE_RULES already grant. Endpoints are not secret.
    role: 'k8ts:node-proxier-on-joined-nodes',
    groups: [NODES_GROUP],
    rules: [
      { verbs: ['list', 'watch'], apiGroups: [''], resources: ['endpoints', 'services'] },
      { verbs: ['list', 'watch'], apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'] },
    ],
  },
];

/** Whether a binding applies to a user. Pure. */
export function bindingApplies(binding: PolicyBinding, user: { username: string; groups: readonly string[] }, namespace?: string): boolean {
  if (binding.namespace !== undefined && binding.namespace !== namespace) return false;
  return (binding.users ?? []).includes(user.username) || (binding.groups ?? []).some((g) => user.groups.includes(g));
}
