/**
 * core/v1 Service: schema with upstream field names, v1 defaulting (SetDefaults_Service), the
 * registry strategy (status reset on create, ClusterIP/ClusterIPs normalisation, allocated
 * values carried over on update). IPs and node ports are allocated by an admission plugin,
 * never here. Validation lives in `service-validation.ts`.
 */
import { z } from 'zod';
import { IntOrStringSchema, kubeObject } from '../../meta.ts';
import { deepEqual } from '../../validation/common-rules.ts';
import { ipFamilyOf, isIP } from '../../validation/ip.ts';
import { defineResource } from './common.ts';
import { serviceWarnings } from './service-warnings.ts';
import { validateService } from './service-validation.ts';

export const ServicePortSchema = z.object({
  name: z.string().optional(),
  protocol: z.string().optional(),
  appProtocol: z.string().optional(),
  port: z.number().int(),
  targetPort: IntOrStringSchema.optional(),
  nodePort: z.number().int().optional(),
});
export type ServicePort = z.infer<typeof ServicePortSchema>;

export const SessionAffinityConfigSchema = z.object({
  clientIP: z.object({ timeoutSeconds: z.number().int().optional() }).optional(),
});

export const ServiceSpecSchema = z.object({
  ports: z.array(ServicePortSchema).optional(),
  selector: z.record(z.string(), z.string()).optional(),
  clusterIP: z.string().optional(),
  clusterIPs: z.array(z.string()).optional(),
  type: z.string().optional(),
  externalIPs: z.array(z.string()).optional(),
  sessionAffinity: z.string().optional(),
  loadBalancerIP: z.string().optional(),
  loadBalancerSourceRanges: z.array(z.string()).optional(),
  externalName: z.string().optional(),
  externalTrafficPolicy: z.string().optional(),
  healthCheckNodePort: z.number().int().optional(),
  publishNotReadyAddresses: z.boolean().optional(),
  sessionAffinityConfig: SessionAffinityConfigSchema.optional(),
  ipFamilies: z.array(z.string()).optional(),
  ipFamilyPolicy: z.string().optional(),
  allocateLoadBalancerNodePorts: z.boolean().optional(),
  loadBalancerClass: z.string().optional(),
  internalTrafficPolicy: z.string().optional(),
  trafficDistribution: z.string().optional(),
});
export type ServiceSpec = z.infer<typeof ServiceSpecSchema>;

const PortStatusSchema = z.object({ port: z.number().int(), protocol: z.string(), error: z.string().optional() });

export const LoadBalancerIngressSchema = z.object({
  ip: z.string().optional(),
  hostname: z.string().optional(),
  ipMode: z.string().optional(),
  ports: z.array(PortStatusSchema).optional(),
});

export const ServiceStatusSchema = z.object({
  loadBalancer: z.object({ ingress: z.array(LoadBalancerIngressSchema).optional() }).optional(),
  conditions: z.array(z.object({
    type: z.string(),
    status: z.string(),
    observedGeneration: z.number().int().optional(),
    lastTransitionTime: z.string().optional(),
    reason: z.string().optional(),
    message: z.string().optional(),
  })).optional(),
});

export const ServiceSchema = kubeObject({
  spec: ServiceSpecSchema.optional(),
  status: ServiceStatusSchema.optional(),
});
export type Service = z.infer<typeof ServiceSchema>;

/**
 * Topology Aware Routing (upstream `AnnotationTopologyMode`): `Auto` (or `auto`) asks the
 * EndpointSlice controller to hint endpoints for zones in proportion to their allocatable CPU.
 */
export const ANNOTATION_TOPOLOGY_MODE = 'service.kubernetes.io/topology-mode';
/** The older name of {@link ANNOTATION_TOPOLOGY_MODE}; wins when both are set (upstream `DeprecatedAnnotationTopologyAwareHints`). */
export const DEPRECATED_ANNOTATION_TOPOLOGY_AWARE_HINTS = 'service.kubernetes.io/topology-aware-hints';

/** Upstream `DefaultClientIPServiceAffinitySeconds` (3 hours). */
export const DEFAULT_CLIENT_IP_AFFINITY_SECONDS = 10800;

