/**
 * Service validation with upstream paths and messages (pkg/apis/core/validation:
 * ValidateService, validateServicePort, ValidateServiceClusterIPsRelatedFields,
 * ValidateServiceUpdate). Runs after defaulting and IP allocation.
 */
import type { FieldError } from '../../../errors/index.ts';
import { formatValue, forbidden, index, invalidValue, notSupported, required } from '../../validation/field-errors.ts';
import { goStringSlice, validateDNS1123LabelField, validateDNS1123SubdomainField, validateQualifiedNameField } from '../../validation/common-rules.ts';
import { isIP, isIPv6, validateCIDR, validateIP, validateNonSpecialIP } from '../../validation/ip.ts';
import { isDNS1035Label, isValidPortName, isValidPortNum } from '../../validation/names.ts';
import { validateLabels, validateObjectMeta } from '../../validation/object-meta.ts';
import { validateProtocol } from './common.ts';
import type { Service, ServicePort, ServiceSpec } from './service.ts';

const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const SESSION_AFFINITIES = ['ClientIP', 'None'];
const IP_FAMILIES = ['IPv4', 'IPv6'];
const IP_FAMILY_POLICIES = ['PreferDualStack', 'RequireDualStack', 'SingleStack'];
const TRAFFIC_POLICIES = ['Cluster', 'Local'];
const TRAFFIC_DISTRIBUTIONS = ['PreferClose'];
const MAX_CLIENT_IP_AFFINITY_SECONDS = 86400;
const KUBELET_PORT = 10250;

function invalidRaw(field: string, rendered: string, detail: string): FieldError {
  return { type: 'FieldValueInvalid', field, detail: `Invalid value: ${rendered}: ${detail}` };
}

/** Go `%#v` of the (protocol, port) key upstream reports for duplicate ports. */
function goServicePortKey(port: ServicePort): string {
  return `core.ServicePort{Name:"", Protocol:${JSON.stringify(port.protocol ?? '')}, AppProtocol:(*string)(nil), Port:${port.port}, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}`;
}

function externallyAccessible(spec: ServiceSpec): boolean {
  return spec.type === 'LoadBalancer' || spec.type === 'NodePort' || (spec.type === 'ClusterIP' && (spec.externalIPs?.length ?? 0) > 0);
}

export function validateServicePort(port: ServicePort, requireName: boolean, names: Set<string>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (requireName && !port.name) errs.push(required(`${path}.name`));
  else if (port.name) {
    errs.push(...validateDNS1123LabelField(`${path}.name`, port.name));
    if (names.has(port.name)) errs.push({ type: 'FieldValueDuplicate', field: `${path}.name`, detail: `Duplicate value: ${formatValue(port.name)}` });
    else names.add(port.name);
  }
  for (const msg of isValidPortNum(port.port)) errs.push(invalidValue(`${path}.port`, port.port, msg));
  errs.push(...validateProtocol(`${path}.protocol`, port.protocol));
  errs.push(...validatePortNumOrName(`${path}.targetPort`, port.targetPort ?? 0));
  if (port.appProtocol !== undefined) errs.push(...validateQualifiedNameField(`${path}.appProtocol`, port.appProtocol));
  return errs;
}

/** `ValidatePortNumOrName`. */
export function validatePortNumOrName(path: string, port: number | string): FieldError[] {
  const msgs = typeof port === 'number' ? isValidPortNum(port) : isValidPortName(port);
  return msgs.map((msg) => invalidValue(path, port, msg));
}

