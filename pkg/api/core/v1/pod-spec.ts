/**
 * core/v1 PodSpec and PodTemplateSpec: schema with upstream field names, plus the entry points
 * shared by Pods and workload templates (defaulting, validation, strategic-merge metadata).
 */
import { z } from 'zod';
import { LabelSelectorSchema, ObjectMetaSchema, QuantitySchema } from '../../meta.ts';
import type { PatchMeta } from '../../resource.ts';
import { LocalObjectReferenceSchema } from './common.ts';
import {
  AppArmorProfileSchema,
  ContainerSchema,
  EphemeralContainerSchema,
  ResourceRequirementsSchema,
  SeccompProfileSchema,
  SELinuxOptionsSchema,
  WindowsSecurityContextOptionsSchema,
} from './pod-container.ts';
import { VolumeSchema } from './pod-volume.ts';

import type { Container } from './pod-container.ts';
export type { Container, EphemeralContainer, Probe } from './pod-container.ts';
export type { Volume } from './pod-volume.ts';
export { applyPodSpecDefaults } from './pod-defaults.ts';
export { validatePodSpec } from './pod-validation.ts';

const str = () => z.string().optional();
const int = () => z.number().int().optional();
const bool = () => z.boolean().optional();
const strings = () => z.array(z.string()).optional();

export const NodeSelectorRequirementSchema = z.object({ key: z.string().default(''), operator: z.string().default(''), values: strings() });
export const NodeSelectorTermSchema = z.object({
  matchExpressions: z.array(NodeSelectorRequirementSchema).optional(),
  matchFields: z.array(NodeSelectorRequirementSchema).optional(),
});
export const PodAffinityTermSchema = z.object({
  labelSelector: LabelSelectorSchema.optional(),
  namespaces: strings(),
  topologyKey: z.string().default(''),
  namespaceSelector: LabelSelectorSchema.optional(),
  matchLabelKeys: strings(),
  mismatchLabelKeys: strings(),
});
/** core/v1 WeightedPodAffinityTerm: a preferred pod (anti-)affinity term with its weight. */
export const WeightedPodAffinityTermSchema = z.object({ weight: z.number().int().default(0), podAffinityTerm: PodAffinityTermSchema });
const podAffinityShape = {
  requiredDuringSchedulingIgnoredDuringExecution: z.array(PodAffinityTermSchema).optional(),
  preferredDuringSchedulingIgnoredDuringExecution: z.array(WeightedPodAffinityTermSchema).optional(),
};
/** core/v1 PodAffinity (same shape as PodAntiAffinity; separate objects so each keeps its upstream name). */
export const PodAffinitySchema = z.object(podAffinityShape);
/** core/v1 PodAntiAffinity (same shape as PodAffinity). */
export const PodAntiAffinitySchema = z.object(podAffinityShape);
/** core/v1 NodeSelector: node selector terms, any of which may match. */
export const NodeSelectorSchema = z.object({ nodeSelectorTerms: z.array(NodeSelectorTermSchema) });
/** core/v1 PreferredSchedulingTerm: a preferred node selector term with its weight. */
export const PreferredSchedulingTermSchema = z.object({ weight: z.number().int().default(0), preference: NodeSelectorTermSchema });
/** core/v1 NodeAffinity: required and preferred node selection rules. */
export const NodeAffinitySchema = z.object({
  requiredDuringSchedulingIgnoredDuringExecution: NodeSelectorSchema.optional(),
  preferredDuringSchedulingIgnoredDuringExecution: z.array(PreferredSchedulingTermSchema).optional(),
});

export const AffinitySchema = z.object({
  nodeAffinity: NodeAffinitySchema.optional(),
  podAffinity: PodAffinitySchema.optional(),
  podAntiAffinity: PodAntiAffinitySchema.optional(),
});

export const TolerationSchema = z.object({
  key: str(),
  operator: str(),
  value: str(),
  effect: str(),
  tolerationSeconds: int(),
});

/** core/v1 Sysctl: one namespaced kernel parameter for the pod. */
export const SysctlSchema = z.object({ name: z.string().default(''), value: z.string().default('') });
export const PodSecurityContextSchema = z.object({
  seLinuxOptions: SELinuxOptionsSchema.optional(),
  windowsOptions: WindowsSecurityContextOptionsSchema.optional(),
  runAsUser: int(),
  runAsGroup: int(),
  runAsNonRoot: bool(),
  supplementalGroups: z.array(z.number().int()).optional(),
  supplementalGroupsPolicy: str(),
  fsGroup: int(),
  sysctls: z.array(SysctlSchema).optional(),
  fsGroupChangePolicy: str(),
  seccompProfile: SeccompProfileSchema.optional(),
  appArmorProfile: AppArmorProfileSchema.optional(),
  seLinuxChangePolicy: str(),
});

export const TopologySpreadConstraintSchema = z.object({
  maxSkew: z.number().int().default(0),
  topologyKey: z.string().default(''),
  whenUnsatisfiable: z.string().default(''),
  labelSelector: LabelSelectorSchema.optional(),
  minDomains: int(),
  nodeAffinityPolicy: str(),
  nodeTaintsPolicy: str(),
  matchLabelKeys: strings(),
});

