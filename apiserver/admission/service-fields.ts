/**
 * Pure decisions about a Service's allocated fields, after upstream
 * pkg/registry/core/service/storage (patchAllocatedValues, normalizeClusterIPs,
 * initIPFamilyFields) and strategy.go (dropTypeDependentFields). All functions mutate the spec
 * they are given in place and never throw; problems come back as field errors.
 */
import type { KubeObject } from '../../pkg/api/meta.ts';
import { invalidValue } from '../../pkg/api/validation/index.ts';
import type { FieldError } from '../../pkg/errors/index.ts';
import { parseIP, type IpFamily } from '../../pkg/net/index.ts';

export interface ServicePortFields {
  name?: string;
  port?: number;
  protocol?: string;
  nodePort?: number;
  [field: string]: unknown;
}

/** The Service spec fields allocation looks at (others pass through untouched). */
export interface ServiceSpecFields {
  type?: string;
  clusterIP?: string;
  clusterIPs?: string[];
  ipFamilies?: string[];
  ipFamilyPolicy?: string;
  selector?: Record<string, string>;
  ports?: ServicePortFields[];
  allocateLoadBalancerNodePorts?: boolean;
  externalTrafficPolicy?: string;
  healthCheckNodePort?: number;
  [field: string]: unknown;
}

/** The object's spec, created empty if missing. */
export function specOf(obj: KubeObject): ServiceSpecFields {
  if (!obj.spec || typeof obj.spec !== 'object') obj.spec = {};
  return obj.spec as ServiceSpecFields;
}

export function serviceType(spec: ServiceSpecFields): string {
  return spec.type || 'ClusterIP';
}

export function needsClusterIP(spec: ServiceSpecFields): boolean {
  return serviceType(spec) !== 'ExternalName';
}

export function needsNodePorts(spec: ServiceSpecFields): boolean {
  const type = serviceType(spec);
  return type === 'NodePort' || type === 'LoadBalancer';
}

/** NodePort always; LoadBalancer unless `allocateLoadBalancerNodePorts: false`. */
export function shouldAllocateNodePorts(spec: ServiceSpecFields): boolean {
  const type = serviceType(spec);
  return type === 'NodePort' || (type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts !== false);
}

export function needsHealthCheckNodePort(spec: ServiceSpecFields): boolean {
  return serviceType(spec) === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local';
}

/** The first requested cluster IP (`None` for headless), '' when none was asked for. */
export function requestedClusterIP(spec: ServiceSpecFields): string {
  return spec.clusterIPs?.[0] || spec.clusterIP || '';
}

export function isHeadless(spec: ServiceSpecFields): boolean {
  return requestedClusterIP(spec) === 'None';
}

/** Every node port the spec holds (ports and health check), each once. */
export function collectNodePorts(spec: ServiceSpecFields): number[] {
  const ports = new Set<number>();
  for (const port of spec.ports ?? []) if (port.nodePort) ports.add(port.nodePort);
  if (spec.healthCheckNodePort) ports.add(spec.healthCheckNodePort);
  return [...ports];
}

/** The cluster IPs the spec holds (not `None`). */
export function collectClusterIPs(spec: ServiceSpecFields): string[] {
  const ips = spec.clusterIPs?.length ? spec.clusterIPs : spec.clusterIP ? [spec.clusterIP] : [];
  return ips.filter((ip) => ip && ip !== 'None');
}

/** Create: a client that only set the singular `clusterIP` gets `clusterIPs` too. */
export function normalizeClusterIPsOnCreate(spec: ServiceSpecFields): void {
  if (spec.clusterIP && !spec.clusterIPs?.length) spec.clusterIPs = [spec.clusterIP];
}

/** Update: keep allocated values an old client left out, and keep the two IP fields in step. */
export function patchAllocatedValues(spec: ServiceSpecFields, old: ServiceSpecFields): void {
  if (needsClusterIP(old) && needsClusterIP(spec)) {
    if (!spec.clusterIP && old.clusterIP) spec.clusterIP = old.clusterIP;
    if (!spec.clusterIPs?.length && old.clusterIPs?.length) spec.clusterIPs = [...old.clusterIPs];
  }
  if (needsNodePorts(old) && needsNodePorts(spec)) {
    const usedByBoth = new Set(collectPortNodePorts(old).filter((p) => collectPortNodePorts(spec).includes(p)));
    const byName = new Map<string, number>();
    for (const port of old.ports ?? []) byName.set(port.name ?? '', port.nodePort ?? 0);
    for (const port of spec.ports ?? []) {
      if (port.nodePort) continue;
      const previous = byName.get(port.name ?? '') ?? 0;
      if (previous && !usedByBoth.has(previous)) port.nodePort = previous;
    }
  }
  if (needsHealthCheckNodePort(old) && needsHealthCheckNodePort(spec) && !spec.healthCheckNodePort && old.healthCheckNodePort) {
    spec.healthCheckNodePort = old.healthCheckNodePort;
  }
  if (old.clusterIP && !spec.clusterIP) delete spec.clusterIPs;
  else if (spec.clusterIP && spec.clusterIP !== old.clusterIP && sameList(spec.clusterIPs, old.clusterIPs)) spec.clusterIPs = [spec.clusterIP];
}

