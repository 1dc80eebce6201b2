/**
 * The shape of `bench/results/<YYYY-MM-DD>.json`, checked with zod when written and read:
 * machine facts (cores, load), one entry per benchmark with its rows (value beside its same-run
 * baseline, with the ratio) and a `density` key with the density run's figures.
 */
import { z } from 'zod';

/** One benchmark row as stored: the {@link BenchRow} plus its computed ratio. */
export const ResultRowSchema = z.object({
  name: z.string(),
  value: z.number(),
  unit: z.string(),
  baselineName: z.string(),
  baseline: z.number(),
  better: z.enum(['higher', 'lower']),
  target: z.string().optional(),
  ratio: z.number(),
});

/** p50/p99 in milliseconds (and the number of requests they cover). */
export const LatencySchema = z.object({ p50: z.number(), p99: z.number(), count: z.number().optional() });

/** One sample of the density run's timeline (t in seconds since the first Deployment POST). */
export const DensitySampleSchema = z.object({
  t: z.number(),
  created: z.number(),
  running: z.number(),
  /** Pods turned Running per second since the previous sample. */
  podsPerSecond: z.number(),
  /** p99 per verb over the interval since the previous sample (ms). */
  p99Ms: z.record(z.string(), z.number()),
  apiserverRssMB: z.number(),
});

/** The density run (also written on a partial run: `completed` false and `stoppedBecause`). */
export const DensityResultSchema = z.object({
  nodes: z.number().int(),
  pods: z.number().int(),
  podsRunning: z.number().int(),
  completed: z.boolean(),
  stoppedBecause: z.string().optional(),
  seconds: z.number(),
  podsPerSecond: z.number(),
  podStartupMs: LatencySchema,
  apiLatencySource: z.string(),
  apiLatencyMs: z.record(z.string(), LatencySchema),
  peakRssMB: z.record(z.string(), z.number()),
  apiserverBytesPerPod: z.number(),
  requestsPerSecond: z.record(z.string(), z.number()),
  /** p50/p99 (and count) per 'VERB resource': those with at least 0.5 requests/s, and every mutating one (the SLO is per resource and verb). */
  apiLatencyByResourceMs: z.record(z.string(), LatencySchema).optional(),
  /** CPU seconds each component used during the run (user + system). */
  cpuSeconds: z.record(z.string(), z.number()).optional(),
  /** CPU milliseconds per Running pod per component, and the pods/s they allow on `machine.cpus` idle cores (a projection; see bench/density/rows.ts cpuProjection). */
  cpuMsPerPod: z.record(z.string(), z.number()).optional(),
  projectedPodsPerSecond: z.number().optional(),
  kubeletProcesses: z.number().int(),
  loadAverage: z.object({ before: z.array(z.number()), after: z.array(z.number()) }),
  timeline: z.array(DensitySampleSchema),
});

/** One benchmark's entry. */
export const BenchmarkResultSchema = z.object({
  ok: z.boolean(),
  seconds: z.number(),
  rows: z.array(ResultRowSchema),
  error: z.string().optional(),
});

export const ResultsFileSchema = z.object({
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  startedAt: z.string(),
  machine: z.object({ cpus: z.number().int(), memoryGiB: z.number(), loadAverage: z.array(z.number()), note: z.string().optional() }),
  benchmarks: z.record(z.string(), BenchmarkResultSchema),
  /** The largest density run that completed (else the last one tried). */
  density: DensityResultSchema.optional(),
  /** Every density size tried, in order. */
  densityRuns: z.array(DensityResultSchema).optional(),
  /** Density attempts that ended before a result could be taken (e.g. nodes never all Ready), with what was measured by hand meanwhile. */
  densityAttempts: z
    .array(z.object({ nodes: z.number().int(), pods: z.number().int(), startedAt: z.string(), stoppedBecause: z.string(), measured: z.record(z.string(), z.union([z.number(), z.string()])) }))
    .optional(),
});

export type ResultRow = z.infer<typeof ResultRowSchema>;
export type DensityResult = z.infer<typeof DensityResultSchema>;
export type DensitySample = z.infer<typeof DensitySampleSchema>;
export type BenchmarkResult = z.infer<typeof BenchmarkResultSchema>;
export type ResultsFile = z.infer<typeof ResultsFileSchema>;
