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
