/**
 * Upstream's OpenAPI definition names for the zod schemas built-in kinds share
 * (`io.k8s.api.core.v1.Container`, `io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta`, …).
 * kubectl derives a field's type from the `$ref` to such a definition (the part after the last
 * dot: `explain` prints `<[]Container>`), so these names are API surface; every one is a type
 * name of upstream's published OpenAPI documents. A schema not listed stays inline (`<Object>`).
 * Kinds themselves are named by `definitionName` and are never listed here.
 */
import { z } from 'zod';
import { MutatingWebhookSchema } from '../../pkg/api/admissionregistration/v1/mutatingwebhookconfiguration.ts';
import { ValidatingWebhookSchema } from '../../pkg/api/admissionregistration/v1/validatingwebhookconfiguration.ts';
import * as webhook from '../../pkg/api/admissionregistration/v1/webhook-types.ts';
import { APIServiceSpecSchema, APIServiceStatusSchema, ServiceReferenceSchema as ApiServiceReferenceSchema } from '../../pkg/api/apiregistration/v1/apiservice.ts';
import { DaemonSetConditionSchema, DaemonSetSpecSchema, DaemonSetStatusSchema } from '../../pkg/api/apps/v1/daemonset.ts';
import { DeploymentConditionSchema, DeploymentSpecSchema, DeploymentStatusSchema, DeploymentStrategySchema, RollingUpdateDeploymentSchema } from '../../pkg/api/apps/v1/deployment.ts';
import { ReplicaSetSpecSchema, ReplicaSetStatusSchema } from '../../pkg/api/apps/v1/replicaset.ts';
import { PersistentVolumeClaimTemplateSchema, StatefulSetSpecSchema, StatefulSetStatusSchema } from '../../pkg/api/apps/v1/statefulset.ts';
import * as hpa from '../../pkg/api/autoscaling/v2/horizontalpodautoscaler.ts';
import { CronJobSpecSchema, CronJobStatusSchema, JobTemplateSpecSchema } from '../../pkg/api/batch/v1/cronjob.ts';
import { JobConditionSchema, JobSpecSchema, JobStatusSchema, PodFailurePolicyRuleSchema } from '../../pkg/api/batch/v1/job.ts';
import { LeaseSpecSchema } from '../../pkg/api/coordination/v1/lease.ts';
import { LocalObjectReferenceSchema, ObjectReferenceSchema, TypedLocalObjectReferenceSchema } from '../../pkg/api/core/v1/common.ts';
import { ComponentConditionSchema } from '../../pkg/api/core/v1/componentstatus.ts';
import { EndpointAddressSchema, EndpointPortSchema, EndpointSubsetSchema } from '../../pkg/api/core/v1/endpoints.ts';
import { EventSeriesSchema, EventSourceSchema } from '../../pkg/api/core/v1/event.ts';
import { LimitRangeItemSchema } from '../../pkg/api/core/v1/limitrange.ts';
import { NamespaceConditionSchema } from '../../pkg/api/core/v1/namespace.ts';
import * as node from '../../pkg/api/core/v1/node.ts';
import { PersistentVolumeSpecSchema, PersistentVolumeStatusSchema, SecretReferenceSchema } from '../../pkg/api/core/v1/persistentvolume.ts';
import { PersistentVolumeClaimConditionSchema, PersistentVolumeClaimStatusSchema } from '../../pkg/api/core/v1/persistentvolumeclaim.ts';
import * as container from '../../pkg/api/core/v1/pod-container.ts';
import * as podSpec from '../../pkg/api/core/v1/pod-spec.ts';
import * as podStatus from '../../pkg/api/core/v1/pod-status.ts';
import * as volume from '../../pkg/api/core/v1/pod-volume.ts';
import { ReplicationControllerConditionSchema, ReplicationControllerSpecSchema, ReplicationControllerStatusSchema } from '../../pkg/api/core/v1/replicationcontroller.ts';
import { ResourceQuotaSpecSchema, ResourceQuotaStatusSchema, ScopedResourceSelectorRequirementSchema } from '../../pkg/api/core/v1/resourcequota.ts';
import * as service from '../../pkg/api/core/v1/service.ts';
import { EndpointConditionsSchema, EndpointSchema, EndpointSlicePortSchema } from '../../pkg/api/discovery/v1/endpointslice.ts';
import * as meta from '../../pkg/api/meta.ts';
import { IngressBackendSchema, IngressSpecSchema, IngressStatusSchema } from '../../pkg/api/networking/v1/ingress.ts';
import { PodDisruptionBudgetSpecSchema, PodDisruptionBudgetStatusSchema } from '../../pkg/api/policy/v1/poddisruptionbudget.ts';
import { AggregationRuleSchema } from '../../pkg/api/rbac/v1/clusterrole.ts';
import { PolicyRuleSchema } from '../../pkg/api/rbac/v1/policy-rule.ts';
import { RoleRefSchema } from '../../pkg/api/rbac/v1/role-ref.ts';
import { SubjectSchema } from '../../pkg/api/rbac/v1/subject.ts';
import { CSIDriverSpecSchema } from '../../pkg/api/storage/v1/csidriver.ts';
import { CSINodeDriverSchema } from '../../pkg/api/storage/v1/csinode.ts';