function validateTypeRules(spec: ServiceSpec): FieldError[] {
  const errs: FieldError[] = [];
  const headless = spec.clusterIP === 'None';
  switch (spec.type) {
    case 'LoadBalancer':
      for (const [i, port] of (spec.ports ?? []).entries()) {
        if (port.port === KUBELET_PORT) errs.push(invalidValue(index('spec.ports', i), port.port, `may not expose port ${KUBELET_PORT} externally since it is used by kubelet`));
      }
      if (headless) errs.push(invalidValue('spec.clusterIPs[0]', spec.clusterIPs?.[0] ?? '', "may not be set to 'None' for LoadBalancer services"));
      break;
    case 'NodePort':
      if (headless) errs.push(invalidValue('spec.clusterIPs[0]', spec.clusterIPs?.[0] ?? '', "may not be set to 'None' for NodePort services"));
      break;
    case 'ExternalName': {
      if (spec.clusterIPs?.length) errs.push(forbidden('spec.clusterIPs', 'may not be set for ExternalName services'));
      if (spec.ipFamilies?.length) errs.push(forbidden('spec.ipFamilies', 'may not be set for ExternalName services'));
      if (spec.ipFamilyPolicy) errs.push(forbidden('spec.ipFamilyPolicy', 'may not be set for ExternalName services'));
      const cname = (spec.externalName ?? '').replace(/\.$/, '');
      if (cname) errs.push(...validateDNS1123SubdomainField('spec.externalName', cname));
      else errs.push(required('spec.externalName'));
      break;
    }
  }
  return errs;
}

function validateSessionAffinity(spec: ServiceSpec): FieldError[] {
  if (!spec.sessionAffinity) return [required('spec.sessionAffinity')];
  if (!SESSION_AFFINITIES.includes(spec.sessionAffinity)) return [notSupported('spec.sessionAffinity', spec.sessionAffinity, SESSION_AFFINITIES)];
  if (spec.sessionAffinity === 'None') {
    return spec.sessionAffinityConfig ? [forbidden('spec.sessionAffinityConfig', 'must not be set when session affinity is None')] : [];
  }
  const timeout = spec.sessionAffinityConfig?.clientIP?.timeoutSeconds;
  if (timeout === undefined) return [required('spec.sessionAffinityConfig', 'when session affinity type is ClientIP')];
  if (timeout <= 0 || timeout > MAX_CLIENT_IP_AFFINITY_SECONDS) {
    return [invalidValue('spec.sessionAffinityConfig.clientIP.timeoutSeconds', timeout, `must be greater than 0 and less than ${MAX_CLIENT_IP_AFFINITY_SECONDS}`)];
  }
  return [];
}

/** `ValidateServiceClusterIPsRelatedFields`. */
export function validateClusterIPFields(spec: ServiceSpec): FieldError[] {
  if (spec.type === 'ExternalName') return [];
  const errs: FieldError[] = [];
  const ips = spec.clusterIPs ?? [];
  const rendered = goStringSlice(spec.clusterIPs);
  if (spec.clusterIP) {
    if (ips.length === 0) errs.push(required('spec.clusterIPs'));
    else if (ips[0] !== spec.clusterIP) errs.push(invalidRaw('spec.clusterIPs', rendered, 'first value must match `clusterIP`'));
  } else if (ips.length > 0) {
    errs.push(invalidRaw('spec.clusterIPs', rendered, 'must be empty when `clusterIP` is not specified'));
  }
  const seen = new Set<string>();
  for (const [i, family] of (spec.ipFamilies ?? []).entries()) {
    if (!IP_FAMILIES.includes(family)) errs.push(notSupported(index('spec.ipFamilies', i), family, IP_FAMILIES));
    if (seen.has(family)) errs.push({ type: 'FieldValueDuplicate', field: index('spec.ipFamilies', i), detail: `Duplicate value: ${formatValue(family)}` });
    seen.add(family);
  }
  if (spec.ipFamilyPolicy !== undefined && !IP_FAMILY_POLICIES.includes(spec.ipFamilyPolicy)) {
    errs.push(notSupported('spec.ipFamilyPolicy', spec.ipFamilyPolicy, IP_FAMILY_POLICIES));
  }
  let badIPs = false;
  for (const [i, ip] of ips.entries()) {
    if (i === 0 && ip === 'None') {
      if (ips.length > 1) {
        badIPs = true;
        errs.push(invalidRaw('spec.clusterIPs', rendered, "'None' must be the first and only value"));
      }
      continue;
    }
    const ipErrs = validateIP(index('spec.clusterIPs', i), ip);
    badIPs ||= ipErrs.length > 0;
    errs.push(...ipErrs);
  }
  if (ips.length > 2) errs.push(invalidRaw('spec.clusterIPs', rendered, 'may only hold up to 2 values'));
  if (badIPs) return errs;
  if (ips.length === 2 && isIPv6(ips[0]) === isIPv6(ips[1])) {
    errs.push(invalidRaw('spec.clusterIPs', rendered, 'may specify no more than one IP for each IP family'));
  }
  if (spec.clusterIP !== 'None') {
    for (const [i, ip] of ips.entries()) {
      const family = spec.ipFamilies?.[i];
      if (family === 'IPv4' && isIPv6(ip)) errs.push(invalidValue(index('spec.clusterIPs', i), ip, `expected an IPv4 value as indicated by \`ipFamilies[${i}]\``));
      if (family === 'IPv6' && isIP(ip) && !isIPv6(ip)) errs.push(invalidValue(index('spec.clusterIPs', i), ip, `expected an IPv6 value as indicated by \`ipFamilies[${i}]\``));
    }
  }
  return errs;
}

