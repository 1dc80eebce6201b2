/**
 * authentication.k8s.io/v1 SelfSubjectReview: "who am I?" (`kubectl auth whoami`). Answered, never
 * stored: the API server fills `status.userInfo` with the requesting user.
 */
import { z } from 'zod';
import { kubeObject } from '../../meta.ts';
import { defineReview } from '../../core/v1/common.ts';

export const UserInfoSchema = z.object({
  username: z.string().optional(),
  uid: z.string().optional(),
  groups: z.array(z.string()).optional(),
  extra: z.record(z.string(), z.array(z.string())).optional(),
});

export const SelfSubjectReviewSchema = kubeObject({ status: z.object({ userInfo: UserInfoSchema.optional() }).optional() });
export type SelfSubjectReview = z.infer<typeof SelfSubjectReviewSchema>;

/** v1 (kubectl ≥ 1.28 asks it first) and v1beta1 (kubectl 1.27's `auth whoami`): the same review. */
export const selfSubjectReviewResources = ['v1', 'v1beta1'].map((version) =>
  defineReview<SelfSubjectReview>({ group: 'authentication.k8s.io', version, kind: 'SelfSubjectReview', schema: SelfSubjectReviewSchema }),
);
