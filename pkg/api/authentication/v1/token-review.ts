/**
 * authentication.k8s.io/v1 TokenReview: "whose token is this?", asked by a component that was
 * handed a bearer token (a kubelet authenticating a request to its API, upstream's webhook token
 * authenticator). Answered, never stored: the API server fills `status` from its token
 * authenticators (static, bootstrap and service-account tokens) for the audiences of the spec.
 */
import { z } from 'zod';
import { kubeObject } from '../../meta.ts';
import { defineReview } from '../../core/v1/common.ts';
import { UserInfoSchema } from './self-subject-review.ts';

export const TokenReviewStatusSchema = z.object({
  authenticated: z.boolean().optional(),
  user: UserInfoSchema.optional(),
  audiences: z.array(z.string()).optional(),
  error: z.string().optional(),
});
export type TokenReviewStatus = z.infer<typeof TokenReviewStatusSchema>;

export const TokenReviewSchema = kubeObject({
  spec: z.object({ token: z.string().optional(), audiences: z.array(z.string()).optional() }).optional().default({}),
  status: TokenReviewStatusSchema.optional(),
});
export type TokenReview = z.infer<typeof TokenReviewSchema>;

export const tokenReviewResource = defineReview<TokenReview>({ group: 'authentication.k8s.io', version: 'v1', kind: 'TokenReview', schema: TokenReviewSchema });