/** Update: clear fields the new type no longer uses, when the client left them as they were. */
export function dropTypeDependentFields(spec: ServiceSpecFields, old: ServiceSpecFields): void {
  if (needsClusterIP(old) && !needsClusterIP(spec)) {
    if (spec.clusterIP === old.clusterIP && sameList(spec.clusterIPs, old.clusterIPs)) {
      delete spec.clusterIP;
      delete spec.clusterIPs;
    }
    if (spec.ipFamilyPolicy === old.ipFamilyPolicy && sameList(spec.ipFamilies, old.ipFamilies)) {
      delete spec.ipFamilyPolicy;
      delete spec.ipFamilies;
    }
  }
  if (needsNodePorts(old) && !needsNodePorts(spec) && sameList(portNodePortsByIndex(spec), portNodePortsByIndex(old))) {
    for (const port of spec.ports ?? []) delete port.nodePort;
  }
  if (needsHealthCheckNodePort(old) && !needsHealthCheckNodePort(spec) && spec.healthCheckNodePort === old.healthCheckNodePort) {
    delete spec.healthCheckNodePort;
  }
  const wasLoadBalancer = serviceType(old) === 'LoadBalancer';
  if (wasLoadBalancer && serviceType(spec) !== 'LoadBalancer' && spec.allocateLoadBalancerNodePorts === old.allocateLoadBalancerNodePorts) {
    delete spec.allocateLoadBalancerNodePorts;
  }
  if (needsNodePorts(old) && !needsNodePorts(spec) && spec.externalTrafficPolicy === old.externalTrafficPolicy) {
    delete spec.externalTrafficPolicy;
  }
}

const VALID_IP_DETAIL = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';

/**
 * Sets `ipFamilyPolicy` and `ipFamilies` for a single-stack cluster of `clusterFamily`, or
 * returns why the request cannot be served (upstream initIPFamilyFields texts).
 */
export function initIPFamilyFields(spec: ServiceSpecFields, old: ServiceSpecFields | undefined, clusterFamily: IpFamily): FieldError[] {
  if (!needsClusterIP(spec)) return [];
  const headlessSelectorless = isHeadless(spec) && Object.keys(spec.selector ?? {}).length === 0;
  if (!spec.ipFamilyPolicy) {
    spec.ipFamilyPolicy = old?.ipFamilyPolicy ?? (headlessSelectorless ? 'RequireDualStack' : 'SingleStack');
  }
  const errors: FieldError[] = [];
  const clusterIPs = spec.clusterIPs ?? [];
  const families = spec.ipFamilies ?? [];
  for (let i = 0; i < clusterIPs.length; i++) {
    if (clusterIPs[i] === 'None') break;
    const ip = parseIP(clusterIPs[i]);
    if (!ip) {
      errors.push(invalidValue(`spec.clusterIPs[${i}]`, clusterIPs[i], VALID_IP_DETAIL));
      continue;
    }
    if (i < families.length) continue;
    if (ip.family !== clusterFamily) errors.push(invalidValue(`spec.clusterIPs[${i}]`, clusterIPs, `${ip.family} is not configured on this cluster`));
    else families.push(ip.family);
  }
  if (errors.length) return errors;
  if (headlessSelectorless) {
    if (families.length === 0) families.push(clusterFamily);
    if (families.length < 2 && spec.ipFamilyPolicy !== 'SingleStack') families.push(families[0] === 'IPv4' ? 'IPv6' : 'IPv4');
    spec.ipFamilies = families;
    return [];
  }
  if (spec.ipFamilyPolicy === 'RequireDualStack') {
    errors.push(invalidValue('spec.ipFamilyPolicy', spec.ipFamilyPolicy, 'this cluster is not configured for dual-stack services'));
  }
  families.forEach((family, i) => {
    if (family !== clusterFamily) errors.push(invalidValue(`spec.ipFamilies[${i}]`, family, 'not configured on this cluster'));
  });
  if (errors.length) return errors;
  if (families.length === 0) families.push(clusterFamily);
  spec.ipFamilies = families;
  return [];
}

function collectPortNodePorts(spec: ServiceSpecFields): number[] {
  return (spec.ports ?? []).map((p) => p.nodePort ?? 0).filter((p) => p > 0);
}

function portNodePortsByIndex(spec: ServiceSpecFields): number[] {
  return (spec.ports ?? []).map((p) => p.nodePort ?? 0);
}

function sameList<T>(a: readonly T[] | undefined, b: readonly T[] | undefined): boolean {
  const x = a ?? [];
  const y = b ?? [];
  return x.length === y.length && x.every((v, i) => v === y[i]);
}
