/**
 * The objects a fresh cluster starts with, as upstream's kube-apiserver writes them
 * (pkg/controlplane/controller/systemnamespaces, kubernetesservice, reconcilers). Pure builders.
 */
import type { KubeObject } from '../../pkg/api/meta.ts';
import { rfc3339 } from '../../pkg/util/time.ts';

/** Namespaces every cluster has. */
export const SYSTEM_NAMESPACES: readonly string[] = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/** Server-set metadata for a new object. */
export interface NewObjectMeta {
  uid: string;
  /** RFC 3339, second precision, as upstream serialises metav1.Time. */
  creationTimestamp: string;
}

/** `2026-11-22T11:46:39Z` for an epoch-ms time. */
export function kubeTimestamp(ms: number): string {
  return rfc3339(ms);
}

export function systemNamespace(name: string, meta: NewObjectMeta): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, uid: meta.uid, creationTimestamp: meta.creationTimestamp, labels: { 'kubernetes.io/metadata.name': name } },
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  };
}

/** The address and port clients reach the API server at (Endpoints target). */
export interface ApiserverAddress {
  ip: string;
  port: number;
}

export const KUBERNETES_SERVICE_LABELS: Readonly<Record<string, string>> = { component: 'apiserver', provider: 'kubernetes' };

/** The `spec` of `default/kubernetes`. */
export function kubernetesServiceSpec(clusterIP: string, family: 'IPv4' | 'IPv6', targetPort: number): Record<string, unknown> {
  return {
    clusterIP,
    clusterIPs: [clusterIP],
    internalTrafficPolicy: 'Cluster',
    ipFamilies: [family],
    ipFamilyPolicy: 'SingleStack',
    ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort }],
    sessionAffinity: 'None',
    type: 'ClusterIP',
  };
}

export function kubernetesService(spec: Record<string, unknown>, meta: NewObjectMeta): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'kubernetes', namespace: 'default', uid: meta.uid, creationTimestamp: meta.creationTimestamp, labels: { ...KUBERNETES_SERVICE_LABELS } },
    spec,
    status: { loadBalancer: {} },
  };
}

export function kubernetesEndpointsSubsets(address: ApiserverAddress): unknown[] {
  return [{ addresses: [{ ip: address.ip }], ports: [{ name: 'https', port: address.port, protocol: 'TCP' }] }];
}

export function kubernetesEndpoints(address: ApiserverAddress, meta: NewObjectMeta): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: {
      name: 'kubernetes',
      namespace: 'default',
      uid: meta.uid,
      creationTimestamp: meta.creationTimestamp,
      labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' },
    },
    subsets: kubernetesEndpointsSubsets(address),
  };
}

/** The fields of the `kubernetes` EndpointSlice that follow the API server's address. */
export function kubernetesSliceFields(address: ApiserverAddress, family: 'IPv4' | 'IPv6'): Record<string, unknown> {
  return {
    addressType: family,
    endpoints: [{ addresses: [address.ip], conditions: { ready: true } }],
    ports: [{ name: 'https', port: address.port, protocol: 'TCP' }],
  };
}

export function kubernetesEndpointSlice(address: ApiserverAddress, family: 'IPv4' | 'IPv6', meta: NewObjectMeta): KubeObject {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      name: 'kubernetes',
      namespace: 'default',
      uid: meta.uid,
      creationTimestamp: meta.creationTimestamp,
      generation: 1,
      labels: { 'kubernetes.io/service-name': 'kubernetes' },
    },
    ...kubernetesSliceFields(address, family),
  };
}

/** Upstream's descriptions of the two built-in PriorityClasses (scheduling post-start hook). */
const SYSTEM_PRIORITY_CLASS_DESCRIPTIONS: Readonly<Record<string, string>> = {
  'system-node-critical': 'Used for system critical pods that must not be moved from their current node.',
  'system-cluster-critical': 'Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.',
};

/** One of the built-in system PriorityClasses (`value` from SYSTEM_PRIORITY_CLASSES). */
export function systemPriorityClass(name: string, value: number, meta: NewObjectMeta): KubeObject {
  return {
    apiVersion: 'scheduling.k8s.io/v1',
    kind: 'PriorityClass',
    metadata: { name, uid: meta.uid, creationTimestamp: meta.creationTimestamp },
    value,
    globalDefault: false,
    description: SYSTEM_PRIORITY_CLASS_DESCRIPTIONS[name] ?? '',
    preemptionPolicy: 'PreemptLowerPriority',
  } as KubeObject;
}
