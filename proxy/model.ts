import type { EndpointSliceLike, Protocol, ServiceLike } from './types.ts';
import { joinHostPort } from '../pkg/net/host-port.ts';

/**
 * One port of one Service, keyed by `ns/name:portName` (or `ns/name` when the port has no name)
 * plus protocol. Equal inputs give deep-equal values, so the change tracker can drop no-ops.
 */
export interface ServicePortInfo {
  /** `ns/name:port` or `ns/name` when the port is unnamed (upstream ServicePortName.String()). */
  servicePortName: string;
  namespace: string;
  name: string;
  portName: string;
  protocol: Protocol;
  clusterIP: string;
  port: number;
  nodePort: number;
  externalIPs: string[];
  loadBalancerIPs: string[];
  loadBalancerSourceRanges: string[];
  externalPolicyLocal: boolean;
  internalPolicyLocal: boolean;
  healthCheckNodePort: number;
  /** ClientIP affinity timeout in seconds; 0 when affinity is None. */
  stickyMaxAgeSeconds: number;
  /** The proxy mode's stem of this port's chain names ({@link ChainNaming}); absent without one. */
  chainStem?: string;
}

/** One endpoint of a service port. */
export interface EndpointInfo {
  ip: string;
  port: number;
  /** `ip:port` (IPv6 in brackets). */
  endpoint: string;
  ready: boolean;
  serving: boolean;
  terminating: boolean;
  /** The endpoint lives on this proxier's node. */
  isLocal: boolean;
  /** The zones its EndpointSlice hints it for (`hints.forZones`); absent without hints. */
  zoneHints?: readonly string[];
  /** The proxy mode's stem of this endpoint's chain name ({@link ChainNaming}); absent without one. */
  chainStem?: string;
}

/**
 * Names a proxy mode derives from a service port and from each of its endpoints. They are
 * computed when the objects are tracked rather than at every sync (upstream's newServiceInfo
 * stores service chain names "for performance reasons"); an endpoint already named keeps its
 * name across EndpointSlice updates. Pure.
 */
export interface ChainNaming {
  /** The stem of a service port's chain names (iptables: the hash in KUBE-SVC-…). */
  servicePort(servicePortName: string, protocol: Protocol): string;
  /** The stem of one endpoint's chain name (iptables: the hash in KUBE-SEP-…). */
  endpoint(servicePortName: string, protocol: Protocol, endpoint: string): string;
}

/** Map key of a service port: servicePortName + '/' + protocol. */
export function servicePortKey(servicePortName: string, protocol: Protocol): string {
  return `${servicePortName}/${protocol}`;
}

/** Upstream ServicePortName.String(). */
export function formatServicePortName(namespace: string, name: string, portName: string): string {
  return portName === '' ? `${namespace}/${name}` : `${namespace}/${name}:${portName}`;
}

/** Default ClientIP affinity timeout (upstream DefaultClientIPServiceAffinitySeconds). */
export const DEFAULT_AFFINITY_SECONDS = 10800;

/**
 * The service ports the proxier programs for one Service: none for ExternalName or headless
 * services (clusterIP None/empty), as upstream skips them. With `naming`, each carries its chainStem.
 */
