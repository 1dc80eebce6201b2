/**
 * `npm run bench`: every benchmark in bench/ in sequence (each its own `tsx` process, rows
 * collected through `K8TS_BENCH_RESULTS`), then the density run at sizes one machine holds
 * (default 1,000 hollow nodes × 30 pods), written to `bench/results/<YYYY-MM-DD>.json` with an
 * SVG chart per benchmark. A failing benchmark is recorded (`ok: false`, its error) and the
 * rest still run.
 *
 * Run: `npm run bench -- [--only apiserver,scheduler] [--skip-density] [--density-nodes 1000]
 *   [--density-from F.json] [--density-attempts F.json] [--timeout-minutes 30] [--note TEXT] [--results-dir bench/results]`.
 * `--density-attempts` records density attempts that ended without a result (see results.ts).
 * `--density-from` records a density run already made (`bench/density.ts --json F`) instead of
 * running it again.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { DensityResultSchema, ResultRowSchema, type BenchmarkResult, type DensityResult, type ResultsFile } from './lib/results.ts';
import { resultsDate, writeResults } from './lib/results-file.ts';
import { RESULTS_ENV } from './lib/report.ts';

const benchDir = fileURLToPath(new URL('.', import.meta.url));
const repoRoot = join(benchDir, '..');

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    'skip-density': { type: 'boolean', default: false },
    'density-nodes': { type: 'string', default: '1000' },
    'density-from': { type: 'string' },
    'timeout-minutes': { type: 'string', default: '30' },
    note: { type: 'string' },
    'results-dir': { type: 'string' },
    'density-attempts': { type: 'string' },
  },
});

/** The benchmarks: every bench/*.ts but this runner and density (run last, with its own sizes). */
function benchmarks(): string[] {
  const all = readdirSync(benchDir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && f !== 'run-all.ts' && f !== 'density.ts').map((f) => f.replace(/\.ts$/, ''));
  const only = values.only?.split(',');
  return all.filter((b) => !only || only.includes(b)).sort();
}

function runTsx(script: string, args: string[], env: Record<string, string>, timeoutMs: number): Promise<{ code: number | null; tail: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(repoRoot, 'node_modules/tsx/dist/cli.mjs'), script, ...args], { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'pipe'] });
    let tail = '';
    child.stderr.on('data', (chunk: Buffer) => {
      process.stderr.write(chunk);
      tail = (tail + chunk.toString()).slice(-2000);
    });
    const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, tail });
    });
  });
}

const RowsFileSchema = z.object({ benchmark: z.string(), rows: z.array(ResultRowSchema) });

async function runBenchmark(name: string, args: string[] = []): Promise<BenchmarkResult> {
  const rowsFile = join(tmpdir(), `k8ts-bench-${name}-${process.pid}.json`);
  const started = Date.now();
  process.stderr.write(`\n=== bench/${name} ${args.join(' ')}\n`);
  const { code, tail } = await runTsx(join(benchDir, `${name}.ts`), args, { [RESULTS_ENV]: rowsFile }, Number(values['timeout-minutes']) * 60_000);
  const seconds = Math.round((Date.now() - started) / 100) / 10;
  try {
    const { rows } = RowsFileSchema.parse(JSON.parse(readFileSync(rowsFile, 'utf8')));
    return { ok: code === 0, seconds, rows, ...(code === 0 ? {} : { error: `exit code ${code}: ${tail.trim().split('\n').slice(-3).join(' | ')}` }) };
  } catch {
    return { ok: false, seconds, rows: [], error: `exit code ${code}, no rows: ${tail.trim().split('\n').slice(-3).join(' | ')}` };
  } finally {
    rmSync(rowsFile, { force: true });
  }
}

const startedAt = new Date();
const loadBefore = loadavg();
const results: Record<string, BenchmarkResult> = {};
for (const name of benchmarks()) results[name] = await runBenchmark(name);

let densityRuns: DensityResult[] | undefined;
if (!values['skip-density'] && (!values.only || values.only.split(',').includes('density'))) {
  let densityFile = values['density-from'];
  if (!densityFile) {
    densityFile = join(tmpdir(), `k8ts-bench-density-${process.pid}.json`);
    results.density = await runBenchmark('density', ['--nodes', values['density-nodes'], '--kubelet-processes', '4', '--json', densityFile]);
  }
  try {
    densityRuns = z.array(DensityResultSchema).parse(JSON.parse(readFileSync(densityFile, 'utf8')));
  } catch (err) {
    process.stderr.write(`density results unreadable: ${err}\n`);
  }
  if (values['density-from'] && densityRuns) {
    const { cpuProjection, densityRows } = await import('./density/rows.ts');
    // Runs recorded before the projection existed: derive it from their CPU seconds.
    densityRuns = densityRuns.map((r) => (r.projectedPodsPerSecond === undefined && r.cpuSeconds ? { ...r, ...cpuProjection(r.cpuSeconds, r.podsRunning, cpus().length) } : r));
    const { toResultRow } = await import('./lib/report.ts');
    results.density = { ok: densityRuns.every((r) => r.completed), seconds: 0, rows: densityRuns.flatMap(densityRows).map(toResultRow) };
  }
}

const file: ResultsFile = {
  date: resultsDate(startedAt),
  startedAt: startedAt.toISOString(),
  machine: {
    cpus: cpus().length,
    memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    loadAverage: [...loadBefore, ...loadavg()].map((l) => Math.round(l * 100) / 100),
    note: values.note ?? 'loadAverage: 1/5/15-minute load before the first benchmark, then after the last; the machine is shared with other work',
  },
  benchmarks: results,
  ...(values['density-attempts'] ? { densityAttempts: JSON.parse(readFileSync(values['density-attempts'], 'utf8')) } : {}),
  ...(densityRuns?.length ? { density: [...densityRuns].reverse().find((r) => r.completed) ?? densityRuns.at(-1), densityRuns } : {}),
};
for (const path of writeResults(values['results-dir'] ?? join(benchDir, 'results'), file)) process.stderr.write(`wrote ${path}\n`);
if (Object.values(results).some((r) => !r.ok)) process.exitCode = 1;
