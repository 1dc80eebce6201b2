/**
 * networking.k8s.io/v1 IPAddress (cluster-scoped, GA in 1.33): one allocated Service address.
 * The name is the address in canonical form; `spec.parentRef` names the object holding it
 * (`services`, namespace, name) and never changes. The API server's ClusterIP allocator creates
 * them with the labels below; creating one is what makes an address taken.
 */
import { z } from 'zod';
import type { FieldError } from '../../../errors/index.ts';
import { kubeObject } from '../../meta.ts';
import { defineResource } from '../../core/v1/common.ts';
import { deepEqual } from '../../validation/common-rules.ts';
import { child, invalidValue, required } from '../../validation/field-errors.ts';
import { strictIPProblems } from '../../validation/ip-strict.ts';
import { isDNS1123Subdomain, isValidPathSegmentName } from '../../validation/names.ts';
import { validateObjectMeta } from '../../validation/object-meta.ts';

export const ParentReferenceSchema = z.object({
  group: z.string().optional(),
  resource: z.string().optional(),
  namespace: z.string().optional(),
  name: z.string().optional(),
});
export type ParentReference = z.infer<typeof ParentReferenceSchema>;

export const IPAddressSchema = kubeObject({
  spec: z.object({ parentRef: ParentReferenceSchema.optional() }).optional(),
});
export type IPAddress = z.infer<typeof IPAddressSchema>;

/** Labels the ClusterIP allocator puts on its IPAddresses (upstream networking/v1 constants). */
export const LABEL_IP_ADDRESS_FAMILY = 'ipaddress.kubernetes.io/ip-family';
export const LABEL_MANAGED_BY = 'ipaddress.kubernetes.io/managed-by';
/** Upstream ipallocator.ControllerName: the `managed-by` value of allocator-made IPAddresses. */
export const IP_ALLOCATOR_MANAGER = 'ipallocator.k8s.io';

/** Upstream validateIPAddressParentReference. */
function validateParentRef(ref: ParentReference | undefined): FieldError[] {
  if (!ref) return [required('spec.parentRef')];
  const path = 'spec.parentRef';
  const errs: FieldError[] = [];
  if (ref.group) errs.push(...isDNS1123Subdomain(ref.group).map((msg) => invalidValue(child(path, 'group'), ref.group, msg)));
  for (const field of ['resource', 'name'] as const) {
    const value = ref[field] ?? '';
    if (!value) errs.push(required(child(path, field)));
    else errs.push(...isValidPathSegmentName(value).map((msg) => invalidValue(child(path, field), value, msg)));
  }
  if (ref.namespace) errs.push(...isValidPathSegmentName(ref.namespace).map((msg) => invalidValue(child(path, 'namespace'), ref.namespace, msg)));
  return errs;
}

/** Go `%#v` of the internal ParentReference (a nil pointer prints as `"null"`). */
function goParentRef(ref: ParentReference | undefined): string {
  if (!ref) return '"null"';
  const q = (v: string | undefined) => JSON.stringify(v ?? '');
  return `networking.ParentReference{Group:${q(ref.group)}, Resource:${q(ref.resource)}, Namespace:${q(ref.namespace)}, Name:${q(ref.name)}}`;
}

/** Upstream ValidateIPAddress (+ ValidateIPAddressUpdate: `spec.parentRef` immutable). Pure. */
export function validateIPAddress(ip: IPAddress, old?: IPAddress): FieldError[] {
  const errs = validateObjectMeta(ip.metadata, { namespaced: false, nameValidator: strictIPProblems });
  errs.push(...validateParentRef(ip.spec?.parentRef));
  const [next, prev] = [ip.spec?.parentRef, old?.spec?.parentRef];
  if (old && !deepEqual(next, prev)) errs.push({ type: 'FieldValueInvalid', field: 'spec.parentRef', detail: `Invalid value: ${goParentRef(next)}: field is immutable` });
  return errs;
}

export const ipAddressResource = defineResource<IPAddress>({
  group: 'networking.k8s.io',
  version: 'v1',
  kind: 'IPAddress',
  plural: 'ipaddresses',
  singular: 'ipaddress',
  namespaced: false,
  schema: IPAddressSchema,
  applyDefaults() {},
  validate: validateIPAddress,
});
