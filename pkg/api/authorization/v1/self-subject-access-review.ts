/**
 * authorization.k8s.io/v1 SelfSubjectAccessReview: "may I do this?" (`kubectl auth can-i`). A
 * review is answered, never stored: the API server fills `status` from its authorizer for the
 * requesting user. Validation is upstream's `ValidateSelfSubjectAccessReview`.
 */
import { z } from 'zod';
import type { FieldError } from '../../../errors/index.ts';
import { kubeObject } from '../../meta.ts';
import { defineReview } from '../../core/v1/common.ts';
import { invalidValue } from '../../validation/field-errors.ts';

export const ResourceAttributesSchema = z.object({
  namespace: z.string().optional(),
  verb: z.string().optional(),
  group: z.string().optional(),
  version: z.string().optional(),
  resource: z.string().optional(),
  subresource: z.string().optional(),
  name: z.string().optional(),
});
export type ResourceAttributes = z.infer<typeof ResourceAttributesSchema>;

export const NonResourceAttributesSchema = z.object({ path: z.string().optional(), verb: z.string().optional() });
export type NonResourceAttributes = z.infer<typeof NonResourceAttributesSchema>;

export const SubjectAccessReviewStatusSchema = z.object({
  allowed: z.boolean(),
  denied: z.boolean().optional(),
  reason: z.string().optional(),
  evaluationError: z.string().optional(),
});
export type SubjectAccessReviewStatus = z.infer<typeof SubjectAccessReviewStatusSchema>;

export const SelfSubjectAccessReviewSchema = kubeObject({
  spec: z.object({ resourceAttributes: ResourceAttributesSchema.optional(), nonResourceAttributes: NonResourceAttributesSchema.optional() }).optional().default({}),
  status: SubjectAccessReviewStatusSchema.optional(),
});
export type SelfSubjectAccessReview = z.infer<typeof SelfSubjectAccessReviewSchema>;

/** Upstream `ValidateSelfSubjectAccessReviewSpec`: exactly one of the two attribute sets. */
export function validateSelfSubjectAccessReview(review: SelfSubjectAccessReview): FieldError[] {
  const { resourceAttributes, nonResourceAttributes } = review.spec;
  if (resourceAttributes && nonResourceAttributes) return [invalidValue('spec.nonResourceAttributes', nonResourceAttributes, 'cannot be specified in combination with resourceAttributes')];
  if (!resourceAttributes && !nonResourceAttributes) return [invalidValue('spec.resourceAttributes', null, 'exactly one of nonResourceAttributes or resourceAttributes must be specified')];
  return [];
}

export const selfSubjectAccessReviewResource = defineReview<SelfSubjectAccessReview>({
  group: 'authorization.k8s.io',
  version: 'v1',
  kind: 'SelfSubjectAccessReview',
  schema: SelfSubjectAccessReviewSchema,
  validate: validateSelfSubjectAccessReview,
});
