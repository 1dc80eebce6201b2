/**
 * NodeAffinityArgs (kubescheduler.config.k8s.io/v1): `addedAffinity`, a node affinity applied to
 * every pod of the profile on top of its own (upstream ValidateNodeAffinityArgs rejects
 * selectors that do not parse).
 */
import { z } from 'zod';
import { NodeSelectorTermSchema } from '../../../pkg/api/core/v1/pod-spec.ts';
import { Names } from '../names.ts';
import { parseArgs } from '../noderesources/args.ts';
import { nodeSelectorTermIssues } from './selector-errors.ts';

const PreferredSchedulingTermSchema = z.object({ weight: z.number().int().default(0), preference: NodeSelectorTermSchema.default({}) });

export const NodeAffinityArgsSchema = z
  .object({
    apiVersion: z.string().optional(),
    kind: z.string().optional(),
    addedAffinity: z
      .object({
        requiredDuringSchedulingIgnoredDuringExecution: z.object({ nodeSelectorTerms: z.array(NodeSelectorTermSchema).default([]) }).optional(),
        preferredDuringSchedulingIgnoredDuringExecution: z.array(PreferredSchedulingTermSchema).optional(),
      })
      .optional(),
  })
  .superRefine((args, ctx) => {
    const added = args.addedAffinity;
    const reqPath = ['addedAffinity', 'requiredDuringSchedulingIgnoredDuringExecution', 'nodeSelectorTerms'];
    added?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms.forEach((t, i) => {
      for (const issue of nodeSelectorTermIssues(t, [...reqPath, i])) ctx.addIssue({ code: 'custom', ...issue });
    });
    // Upstream parses a preferred term at path `[i]` (not `[i].preference`), skipping weight 0.
    added?.preferredDuringSchedulingIgnoredDuringExecution?.forEach((p, i) => {
      if (p.weight === 0) return;
      for (const issue of nodeSelectorTermIssues(p.preference, ['addedAffinity', 'preferredDuringSchedulingIgnoredDuringExecution', i])) ctx.addIssue({ code: 'custom', ...issue });
    });
  });
export type NodeAffinityArgs = z.infer<typeof NodeAffinityArgsSchema>;

/** Parses NodeAffinity plugin args (undefined = defaults); throws `invalid NodeAffinity args: …`. */
export function parseNodeAffinityArgs(raw: unknown): NodeAffinityArgs {
  return parseArgs(Names.NodeAffinity, NodeAffinityArgsSchema, raw);
}
