/** Prints benchmark rows as an aligned table: each measurement beside its same-run baseline. */

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
