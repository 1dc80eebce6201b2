/**
 * Reading and writing `bench/results/<YYYY-MM-DD>.json` (validated with {@link ResultsFileSchema})
 * and the charts beside them. `mergeResults` is pure: a new run's benchmarks replace the same
 * benchmarks of an earlier file of the same date, others are kept.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchmarkHistory, benchmarkHistoryChart, densityTimelineChart } from './bench-charts.ts';
import { ResultsFileSchema, type ResultsFile } from './results.ts';

/** `YYYY-MM-DD` of a time, in UTC. */
export function resultsDate(time: Date): string {
  return time.toISOString().slice(0, 10);
}

/**
 * `next` over `earlier` (same date): benchmarks and density of `next` win, the rest of `earlier`
 * stays, and so does what `earlier`'s machine note and load said about the runs that stay.
 */
export function mergeResults(earlier: ResultsFile | undefined, next: ResultsFile): ResultsFile {
  if (!earlier || earlier.date !== next.date) return next;
  const keepsEarlierRuns = Object.keys(earlier.benchmarks).some((name) => !(name in next.benchmarks)) || (next.density === undefined && earlier.density !== undefined);
  const earlierMachine = `earlier runs kept in this file: ${earlier.machine.note ?? 'no note'} (load ${earlier.machine.loadAverage.slice(0, 3).join(', ')})`;
  return {
    ...next,
    machine: keepsEarlierRuns ? { ...next.machine, note: [next.machine.note, earlierMachine].filter(Boolean).join('; ') } : next.machine,
    benchmarks: { ...earlier.benchmarks, ...next.benchmarks },
    density: next.density ?? earlier.density,
    densityRuns: next.densityRuns ?? earlier.densityRuns,
    densityAttempts: next.densityAttempts ?? earlier.densityAttempts,
  };
}

/** Every valid results file in `dir`, oldest first (invalid ones are skipped with a warning). */
export function readResultsFiles(dir: string, warn: (line: string) => void = () => undefined): ResultsFile[] {
  if (!existsSync(dir)) return [];
  const out: ResultsFile[] = [];
  for (const name of readdirSync(dir).filter((n) => /^\d{4}-\d{2}-\d{2}\.json$/.test(n)).sort()) {
    const parsed = ResultsFileSchema.safeParse(JSON.parse(readFileSync(join(dir, name), 'utf8')));
    if (parsed.success) out.push(parsed.data);
    else warn(`${name}: ${parsed.error.message}`);
  }
  return out;
}

/**
 * Writes `<dir>/<date>.json` (merged with an existing file of that date), then one SVG per
 * benchmark over every results file (`<benchmark>.svg`) and the density timeline
 * (`density-<nodes>-nodes.svg`). Returns the paths written.
 */
export function writeResults(dir: string, results: ResultsFile): string[] {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${results.date}.json`);
  const earlier = existsSync(file) ? ResultsFileSchema.safeParse(JSON.parse(readFileSync(file, 'utf8'))) : undefined;
  const merged = ResultsFileSchema.parse(mergeResults(earlier?.success ? earlier.data : undefined, results));
  writeFileSync(file, `${JSON.stringify(merged, null, 2)}\n`);
  const written = [file];
  const all = readResultsFiles(dir);
  const names = new Set(all.flatMap((f) => Object.keys(f.benchmarks)));
  for (const name of names) {
    const svg = join(dir, `${name}.svg`);
    writeFileSync(svg, benchmarkHistoryChart(name, benchmarkHistory(all, name)));
    written.push(svg);
  }
  for (const run of merged.densityRuns ?? (merged.density ? [merged.density] : [])) {
    const svg = join(dir, `density-${run.nodes}-nodes.svg`);
    writeFileSync(svg, densityTimelineChart(run));
    written.push(svg);
  }
  return written;
}
