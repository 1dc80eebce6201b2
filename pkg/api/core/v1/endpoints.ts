/**
 * core/v1 Endpoints: subsets of addresses / notReadyAddresses / ports, validated as upstream
 * (validateEndpointSubsets); port protocol defaults to TCP.
 */
import { z } from 'zod';
import type { FieldError } from '../../../errors/index.ts';
import { kubeObject } from '../../meta.ts';
import { validateDNS1123LabelField, validateQualifiedNameField } from '../../validation/common-rules.ts';
import { index, invalidValue, required } from '../../validation/field-errors.ts';
import { validateIP, validateNonSpecialIP } from '../../validation/ip.ts';
import { isDNS1123Subdomain, isValidPortNum } from '../../validation/names.ts';
import { validateObjectMeta } from '../../validation/object-meta.ts';
import { defineResource, ObjectReferenceSchema, validateProtocol } from './common.ts';

export const EndpointAddressSchema = z.object({
  ip: z.string(),
  hostname: z.string().optional(),
  nodeName: z.string().optional(),
  targetRef: ObjectReferenceSchema.optional(),
});
export type EndpointAddress = z.infer<typeof EndpointAddressSchema>;

export const EndpointPortSchema = z.object({
  name: z.string().optional(),
  port: z.number().int(),
  protocol: z.string().optional(),
  appProtocol: z.string().optional(),
});
export type EndpointPort = z.infer<typeof EndpointPortSchema>;

export const EndpointSubsetSchema = z.object({
  addresses: z.array(EndpointAddressSchema).optional(),
  notReadyAddresses: z.array(EndpointAddressSchema).optional(),
  ports: z.array(EndpointPortSchema).optional(),
});
export type EndpointSubset = z.infer<typeof EndpointSubsetSchema>;

export const EndpointsSchema = kubeObject({ subsets: z.array(EndpointSubsetSchema).optional() });
export type Endpoints = z.infer<typeof EndpointsSchema>;

export function applyEndpointsDefaults(ep: Endpoints): void {
  for (const subset of ep.subsets ?? []) for (const port of subset.ports ?? []) port.protocol ||= 'TCP';
}

function validateAddress(address: EndpointAddress, path: string): FieldError[] {
  const errs = validateIP(`${path}.ip`, address.ip);
  if (address.hostname) errs.push(...validateDNS1123LabelField(`${path}.hostname`, address.hostname));
  if (address.nodeName !== undefined) {
    for (const msg of isDNS1123Subdomain(address.nodeName)) errs.push(invalidValue(`${path}.nodeName`, address.nodeName, msg));
  }
  errs.push(...validateNonSpecialIP(`${path}.ip`, address.ip));
  return errs;
}

function validatePort(port: EndpointPort, requireName: boolean, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (requireName && !port.name) errs.push(required(`${path}.name`));
  else if (port.name) errs.push(...validateDNS1123LabelField(`${path}.name`, port.name));
  for (const msg of isValidPortNum(port.port)) errs.push(invalidValue(`${path}.port`, port.port, msg));
  errs.push(...validateProtocol(`${path}.protocol`, port.protocol));
  if (port.appProtocol !== undefined) errs.push(...validateQualifiedNameField(`${path}.appProtocol`, port.appProtocol));
  return errs;
}

export function validateEndpoints(ep: Endpoints): FieldError[] {
  const errs = validateObjectMeta(ep.metadata, { namespaced: true });
  for (const [i, subset] of (ep.subsets ?? []).entries()) {
    const path = index('subsets', i);
    if (!subset.addresses?.length && !subset.notReadyAddresses?.length) errs.push(required(path, 'must specify `addresses` or `notReadyAddresses`'));
    for (const [j, a] of (subset.addresses ?? []).entries()) errs.push(...validateAddress(a, index(`${path}.addresses`, j)));
    for (const [j, a] of (subset.notReadyAddresses ?? []).entries()) errs.push(...validateAddress(a, index(`${path}.notReadyAddresses`, j)));
    const ports = subset.ports ?? [];
    for (const [j, p] of ports.entries()) errs.push(...validatePort(p, ports.length > 1, index(`${path}.ports`, j)));
  }
  return errs;
}

/**
 * When the change an Endpoints (or EndpointSlice) write reflects happened (upstream
 * `v1.EndpointsLastChangeTriggerTime`), RFC 3339.
 */
export const ENDPOINTS_LAST_CHANGE_TRIGGER_TIME = 'endpoints.kubernetes.io/last-change-trigger-time';

/** The `Warning` of every request about Endpoints (upstream 1.33 deprecates the kind, KEP-4974). */
export const ENDPOINTS_DEPRECATION = 'v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice';

export const endpointsResource = defineResource<Endpoints>({
  group: '',
  version: 'v1',
  kind: 'Endpoints',
  plural: 'endpoints',
  singular: 'endpoints',
  namespaced: true,
  shortNames: ['ep'],
  deprecationWarning: ENDPOINTS_DEPRECATION,
  schema: EndpointsSchema,
  applyDefaults: applyEndpointsDefaults,
  validate: validateEndpoints,
});
