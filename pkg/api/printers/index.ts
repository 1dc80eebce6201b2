/**
 * Server-side Table conversion for `kubectl get`: upstream's columns per built-in kind
 * (kubernetes/pkg/printers/internalversion/printers.go). `toTable` builds the
 * `meta.k8s.io/v1` Table; kinds without a printer fall back to the caller's default.
 */
import type { KubeObject, ListMeta } from '../meta.ts';
import type { ResourceInfo } from '../resource.ts';
import { configMapPrinter, eventPrinter, eventsV1EventPrinter, leasePrinter, namespacePrinter, nodePrinter, priorityClassPrinter, secretPrinter, serviceAccountPrinter } from './cluster.ts';
import { endpointSlicePrinter, endpointsPrinter, servicePrinter } from './networking.ts';
import { podPrinter } from './pod.ts';
import { daemonSetPrinter } from './daemonset.ts';
import { customColumnsPrinter } from './custom-columns.ts';
import { certificateSigningRequestPrinter } from './certificates.ts';
import { clusterRoleBindingPrinter, clusterRolePrinter, roleBindingPrinter, rolePrinter } from './rbac.ts';
import type { Printer } from './printer.ts';
import { cronJobPrinter, jobPrinter } from './batch.ts';
import { controllerRevisionPrinter, deploymentPrinter, replicaSetPrinter } from './workloads.ts';
import { statefulSetPrinter } from './statefulset.ts';
import { persistentVolumeClaimPrinter, persistentVolumePrinter, storageClassPrinter } from './storage.ts';
import { ingressClassPrinter, ingressPrinter, networkPolicyPrinter } from './ingress.ts';
import { podDisruptionBudgetPrinter } from './policy.ts';
import { runtimeClassPrinter } from './node.ts';
import { ipAddressPrinter, serviceCIDRPrinter } from './servicecidr.ts';
import { csiDriverPrinter, csiNodePrinter, csiStorageCapacityPrinter, volumeAttachmentPrinter } from './csi.ts';
import { flowSchemaPrinter, priorityLevelConfigurationPrinter } from './flowcontrol.ts';
import { genericPrinter } from './generic.ts';
import { resourceQuotaPrinter } from './resourcequota.ts';
import { nodeMetricsPrinter, podMetricsPrinter } from './metrics.ts';
import { horizontalPodAutoscalerPrinter } from './horizontalpodautoscaler.ts';
import { scalePrinter } from './scale.ts';
import { apiServicePrinter } from './apiservice.ts';
import { componentStatusPrinter, podTemplatePrinter, replicationControllerPrinter } from './core-legacy.ts';
import { validatingAdmissionPolicyBindingPrinter, validatingAdmissionPolicyPrinter, webhookConfigurationPrinter } from './admissionregistration.ts';

export type { Printer } from './printer.ts';
export type { ColumnDefinition } from './columns.ts';
export { humanDuration } from './format.ts';
export { genericPrinter } from './generic.ts';
export { podStatusColumns } from './pod.ts';

