/**
 * Coordinates of the built-in kinds the control plane's own components use. A table, not
 * per-kind classes: any other resource is reached with `client.resource(coords)`.
 */
import type { ResourceCoordinates } from './coordinates.ts';

export const BUILTIN_COORDINATES = {
  namespaces: { group: '', version: 'v1', plural: 'namespaces', namespaced: false, kind: 'Namespace' },
  nodes: { group: '', version: 'v1', plural: 'nodes', namespaced: false, kind: 'Node' },
  pods: { group: '', version: 'v1', plural: 'pods', namespaced: true, kind: 'Pod' },
  services: { group: '', version: 'v1', plural: 'services', namespaced: true, kind: 'Service' },
  endpoints: { group: '', version: 'v1', plural: 'endpoints', namespaced: true, kind: 'Endpoints' },
  events: { group: '', version: 'v1', plural: 'events', namespaced: true, kind: 'Event' },
  configMaps: { group: '', version: 'v1', plural: 'configmaps', namespaced: true, kind: 'ConfigMap' },
  secrets: { group: '', version: 'v1', plural: 'secrets', namespaced: true, kind: 'Secret' },
  limitRanges: { group: '', version: 'v1', plural: 'limitranges', namespaced: true, kind: 'LimitRange' },
  serviceAccounts: { group: '', version: 'v1', plural: 'serviceaccounts', namespaced: true, kind: 'ServiceAccount' },
  persistentVolumeClaims: { group: '', version: 'v1', plural: 'persistentvolumeclaims', namespaced: true, kind: 'PersistentVolumeClaim' },
  persistentVolumes: { group: '', version: 'v1', plural: 'persistentvolumes', namespaced: false, kind: 'PersistentVolume' },
  replicationControllers: { group: '', version: 'v1', plural: 'replicationcontrollers', namespaced: true, kind: 'ReplicationController' },
  podTemplates: { group: '', version: 'v1', plural: 'podtemplates', namespaced: true, kind: 'PodTemplate' },
  resourceQuotas: { group: '', version: 'v1', plural: 'resourcequotas', namespaced: true, kind: 'ResourceQuota' },
  deployments: { group: 'apps', version: 'v1', plural: 'deployments', namespaced: true, kind: 'Deployment' },
  replicaSets: { group: 'apps', version: 'v1', plural: 'replicasets', namespaced: true, kind: 'ReplicaSet' },
  daemonSets: { group: 'apps', version: 'v1', plural: 'daemonsets', namespaced: true, kind: 'DaemonSet' },
  statefulSets: { group: 'apps', version: 'v1', plural: 'statefulsets', namespaced: true, kind: 'StatefulSet' },
  controllerRevisions: { group: 'apps', version: 'v1', plural: 'controllerrevisions', namespaced: true, kind: 'ControllerRevision' },
  horizontalPodAutoscalers: { group: 'autoscaling', version: 'v2', plural: 'horizontalpodautoscalers', namespaced: true, kind: 'HorizontalPodAutoscaler' },
  cronJobs: { group: 'batch', version: 'v1', plural: 'cronjobs', namespaced: true, kind: 'CronJob' },
  jobs: { group: 'batch', version: 'v1', plural: 'jobs', namespaced: true, kind: 'Job' },
  endpointSlices: { group: 'discovery.k8s.io', version: 'v1', plural: 'endpointslices', namespaced: true, kind: 'EndpointSlice' },
  leases: { group: 'coordination.k8s.io', version: 'v1', plural: 'leases', namespaced: true, kind: 'Lease' },
  priorityClasses: { group: 'scheduling.k8s.io', version: 'v1', plural: 'priorityclasses', namespaced: false, kind: 'PriorityClass' },
  certificateSigningRequests: { group: 'certificates.k8s.io', version: 'v1', plural: 'certificatesigningrequests', namespaced: false, kind: 'CertificateSigningRequest' },
  ingresses: { group: 'networking.k8s.io', version: 'v1', plural: 'ingresses', namespaced: true, kind: 'Ingress' },
  ingressClasses: { group: 'networking.k8s.io', version: 'v1', plural: 'ingressclasses', namespaced: false, kind: 'IngressClass' },
  ipAddresses: { group: 'networking.k8s.io', version: 'v1', plural: 'ipaddresses', namespaced: false, kind: 'IPAddress' },
  serviceCIDRs: { group: 'networking.k8s.io', version: 'v1', plural: 'servicecidrs', namespaced: false, kind: 'ServiceCIDR' },
  networkPolicies: { group: 'networking.k8s.io', version: 'v1', plural: 'networkpolicies', namespaced: true, kind: 'NetworkPolicy' },
  runtimeClasses: { group: 'node.k8s.io', version: 'v1', plural: 'runtimeclasses', namespaced: false, kind: 'RuntimeClass' },
  podDisruptionBudgets: { group: 'policy', version: 'v1', plural: 'poddisruptionbudgets', namespaced: true, kind: 'PodDisruptionBudget' },
  csiDrivers: { group: 'storage.k8s.io', version: 'v1', plural: 'csidrivers', namespaced: false, kind: 'CSIDriver' },
  csiNodes: { group: 'storage.k8s.io', version: 'v1', plural: 'csinodes', namespaced: false, kind: 'CSINode' },
  csiStorageCapacities: { group: 'storage.k8s.io', version: 'v1', plural: 'csistoragecapacities', namespaced: true, kind: 'CSIStorageCapacity' },
  storageClasses: { group: 'storage.k8s.io', version: 'v1', plural: 'storageclasses', namespaced: false, kind: 'StorageClass' },
  volumeAttachments: { group: 'storage.k8s.io', version: 'v1', plural: 'volumeattachments', namespaced: false, kind: 'VolumeAttachment' },
  flowSchemas: { group: 'flowcontrol.apiserver.k8s.io', version: 'v1', plural: 'flowschemas', namespaced: false, kind: 'FlowSchema' },
  priorityLevelConfigurations: { group: 'flowcontrol.apiserver.k8s.io', version: 'v1', plural: 'prioritylevelconfigurations', namespaced: false, kind: 'PriorityLevelConfiguration' },
} as const satisfies Record<string, ResourceCoordinates>;

/**
 * metrics.k8s.io (the HPA's resource metrics, `kubectl top`): computed, get and list only. Kept
 * apart from {@link BUILTIN_COORDINATES}, whose kinds are stored (quota counts, caches).
 */
export const METRICS_COORDINATES = {
  nodeMetrics: { group: 'metrics.k8s.io', version: 'v1beta1', plural: 'nodes', namespaced: false, kind: 'NodeMetrics' },
  podMetrics: { group: 'metrics.k8s.io', version: 'v1beta1', plural: 'pods', namespaced: true, kind: 'PodMetrics' },
} as const satisfies Record<string, ResourceCoordinates>;

export type BuiltinResourceName = keyof typeof BUILTIN_COORDINATES;
