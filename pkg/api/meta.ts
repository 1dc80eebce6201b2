/**
 * Shared metav1 schemas (ObjectMeta, ListMeta, OwnerReference, LabelSelector, Condition …).
 * Field names are exactly upstream's. Objects strip unknown keys; the API server reports the
 * stripped keys as unknown fields (see `findUnknownFields`).
 */
import { z } from 'zod';
import { quantityDecodeError } from './quantity.ts';

export const OwnerReferenceSchema = z.object({
  apiVersion: z.string(),
  kind: z.string(),
  name: z.string(),
  uid: z.string(),
  controller: z.boolean().optional(),
  blockOwnerDeletion: z.boolean().optional(),
});
export type OwnerReference = z.infer<typeof OwnerReferenceSchema>;

export const ManagedFieldsEntrySchema = z.object({
  manager: z.string().optional(),
  operation: z.string().optional(),
  apiVersion: z.string().optional(),
  time: z.string().optional(),
  fieldsType: z.string().optional(),
  fieldsV1: z.record(z.string(), z.unknown()).optional(),
  subresource: z.string().optional(),
});
export type ManagedFieldsEntry = z.infer<typeof ManagedFieldsEntrySchema>;

export const ObjectMetaSchema = z.object({
  name: z.string().optional(),
  generateName: z.string().optional(),
  namespace: z.string().optional(),
  selfLink: z.string().optional(),
  uid: z.string().optional(),
  resourceVersion: z.string().optional(),
  generation: z.number().int().optional(),
  creationTimestamp: z.string().nullable().optional(),
  deletionTimestamp: z.string().optional(),
  deletionGracePeriodSeconds: z.number().int().optional(),
  labels: z.record(z.string(), z.string()).optional(),
  annotations: z.record(z.string(), z.string()).optional(),
  ownerReferences: z.array(OwnerReferenceSchema).optional(),
  finalizers: z.array(z.string()).optional(),
  managedFields: z.array(ManagedFieldsEntrySchema).optional(),
});
export type ObjectMeta = z.infer<typeof ObjectMetaSchema>;

export const ListMetaSchema = z.object({
  resourceVersion: z.string().optional(),
  continue: z.string().optional(),
  remainingItemCount: z.number().int().optional(),
  selfLink: z.string().optional(),
});
export type ListMeta = z.infer<typeof ListMetaSchema>;

export const LabelSelectorRequirementSchema = z.object({
  key: z.string(),
  operator: z.string(),
  values: z.array(z.string()).optional(),
});
export const LabelSelectorSchema = z.object({
  matchLabels: z.record(z.string(), z.string()).optional(),
  matchExpressions: z.array(LabelSelectorRequirementSchema).optional(),
});
export type LabelSelector = z.infer<typeof LabelSelectorSchema>;

/** `intstr.IntOrString`: a number or a string such as `"25%"` or `"http"`. */
export const IntOrStringSchema = z.union([z.number().int(), z.string()]);
export type IntOrString = z.infer<typeof IntOrStringSchema>;

/**
 * A resource quantity as sent on the wire (`"700m"`, `"1Gi"`, `2`). Canonicalised by defaulting.
 * A value that is no quantity fails decoding with upstream's parse error (a 400, as upstream's
 * `Quantity.UnmarshalJSON`), not validation.
 */
export const QuantitySchema = z.union([z.string(), z.number()]).superRefine((value, ctx) => {
  const message = quantityDecodeError(value);
  if (message) ctx.addIssue({ code: 'custom', message });
});
export type Quantity = z.infer<typeof QuantitySchema>;

/** metav1.Condition (used by newer APIs); older kinds define their own condition shape. */
export const ConditionSchema = z.object({
  type: z.string(),
  status: z.string(),
  observedGeneration: z.number().int().optional(),
  lastTransitionTime: z.string().optional(),
  reason: z.string().optional(),
  message: z.string().optional(),
});
export type Condition = z.infer<typeof ConditionSchema>;

/** Any object the API serves: TypeMeta + ObjectMeta + kind-specific fields. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

/** A list response: `{kind: "PodList", apiVersion, metadata: ListMeta, items}`. */
export interface KubeList<T extends KubeObject = KubeObject> {
  apiVersion: string;
  kind: string;
  metadata: ListMeta;
  items: T[];
}

/** Build an object schema from TypeMeta + ObjectMeta + the given fields. */
export function kubeObject<S extends z.ZodRawShape>(shape: S) {
  return z.object({
    apiVersion: z.string().optional(),
    kind: z.string().optional(),
    metadata: ObjectMetaSchema.optional().default({}),
    ...shape,
  });
}
