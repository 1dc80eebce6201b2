/**
 * InterPodAffinityArgs (kubescheduler.config.k8s.io/v1): `hardPodAffinityWeight` (0–100,
 * default 1) scores existing pods' required affinity terms that match the incoming pod;
 * `ignorePreferredTermsOfExistingPods` skips scoring when the incoming pod has no preferred terms.
 */
import { z } from 'zod';
import { Names } from '../names.ts';
import { parseArgs } from '../noderesources/args.ts';

export const DEFAULT_HARD_POD_AFFINITY_WEIGHT = 1;
const MIN_WEIGHT = 0;
const MAX_WEIGHT = 100;

export const InterPodAffinityArgsSchema = z.object({
  apiVersion: z.string().optional(),
  kind: z.string().optional(),
  hardPodAffinityWeight: z
    .number()
    .int()
    .default(DEFAULT_HARD_POD_AFFINITY_WEIGHT)
    .superRefine((w, ctx) => {
      if (w < MIN_WEIGHT || w > MAX_WEIGHT) ctx.addIssue({ code: 'custom', message: `Invalid value: ${w}: not in valid range [${MIN_WEIGHT}-${MAX_WEIGHT}]` });
    }),
  ignorePreferredTermsOfExistingPods: z.boolean().default(false),
});
export type InterPodAffinityArgs = z.infer<typeof InterPodAffinityArgsSchema>;

/** Parses (and defaults) the plugin args; throws `invalid InterPodAffinity args: hardPodAffinityWeight: Invalid value: …`. */
export function parseInterPodAffinityArgs(raw: unknown): InterPodAffinityArgs {
  return parseArgs(Names.InterPodAffinity, InterPodAffinityArgsSchema, raw);
}
