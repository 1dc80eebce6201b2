/**
 * Types shared by several core/v1 kinds (ObjectReference, LocalObjectReference, protocols)
 * and `defineResource`, which fills a `ResourceInfo`'s usual defaults.
 */
import { z } from 'zod';
import type { FieldError } from '../../../errors/index.ts';
import type { KubeObject } from '../../meta.ts';
import { ALL_VERBS, type ResourceInfo } from '../../resource.ts';
import { notSupported, required } from '../../validation/field-errors.ts';

export const ObjectReferenceSchema = z.object({
  kind: z.string().optional(),
  namespace: z.string().optional(),
  name: z.string().optional(),
  uid: z.string().optional(),
  apiVersion: z.string().optional(),
  resourceVersion: z.string().optional(),
  fieldPath: z.string().optional(),
});
export type ObjectReference = z.infer<typeof ObjectReferenceSchema>;

export const LocalObjectReferenceSchema = z.object({ name: z.string().optional() });
/** core/v1 TypedLocalObjectReference: an object in the same namespace, by API group, kind and name (Ingress backends, claim data sources). */
export const TypedLocalObjectReferenceSchema = z.object({
  apiGroup: z.string().optional(),
  kind: z.string().default(''),
  name: z.string().default(''),
});
export type LocalObjectReference = z.infer<typeof LocalObjectReferenceSchema>;

/** Upstream `supportedPortProtocols`, sorted as upstream lists them in messages. */
export const SUPPORTED_PROTOCOLS = ['SCTP', 'TCP', 'UDP'] as const;

/** `protocol` must be set and one of TCP/UDP/SCTP. */
export function validateProtocol(path: string, protocol: string | undefined): FieldError[] {
  if (!protocol) return [required(path)];
  if (!(SUPPORTED_PROTOCOLS as readonly string[]).includes(protocol)) return [notSupported(path, protocol, SUPPORTED_PROTOCOLS)];
  return [];
}

/** Fields of a `ResourceInfo` that have a usual value. */
type Usual = 'verbs' | 'shortNames' | 'categories' | 'subresources' | 'patchMeta';

/**
 * Builds a `ResourceInfo` with the usual defaults: all verbs, no short names or categories,
 * no subresources, no patch metadata.
 */
export function defineResource<T extends KubeObject>(info: Omit<ResourceInfo<T>, Usual> & Partial<Pick<ResourceInfo<T>, Usual>>): ResourceInfo<T> {
  return {
    verbs: ALL_VERBS,
    shortNames: [],
    categories: [],
    subresources: { status: false },
    patchMeta: {},
    ...info,
  };
}

/**
 * A review kind (`ResourceInfo.review`: SelfSubjectAccessReview and the like): cluster-scoped
 * unless `namespaced` (LocalSubjectAccessReview), `create` only, answered from the requester and never stored, nothing to default; plural and
 * singular are the lower-cased kind. No validation unless `validate` is given.
 */
export function defineReview<T extends KubeObject>(info: Pick<ResourceInfo<T>, 'group' | 'version' | 'kind' | 'schema'> & Partial<Pick<ResourceInfo<T>, 'validate' | 'namespaced'>>): ResourceInfo<T> {
  const singular = info.kind.toLowerCase();
  return defineResource<T>({ validate: () => [], namespaced: false, ...info, plural: `${singular}s`, singular, verbs: ['create'], review: true, applyDefaults: () => undefined });
}

/** Erases a kind-specific `ResourceInfo` for registries that hold every kind. */
export function anyResource<T extends KubeObject>(info: ResourceInfo<T>): ResourceInfo {
  return info as unknown as ResourceInfo;
}
