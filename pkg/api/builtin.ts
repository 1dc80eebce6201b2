/**
 * Every built-in kind, in discovery order: core v1, apps/v1 (then the legacy workload versions),
 * events.k8s.io/v1, authentication.k8s.io/v1, authorization.k8s.io/v1, autoscaling (v2, v1), batch/v1, discovery.k8s.io/v1,
 * coordination.k8s.io/v1, scheduling.k8s.io/v1, certificates.k8s.io/v1, networking.k8s.io/v1, node.k8s.io/v1, policy/v1, apiextensions.k8s.io
 * (v1, v1beta1), apiregistration.k8s.io/v1, admissionregistration.k8s.io/v1, rbac.authorization.k8s.io/v1, storage.k8s.io/v1,
 * flowcontrol.apiserver.k8s.io/v1 (after storage, as upstream's storage providers), metrics.k8s.io/v1beta1 (computed, never stored).
 */
import { controllerRevisionResource } from './apps/v1/controllerrevision.ts';
import { daemonSetResource } from './apps/v1/daemonset.ts';
import { deploymentResource } from './apps/v1/deployment.ts';
import { replicaSetResource } from './apps/v1/replicaset.ts';
import { statefulSetResource } from './apps/v1/statefulset.ts';
import { horizontalPodAutoscalerResource } from './autoscaling/v2/horizontalpodautoscaler-resource.ts';
import { horizontalPodAutoscalerV1Resource } from './autoscaling/v1/horizontalpodautoscaler.ts';
import { jobResource } from './batch/v1/job.ts';
import { cronJobResource } from './batch/v1/cronjob.ts';
import { certificateSigningRequestResource } from './certificates/v1/certificatesigningrequest.ts';
import { leaseResource } from './coordination/v1/lease.ts';
import { bindingResource } from './core/v1/binding.ts';
import { anyResource } from './core/v1/common.ts';
import { configMapResource } from './core/v1/configmap.ts';
import { endpointsResource } from './core/v1/endpoints.ts';
import { eventResource } from './core/v1/event.ts';
import { limitRangeResource } from './core/v1/limitrange.ts';
import { podTemplateResource } from './core/v1/podtemplate.ts';
import { componentStatusResource } from './core/v1/componentstatus.ts';
import { replicationControllerResource } from './core/v1/replicationcontroller.ts';
import { eventsV1EventResource } from './events/v1/event.ts';
import { selfSubjectAccessReviewResource } from './authorization/v1/self-subject-access-review.ts';
import { selfSubjectRulesReviewResource } from './authorization/v1/self-subject-rules-review.ts';
import { localSubjectAccessReviewResource, subjectAccessReviewResource } from './authorization/v1/subject-access-review.ts';
import { selfSubjectReviewResources } from './authentication/v1/self-subject-review.ts';
import { tokenReviewResource } from './authentication/v1/token-review.ts';
import { namespaceResource } from './core/v1/namespace.ts';
import { nodeResource } from './core/v1/node.ts';
import { podResource } from './core/v1/pod.ts';
import { secretResource } from './core/v1/secret.ts';
import { serviceResource } from './core/v1/service.ts';
import { serviceAccountResource } from './core/v1/serviceaccount.ts';
import { persistentVolumeResource } from './core/v1/persistentvolume.ts';
import { persistentVolumeClaimResource } from './core/v1/persistentvolumeclaim.ts';
import { resourceQuotaResource } from './core/v1/resourcequota.ts';
import { storageClassResource } from './storage/v1/storageclass.ts';
import { csiDriverResource } from './storage/v1/csidriver.ts';
import { csiNodeResource } from './storage/v1/csinode.ts';
import { csiStorageCapacityResource } from './storage/v1/csistoragecapacity.ts';
import { volumeAttachmentResource } from './storage/v1/volumeattachment.ts';
import { flowSchemaResource } from './flowcontrol/v1/flowschema.ts';
import { priorityLevelConfigurationResource } from './flowcontrol/v1/prioritylevelconfiguration.ts';
import { ingressClassResource } from './networking/v1/ingressclass.ts';
import { ingressResource } from './networking/v1/ingress.ts';
import { networkPolicyResource } from './networking/v1/networkpolicy.ts';
import { ipAddressResource } from './networking/v1/ipaddress.ts';
import { serviceCIDRResource } from './networking/v1/servicecidr.ts';
import { podDisruptionBudgetResource } from './policy/v1/poddisruptionbudget.ts';
import { endpointSliceResource } from './discovery/v1/endpointslice.ts';
import { legacyWorkloadResources } from './legacy/workload-versions.ts';
import { legacyDaemonSetResources } from './legacy/daemonset-versions.ts';
import { priorityClassResource } from './scheduling/v1/priorityclass.ts';
import { runtimeClassResource } from './node/v1/runtimeclass.ts';
import { clusterRoleResource } from './rbac/v1/clusterrole.ts';
import { clusterRoleBindingResource } from './rbac/v1/clusterrolebinding.ts';
import { roleResource } from './rbac/v1/role.ts';
import { roleBindingResource } from './rbac/v1/rolebinding.ts';
import { customResourceDefinitionResource } from './apiextensions/v1/customresourcedefinition.ts';
import { customResourceDefinitionV1beta1Resource } from './apiextensions/v1beta1/customresourcedefinition.ts';
import { mutatingWebhookConfigurationResource } from './admissionregistration/v1/mutatingwebhookconfiguration.ts';
import { validatingWebhookConfigurationResource } from './admissionregistration/v1/validatingwebhookconfiguration.ts';
import { validatingAdmissionPolicyResource } from './admissionregistration/v1/policy-expressions.ts';
import { validatingAdmissionPolicyBindingResource } from './admissionregistration/v1/validatingadmissionpolicybinding.ts';
import { nodeMetricsResource } from './metrics/v1beta1/nodemetrics.ts';
import { podMetricsResource } from './metrics/v1beta1/podmetrics.ts';
import { apiServiceResource } from './apiregistration/v1/apiservice.ts';
import { ResourceRegistry } from './registry.ts';
import type { ResourceInfo } from './resource.ts';

