/** Plugin args of NodeResourcesFit and NodeResourcesBalancedAllocation (kubescheduler.config.k8s.io/v1). */
import { z } from 'zod';

const ResourceSpecSchema = z.object({ name: z.string().min(1), weight: z.number().int().min(1).max(100).default(1) });
const DEFAULT_RESOURCES = [
  { name: 'cpu', weight: 1 },
  { name: 'memory', weight: 1 },
];

export const NodeResourcesFitArgsSchema = z
  .object({
    apiVersion: z.string().optional(),
    kind: z.string().optional(),
    ignoredResources: z.array(z.string()).default([]),
    ignoredResourceGroups: z.array(z.string()).default([]),
    scoringStrategy: z
      .object({
        type: z.enum(['LeastAllocated', 'MostAllocated', 'RequestedToCapacityRatio']).default('LeastAllocated'),
        resources: z.array(ResourceSpecSchema).default(DEFAULT_RESOURCES),
        requestedToCapacityRatio: z
          .object({ shape: z.array(z.object({ utilization: z.number().int().min(0).max(100), score: z.number().int().min(0).max(10) })).min(1) })
          .optional(),
      })
      .default({ type: 'LeastAllocated', resources: DEFAULT_RESOURCES }),
  })
  .refine((a) => a.scoringStrategy.type !== 'RequestedToCapacityRatio' || a.scoringStrategy.requestedToCapacityRatio, {
    message: 'scoringStrategy.requestedToCapacityRatio: Required value',
  });
export type NodeResourcesFitArgs = z.infer<typeof NodeResourcesFitArgsSchema>;

export const BalancedAllocationArgsSchema = z.object({
  apiVersion: z.string().optional(),
  kind: z.string().optional(),
  resources: z.array(ResourceSpecSchema).default(DEFAULT_RESOURCES),
});

/** Parses plugin args, throwing a readable Error naming the plugin. */
export function parseArgs<S extends z.ZodType>(plugin: string, schema: S, args: unknown): z.infer<S> {
  const r = schema.safeParse(args ?? {});
  if (!r.success) throw new Error(`invalid ${plugin} args: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return r.data;
}
