import { describe, expect, it } from 'vitest';
import { benchmarkHistory, benchmarkHistoryChart, densityTimelineChart } from './bench-charts.ts';
import { toResultRow, type BenchRow } from './report.ts';
import { mergeResults, resultsDate } from './results-file.ts';
import { ResultsFileSchema, type DensityResult, type ResultsFile } from './results.ts';

const row: BenchRow = { name: 'creates', value: 800, unit: 'objects/s', baselineName: 'etcd puts', baseline: 1600, better: 'higher' };
const density: DensityResult = {
  nodes: 10,
  pods: 100,
  podsRunning: 100,
  completed: true,
  seconds: 2,
  podsPerSecond: 50,
  podStartupMs: { p50: 500, p99: 900, count: 100 },
  apiLatencySource: 'server-side',
  apiLatencyMs: { POST: { p50: 5, p99: 40, count: 300 }, LIST: { p50: 2, p99: 3 } },
  peakRssMB: { apiserver: 200, etcd: 40 },
  apiserverBytesPerPod: 30_000,
  requestsPerSecond: { 'POST pods': 100 },
  kubeletProcesses: 1,
  loadAverage: { before: [1, 1, 1], after: [2, 1, 1] },
  timeline: [
    { t: 1, created: 60, running: 40, podsPerSecond: 40, p99Ms: { POST: 30 }, apiserverRssMB: 190 },
    { t: 2, created: 100, running: 100, podsPerSecond: 60, p99Ms: { POST: 40, GET: 4 }, apiserverRssMB: 200 },
  ],
};
const file = (date: string, benchmarks: ResultsFile['benchmarks'], withDensity = false): ResultsFile => ({
  date,
  startedAt: `${date}T00:00:00.000Z`,
  machine: { cpus: 2, memoryGiB: 24, loadAverage: [1, 2, 3] },
  benchmarks,
  ...(withDensity ? { density, densityRuns: [density] } : {}),
});

describe('results file shape', () => {
  it('accepts a full file and rows with ratios', () => {
    const parsed = ResultsFileSchema.parse(file('2026-12-03', { apiserver: { ok: true, seconds: 10, rows: [toResultRow(row)] } }, true));
    expect(parsed.benchmarks.apiserver.rows[0].ratio).toBe(0.5);
    expect(parsed.density?.apiLatencyMs.POST).toEqual({ p50: 5, p99: 40, count: 300 });
  });

  it.each([
    ['a bad date', { ...file('2026-12-03', {}), date: '3 Dec' }],
    ['a row without ratio', file('2026-12-03', { x: { ok: true, seconds: 1, rows: [row as never] } })],
    ['density without peakRssMB', { ...file('2026-12-03', {}), density: { ...density, peakRssMB: undefined } }],
  ])('rejects %s', (_name, value) => expect(ResultsFileSchema.safeParse(value).success).toBe(false));
});

describe('mergeResults', () => {
  it('keeps benchmarks of the same date the new run did not repeat', () => {
    const a = file('2026-12-03', { apiserver: { ok: true, seconds: 1, rows: [] }, proxy: { ok: false, seconds: 1, rows: [] } }, true);
    const b = file('2026-12-03', { proxy: { ok: true, seconds: 2, rows: [] } });
    const merged = mergeResults(a, b);
    expect(Object.keys(merged.benchmarks).sort()).toEqual(['apiserver', 'proxy']);
    expect(merged.benchmarks.proxy.ok).toBe(true);
    expect(merged.density?.nodes).toBe(10);
  });

  it('keeps what the earlier machine note said about the runs it keeps', () => {
    const a = { ...file('2026-12-03', { apiserver: { ok: true, seconds: 1, rows: [] } }), machine: { cpus: 2, memoryGiB: 8, loadAverage: [5, 6, 7], note: 'quiet' } };
    const b = { ...file('2026-12-03', { proxy: { ok: true, seconds: 2, rows: [] } }), machine: { cpus: 2, memoryGiB: 8, loadAverage: [1, 1, 1], note: 'proxy only' } };
    expect(mergeResults(a, b).machine).toEqual({ cpus: 2, memoryGiB: 8, loadAverage: [1, 1, 1], note: 'proxy only; earlier runs kept in this file: quiet (load 5, 6, 7)' });
    // Nothing of the earlier file stays: its note goes too.
    expect(mergeResults(a, { ...b, benchmarks: { apiserver: { ok: true, seconds: 1, rows: [] } } }).machine.note).toBe('proxy only');
  });

  it('replaces a file of another date', () => expect(mergeResults(file('2026-12-02', { a: { ok: true, seconds: 1, rows: [] } }), file('2026-12-03', {})).benchmarks).toEqual({}));
});

describe('resultsDate', () => {
  it('is the UTC day', () => expect(resultsDate(new Date('2026-12-03T23:59:59Z'))).toBe('2026-12-03'));
});

describe('charts', () => {
  const runs = benchmarkHistory(
    [
      file('2026-12-04', { apiserver: { ok: true, seconds: 1, rows: [toResultRow({ ...row, value: 1000 })] } }),
      file('2026-12-03', { apiserver: { ok: true, seconds: 1, rows: [toResultRow(row), toResultRow({ ...row, name: 'GET p99', unit: 'ms', better: 'lower', value: 1, baseline: 2 })] } }),
      file('2026-12-05', {}),
    ],
    'apiserver',
  );

  it('orders a benchmark history by date and skips files without it', () => expect(runs.map((r) => r.date)).toEqual(['2026-12-03', '2026-12-04']));

  it('draws throughput, latency and ratio panels with dates on the x axis', () => {
    const svg = benchmarkHistoryChart('apiserver', runs);
    expect(svg).toContain('bench/apiserver');
    expect(svg).toContain('>2026-12-04</text>');
    expect(svg).toContain('ratio against the same-run baseline');
    expect(svg.match(/<polyline /g)).toHaveLength(2); // creates (2 runs) in throughput and ratio; GET p99 has one point
  });

  it('draws the density timeline', () => {
    const svg = densityTimelineChart(density);
    expect(svg).toContain('100/100 pods on 10 hollow nodes');
    expect(svg).toContain('>POST</text>');
    expect(svg).toContain('target 300 pods/s');
  });
});
