import type { EndpointInfo, ServicePortInfo } from './model.ts';

/** The endpoints a service port's traffic policies route to, as upstream proxy.CategorizeEndpoints (zone hints, no node hints). */
export interface CategorizedEndpoints {
  /** Endpoints for "Cluster" policy: ready ones, else serving+terminating ones. Empty when the port does not use Cluster endpoints. */
  cluster: EndpointInfo[];
  /** Endpoints on this node for "Local" policy: ready ones, else serving+terminating ones. Empty when the port does not use Local endpoints. */
  local: EndpointInfo[];
  /** Every endpoint some rule of this port may reach (`cluster` ∪ `local`), in input order: each needs an endpoint chain. */
  allReachable: EndpointInfo[];
  /** The port has a usable endpoint anywhere in the cluster (so it is not "without endpoints"). */
  hasAny: boolean;
}

/** The port accepts traffic to a NodePort, an external IP or a load-balancer IP (upstream ExternallyAccessible). */
export function externallyAccessible(info: ServicePortInfo): boolean {
  return info.nodePort > 0 || info.externalIPs.length > 0 || info.loadBalancerIPs.length > 0;
}

/**
 * The port needs Cluster endpoints: its internal policy is Cluster, or it takes external traffic
 * at all (even with externalTrafficPolicy Local, pod and node traffic to external destinations
 * is short-circuited to every endpoint). Upstream UsesClusterEndpoints.
 */
export function usesClusterEndpoints(info: ServicePortInfo): boolean {
  return !info.internalPolicyLocal || externallyAccessible(info);
}

/** The port needs Local endpoints: internal policy Local, or external policy Local on an externally accessible port. */
export function usesLocalEndpoints(info: ServicePortInfo): boolean {
  return info.internalPolicyLocal || (info.externalPolicyLocal && externallyAccessible(info));
}

const isServingTerminating = (e: EndpointInfo): boolean => e.serving && e.terminating;

/**
 * Upstream topologyModeFromHints for zones: true when every ready endpoint carries zone hints and
 * one of them is hinted for `zone` (the node's); otherwise hints are ignored.
 */
export function useZoneHints(endpoints: readonly EndpointInfo[], zone: string | undefined): boolean {
  let anyReady = false;
  let forZone = false;
  for (const e of endpoints) {
    if (!e.ready) continue;
    anyReady = true;
    if (!e.zoneHints?.length) return false;
    if (zone !== undefined && e.zoneHints.includes(zone)) forZone = true;
  }
  return anyReady && forZone;
}

/**
 * Endpoints that receive cluster traffic: ready ones (only those hinted for the node's `zone`
 * when {@link useZoneHints} says so), else serving+terminating ones (upstream fallback).
 */
export function usableEndpoints(eps: readonly EndpointInfo[], zone?: string): EndpointInfo[] {
  const byZone = zone !== undefined && useZoneHints(eps, zone);
  const ready = eps.filter((e) => e.ready && (!byZone || e.zoneHints!.includes(zone)));
  return ready.length > 0 ? ready : eps.filter(isServingTerminating);
}

/** Split a port's endpoints by traffic policy, as upstream CategorizeEndpoints does (zone hints for `zone`, the node's). Pure. */
export function categorizeEndpoints(endpoints: readonly EndpointInfo[], info: ServicePortInfo, zone?: string): CategorizedEndpoints {
  let cluster: EndpointInfo[] = [];
  let hasAny = false;
  if (usesClusterEndpoints(info)) {
    cluster = usableEndpoints(endpoints, zone);
    hasAny = cluster.length > 0;
  }
  if (!usesLocalEndpoints(info)) return { cluster, local: [], allReachable: cluster, hasAny };
  let localReady = false;
  let localServingTerminating = false;
  for (const e of endpoints) {
    if (e.ready) {
      hasAny = true;
      if (e.isLocal) localReady = true;
    } else if (isServingTerminating(e)) {
      hasAny = true;
      if (e.isLocal) localServingTerminating = true;
    }
  }
  const local = localReady
    ? endpoints.filter((e) => e.isLocal && e.ready)
    : localServingTerminating
      ? endpoints.filter((e) => e.isLocal && isServingTerminating(e))
      : [];
  if (!usesClusterEndpoints(info)) return { cluster, local, allReachable: local, hasAny };
  if (local.length === 0) return { cluster, local, allReachable: cluster, hasAny };
  const reachable = new Set([...cluster, ...local]);
  return { cluster, local, allReachable: endpoints.filter((e) => reachable.has(e)), hasAny };
}
