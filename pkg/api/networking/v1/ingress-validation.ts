/**
 * Ingress validation as upstream's ValidateIngressCreate / ValidateIngressUpdate
 * (pkg/apis/networking/validation): rules (hosts, wildcard hosts, HTTP paths and their
 * pathType), backends (service name and port number XOR name, or a typed resource),
 * defaultBackend, TLS hosts and secret names, the class name, and the deprecated class
 * annotation next to `ingressClassName` on create. Pure.
 */
import type { FieldError } from '../../../errors/index.ts';
import { child, index, invalidValue, notSupported, required } from '../../validation/field-errors.ts';
import { isIP, validateIP } from '../../validation/ip.ts';
import { isDNS1035Label, isDNS1123Subdomain, isValidPathSegmentName, isValidPortName, isValidPortNum, isWildcardDNS1123Subdomain } from '../../validation/names.ts';
import { validateObjectMeta } from '../../validation/object-meta.ts';
import type { Ingress, IngressBackend, IngressSpec } from './ingress.ts';
import { INGRESS_CLASS_ANNOTATION } from './ingress.ts';

/** Supported `pathType`s, sorted as upstream lists them. */
export const PATH_TYPES = ['Exact', 'ImplementationSpecific', 'Prefix'] as const;
const INVALID_PATH_SEQUENCES = ['//', '/./', '/../', '%2f', '%2F'];
const INVALID_PATH_SUFFIXES = ['/..', '/.'];

type TypedRef = { apiGroup?: string; kind?: string; name?: string };

/** Upstream validateIngressTypedLocalObjectReference (also used by IngressClass parameters). */
export function validateTypedLocalObjectReference(ref: TypedRef, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (ref.apiGroup !== undefined) for (const msg of isDNS1123Subdomain(ref.apiGroup)) errs.push(invalidValue(child(path, 'apiGroup'), ref.apiGroup, msg));
  if (!ref.kind) errs.push(required(child(path, 'kind'), 'kind is required'));
  else for (const msg of isValidPathSegmentName(ref.kind)) errs.push(invalidValue(child(path, 'kind'), ref.kind, msg));
  if (!ref.name) errs.push(required(child(path, 'name'), 'name is required'));
  else for (const msg of isValidPathSegmentName(ref.name)) errs.push(invalidValue(child(path, 'name'), ref.name, msg));
  return errs;
}

/** Upstream validateIngressBackend: a Service (name + port number XOR name) or a resource. */
export function validateIngressBackend(backend: IngressBackend, path: string): FieldError[] {
  const { service, resource } = backend;
  if (resource && service) return [invalidValue(path, '', 'cannot set both resource and service backends')];
  if (resource) return validateTypedLocalObjectReference(resource, child(path, 'resource'));
  if (!service) return [invalidValue(path, '', 'resource or service backend is required')];
  const errs: FieldError[] = [];
  const namePath = child(child(path, 'service'), 'name');
  if (!service.name) errs.push(required(namePath));
  else for (const msg of isDNS1035Label(service.name)) errs.push(invalidValue(namePath, service.name, msg));
  const portName = service.port?.name ?? '';
  const portNumber = service.port?.number ?? 0;
  const portPath = child(child(path, 'service'), 'port');
  if (portName && portNumber) errs.push(invalidValue(path, '', 'cannot set both port name & port number'));
  else if (portName) for (const msg of isValidPortName(portName)) errs.push(invalidValue(child(portPath, 'name'), portName, msg));
  else if (portNumber) for (const msg of isValidPortNum(portNumber)) errs.push(invalidValue(child(portPath, 'number'), portNumber, msg));
  else errs.push(required(path, 'port name or number is required'));
  return errs;
}

type HttpPath = NonNullable<NonNullable<NonNullable<IngressSpec['rules']>[number]['http']>['paths']>[number];

/** Upstream validateHTTPIngressPath. */
function validateHttpPath(p: HttpPath, path: string): FieldError[] {
  if (p.pathType === undefined) return [required(child(path, 'pathType'), 'pathType must be specified')];
  const errs: FieldError[] = [];
  const value = p.path ?? '';
  const pathField = child(path, 'path');
  switch (p.pathType) {
    case 'Exact':
    case 'Prefix':
      if (!value.startsWith('/')) errs.push(invalidValue(pathField, value, 'must be an absolute path'));
      for (const seq of INVALID_PATH_SEQUENCES) if (value.includes(seq)) errs.push(invalidValue(pathField, value, `must not contain '${seq}'`));
      for (const suffix of INVALID_PATH_SUFFIXES) if (value.endsWith(suffix)) errs.push(invalidValue(pathField, value, `cannot end with '${suffix}'`));
      break;
    case 'ImplementationSpecific':
      if (value && !value.startsWith('/')) errs.push(invalidValue(pathField, value, 'must be an absolute path'));
      break;
    default:
      errs.push(notSupported(child(path, 'pathType'), p.pathType, PATH_TYPES));
  }
  errs.push(...validateIngressBackend(p.backend, child(path, 'backend')));
  return errs;
}

