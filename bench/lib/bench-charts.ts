/**
 * The charts of a benchmark report, built from results files (pure; rendering by
 * {@link renderChart}):
 * - per benchmark, its rows across runs (one x position per results file, labelled with the
 *   date): throughput rows, latency rows, and every row's ratio against its same-run baseline;
 * - for the density run, its timeline: pods turned Running per second, API p99 per verb, and the
 *   throughput as a ratio of the 300 pods/s target.
 */
import type { DensityResult, ResultRow, ResultsFile } from './results.ts';
import { renderChart, type ChartPanel, type ChartSeries } from './svg-chart.ts';

/** One run of one benchmark: its date and rows. */
export interface BenchmarkRun {
  date: string;
  rows: ResultRow[];
}

/** The runs of `benchmark` in `files`, oldest first (files without it are skipped). */
export function benchmarkHistory(files: ResultsFile[], benchmark: string): BenchmarkRun[] {
  return [...files]
    .sort((a, b) => a.date.localeCompare(b.date))
    .flatMap((f) => (f.benchmarks[benchmark]?.rows.length ? [{ date: f.date, rows: f.benchmarks[benchmark].rows }] : []));
}

function seriesBy(runs: BenchmarkRun[], pick: (r: ResultRow) => number | undefined): ChartSeries[] {
  const names = [...new Set(runs.flatMap((r) => r.rows.map((row) => row.name.trim())))];
  return names
    .map((name) => ({
      name,
      points: runs.flatMap((run, i) => {
        const row = run.rows.find((r) => r.name.trim() === name);
        const v = row ? pick(row) : undefined;
        return v === undefined ? [] : [[i, v] as const];
      }),
    }))
    .filter((s) => s.points.length > 0);
}

/** The SVG of one benchmark's history: throughput, latency and ratio-to-baseline panels. */
export function benchmarkHistoryChart(benchmark: string, runs: BenchmarkRun[]): string {
  const xTickLabels = new Map(runs.map((r, i) => [i, r.date]));
  const units = (better: 'higher' | 'lower') => [...new Set(runs.flatMap((r) => r.rows.filter((row) => row.better === better).map((row) => row.unit)))].join(', ');
  const panels: ChartPanel[] = [
    { title: 'throughput (higher is better)', yLabel: units('higher') || 'value', series: seriesBy(runs, (r) => (r.better === 'higher' ? r.value : undefined)), xTickLabels },
    { title: 'latency / time (lower is better)', yLabel: units('lower') || 'value', series: seriesBy(runs, (r) => (r.better === 'lower' ? r.value : undefined)), xTickLabels },
    { title: 'ratio against the same-run baseline (> 1: better than the baseline)', yLabel: 'ratio', series: seriesBy(runs, (r) => r.ratio), reference: { y: 1, label: 'baseline' }, xTickLabels },
  ];
  return renderChart({ title: `bench/${benchmark}`, xLabel: 'run (date)', panels });
}

/** The SVG of one density run's timeline. */
export function densityTimelineChart(r: DensityResult): string {
  const verbs = [...new Set(r.timeline.flatMap((s) => Object.keys(s.p99Ms)))].sort();
  const panels: ChartPanel[] = [
    { title: 'pods turned Running per second', yLabel: 'pods/s', series: [{ name: 'pods/s', points: r.timeline.map((s) => [s.t, s.podsPerSecond] as const) }], reference: { y: 300, label: 'target 300 pods/s' } },
    {
      title: 'API p99 per verb over each sample interval (server-side)',
      yLabel: 'ms',
      series: verbs.map((v) => ({ name: v, points: r.timeline.flatMap((s) => (s.p99Ms[v] === undefined ? [] : [[s.t, s.p99Ms[v]] as const])) })),
      reference: { y: 1000, label: 'mutating SLO 1 s' },
    },
    { title: 'throughput ÷ target (1 = 300 pods/s)', yLabel: 'ratio', series: [{ name: 'pods/s ÷ 300', points: r.timeline.map((s) => [s.t, s.podsPerSecond / 300] as const) }], reference: { y: 1, label: 'target' } },
    { title: 'pods and API server memory', yLabel: 'pods / MB', series: [{ name: 'pods Running', points: r.timeline.map((s) => [s.t, s.running] as const) }, { name: 'pods created', points: r.timeline.map((s) => [s.t, s.created] as const) }, { name: 'apiserver RSS (MB)', points: r.timeline.map((s) => [s.t, s.apiserverRssMB] as const) }] },
  ];
  return renderChart({ title: `density: ${r.podsRunning}/${r.pods} pods on ${r.nodes} hollow nodes`, xLabel: 'seconds since the first Deployment', panels });
}
