/**
 * Minimal local shapes of the Service and EndpointSlice kinds the proxier reads, with upstream
 * field names. They are structural subsets of the full kind schemas (pkg/api/core/v1/service.ts,
 * pkg/api/discovery/v1/endpointslice.ts), so full objects can be passed as-is.
 */

/** Protocol of a service port, as in core/v1. */
export type Protocol = 'TCP' | 'UDP' | 'SCTP';

/** Subset of core/v1 ServicePort the proxier reads. */
export interface ServicePortLike {
  name?: string;
  protocol?: Protocol;
  port: number;
  targetPort?: number | string;
  nodePort?: number;
}

/** Subset of core/v1 Service the proxier reads. */
export interface ServiceLike {
  metadata: { name: string; namespace?: string; resourceVersion?: string };
  spec?: {
    type?: 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName';
    clusterIP?: string;
    clusterIPs?: string[];
    ports?: ServicePortLike[];
    externalIPs?: string[];
    loadBalancerSourceRanges?: string[];
    externalTrafficPolicy?: 'Cluster' | 'Local';
    internalTrafficPolicy?: 'Cluster' | 'Local';
    healthCheckNodePort?: number;
    sessionAffinity?: 'None' | 'ClientIP';
    sessionAffinityConfig?: { clientIP?: { timeoutSeconds?: number } };
  };
  status?: { loadBalancer?: { ingress?: Array<{ ip?: string; hostname?: string }> } };
}

/** Subset of discovery/v1 EndpointSlice the proxier reads. */
export interface EndpointSliceLike {
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  addressType: 'IPv4' | 'IPv6' | 'FQDN';
  endpoints?: Array<{
    addresses: string[];
    conditions?: { ready?: boolean | null; serving?: boolean | null; terminating?: boolean | null };
    nodeName?: string | null;
    hostname?: string | null;
    hints?: { forZones?: Array<{ name: string }> | null } | null;
  }>;
  ports?: Array<{ name?: string | null; protocol?: Protocol | null; port?: number | null }> | null;
}

/** Label on an EndpointSlice naming the Service it belongs to. */
export { LABEL_SERVICE_NAME as SERVICE_NAME_LABEL } from '../pkg/api/discovery/v1/well-known-labels.ts';