/** A host of a rule or a TLS entry: a DNS subdomain, or `*.` + one. */
function validateHost(host: string, path: string): FieldError[] {
  const check = host.includes('*') ? isWildcardDNS1123Subdomain : isDNS1123Subdomain;
  return check(host).map((msg) => invalidValue(path, host, msg));
}

function validateRules(rules: NonNullable<IngressSpec['rules']>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  rules.forEach((rule, i) => {
    const rulePath = index(path, i);
    if (rule.host) {
      if (isIP(rule.host)) errs.push(invalidValue(child(rulePath, 'host'), rule.host, 'must be a DNS name, not an IP address'));
      errs.push(...validateHost(rule.host, child(rulePath, 'host')));
    }
    if (!rule.http) return;
    const httpPath = child(rulePath, 'http');
    if (rule.http.paths.length === 0) errs.push(required(child(httpPath, 'paths')));
    rule.http.paths.forEach((p, j) => errs.push(...validateHttpPath(p, index(child(httpPath, 'paths'), j))));
  });
  return errs;
}

function validateTls(tls: NonNullable<IngressSpec['tls']>): FieldError[] {
  const errs: FieldError[] = [];
  tls.forEach((entry, i) => {
    const path = index('spec.tls', i);
    (entry.hosts ?? []).forEach((host, j) => errs.push(...validateHost(host, index(child(path, 'hosts'), j))));
    if (entry.secretName) for (const msg of isDNS1123Subdomain(entry.secretName)) errs.push(invalidValue(child(path, 'secretName'), entry.secretName, msg));
  });
  return errs;
}

/** Upstream ValidateIngressSpec. */
export function validateIngressSpec(spec: IngressSpec): FieldError[] {
  const errs: FieldError[] = [];
  const rules = spec.rules ?? [];
  if (rules.length === 0 && !spec.defaultBackend) {
    errs.push({ type: 'FieldValueInvalid', field: 'spec', detail: `Invalid value: ${spec.rules ? '[]networking.IngressRule{}' : '[]networking.IngressRule(nil)'}: either \`defaultBackend\` or \`rules\` must be specified` });
  }
  if (spec.defaultBackend) errs.push(...validateIngressBackend(spec.defaultBackend, 'spec.defaultBackend'));
  if (rules.length) errs.push(...validateRules(rules, 'spec.rules'));
  if (spec.tls?.length) errs.push(...validateTls(spec.tls));
  if (spec.ingressClassName !== undefined) {
    for (const msg of isDNS1123Subdomain(spec.ingressClassName)) errs.push(invalidValue('spec.ingressClassName', spec.ingressClassName, msg));
  }
  return errs;
}

/** Upstream ValidateIngressLoadBalancerStatus (addresses the controller reports). */
function validateStatus(ing: Ingress): FieldError[] {
  const errs: FieldError[] = [];
  (ing.status?.loadBalancer?.ingress ?? []).forEach((lb, i) => {
    const path = index('status.loadBalancer.ingress', i);
    if (lb.ip) errs.push(...validateIP(child(path, 'ip'), lb.ip));
    if (lb.hostname) {
      for (const msg of isDNS1123Subdomain(lb.hostname)) errs.push(invalidValue(child(path, 'hostname'), lb.hostname, msg));
      if (isIP(lb.hostname)) errs.push(invalidValue(child(path, 'hostname'), lb.hostname, 'must be a DNS name, not an IP address'));
    }
  });
  return errs;
}

/** Create (`old` undefined) and update validation. */
export function validateIngress(ing: Ingress, old?: Ingress): FieldError[] {
  const errs = validateObjectMeta(ing.metadata, { namespaced: true });
  errs.push(...validateIngressSpec(ing.spec ?? {}));
  const annotation = ing.metadata.annotations?.[INGRESS_CLASS_ANNOTATION];
  if (!old && annotation !== undefined && ing.spec?.ingressClassName !== undefined) {
    errs.push(invalidValue(`annotations.${INGRESS_CLASS_ANNOTATION}`, annotation, 'can not be set when the class field is also set'));
  }
  errs.push(...validateStatus(ing));
  return errs;
}
