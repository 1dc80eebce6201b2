import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { goFloat, renderPrometheusText } from './prometheus-text.ts';
import { renderResourceMetrics } from './resource-metrics.ts';
import type { StatsView } from './view.ts';

// 2021-06-23T05:11:18.302091597+08:00, the instant upstream's resource_metrics_test uses.
const T = 1624396278302.091597;
const golden = (name: string) => readFileSync(new URL(`./testdata/${name}`, import.meta.url), 'utf8');

describe('goFloat (strconv.FormatFloat(v, \'g\', -1, 64))', () => {
  it.each([
    [0, '0'],
    [1, '1'],
    [-1, '-1'],
    [10, '10'],
    [999999, '999999'],
    [1e6, '1e+06'],
    [52428800, '5.24288e+07'],
    [1624396248.3020916, '1.6243962483020916e+09'],
    [0.25, '0.25'],
    [0.0001, '0.0001'],
    [0.00001234, '1.234e-05'],
    [-3.5e7, '-3.5e+07'],
    [1e21, '1e+21'],
    [1.5e100, '1.5e+100'],
    [Number.NaN, 'NaN'],
    [Infinity, '+Inf'],
  ])('%d → %s', (v, text) => {
    expect(goFloat(v)).toBe(text);
  });
});

describe('renderPrometheusText', () => {
  it('sorts families and series, escapes label values and help, drops empty families', () => {
    expect(renderPrometheusText([
      { name: 'b_total', help: 'line\none \\ two', type: 'counter', series: [{ labels: { z: '1', a: 'y' }, value: 2 }, { labels: { a: 'x"q\\', z: '2' }, value: 1, timestampMs: 5.9 }] },
      { name: 'a_empty', help: 'h', type: 'gauge', series: [] },
      { name: 'a', help: 'h', type: 'gauge', series: [{ value: 3 }] },
    ])).toBe('# HELP a h\n# TYPE a gauge\na 3\n# HELP b_total line\\none \\\\ two\n# TYPE b_total counter\nb_total{a="x\\"q\\\\",z="2"} 1 5\nb_total{a="y",z="1"} 2\n');
  });
});

describe('renderResourceMetrics', () => {
  it('node, container, pod series with the pod labels and sample timestamps (golden)', () => {
    const view: StatsView = {
      node: { nodeName: 'node-a', startMs: 1_600_000_000_000, cpu: { atMs: T, usageCoreNanoSeconds: 10_000_000_000, usageNanoCores: 5 }, memory: { atMs: T, workingSetBytes: 1000, usageBytes: 2000 } },
      pods: [
        {
          ref: { name: 'pod_a', namespace: 'namespace_a', uid: 'a' },
          startMs: T - 40_000,
          containers: [
            { name: 'container_b', startMs: T - 120_000, cpu: { atMs: T, usageCoreNanoSeconds: 10_000_000_000 }, memory: { atMs: T, workingSetBytes: 1000 } },
            { name: 'container_a', startMs: T - 30_000, cpu: { atMs: T, usageCoreNanoSeconds: 10_000_000_000 }, memory: { atMs: T, workingSetBytes: 1000, usageBytes: 2000 } },
          ],
          cpu: { atMs: T, usageCoreNanoSeconds: 20_000_000_000 },
          memory: { atMs: T, workingSetBytes: 2000 },
        },
        {
          ref: { name: 'pod_b', namespace: 'namespace_b', uid: 'b' },
          startMs: T - 600_000,
          containers: [{ name: 'container_a', startMs: T - 600_000, cpu: { atMs: T, usageCoreNanoSeconds: 10_000_000_000 }, memory: { atMs: T, workingSetBytes: 52_428_800 } }],
          cpu: { atMs: T, usageCoreNanoSeconds: 10_000_000_000 },
          memory: { atMs: T, workingSetBytes: 52_428_800 },
        },
      ],
    };
    expect(renderResourceMetrics(view)).toBe(golden('resource-metrics.golden.txt'));
  });

  it('without measurements only the start times and a zero scrape_error remain', () => {
    const view: StatsView = { node: { nodeName: 'n', startMs: 0 }, pods: [{ ref: { name: 'p', namespace: 'ns', uid: 'u' }, startMs: 0, containers: [{ name: 'c', startMs: 1_000_000 }] }] };
    expect(renderResourceMetrics(view)).toBe(golden('resource-metrics-empty.golden.txt'));
  });

  it('a failed collection: scrape_error 1 and nothing else', () => {
    expect(renderResourceMetrics(undefined)).toBe(golden('resource-metrics-error.golden.txt'));
  });
});
