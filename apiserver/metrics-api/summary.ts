/**
 * The kubelet's `GET /stats/summary` answer (upstream Summary API,
 * k8s.io/kubelet/pkg/apis/stats/v1alpha1), reduced to what resource metrics need: the node's and
 * each container's CPU and memory. Validated with zod where it enters the API server; unknown
 * fields are dropped, every measurement is optional (upstream's pointers: a container that has
 * just started has no usage yet).
 */
import { z } from 'zod';

const uint = z.number().nonnegative();

export const CpuStatsSchema = z.object({
  time: z.string().optional(),
  /** The CPU usage rate in nanocores, as the kubelet computed it over its sampling interval. */
  usageNanoCores: uint.optional(),
  /** The cumulative CPU time since the container or node started. */
  usageCoreNanoSeconds: uint.optional(),
});

export const MemoryStatsSchema = z.object({
  time: z.string().optional(),
  /** The working set (what the OOM killer counts), the memory metrics-server reports. */
  workingSetBytes: uint.optional(),
  usageBytes: uint.optional(),
  rssBytes: uint.optional(),
});

export const ContainerStatsSchema = z.object({
  name: z.string(),
  startTime: z.string().optional(),
  cpu: CpuStatsSchema.optional(),
  memory: MemoryStatsSchema.optional(),
});

export const PodStatsSchema = z.object({
  podRef: z.object({ name: z.string(), namespace: z.string(), uid: z.string().optional() }),
  startTime: z.string().optional(),
  containers: z.array(ContainerStatsSchema).nullish().transform((c) => c ?? []),
});

export const SummarySchema = z.object({
  node: z.object({
    nodeName: z.string(),
    startTime: z.string().optional(),
    cpu: CpuStatsSchema.optional(),
    memory: MemoryStatsSchema.optional(),
  }),
  pods: z.array(PodStatsSchema).nullish().transform((p) => p ?? []),
});

/** One kubelet's summary, as validated. */
export type Summary = z.infer<typeof SummarySchema>;
export type PodStats = z.infer<typeof PodStatsSchema>;
export type ContainerStats = z.infer<typeof ContainerStatsSchema>;
