/**
 * discovery.k8s.io/v1 EndpointSlice: addressType, endpoints (≤ 1000, each 1–100 addresses),
 * ports (≤ 20000); validation and defaults as upstream pkg/apis/discovery.
 */
import { z } from 'zod';
import type { FieldError } from '../../../errors/index.ts';
import { kubeObject } from '../../meta.ts';
import { ObjectReferenceSchema, defineResource, SUPPORTED_PROTOCOLS } from '../../core/v1/common.ts';
import { validateDNS1123LabelField, validateImmutable, validateQualifiedNameField } from '../../validation/common-rules.ts';
import { formatValue, index, invalidValue, notSupported, required, tooMany } from '../../validation/field-errors.ts';
import { validateIPv4, validateIPv6, validateNonSpecialIP } from '../../validation/ip.ts';
import { isDNS1123Subdomain } from '../../validation/names.ts';
import { validateObjectMeta } from '../../validation/object-meta.ts';

export const EndpointConditionsSchema = z.object({
  ready: z.boolean().optional(),
  serving: z.boolean().optional(),
  terminating: z.boolean().optional(),
});

export const EndpointSchema = z.object({
  addresses: z.array(z.string()),
  conditions: EndpointConditionsSchema.optional(),
  hostname: z.string().optional(),
  targetRef: ObjectReferenceSchema.optional(),
  deprecatedTopology: z.record(z.string(), z.string()).optional(),
  nodeName: z.string().optional(),
  zone: z.string().optional(),
  hints: z.object({
    forZones: z.array(z.object({ name: z.string() })).optional(),
    forNodes: z.array(z.object({ name: z.string() })).optional(),
  }).optional(),
});
export type Endpoint = z.infer<typeof EndpointSchema>;

export const EndpointSlicePortSchema = z.object({
  name: z.string().optional(),
  protocol: z.string().optional(),
  port: z.number().int().optional(),
  appProtocol: z.string().optional(),
});
export type EndpointSlicePort = z.infer<typeof EndpointSlicePortSchema>;

export const EndpointSliceSchema = kubeObject({
  addressType: z.string().optional().default(''),
  endpoints: z.array(EndpointSchema).nullable().optional(),
  ports: z.array(EndpointSlicePortSchema).optional(),
});
export type EndpointSlice = z.infer<typeof EndpointSliceSchema>;

const ADDRESS_TYPES = ['FQDN', 'IPv4', 'IPv6'];
const MAX_ENDPOINTS = 1000;
const MAX_ADDRESSES = 100;
const MAX_PORTS = 20000;

/** Defaults ports; `endpoints` is always serialised (`null` when empty), as upstream does. */
export function applyEndpointSliceDefaults(slice: EndpointSlice): void {
  slice.endpoints ??= null;
  for (const port of slice.ports ?? []) {
    port.name ??= '';
    port.protocol ??= 'TCP';
  }
}

function validateAddress(addressType: string, address: string, path: string): FieldError[] {
  switch (addressType) {
    case 'IPv4': {
      const errs = validateIPv4(path, address);
      return errs.length ? errs : validateNonSpecialIP(path, address);
    }
    case 'IPv6': {
      const errs = validateIPv6(path, address);
      return errs.length ? errs : validateNonSpecialIP(path, address);
    }
    case 'FQDN':
      return isDNS1123Subdomain(address).map((msg) => invalidValue(path, address, msg));
    default:
      return [];
  }
}

function validateEndpoints(endpoints: readonly Endpoint[], addressType: string): FieldError[] {
  if (endpoints.length > MAX_ENDPOINTS) return [tooMany('endpoints', endpoints.length, MAX_ENDPOINTS)];
  const errs: FieldError[] = [];
  for (const [i, endpoint] of endpoints.entries()) {
    const path = index('endpoints', i);
    const addressPath = `${path}.addresses`;
    if (endpoint.addresses.length === 0) errs.push(required(addressPath, 'must contain at least 1 address'));
    else if (endpoint.addresses.length > MAX_ADDRESSES) errs.push(tooMany(addressPath, endpoint.addresses.length, MAX_ADDRESSES));
    for (const [j, address] of endpoint.addresses.entries()) errs.push(...validateAddress(addressType, address, index(addressPath, j)));
    if (endpoint.nodeName !== undefined) {
      for (const msg of isDNS1123Subdomain(endpoint.nodeName)) errs.push(invalidValue(`${path}.nodeName`, endpoint.nodeName, msg));
    }
    if (endpoint.hostname !== undefined) errs.push(...validateDNS1123LabelField(`${path}.hostname`, endpoint.hostname));
  }
  return errs;
}

function validatePorts(ports: readonly EndpointSlicePort[]): FieldError[] {
  if (ports.length > MAX_PORTS) return [tooMany('ports', ports.length, MAX_PORTS)];
  const errs: FieldError[] = [];
  const names = new Set<string>();
  for (const [i, port] of ports.entries()) {
    const path = index('ports', i);
    const name = port.name ?? '';
    if (name) errs.push(...validateDNS1123LabelField(`${path}.name`, name));
    if (names.has(name)) errs.push({ type: 'FieldValueDuplicate', field: `${path}.name`, detail: `Duplicate value: ${formatValue(name)}` });
    else names.add(name);
    if (port.protocol === undefined) errs.push(required(`${path}.protocol`));
    else if (!(SUPPORTED_PROTOCOLS as readonly string[]).includes(port.protocol)) errs.push(notSupported(`${path}.protocol`, port.protocol, SUPPORTED_PROTOCOLS));
    if (port.appProtocol !== undefined) errs.push(...validateQualifiedNameField(`${path}.appProtocol`, port.appProtocol));
  }
  return errs;
}

export function validateEndpointSlice(slice: EndpointSlice, old?: EndpointSlice): FieldError[] {
  const errs = validateObjectMeta(slice.metadata, { namespaced: true });
  if (!slice.addressType) errs.push(required('addressType'));
  else if (!ADDRESS_TYPES.includes(slice.addressType)) errs.push(notSupported('addressType', slice.addressType, ADDRESS_TYPES));
  errs.push(...validateEndpoints(slice.endpoints ?? [], slice.addressType));
  errs.push(...validatePorts(slice.ports ?? []));
  if (old) errs.push(...validateImmutable('addressType', slice.addressType, old.addressType));
  return errs;
}

export const endpointSliceResource = defineResource<EndpointSlice>({
  group: 'discovery.k8s.io',
  version: 'v1',
  kind: 'EndpointSlice',
  plural: 'endpointslices',
  singular: 'endpointslice',
  namespaced: true,
  schema: EndpointSliceSchema,
  applyDefaults: applyEndpointSliceDefaults,
  validate: validateEndpointSlice,
});
