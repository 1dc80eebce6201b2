/**
 * Which hints a Service's EndpointSlices get (upstream endpointslice reconciler): the topology
 * annotation (`service.kubernetes.io/topology-mode`, or the deprecated
 * `service.kubernetes.io/topology-aware-hints`, which wins when both are set) with `Auto` or
 * `auto` turns on the topology cache's CPU-proportional hints and takes precedence over
 * `spec.trafficDistribution`; any other value (`Disabled`, `""`, …) leaves the Service to
 * `trafficDistribution` or to no hints at all.
 */
import { ANNOTATION_TOPOLOGY_MODE, DEPRECATED_ANNOTATION_TOPOLOGY_AWARE_HINTS, type Service } from '../../../pkg/api/core/v1/service.ts';
import type { DeepReadonly } from '../../../pkg/informer/index.ts';

/** Upstream `hintsEnabled`: the (deprecated-first) topology annotation says `Auto` or `auto`. */
export function topologyHintsEnabled(annotations: Readonly<Record<string, string>> | undefined): boolean {
  const value = annotations?.[DEPRECATED_ANNOTATION_TOPOLOGY_AWARE_HINTS] ?? annotations?.[ANNOTATION_TOPOLOGY_MODE];
  return value === 'Auto' || value === 'auto';
}

/**
 * Upstream `canUseTrafficDistribution`: `spec.trafficDistribution` is a value this cluster
 * supports (`PreferClose`) and the topology annotation does not take over.
 */
export function usesTrafficDistribution(svc: DeepReadonly<Service>): boolean {
  return svc.spec?.trafficDistribution === 'PreferClose' && !topologyHintsEnabled(svc.metadata.annotations);
}