/** core/v1 HostAlias: an /etc/hosts entry of the pod. */
export const HostAliasSchema = z.object({ ip: z.string().default(''), hostnames: strings() });
/** core/v1 PodDNSConfigOption: one resolver option. */
export const PodDNSConfigOptionSchema = z.object({ name: str(), value: str() });
/** core/v1 PodDNSConfig: the pod's DNS parameters beyond its dnsPolicy. */
export const PodDNSConfigSchema = z.object({
  nameservers: strings(),
  searches: strings(),
  options: z.array(PodDNSConfigOptionSchema).optional(),
});
/** core/v1 PodReadinessGate: a pod condition readiness also waits for. */
export const PodReadinessGateSchema = z.object({ conditionType: z.string().default('') });
/** core/v1 PodOS: the operating system the pod needs. */
export const PodOSSchema = z.object({ name: z.string().default('') });
/** core/v1 PodSchedulingGate: a gate that holds the pod back from scheduling while present. */
export const PodSchedulingGateSchema = z.object({ name: z.string().default('') });
/** core/v1 PodResourceClaim: a resource claim the pod references, by name. */
export const PodResourceClaimSchema = z.object({
  name: z.string().default(''),
  resourceClaimName: str(),
  resourceClaimTemplateName: str(),
});

export const PodSpecSchema = z.object({
  volumes: z.array(VolumeSchema).optional(),
  initContainers: z.array(ContainerSchema).optional(),
  containers: z.array(ContainerSchema).optional(),
  ephemeralContainers: z.array(EphemeralContainerSchema).optional(),
  restartPolicy: str(),
  terminationGracePeriodSeconds: int(),
  activeDeadlineSeconds: int(),
  dnsPolicy: str(),
  nodeSelector: z.record(z.string(), z.string()).optional(),
  serviceAccountName: str(),
  serviceAccount: str(),
  automountServiceAccountToken: bool(),
  nodeName: str(),
  hostNetwork: bool(),
  hostPID: bool(),
  hostIPC: bool(),
  shareProcessNamespace: bool(),
  securityContext: PodSecurityContextSchema.optional(),
  imagePullSecrets: z.array(LocalObjectReferenceSchema).optional(),
  hostname: str(),
  subdomain: str(),
  affinity: AffinitySchema.optional(),
  schedulerName: str(),
  tolerations: z.array(TolerationSchema).optional(),
  hostAliases: z.array(HostAliasSchema).optional(),
  priorityClassName: str(),
  priority: int(),
  dnsConfig: PodDNSConfigSchema.optional(),
  readinessGates: z.array(PodReadinessGateSchema).optional(),
  runtimeClassName: str(),
  enableServiceLinks: bool(),
  preemptionPolicy: str(),
  overhead: z.record(z.string(), QuantitySchema).optional(),
  topologySpreadConstraints: z.array(TopologySpreadConstraintSchema).optional(),
  setHostnameAsFQDN: bool(),
  os: PodOSSchema.optional(),
  hostUsers: bool(),
  schedulingGates: z.array(PodSchedulingGateSchema).optional(),
  resourceClaims: z.array(PodResourceClaimSchema).optional(),
  resources: ResourceRequirementsSchema.optional(),
  hostnameOverride: str(),
});
export type PodSpec = z.infer<typeof PodSpecSchema>;

/**
 * Every container of a pod spec — init containers, containers, then ephemeral containers, as
 * upstream's VisitContainers with AllContainers — each read as a Container.
 */
export function allPodContainers(spec: Pick<PodSpec, 'initContainers' | 'containers' | 'ephemeralContainers'> | undefined): Container[] {
  return [...(spec?.initContainers ?? []), ...(spec?.containers ?? []), ...((spec?.ephemeralContainers ?? []) as Container[])];
}

export const PodTemplateSpecSchema = z.object({
  metadata: ObjectMetaSchema.optional(),
  spec: PodSpecSchema.optional(),
});
export type PodTemplateSpec = z.infer<typeof PodTemplateSpecSchema>;

/**
 * Strategic-merge metadata of a PodSpec (upstream struct tags), keyed below `prefix`
 * (`spec` for a Pod, `spec.template.spec` for a workload).
 */
export function podSpecPatchMeta(prefix: string): PatchMeta {
  const meta: Record<string, PatchMeta[string]> = {
    [`${prefix}.volumes`]: { strategy: 'merge,retainKeys', mergeKey: 'name' },
    [`${prefix}.imagePullSecrets`]: { strategy: 'merge', mergeKey: 'name' },
    [`${prefix}.hostAliases`]: { strategy: 'merge', mergeKey: 'ip' },
    [`${prefix}.topologySpreadConstraints`]: { strategy: 'merge', mergeKey: 'topologyKey' },
    [`${prefix}.schedulingGates`]: { strategy: 'merge', mergeKey: 'name' },
    [`${prefix}.resourceClaims`]: { strategy: 'merge,retainKeys', mergeKey: 'name' },
  };
  for (const list of ['containers', 'initContainers', 'ephemeralContainers']) {
    const c = `${prefix}.${list}`;
    meta[c] = { strategy: 'merge', mergeKey: 'name' };
    meta[`${c}[].ports`] = { strategy: 'merge', mergeKey: 'containerPort' };
    meta[`${c}[].env`] = { strategy: 'merge', mergeKey: 'name' };
    meta[`${c}[].volumeMounts`] = { strategy: 'merge', mergeKey: 'mountPath' };
    meta[`${c}[].volumeDevices`] = { strategy: 'merge', mergeKey: 'devicePath' };
  }
  return meta;
}
