/**
 * The kubelet's stats Summary (`GET /stats/summary`, upstream k8s.io/kubelet/pkg/apis/stats/v1alpha1),
 * the CPU and memory subset k8ts measures. Times are RFC 3339 in whole seconds (metav1.Time);
 * every usage field is optional — absent means "not measured", never zero. `usageNanoCores` is
 * a rate over the last two samples, so it is missing until something has been sampled twice.
 * The kubelet writes it; readers (the metrics.k8s.io API) parse it with {@link SummarySchema}.
 */
import { z } from 'zod';

const uint = z.number().int().nonnegative();

/** CPU usage: cumulative core-nanoseconds, and the rate in core-nanoseconds per second. */
export const CPUStatsSchema = z.object({
  time: z.string(),
  usageNanoCores: uint.optional(),
  usageCoreNanoSeconds: uint.optional(),
});
export type CPUStats = z.infer<typeof CPUStatsSchema>;

/** Memory usage in bytes; `availableBytes` = limit − working set (absent without a limit). */
export const MemoryStatsSchema = z.object({
  time: z.string(),
  availableBytes: uint.optional(),
  usageBytes: uint.optional(),
  workingSetBytes: uint.optional(),
  rssBytes: uint.optional(),
  pageFaults: uint.optional(),
  majorPageFaults: uint.optional(),
});
export type MemoryStats = z.infer<typeof MemoryStatsSchema>;

export const ContainerStatsSchema = z.object({
  name: z.string(),
  startTime: z.string(),
  cpu: CPUStatsSchema.optional(),
  memory: MemoryStatsSchema.optional(),
});
export type ContainerStats = z.infer<typeof ContainerStatsSchema>;

export const PodReferenceSchema = z.object({ name: z.string(), namespace: z.string(), uid: z.string() });
export type PodReference = z.infer<typeof PodReferenceSchema>;

export const PodStatsSchema = z.object({
  podRef: PodReferenceSchema,
  startTime: z.string(),
  containers: z.array(ContainerStatsSchema),
  cpu: CPUStatsSchema.optional(),
  memory: MemoryStatsSchema.optional(),
});
export type PodStats = z.infer<typeof PodStatsSchema>;

export const NodeStatsSchema = z.object({
  nodeName: z.string(),
  startTime: z.string(),
  cpu: CPUStatsSchema.optional(),
  memory: MemoryStatsSchema.optional(),
});
export type NodeStats = z.infer<typeof NodeStatsSchema>;

/** The whole document: the node and every pod the kubelet runs. */
export const SummarySchema = z.object({
  node: NodeStatsSchema,
  pods: z.array(PodStatsSchema),
});
export type Summary = z.infer<typeof SummarySchema>;

/** metav1.Time's wire form: RFC 3339, UTC, whole seconds. */
export function statsTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