function validatePortsAndNodePorts(spec: ServiceSpec): FieldError[] {
  const errs: FieldError[] = [];
  const ports = spec.ports ?? [];
  if (spec.type === 'ClusterIP') {
    for (const [i, port] of ports.entries()) {
      if (port.nodePort) errs.push(forbidden(`spec.ports[${i}].nodePort`, "may not be used when `type` is 'ClusterIP'"));
    }
  }
  const nodePorts = new Set<string>();
  for (const [i, port] of ports.entries()) {
    if (!port.nodePort) continue;
    const k = `${port.protocol}/${port.nodePort}`;
    if (nodePorts.has(k)) errs.push({ type: 'FieldValueDuplicate', field: `spec.ports[${i}].nodePort`, detail: `Duplicate value: ${port.nodePort}` });
    nodePorts.add(k);
  }
  const seen = new Set<string>();
  for (const [i, port] of ports.entries()) {
    const k = `${port.protocol}/${port.port}`;
    if (seen.has(k)) errs.push({ type: 'FieldValueDuplicate', field: index('spec.ports', i), detail: `Duplicate value: ${goServicePortKey(port)}` });
    seen.add(k);
  }
  return errs;
}

function validateTrafficFields(spec: ServiceSpec): FieldError[] {
  const errs: FieldError[] = [];
  if (!externallyAccessible(spec)) {
    if (spec.externalTrafficPolicy) errs.push(invalidValue('spec.externalTrafficPolicy', spec.externalTrafficPolicy, 'may only be set for externally-accessible services'));
  } else if (!spec.externalTrafficPolicy) {
    errs.push(required('spec.externalTrafficPolicy'));
  } else if (!TRAFFIC_POLICIES.includes(spec.externalTrafficPolicy)) {
    errs.push(notSupported('spec.externalTrafficPolicy', spec.externalTrafficPolicy, TRAFFIC_POLICIES));
  }
  const needsHealthCheck = spec.type === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local';
  if (!needsHealthCheck && spec.healthCheckNodePort) {
    errs.push(invalidValue('spec.healthCheckNodePort', spec.healthCheckNodePort, "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"));
  }
  if (spec.internalTrafficPolicy === undefined) {
    if (spec.type === 'NodePort' || spec.type === 'LoadBalancer' || spec.type === 'ClusterIP') errs.push(required('spec.internalTrafficPolicy'));
  } else if (!TRAFFIC_POLICIES.includes(spec.internalTrafficPolicy)) {
    errs.push(notSupported('spec.internalTrafficPolicy', spec.internalTrafficPolicy, TRAFFIC_POLICIES));
  }
  // Upstream 1.33 (PreferSameZone / PreferSameNode are behind an alpha gate there).
  if (spec.trafficDistribution !== undefined && !TRAFFIC_DISTRIBUTIONS.includes(spec.trafficDistribution)) {
    errs.push(notSupported('spec.trafficDistribution', spec.trafficDistribution, TRAFFIC_DISTRIBUTIONS));
  }
  if (spec.type === 'LoadBalancer') {
    if (spec.allocateLoadBalancerNodePorts === undefined) errs.push(required('spec.allocateLoadBalancerNodePorts'));
  } else if (spec.allocateLoadBalancerNodePorts !== undefined) {
    errs.push(forbidden('spec.allocateLoadBalancerNodePorts', "may only be used when `type` is 'LoadBalancer'"));
  }
  return errs;
}