const CORE = 'io.k8s.api.core.v1';
const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';

/** The upstream name of the `Quantity` definition (a scalar: explain prints `<Quantity>`). */
export const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
/** The upstream name of the `IntOrString` definition (a scalar: explain prints `<IntOrString>`). */
export const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';

/** Schemas of one API package under their upstream type names, e.g. `prefixed(CORE, { Container: … })`. */
function prefixed(pkg: string, schemas: Record<string, z.ZodType>): [z.ZodType, string][] {
  return Object.entries(schemas).map(([type, schema]) => [schema, `${pkg}.${type}`]);
}

const entries: [z.ZodType, string][] = [
  [meta.QuantitySchema, QUANTITY],
  [meta.IntOrStringSchema, INT_OR_STRING],
  ...prefixed(META, {
    ObjectMeta: meta.ObjectMetaSchema,
    LabelSelector: meta.LabelSelectorSchema,
    LabelSelectorRequirement: meta.LabelSelectorRequirementSchema,
    ManagedFieldsEntry: meta.ManagedFieldsEntrySchema,
    OwnerReference: meta.OwnerReferenceSchema,
    Condition: meta.ConditionSchema,
  }),
  ...prefixed(CORE, {
    Affinity: podSpec.AffinitySchema,
    HostAlias: podSpec.HostAliasSchema,
    NodeAffinity: podSpec.NodeAffinitySchema,
    NodeSelector: podSpec.NodeSelectorSchema,
    PodAffinity: podSpec.PodAffinitySchema,
    PodAntiAffinity: podSpec.PodAntiAffinitySchema,
    PodDNSConfig: podSpec.PodDNSConfigSchema,
    PodDNSConfigOption: podSpec.PodDNSConfigOptionSchema,
    PodOS: podSpec.PodOSSchema,
    PodReadinessGate: podSpec.PodReadinessGateSchema,
    PodResourceClaim: podSpec.PodResourceClaimSchema,
    PodSchedulingGate: podSpec.PodSchedulingGateSchema,
    PreferredSchedulingTerm: podSpec.PreferredSchedulingTermSchema,
    Sysctl: podSpec.SysctlSchema,
    WeightedPodAffinityTerm: podSpec.WeightedPodAffinityTermSchema,
    NodeSelectorRequirement: podSpec.NodeSelectorRequirementSchema,
    NodeSelectorTerm: podSpec.NodeSelectorTermSchema,
    PodAffinityTerm: podSpec.PodAffinityTermSchema,
    PodSecurityContext: podSpec.PodSecurityContextSchema,
    PodSpec: podSpec.PodSpecSchema,
    PodTemplateSpec: podSpec.PodTemplateSpecSchema,
    Toleration: podSpec.TolerationSchema,
    TopologySpreadConstraint: podSpec.TopologySpreadConstraintSchema,
    AppArmorProfile: container.AppArmorProfileSchema,
    Capabilities: container.CapabilitiesSchema,
    ConfigMapEnvSource: container.ConfigMapEnvSourceSchema,
    ConfigMapKeySelector: container.ConfigMapKeySelectorSchema,
    HTTPHeader: container.HTTPHeaderSchema,
    ResourceClaim: container.ResourceClaimSchema,
    SecretEnvSource: container.SecretEnvSourceSchema,
    SecretKeySelector: container.SecretKeySelectorSchema,
    Container: container.ContainerSchema,
    ContainerPort: container.ContainerPortSchema,
    EnvFromSource: container.EnvFromSourceSchema,
    EnvVar: container.EnvVarSchema,
    EnvVarSource: container.EnvVarSourceSchema,
    EphemeralContainer: container.EphemeralContainerSchema,
    ExecAction: container.ExecActionSchema,
    GRPCAction: container.GRPCActionSchema,
    HTTPGetAction: container.HTTPGetActionSchema,
    Lifecycle: container.LifecycleSchema,
    LifecycleHandler: container.LifecycleHandlerSchema,
    ObjectFieldSelector: container.ObjectFieldSelectorSchema,
    Probe: container.ProbeSchema,
    ResourceFieldSelector: container.ResourceFieldSelectorSchema,
    ResourceRequirements: container.ResourceRequirementsSchema,
    SELinuxOptions: container.SELinuxOptionsSchema,
    SeccompProfile: container.SeccompProfileSchema,
    SecurityContext: container.SecurityContextSchema,
    TCPSocketAction: container.TCPSocketActionSchema,
    VolumeMount: container.VolumeMountSchema,
    WindowsSecurityContextOptions: container.WindowsSecurityContextOptionsSchema,
    ContainerState: podStatus.ContainerStateSchema,
    ContainerStateRunning: podStatus.ContainerStateRunningSchema,
    ContainerStateTerminated: podStatus.ContainerStateTerminatedSchema,
    ContainerStateWaiting: podStatus.ContainerStateWaitingSchema,
    ContainerStatus: podStatus.ContainerStatusSchema,
    HostIP: podStatus.HostIPSchema,
    PodCondition: podStatus.PodConditionSchema,
    PodIP: podStatus.PodIPSchema,
    PodStatus: podStatus.PodStatusSchema,
    VolumeMountStatus: podStatus.VolumeMountStatusSchema,
    ClusterTrustBundleProjection: volume.ClusterTrustBundleProjectionSchema,
    ConfigMapProjection: volume.ConfigMapProjectionSchema,
    ConfigMapVolumeSource: volume.ConfigMapVolumeSourceSchema,
    CSIVolumeSource: volume.CSIVolumeSourceSchema,
    DownwardAPIProjection: volume.DownwardAPIProjectionSchema,
    EmptyDirVolumeSource: volume.EmptyDirVolumeSourceSchema,
    EphemeralVolumeSource: volume.EphemeralVolumeSourceSchema,
    GitRepoVolumeSource: volume.GitRepoVolumeSourceSchema,
    HostPathVolumeSource: volume.HostPathVolumeSourceSchema,
    ImageVolumeSource: volume.ImageVolumeSourceSchema,
    NFSVolumeSource: volume.NFSVolumeSourceSchema,
    PersistentVolumeClaimTemplate: volume.EphemeralClaimTemplateSchema,
    PersistentVolumeClaimVolumeSource: volume.PersistentVolumeClaimVolumeSourceSchema,
    ProjectedVolumeSource: volume.ProjectedVolumeSourceSchema,
    SecretProjection: volume.SecretProjectionSchema,
    ServiceAccountTokenProjection: volume.ServiceAccountTokenProjectionSchema,
    TypedObjectReference: volume.TypedObjectReferenceSchema,
    VolumeResourceRequirements: volume.VolumeResourceRequirementsSchema,
    DownwardAPIVolumeFile: volume.DownwardAPIVolumeFileSchema,
    DownwardAPIVolumeSource: volume.DownwardAPIVolumeSourceSchema,
    KeyToPath: volume.KeyToPathSchema,
    PersistentVolumeClaimSpec: volume.PersistentVolumeClaimSpecSchema,
    SecretVolumeSource: volume.SecretVolumeSourceSchema,
    VolumeProjection: volume.VolumeProjectionSchema,
    Volume: volume.VolumeSchema,
    LocalObjectReference: LocalObjectReferenceSchema,
    // The StatefulSet's claim template is a whole PersistentVolumeClaim upstream; the served
    // PersistentVolumeClaim kind's own schema takes this name in every document.
    PersistentVolumeClaim: PersistentVolumeClaimTemplateSchema,
    ObjectReference: ObjectReferenceSchema,
    ComponentCondition: ComponentConditionSchema,
    EndpointAddress: EndpointAddressSchema,
    EndpointPort: EndpointPortSchema,
    EndpointSubset: EndpointSubsetSchema,
    EventSeries: EventSeriesSchema,
    EventSource: EventSourceSchema,
    LimitRangeItem: LimitRangeItemSchema,
    NamespaceCondition: NamespaceConditionSchema,
    NodeAddress: node.NodeAddressSchema,
    NodeCondition: node.NodeConditionSchema,
    NodeSpec: node.NodeSpecSchema,
    NodeStatus: node.NodeStatusSchema,
    NodeSystemInfo: node.NodeSystemInfoSchema,
    Taint: node.TaintSchema,
    PersistentVolumeSpec: PersistentVolumeSpecSchema,
    PersistentVolumeStatus: PersistentVolumeStatusSchema,
    SecretReference: SecretReferenceSchema,
    PersistentVolumeClaimCondition: PersistentVolumeClaimConditionSchema,
    PersistentVolumeClaimStatus: PersistentVolumeClaimStatusSchema,
    ReplicationControllerCondition: ReplicationControllerConditionSchema,
    ReplicationControllerSpec: ReplicationControllerSpecSchema,
    ReplicationControllerStatus: ReplicationControllerStatusSchema,
    ResourceQuotaSpec: ResourceQuotaSpecSchema,
    ResourceQuotaStatus: ResourceQuotaStatusSchema,
    ScopedResourceSelectorRequirement: ScopedResourceSelectorRequirementSchema,
    LoadBalancerIngress: service.LoadBalancerIngressSchema,
    ServicePort: service.ServicePortSchema,
    ServiceSpec: service.ServiceSpecSchema,
    ServiceStatus: service.ServiceStatusSchema,
    SessionAffinityConfig: service.SessionAffinityConfigSchema,
    TypedLocalObjectReference: TypedLocalObjectReferenceSchema,
  }),
  ...prefixed('io.k8s.api.apps.v1', {
    DaemonSetCondition: DaemonSetConditionSchema,
    DaemonSetSpec: DaemonSetSpecSchema,
    DaemonSetStatus: DaemonSetStatusSchema,
    DeploymentCondition: DeploymentConditionSchema,
    DeploymentSpec: DeploymentSpecSchema,
    DeploymentStatus: DeploymentStatusSchema,
    DeploymentStrategy: DeploymentStrategySchema,
    RollingUpdateDeployment: RollingUpdateDeploymentSchema,
    ReplicaSetSpec: ReplicaSetSpecSchema,
    ReplicaSetStatus: ReplicaSetStatusSchema,
    StatefulSetSpec: StatefulSetSpecSchema,
    StatefulSetStatus: StatefulSetStatusSchema,
  }),
  ...prefixed('io.k8s.api.batch.v1', {
    CronJobSpec: CronJobSpecSchema,
    CronJobStatus: CronJobStatusSchema,
    JobCondition: JobConditionSchema,
    JobSpec: JobSpecSchema,
    JobStatus: JobStatusSchema,
    JobTemplateSpec: JobTemplateSpecSchema,
    PodFailurePolicyRule: PodFailurePolicyRuleSchema,
  }),
  ...prefixed('io.k8s.api.autoscaling.v2', {
    CrossVersionObjectReference: hpa.CrossVersionObjectReferenceSchema,
    HPAScalingPolicy: hpa.HPAScalingPolicySchema,
    HPAScalingRules: hpa.HPAScalingRulesSchema,
    HorizontalPodAutoscalerBehavior: hpa.HorizontalPodAutoscalerBehaviorSchema,
    HorizontalPodAutoscalerCondition: hpa.HorizontalPodAutoscalerConditionSchema,
    HorizontalPodAutoscalerSpec: hpa.HorizontalPodAutoscalerSpecSchema,
    HorizontalPodAutoscalerStatus: hpa.HorizontalPodAutoscalerStatusSchema,
    MetricIdentifier: hpa.MetricIdentifierSchema,
    MetricSpec: hpa.MetricSpecSchema,
    MetricStatus: hpa.MetricStatusSchema,
    MetricTarget: hpa.MetricTargetSchema,
    MetricValueStatus: hpa.MetricValueStatusSchema,
  }),
  ...prefixed('io.k8s.api.admissionregistration.v1', {
    MatchCondition: webhook.MatchConditionSchema,
    RuleWithOperations: webhook.RuleWithOperationsSchema,
    ServiceReference: webhook.ServiceReferenceSchema,
    WebhookClientConfig: webhook.WebhookClientConfigSchema,
    MutatingWebhook: MutatingWebhookSchema,
    ValidatingWebhook: ValidatingWebhookSchema,
  }),
  ...prefixed('io.k8s.kube-aggregator.pkg.apis.apiregistration.v1', {
    APIServiceSpec: APIServiceSpecSchema,
    APIServiceStatus: APIServiceStatusSchema,
    ServiceReference: ApiServiceReferenceSchema,
  }),
  ...prefixed('io.k8s.api.coordination.v1', { LeaseSpec: LeaseSpecSchema }),
  ...prefixed('io.k8s.api.discovery.v1', { Endpoint: EndpointSchema, EndpointConditions: EndpointConditionsSchema, EndpointPort: EndpointSlicePortSchema }),
  ...prefixed('io.k8s.api.networking.v1', { IngressBackend: IngressBackendSchema, IngressSpec: IngressSpecSchema, IngressStatus: IngressStatusSchema }),
  ...prefixed('io.k8s.api.policy.v1', { PodDisruptionBudgetSpec: PodDisruptionBudgetSpecSchema, PodDisruptionBudgetStatus: PodDisruptionBudgetStatusSchema }),
  ...prefixed('io.k8s.api.rbac.v1', { AggregationRule: AggregationRuleSchema, PolicyRule: PolicyRuleSchema, RoleRef: RoleRefSchema, Subject: SubjectSchema }),
  ...prefixed('io.k8s.api.storage.v1', { CSIDriverSpec: CSIDriverSpecSchema, CSINodeDriver: CSINodeDriverSchema }),
];

let registry: z.core.$ZodRegistry<{ id: string }> | undefined;

/**
 * A zod registry giving each shared schema its upstream definition name as `id`: passed as
 * `metadata` to `z.toJSONSchema`, it makes every listed schema a named definition referenced by
 * `$ref`. Built once; the same registry object on every call.
 */
export function definitionNameRegistry(): z.core.$ZodRegistry<{ id: string }> {
  if (!registry) {
    registry = z.registry<{ id: string }>();
    for (const [schema, id] of entries) if (!registry.has(schema)) registry.add(schema, { id });
  }
  return registry;
}

/** Every listed definition name (for tests). */
export function listedDefinitionNames(): string[] {
  return entries.map(([, name]) => name);
}
