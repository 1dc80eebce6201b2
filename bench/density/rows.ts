/**
 * The density result as benchmark rows: each figure beside its target (the SLO or goal is the
 * baseline, so ratio > 1 means the target is met with room to spare). Pure.
 */
import type { BenchRow } from '../lib/report.ts';
import type { DensityResult } from '../lib/results.ts';

/** Upstream's mutating verbs (SLO: p99 ≤ 1 s). */
export const MUTATING_VERBS = ['POST', 'PUT', 'PATCH', 'DELETE', 'APPLY'];

/** Rows: pods/s vs 300, mutating and LIST p99 vs 1 s / 30 s, bytes per pod vs 40 KB. */
export function densityRows(r: DensityResult): BenchRow[] {
  const size = `${r.nodes} nodes`;
  const rows: BenchRow[] = [
    { name: `density ${r.podsRunning}/${r.pods} pods on ${size}: creation→Running`, value: r.podsPerSecond, unit: 'pods/s', baselineName: 'target', baseline: 300, better: 'higher', target: '≥ 300 pods/s' },
  ];
  const mutating = Math.max(0, ...MUTATING_VERBS.map((v) => r.apiLatencyMs[v]?.p99 ?? 0));
  rows.push({ name: `  mutating API p99 (${size})`, value: mutating, unit: 'ms', baselineName: 'SLO', baseline: 1000, better: 'lower', target: '≤ 1 s' });
  if (r.apiLatencyMs.LIST) rows.push({ name: `  LIST p99 (${size})`, value: r.apiLatencyMs.LIST.p99, unit: 'ms', baselineName: 'SLO', baseline: 30_000, better: 'lower', target: '≤ 30 s' });
  rows.push({ name: `  apiserver memory per pod (${size})`, value: r.apiserverBytesPerPod / 1024, unit: 'KB', baselineName: 'target', baseline: 40, better: 'lower', target: '≤ 40 KB' });
  return rows;
}

/**
 * What the run's CPU use per Running pod projects onto a machine of `cores` idle cores: each
 * component process is single-threaded JavaScript (or etcd), so it bounds throughput at
 * 1 core ÷ its CPU per pod, and all of them together at `cores` ÷ their sum. A projection from
 * CPU seconds, not a measurement — it says what the pipeline costs when the machine is shared.
 */
export function cpuProjection(cpuSeconds: Record<string, number>, podsRunning: number, cores: number): { cpuMsPerPod: Record<string, number>; projectedPodsPerSecond: number } {
  if (podsRunning <= 0) return { cpuMsPerPod: {}, projectedPodsPerSecond: 0 };
  const cpuMsPerPod = Object.fromEntries(Object.entries(cpuSeconds).map(([c, s]) => [c, Math.round((s * 1000 * 100) / podsRunning) / 100]));
  const perPod = Object.values(cpuMsPerPod);
  const busiest = Math.max(...perPod);
  const total = perPod.reduce((a, b) => a + b, 0);
  const bound = Math.min(busiest > 0 ? 1000 / busiest : Infinity, total > 0 ? (cores * 1000) / total : Infinity);
  return { cpuMsPerPod, projectedPodsPerSecond: Number.isFinite(bound) ? Math.round(bound * 10) / 10 : 0 };
}
