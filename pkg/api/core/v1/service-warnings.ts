/**
 * Upstream's Service warnings (pkg/api/service/warnings.go GetWarningsForService, Kubernetes
 * 1.33), sent on create and on every update: the deprecated topology-aware-hints annotation, IPs
 * and CIDRs in non-standard form (clusterIPs, externalIPs, loadBalancerIP,
 * loadBalancerSourceRanges), externalIPs on an ExternalName service and externalName on any
 * other type. Pure.
 */
import { cidrWarnings, ipWarnings } from '../../validation/ip-warnings.ts';
import { ANNOTATION_TOPOLOGY_MODE as TOPOLOGY_MODE, DEPRECATED_ANNOTATION_TOPOLOGY_AWARE_HINTS as TOPOLOGY_AWARE_HINTS, type Service } from './service.ts';

/** GetWarningsForService (the old object, given on update, changes nothing). */
export function serviceWarnings(svc: Service): string[] {
  const spec = svc.spec ?? {};
  const out: string[] = [];
  if (Object.hasOwn(svc.metadata.annotations ?? {}, TOPOLOGY_AWARE_HINTS)) out.push(`annotation ${TOPOLOGY_AWARE_HINTS} is deprecated, please use ${TOPOLOGY_MODE} instead`);
  // helper.IsServiceIPSet: a cluster IP other than None is allocated.
  if (spec.clusterIP && spec.clusterIP !== 'None') (spec.clusterIPs ?? []).forEach((ip, i) => out.push(...ipWarnings(`spec.clusterIPs[${i}]`, ip)));
  (spec.externalIPs ?? []).forEach((ip, i) => out.push(...ipWarnings(`spec.externalIPs[${i}]`, ip)));
  if (spec.loadBalancerIP) out.push(...ipWarnings('spec.loadBalancerIP', spec.loadBalancerIP));
  (spec.loadBalancerSourceRanges ?? []).forEach((cidr, i) => out.push(...cidrWarnings(`spec.loadBalancerSourceRanges[${i}]`, cidr)));
  if (spec.type === 'ExternalName' && (spec.externalIPs?.length ?? 0) > 0) out.push('spec.externalIPs is ignored when spec.type is "ExternalName"');
  if (spec.type !== 'ExternalName' && spec.externalName) out.push('spec.externalName is ignored when spec.type is not "ExternalName"');
  return out;
}
