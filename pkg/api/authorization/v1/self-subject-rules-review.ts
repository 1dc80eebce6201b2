/**
 * authorization.k8s.io/v1 SelfSubjectRulesReview: "what may I do in this namespace?" (`kubectl auth
 * can-i --list`). Answered, never stored: the API server lists the rules its authorizers grant the
 * requester, `incomplete` when one of them cannot enumerate its rules.
 */
import { z } from 'zod';
import { kubeObject } from '../../meta.ts';
import { defineReview } from '../../core/v1/common.ts';

export const SelfSubjectRulesReviewSchema = kubeObject({
  spec: z.object({ namespace: z.string().optional() }).optional().default({}),
  // What a client sends here is ignored (kubectl sends its zero value: null rule lists); the server fills it.
  status: z
    .object({
      resourceRules: z.array(z.object({ verbs: z.array(z.string()), apiGroups: z.array(z.string()).optional(), resources: z.array(z.string()).optional(), resourceNames: z.array(z.string()).optional() })).nullable().optional(),
      nonResourceRules: z.array(z.object({ verbs: z.array(z.string()), nonResourceURLs: z.array(z.string()).optional() })).nullable().optional(),
      incomplete: z.boolean().optional(),
      evaluationError: z.string().optional(),
    })
    .optional(),
});
export type SelfSubjectRulesReview = z.infer<typeof SelfSubjectRulesReviewSchema>;

export const selfSubjectRulesReviewResource = defineReview<SelfSubjectRulesReview>({
  group: 'authorization.k8s.io',
  version: 'v1',
  kind: 'SelfSubjectRulesReview',
  schema: SelfSubjectRulesReviewSchema,
});