const byKind: Record<string, Printer> = {
  '/Pod': podPrinter,
  '/Service': servicePrinter,
  '/Endpoints': endpointsPrinter,
  '/Node': nodePrinter,
  '/Namespace': namespacePrinter,
  '/Event': eventPrinter,
  'events.k8s.io/Event': eventsV1EventPrinter,
  '/ConfigMap': configMapPrinter,
  '/Secret': secretPrinter,
  '/ServiceAccount': serviceAccountPrinter,
  // upstream printLimitRange: Name and Created At, the generic columns
  '/LimitRange': genericPrinter,
  '/PersistentVolume': persistentVolumePrinter,
  '/PersistentVolumeClaim': persistentVolumeClaimPrinter,
  '/ResourceQuota': resourceQuotaPrinter,
  '/ReplicationController': replicationControllerPrinter,
  '/PodTemplate': podTemplatePrinter,
  '/ComponentStatus': componentStatusPrinter,
  'storage.k8s.io/CSIDriver': csiDriverPrinter,
  'storage.k8s.io/CSINode': csiNodePrinter,
  'storage.k8s.io/CSIStorageCapacity': csiStorageCapacityPrinter,
  'storage.k8s.io/StorageClass': storageClassPrinter,
  'storage.k8s.io/VolumeAttachment': volumeAttachmentPrinter,
  'flowcontrol.apiserver.k8s.io/FlowSchema': flowSchemaPrinter,
  'flowcontrol.apiserver.k8s.io/PriorityLevelConfiguration': priorityLevelConfigurationPrinter,
  'apps/Deployment': deploymentPrinter,
  'apps/ReplicaSet': replicaSetPrinter,
  'apps/ControllerRevision': controllerRevisionPrinter,
  'apps/DaemonSet': daemonSetPrinter,
  'extensions/DaemonSet': daemonSetPrinter,
  'apps/StatefulSet': statefulSetPrinter,
  'extensions/Deployment': deploymentPrinter,
  'extensions/ReplicaSet': replicaSetPrinter,
  'autoscaling/HorizontalPodAutoscaler': horizontalPodAutoscalerPrinter,
  'autoscaling/Scale': scalePrinter,
  'batch/Job': jobPrinter,
  'batch/CronJob': cronJobPrinter,
  'discovery.k8s.io/EndpointSlice': endpointSlicePrinter,
  'coordination.k8s.io/Lease': leasePrinter,
  'scheduling.k8s.io/PriorityClass': priorityClassPrinter,
  'certificates.k8s.io/CertificateSigningRequest': certificateSigningRequestPrinter,
  'networking.k8s.io/Ingress': ingressPrinter,
  'networking.k8s.io/IngressClass': ingressClassPrinter,
  'networking.k8s.io/NetworkPolicy': networkPolicyPrinter,
  'networking.k8s.io/ServiceCIDR': serviceCIDRPrinter,
  'networking.k8s.io/IPAddress': ipAddressPrinter,
  'node.k8s.io/RuntimeClass': runtimeClassPrinter,
  'policy/PodDisruptionBudget': podDisruptionBudgetPrinter,
  'rbac.authorization.k8s.io/Role': rolePrinter,
  'rbac.authorization.k8s.io/ClusterRole': clusterRolePrinter,
  'rbac.authorization.k8s.io/RoleBinding': roleBindingPrinter,
  'rbac.authorization.k8s.io/ClusterRoleBinding': clusterRoleBindingPrinter,
  'metrics.k8s.io/NodeMetrics': nodeMetricsPrinter,
  'metrics.k8s.io/PodMetrics': podMetricsPrinter,
  'apiregistration.k8s.io/APIService': apiServicePrinter,
  'admissionregistration.k8s.io/MutatingWebhookConfiguration': webhookConfigurationPrinter,
  'admissionregistration.k8s.io/ValidatingWebhookConfiguration': webhookConfigurationPrinter,
  'admissionregistration.k8s.io/ValidatingAdmissionPolicy': validatingAdmissionPolicyPrinter,
  'admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding': validatingAdmissionPolicyBindingPrinter,
};

/** The printer of a built-in kind, or undefined. */
export function getPrinter(group: string, kind: string): Printer | undefined {
  return byKind[`${group}/${kind}`];
}

export interface TableOptions {
  info: Pick<ResourceInfo, 'group' | 'kind' | 'customResource' | 'printerColumns'>;
  objects: KubeObject[];
  includeObject: 'None' | 'Metadata' | 'Object';
  now: Date;
  listMeta?: ListMeta;
}

/** A Table for objects of a kind with a printer (undefined when the kind has none). */
export function toTable(options: TableOptions): Record<string, unknown> | undefined {
  const printer = options.info.customResource ? customColumnsPrinter(options.info.printerColumns) : getPrinter(options.info.group, options.info.kind);
  if (!printer) return undefined;
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: options.listMeta ?? {},
    columnDefinitions: printer.columns,
    rows: options.objects.map((obj) => {
      const row: Record<string, unknown> = { cells: printer.row(obj, options.now) };
      if (options.includeObject === 'Object') row.object = obj;
      else if (options.includeObject === 'Metadata') row.object = { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata };
      return row;
    }),
  };
}
