/**
 * CPU rates from cumulative counters, as cadvisor derives `usageNanoCores`: the core-nanoseconds
 * consumed between the last two samples divided by the time between them. One sample gives no
 * rate; a counter that went backwards (a reset) gives none until the next sample; a sample that
 * is not newer than the last one changes nothing. Pure.
 */

/** One reading of a cumulative CPU counter. `atMs` may carry a fraction (sub-ms precision). */
export interface CpuSample {
  atMs: number;
  usageCoreNanoSeconds: number;
}

/** The latest sample of one counter and the rate that led to it (absent: not computable yet). */
export interface CpuState {
  sample: CpuSample;
  usageNanoCores?: number;
}

/** Core-nanoseconds per second from `prev` to `cur`; undefined without a previous sample, time passing, or on a counter reset. */
export function usageNanoCores(prev: CpuSample | undefined, cur: CpuSample): number | undefined {
  if (!prev) return undefined;
  const elapsedMs = cur.atMs - prev.atMs;
  const used = cur.usageCoreNanoSeconds - prev.usageCoreNanoSeconds;
  if (!(elapsedMs > 0) || used < 0) return undefined;
  return Math.round((used / elapsedMs) * 1000);
}

/** The state after sample `cur` (only the latest sample is kept). */
export function nextCpuState(prev: CpuState | undefined, cur: CpuSample): CpuState {
  if (prev && cur.atMs <= prev.sample.atMs) return prev;
  const rate = usageNanoCores(prev?.sample, cur);
  return rate === undefined ? { sample: cur } : { sample: cur, usageNanoCores: rate };
}