/** `ExternallyAccessible`: LoadBalancer, NodePort, or ClusterIP with external IPs. */
export function externallyAccessible(spec: ServiceSpec): boolean {
  return spec.type === 'LoadBalancer' || spec.type === 'NodePort' || (spec.type === 'ClusterIP' && (spec.externalIPs?.length ?? 0) > 0);
}

/** A headless Service: `clusterIP: None`. */
export function isHeadless(spec: ServiceSpec): boolean {
  return spec.clusterIP === 'None';
}

export function needsClusterIP(spec: ServiceSpec): boolean {
  return spec.type !== 'ExternalName';
}

export function needsNodePorts(spec: ServiceSpec): boolean {
  return spec.type === 'NodePort' || (spec.type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts !== false);
}

/** `NeedsHealthCheck`: LoadBalancer with externalTrafficPolicy Local. */
export function needsHealthCheck(spec: ServiceSpec): boolean {
  return spec.type === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local';
}

/** v1 defaulting (idempotent). IP families are filled only once an IP is set (allocation is elsewhere). */
export function applyServiceDefaults(svc: Service): void {
  const spec = (svc.spec ??= {});
  svc.status ??= {};
  svc.status.loadBalancer ??= {};
  spec.sessionAffinity ||= 'None';
  if (spec.sessionAffinity === 'None') delete spec.sessionAffinityConfig;
  if (spec.sessionAffinity === 'ClientIP') {
    spec.sessionAffinityConfig ??= {};
    spec.sessionAffinityConfig.clientIP ??= {};
    spec.sessionAffinityConfig.clientIP.timeoutSeconds ??= DEFAULT_CLIENT_IP_AFFINITY_SECONDS;
  }
  spec.type ||= 'ClusterIP';
  for (const port of spec.ports ?? []) {
    port.protocol ||= 'TCP';
    if (port.targetPort === undefined || port.targetPort === 0 || port.targetPort === '') port.targetPort = port.port;
  }
  if (externallyAccessible(spec) && !spec.externalTrafficPolicy) spec.externalTrafficPolicy = 'Cluster';
  if (!spec.internalTrafficPolicy && spec.type !== 'ExternalName') spec.internalTrafficPolicy = 'Cluster';
  if (spec.type === 'LoadBalancer') spec.allocateLoadBalancerNodePorts ??= true;
  if (spec.clusterIP && !spec.clusterIPs?.length) spec.clusterIPs = [spec.clusterIP];
  defaultIPFamilies(spec);
}

/** After allocation: single-stack policy and the family of each cluster IP (headless → IPv4). */
export function defaultIPFamilies(spec: ServiceSpec): void {
  if (spec.type === 'ExternalName' || !spec.clusterIP) return;
  spec.ipFamilyPolicy ||= 'SingleStack';
  if (spec.ipFamilies?.length) return;
  const ips = (spec.clusterIPs ?? []).filter((ip) => isIP(ip));
  spec.ipFamilies = ips.length > 0 ? ips.map(ipFamilyOf) : ['IPv4'];
}

/** Upstream `normalizeClusterIPs`: keep `clusterIP` and `clusterIPs` in step. */
export function normalizeClusterIPs(spec: ServiceSpec, old?: ServiceSpec): void {
  if (!old) {
    if (spec.clusterIP && !spec.clusterIPs?.length) spec.clusterIPs = [spec.clusterIP];
    return;
  }
  const sameIPs = deepEqual(spec.clusterIPs ?? [], old.clusterIPs ?? []);
  if ((old.clusterIPs?.length ?? 0) > 0 && !spec.clusterIPs?.length && (old.clusterIP ?? '') === (spec.clusterIP ?? '')) {
    spec.clusterIPs = old.clusterIPs;
  }
  if ((old.clusterIP ?? '') !== (spec.clusterIP ?? '')) {
    if (old.clusterIP && !spec.clusterIP && sameIPs) delete spec.clusterIPs;
    if (spec.clusterIP && sameIPs) spec.clusterIPs = [spec.clusterIP];
  }
}