export function servicePortsOf(svc: ServiceLike, naming?: ChainNaming): Map<string, ServicePortInfo> {
  const out = new Map<string, ServicePortInfo>();
  const spec = svc.spec ?? {};
  const clusterIP = spec.clusterIP ?? '';
  if (spec.type === 'ExternalName' || clusterIP === '' || clusterIP === 'None') return out;
  const namespace = svc.metadata.namespace ?? 'default';
  const externalLocal =
    (spec.type === 'NodePort' || spec.type === 'LoadBalancer') && spec.externalTrafficPolicy === 'Local';
  const sticky =
    spec.sessionAffinity === 'ClientIP'
      ? (spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? DEFAULT_AFFINITY_SECONDS)
      : 0;
  const lbIPs = (svc.status?.loadBalancer?.ingress ?? []).flatMap((i) => (i.ip ? [i.ip] : []));
  for (const p of spec.ports ?? []) {
    const protocol = p.protocol ?? 'TCP';
    const portName = p.name ?? '';
    const servicePortName = formatServicePortName(namespace, svc.metadata.name, portName);
    const info: ServicePortInfo = {
      servicePortName,
      namespace,
      name: svc.metadata.name,
      portName,
      protocol,
      clusterIP,
      port: p.port,
      nodePort: spec.type === 'NodePort' || spec.type === 'LoadBalancer' ? (p.nodePort ?? 0) : 0,
      externalIPs: [...(spec.externalIPs ?? [])],
      loadBalancerIPs: spec.type === 'LoadBalancer' ? lbIPs : [],
      loadBalancerSourceRanges: [...(spec.loadBalancerSourceRanges ?? [])],
      externalPolicyLocal: externalLocal,
      internalPolicyLocal: spec.internalTrafficPolicy === 'Local',
      healthCheckNodePort: externalLocal ? (spec.healthCheckNodePort ?? 0) : 0,
      stickyMaxAgeSeconds: sticky,
    };
    if (naming) info.chainStem = naming.servicePort(servicePortName, protocol);
    out.set(servicePortKey(servicePortName, protocol), info);
  }
  return out;
}

/**
 * Endpoints per service port key from the EndpointSlices of one Service. Conditions default as
 * upstream: ready nil → true, serving nil → ready, terminating nil → false. Duplicate addresses
 * across slices are merged (first wins); output is sorted by endpoint string. With `naming`, each
 * endpoint carries its chainStem, taken from `previous` (this Service's last result) when the
 * endpoint was there already, so an EndpointSlice update hashes only endpoints that are new.
 */
export function endpointsOfSlices(
  slices: EndpointSliceLike[],
  serviceNamespace: string,
  serviceName: string,
  nodeName: string,
  naming?: ChainNaming,
  previous?: ReadonlyMap<string, readonly EndpointInfo[]>,
): Map<string, EndpointInfo[]> {
  const byKey = new Map<string, Map<string, EndpointInfo>>();
  for (const slice of slices) {
    if (slice.addressType === 'FQDN') continue;
    for (const port of slice.ports ?? []) {
      if (port.port == null) continue;
      const protocol = port.protocol ?? 'TCP';
      const servicePortName = formatServicePortName(serviceNamespace, serviceName, port.name ?? '');
      const key = servicePortKey(servicePortName, protocol);
      const eps = byKey.get(key) ?? new Map<string, EndpointInfo>();
      byKey.set(key, eps);
      let stems: Map<string, string | undefined> | undefined;
      for (const ep of slice.endpoints ?? []) {
        const ip = ep.addresses[0];
        if (ip === undefined) continue;
        const endpoint = joinHostPort(ip, port.port);
        if (eps.has(endpoint)) continue;
        const ready = ep.conditions?.ready ?? true;
        const info: EndpointInfo = {
          ip,
          port: port.port,
          endpoint,
          ready,
          serving: ep.conditions?.serving ?? ready,
          terminating: ep.conditions?.terminating ?? false,
          isLocal: ep.nodeName != null && ep.nodeName === nodeName,
        };
        const zones = ep.hints?.forZones;
        if (zones?.length) info.zoneHints = zones.map((z) => z.name);
        if (naming) {
          stems ??= new Map((previous?.get(key) ?? []).map((e) => [e.endpoint, e.chainStem]));
          info.chainStem = stems.get(endpoint) ?? naming.endpoint(servicePortName, protocol, endpoint);
        }
        eps.set(endpoint, info);
      }
    }
  }
  const out = new Map<string, EndpointInfo[]>();
  for (const [key, eps] of byKey) {
    out.set(key, [...eps.values()].sort((a, b) => (a.endpoint < b.endpoint ? -1 : a.endpoint > b.endpoint ? 1 : 0)));
  }
  return out;
}
