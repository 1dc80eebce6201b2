/**
 * authorization.k8s.io/v1 SubjectAccessReview: "may this user do this?", asked by a component on
 * someone else's behalf (a kubelet authorizing a request to its API, upstream's webhook
 * authorizer). Answered, never stored: the API server fills `status` from its authorizer for the
 * user and groups of the spec. Validation is upstream's `ValidateSubjectAccessReviewSpec`.
 */
import { z } from 'zod';
import type { FieldError } from '../../../errors/index.ts';
import { kubeObject } from '../../meta.ts';
import { defineReview } from '../../core/v1/common.ts';
import { invalidValue } from '../../validation/field-errors.ts';
import { NonResourceAttributesSchema, ResourceAttributesSchema, SubjectAccessReviewStatusSchema, validateSelfSubjectAccessReview } from './self-subject-access-review.ts';

export const SubjectAccessReviewSchema = kubeObject({
  spec: z
    .object({
      resourceAttributes: ResourceAttributesSchema.optional(),
      nonResourceAttributes: NonResourceAttributesSchema.optional(),
      user: z.string().optional(),
      groups: z.array(z.string()).optional(),
      extra: z.record(z.string(), z.array(z.string())).optional(),
      uid: z.string().optional(),
    })
    .optional()
    .default({}),
  status: SubjectAccessReviewStatusSchema.optional(),
});
export type SubjectAccessReview = z.infer<typeof SubjectAccessReviewSchema>;

/** Upstream `ValidateSubjectAccessReviewSpec`: exactly one attribute set, and a user or a group to ask about. */
export function validateSubjectAccessReview(review: SubjectAccessReview): FieldError[] {
  const errors = validateSelfSubjectAccessReview(review);
  if (!review.spec.user && !review.spec.groups?.length) errors.push(invalidValue('spec.user', review.spec.user ?? '', 'at least one of user or group must be specified'));
  return errors;
}

export const subjectAccessReviewResource = defineReview<SubjectAccessReview>({
  group: 'authorization.k8s.io',
  version: 'v1',
  kind: 'SubjectAccessReview',
  schema: SubjectAccessReviewSchema,
  validate: validateSubjectAccessReview,
});

/**
 * authorization.k8s.io/v1 LocalSubjectAccessReview: a SubjectAccessReview inside one namespace
 * (namespaced, so a namespace admin may be granted it). Upstream `ValidateLocalSubjectAccessReview`:
 * the resource attributes' namespace must be the review's, and non-resource attributes are refused.
 */
export function validateLocalSubjectAccessReview(review: SubjectAccessReview): FieldError[] {
  const errors = validateSubjectAccessReview(review);
  const { resourceAttributes, nonResourceAttributes } = review.spec;
  if (resourceAttributes && (resourceAttributes.namespace ?? '') !== (review.metadata.namespace ?? '')) {
    errors.push(invalidValue('spec.resourceAttributes.namespace', resourceAttributes.namespace ?? '', 'must match metadata.namespace'));
  }
  if (nonResourceAttributes) errors.push(invalidValue('spec.nonResourceAttributes', nonResourceAttributes, 'disallowed on this kind of request'));
  return errors;
}

export const localSubjectAccessReviewResource = defineReview<SubjectAccessReview>({
  group: 'authorization.k8s.io',
  version: 'v1',
  kind: 'LocalSubjectAccessReview',
  namespaced: true,
  schema: SubjectAccessReviewSchema,
  validate: validateLocalSubjectAccessReview,
});