/** The built-in resources, a fresh array each call (the values themselves are shared). */
export function builtinResources(): ResourceInfo[] {
  return [
    // core/v1
    anyResource(namespaceResource),
    anyResource(podResource),
    anyResource(podTemplateResource),
    anyResource(replicationControllerResource),
    anyResource(serviceResource),
    anyResource(endpointsResource),
    anyResource(nodeResource),
    anyResource(configMapResource),
    anyResource(secretResource),
    anyResource(eventResource),
    anyResource(limitRangeResource),
    anyResource(serviceAccountResource),
    anyResource(bindingResource),
    anyResource(componentStatusResource),
    anyResource(persistentVolumeClaimResource),
    anyResource(persistentVolumeResource),
    anyResource(resourceQuotaResource),
    // apps/v1
    anyResource(controllerRevisionResource),
    anyResource(daemonSetResource),
    anyResource(deploymentResource),
    anyResource(replicaSetResource),
    anyResource(statefulSetResource),
    // legacy workload versions, after apps/v1 so apps/v1 stays the preferred apps version
    ...legacyWorkloadResources([anyResource(deploymentResource), anyResource(replicaSetResource)]),
    ...legacyDaemonSetResources(anyResource(daemonSetResource)),
    ...legacyWorkloadResources([anyResource(statefulSetResource)]),
    // events.k8s.io/v1, stored as core/v1 Events (the group follows apps, as upstream lists it)
    anyResource(eventsV1EventResource),
    // the review kinds, answered and never stored (`kubectl auth whoami`, `kubectl auth can-i`)
    ...selfSubjectReviewResources.map(anyResource),
    anyResource(selfSubjectAccessReviewResource),
    anyResource(selfSubjectRulesReviewResource),
    anyResource(subjectAccessReviewResource),
    anyResource(localSubjectAccessReviewResource),
    anyResource(tokenReviewResource),
    // autoscaling: v2 (the storage and preferred version) first, then v1 stored as v2
    anyResource(horizontalPodAutoscalerResource),
    anyResource(horizontalPodAutoscalerV1Resource),
    // batch/v1 (upstream lists it after authorization.k8s.io and autoscaling)
    anyResource(cronJobResource),
    anyResource(jobResource),
    anyResource(endpointSliceResource),
    anyResource(leaseResource),
    anyResource(priorityClassResource),
    anyResource(certificateSigningRequestResource),
    // networking.k8s.io/v1, node.k8s.io/v1 and policy/v1 (upstream lists them after certificates.k8s.io, in this order)
    anyResource(ingressClassResource),
    anyResource(ingressResource),
    anyResource(ipAddressResource),
    anyResource(networkPolicyResource),
    anyResource(serviceCIDRResource),
    anyResource(runtimeClassResource),
    anyResource(podDisruptionBudgetResource),
    anyResource(customResourceDefinitionResource),
    customResourceDefinitionV1beta1Resource,
    // apiregistration.k8s.io/v1 (kube-aggregator), after apiextensions as upstream lists it
    anyResource(apiServiceResource),
    // admissionregistration.k8s.io/v1, alphabetical as upstream's discovery lists it
    anyResource(mutatingWebhookConfigurationResource),
    anyResource(validatingAdmissionPolicyResource),
    anyResource(validatingAdmissionPolicyBindingResource),
    anyResource(validatingWebhookConfigurationResource),
    // rbac.authorization.k8s.io/v1, in upstream's discovery order
    anyResource(clusterRoleBindingResource),
    anyResource(clusterRoleResource),
    anyResource(roleBindingResource),
    anyResource(roleResource),
    // storage.k8s.io/v1, in upstream's discovery order
    anyResource(csiDriverResource),
    anyResource(csiNodeResource),
    anyResource(csiStorageCapacityResource),
    anyResource(storageClassResource),
    anyResource(volumeAttachmentResource),
    // flowcontrol.apiserver.k8s.io/v1 (API Priority and Fairness configuration)
    anyResource(flowSchemaResource),
    anyResource(priorityLevelConfigurationResource),
    // metrics.k8s.io/v1beta1, computed from the kubelets (upstream's metrics-server, built in as k3s bundles it)
    anyResource(nodeMetricsResource),
    anyResource(podMetricsResource),
  ];
}

/** A registry holding every built-in kind, ready for CRDs to be added. */
export function createBuiltinRegistry(): ResourceRegistry {
  const registry = new ResourceRegistry();
  for (const info of builtinResources()) registry.register(info);
  return registry;
}

/**
 * The built-in resource for an `apiVersion` + `kind` pair as written in a manifest
 * (`v1`/`Service`, `apps/v1`/`Deployment`), or undefined.
 */
export function builtinFor(apiVersion: string, kind: string): ResourceInfo | undefined {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/', 2) : ['', apiVersion];
  return builtinResources().find((r) => r.group === group && r.version === version && r.kind === kind);
}
