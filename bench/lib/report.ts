/**
 * Benchmark rows: each measurement beside its same-run baseline. `formatTable` prints them as an
 * aligned table; `publishRows` prints the table and, when the runner asks for structured results
 * (`K8TS_BENCH_RESULTS=<file>` in the environment), also writes the rows with their ratios there.
 */
import { writeFileSync } from 'node:fs';

export interface BenchRow {
  name: string;
  value: number;
  unit: string;
  baselineName: string;
  baseline: number;
  /** 'higher' when bigger values are better (throughput), 'lower' for latencies. */
  better: 'higher' | 'lower';
  target?: string;
}

/** value/baseline for throughput, baseline/value for latency: above 1 means faster than the baseline. */
export function ratio(row: BenchRow): number {
  if (row.value === 0 || row.baseline === 0) return 0;
  return row.better === 'higher' ? row.value / row.baseline : row.baseline / row.value;
}

export function formatTable(rows: BenchRow[]): string {
  const header = ['benchmark', 'k8ts', 'baseline', 'ratio', 'target'];
  const body = rows.map((r) => [
    r.name,
    `${fmt(r.value)} ${r.unit}`,
    `${fmt(r.baseline)} ${r.unit} (${r.baselineName})`,
    ratio(r).toFixed(2),
    r.target ?? '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

function fmt(n: number): string {
  if (n >= 100) return n.toFixed(0);
  if (n >= 10) return n.toFixed(1);
  return n.toFixed(2);
}

/** The environment variable naming the file a benchmark writes its structured rows to. */
export const RESULTS_ENV = 'K8TS_BENCH_RESULTS';

/** A row as stored in results files: the row plus its {@link ratio}; pure. */
export function toResultRow(row: BenchRow): BenchRow & { ratio: number } {
  return { ...row, ratio: Math.round(ratio(row) * 1000) / 1000 };
}

/**
 * Prints the rows as a table on stdout and, when `K8TS_BENCH_RESULTS` names a file, writes
 * `{ benchmark, rows }` (rows with ratios) to it as JSON, for `bench/run-all.ts`.
 */
export function publishRows(benchmark: string, rows: BenchRow[], env: NodeJS.ProcessEnv = process.env): void {
  process.stdout.write(`${formatTable(rows)}\n`);
  const file = env[RESULTS_ENV];
  if (file) writeFileSync(file, `${JSON.stringify({ benchmark, rows: rows.map(toResultRow) }, null, 2)}\n`);
}