/** Upstream `patchAllocatedValues`: an update that omits allocated values keeps the old ones. */
export function patchAllocatedValues(spec: ServiceSpec, old: ServiceSpec): void {
  if (needsClusterIP(old) && needsClusterIP(spec)) {
    if (!spec.clusterIP && old.clusterIP) spec.clusterIP = old.clusterIP;
    if (!spec.clusterIPs?.length && old.clusterIPs?.length) spec.clusterIPs = [...old.clusterIPs];
  }
  if (needsNodePorts(old) && needsNodePorts(spec)) {
    const usedNew = new Set((spec.ports ?? []).map((p) => p.nodePort).filter((n) => n));
    const byName = new Map((old.ports ?? []).map((p) => [p.name ?? '', p.nodePort]));
    for (const port of spec.ports ?? []) {
      if (port.nodePort) continue;
      const oldValue = byName.get(port.name ?? '');
      if (oldValue && !usedNew.has(oldValue)) port.nodePort = oldValue;
    }
  }
  if (needsHealthCheck(old) && needsHealthCheck(spec) && !spec.healthCheckNodePort) spec.healthCheckNodePort = old.healthCheckNodePort;
}

/** Upstream `dropTypeDependentFields`: values the old type needed and the new type forbids are cleared if unchanged. */
export function dropTypeDependentFields(spec: ServiceSpec, old: ServiceSpec): void {
  if (needsClusterIP(old) && !needsClusterIP(spec)) {
    if (spec.clusterIP === old.clusterIP && deepEqual(spec.clusterIPs, old.clusterIPs)) {
      delete spec.clusterIP;
      delete spec.clusterIPs;
    }
    if (deepEqual(spec.ipFamilies, old.ipFamilies)) delete spec.ipFamilies;
    if (spec.ipFamilyPolicy === old.ipFamilyPolicy) delete spec.ipFamilyPolicy;
  }
  if (needsNodePorts(old) && !needsNodePorts(spec)) {
    const oldByIndex = old.ports ?? [];
    for (const [i, port] of (spec.ports ?? []).entries()) {
      if (port.nodePort && port.nodePort === oldByIndex[i]?.nodePort) delete port.nodePort;
    }
  }
  if (needsHealthCheck(old) && !needsHealthCheck(spec) && spec.healthCheckNodePort === old.healthCheckNodePort) delete spec.healthCheckNodePort;
  if (!externallyAccessible(spec) && spec.externalTrafficPolicy === old.externalTrafficPolicy) delete spec.externalTrafficPolicy;
  if (spec.type !== 'LoadBalancer' && spec.allocateLoadBalancerNodePorts === old.allocateLoadBalancerNodePorts) delete spec.allocateLoadBalancerNodePorts;
  if (spec.type !== 'LoadBalancer' && spec.loadBalancerClass === old.loadBalancerClass) delete spec.loadBalancerClass;
}

export const serviceResource = defineResource<Service>({
  group: '',
  version: 'v1',
  kind: 'Service',
  plural: 'services',
  singular: 'service',
  namespaced: true,
  shortNames: ['svc'],
  categories: ['all'],
  schema: ServiceSchema,
  subresources: { status: true },
  patchMeta: {
    'spec.ports': { strategy: 'merge', mergeKey: 'port' },
    'status.conditions': { strategy: 'merge', mergeKey: 'type' },
  },
  applyDefaults: applyServiceDefaults,
  validate: validateService,
  warningsOnCreate: serviceWarnings,
  warningsOnUpdate: serviceWarnings,
  prepareForCreate(svc) {
    svc.status = { loadBalancer: {} };
    normalizeClusterIPs((svc.spec ??= {}));
  },
  prepareForUpdate(svc, old) {
    applyServiceDefaults(svc);
    svc.status = old.status;
    const spec = (svc.spec ??= {});
    const oldSpec = old.spec ?? {};
    normalizeClusterIPs(spec, oldSpec);
    patchAllocatedValues(spec, oldSpec);
    dropTypeDependentFields(spec, oldSpec);
  },
  fieldSelectors: {
    'spec.clusterIP': (svc) => svc.spec?.clusterIP ?? '',
    'spec.type': (svc) => svc.spec?.type ?? '',
  },
});