function validateExternalIPsAndRanges(spec: ServiceSpec): FieldError[] {
  const errs: FieldError[] = [];
  for (const [i, ip] of (spec.externalIPs ?? []).entries()) {
    const path = index('spec.externalIPs', i);
    const ipErrs = validateIP(path, ip);
    errs.push(...(ipErrs.length ? ipErrs : validateNonSpecialIP(path, ip)));
  }
  if (spec.loadBalancerSourceRanges?.length) {
    if (spec.type !== 'LoadBalancer') errs.push(forbidden('spec.loadBalancerSourceRanges', "may only be used when `type` is 'LoadBalancer'"));
    for (const [i, cidr] of spec.loadBalancerSourceRanges.entries()) errs.push(...validateCIDR(index('spec.loadBalancerSourceRanges', i), cidr.trim()));
  }
  return errs;
}

/** `ValidateService` (+ `ValidateServiceUpdate` when `old` is given). */
export function validateService(svc: Service, old?: Service): FieldError[] {
  const errs = validateObjectMeta(svc.metadata, { namespaced: true, nameValidator: isDNS1035Label });
  const spec = svc.spec ?? {};
  if (old) errs.push(...validateClusterIPsUpdate(spec, old.spec ?? {}));
  const ports = spec.ports ?? [];
  if (ports.length === 0 && spec.clusterIP !== 'None' && spec.type !== 'ExternalName') errs.push(required('spec.ports'));
  errs.push(...validateTypeRules(spec));
  const names = new Set<string>();
  for (const [i, port] of ports.entries()) errs.push(...validateServicePort(port, ports.length > 1, names, index('spec.ports', i)));
  if (spec.selector) errs.push(...validateLabels(spec.selector, 'spec.selector'));
  errs.push(...validateSessionAffinity(spec));
  errs.push(...validateClusterIPFields(spec));
  errs.push(...validateExternalIPsAndRanges(spec));
  if (!spec.type) errs.push(required('spec.type'));
  else if (!SERVICE_TYPES.includes(spec.type)) errs.push(notSupported('spec.type', spec.type, SERVICE_TYPES));
  errs.push(...validatePortsAndNodePorts(spec));
  errs.push(...validateTrafficFields(spec));
  return errs;
}

/** `validateUpgradeDowngradeClusterIPs`: the primary cluster IP never changes once set. */
export function validateClusterIPsUpdate(spec: ServiceSpec, old: ServiceSpec): FieldError[] {
  if (spec.type === 'ExternalName' || old.type === 'ExternalName') return [];
  if (spec.clusterIP === 'None' && old.clusterIP === 'None') return [];
  const errs: FieldError[] = [];
  const now = spec.clusterIPs ?? [];
  const before = old.clusterIPs ?? [];
  const rendered = goStringSlice(spec.clusterIPs);
  if (now.length === before.length) {
    for (const [i, ip] of before.entries()) {
      if (ip !== now[i]) errs.push(invalidRaw(index('spec.clusterIPs', i), rendered, 'may not change once set'));
    }
  } else if (before.length > now.length) {
    if (now.length === 0) errs.push(invalidRaw('spec.clusterIPs[0]', rendered, 'primary clusterIP can not be unset'));
    if (now.length > 0 && now[0] !== before[0]) errs.push(invalidRaw('spec.clusterIPs[0]', rendered, 'may not change once set'));
    if (now.length === 1 && spec.ipFamilyPolicy !== 'SingleStack') {
      errs.push(invalidRaw('spec.clusterIPs[0]', rendered, "`ipFamilyPolicy` must be set to 'SingleStack' when releasing the secondary clusterIP"));
    }
  } else if (before.length > 0 && now[0] !== before[0]) {
    errs.push(invalidRaw('spec.clusterIPs[0]', rendered, 'may not change once set'));
  }
  return errs;
}
