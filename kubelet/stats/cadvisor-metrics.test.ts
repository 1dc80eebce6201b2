import { describe, expect, it } from 'vitest';
import { renderCadvisorMetrics, type MachineFacts } from './cadvisor-metrics.ts';
import type { StatsView } from './view.ts';

const T = 1_800_000_000_250;
const MACHINE: MachineFacts = { cpuCores: 4, memoryBytes: 8 * 2 ** 30, bootID: 'boot-1', machineID: 'machine-1', systemUUID: 'uuid-1', atMs: 1_799_000_000_500 };
const MACHINE_TEXT = [
  '# HELP machine_cpu_cores Number of logical CPU cores.',
  '# TYPE machine_cpu_cores gauge',
  'machine_cpu_cores{boot_id="boot-1",machine_id="machine-1",system_uuid="uuid-1"} 4 1799000000500',
  '# HELP machine_memory_bytes Amount of memory installed on the machine.',
  '# TYPE machine_memory_bytes gauge',
  'machine_memory_bytes{boot_id="boot-1",machine_id="machine-1",system_uuid="uuid-1"} 8.589934592e+09 1799000000500',
  '# HELP machine_scrape_error 1 if there was an error while getting machine metrics, 0 otherwise.',
  '# TYPE machine_scrape_error gauge',
  'machine_scrape_error 0',
];

const VIEW: StatsView = {
  node: { nodeName: 'node-a', startMs: 1_799_000_000_000, cpu: { atMs: T, usageCoreNanoSeconds: 5e12 }, memory: { atMs: T, workingSetBytes: 4e9, usageBytes: 6e9 } },
  pods: [{
    ref: { name: 'web', namespace: 'default', uid: 'u1' },
    startMs: T - 60_000,
    containers: [
      { name: 'app', id: 'c0ffee', image: 'docker.io/library/nginx:1.25', startMs: T - 59_500, cpu: { atMs: T, usageCoreNanoSeconds: 3e9, usageNanoCores: 1e6 }, memory: { atMs: T, workingSetBytes: 5000, usageBytes: 6000, rssBytes: 4000 } },
      { name: 'side', id: 'beef', startMs: T - 30_000, cpu: { atMs: T, usageCoreNanoSeconds: 5e8 } },
    ],
    // No memory: one container has no memory figures, so the pod has no total.
    cpu: { atMs: T, usageCoreNanoSeconds: 3.5e9 },
  }],
};

const APP = 'container="app",id="",image="docker.io/library/nginx:1.25",name="c0ffee",namespace="default",pod="web"';
const SIDE = 'container="side",id="",image="",name="beef",namespace="default",pod="web"';
const POD = 'container="",id="",image="",name="",namespace="default",pod="web"';
const ROOT = 'container="",id="/",image="",name="",namespace="",pod=""';
const withCpu = (labels: string) => labels.replace(/^(container="[^"]*"),/, '$1,cpu="total",');

describe('renderCadvisorMetrics', () => {
  it('container, pod (container="") and root (id="/") series with cadvisor\'s names, help, labels and timestamps', () => {
    expect(renderCadvisorMetrics({ view: VIEW, machine: MACHINE, nowMs: T + 5000 })).toBe([
      '# HELP container_cpu_usage_seconds_total Cumulative cpu time consumed in seconds.',
      '# TYPE container_cpu_usage_seconds_total counter',
      `container_cpu_usage_seconds_total{${withCpu(POD)}} 3.5 1800000000250`,
      `container_cpu_usage_seconds_total{${withCpu(ROOT)}} 5000 1800000000250`,
      `container_cpu_usage_seconds_total{${withCpu(APP)}} 3 1800000000250`,
      `container_cpu_usage_seconds_total{${withCpu(SIDE)}} 0.5 1800000000250`,
      '# HELP container_last_seen Last time a container was seen by the exporter',
      '# TYPE container_last_seen gauge',
      `container_last_seen{${POD}} 1.800000005e+09 1800000005250`,
      `container_last_seen{${ROOT}} 1.800000005e+09 1800000005250`,
      `container_last_seen{${APP}} 1.800000005e+09 1800000005250`,
      `container_last_seen{${SIDE}} 1.800000005e+09 1800000005250`,
      '# HELP container_memory_rss Size of RSS in bytes.',
      '# TYPE container_memory_rss gauge',
      `container_memory_rss{${APP}} 4000 1800000000250`,
      '# HELP container_memory_usage_bytes Current memory usage in bytes, including all memory regardless of when it was accessed',
      '# TYPE container_memory_usage_bytes gauge',
      `container_memory_usage_bytes{${ROOT}} 6e+09 1800000000250`,
      `container_memory_usage_bytes{${APP}} 6000 1800000000250`,
      '# HELP container_memory_working_set_bytes Current working set in bytes.',
      '# TYPE container_memory_working_set_bytes gauge',
      `container_memory_working_set_bytes{${ROOT}} 4e+09 1800000000250`,
      `container_memory_working_set_bytes{${APP}} 5000 1800000000250`,
      '# HELP container_scrape_error 1 if there was an error while getting container metrics, 0 otherwise',
      '# TYPE container_scrape_error gauge',
      'container_scrape_error 0',
      '# HELP container_start_time_seconds Start time of the container since unix epoch in seconds.',
      '# TYPE container_start_time_seconds gauge',
      `container_start_time_seconds{${POD}} 1.79999994e+09`,
      `container_start_time_seconds{${ROOT}} 1.799e+09`,
      `container_start_time_seconds{${APP}} 1.79999994e+09`,
      `container_start_time_seconds{${SIDE}} 1.79999997e+09`,
      ...MACHINE_TEXT,
      '',
    ].join('\n'));
  });

  it('a node without figures and no pods: only the root\'s start and last-seen series, and the machine', () => {
    const text = renderCadvisorMetrics({ view: { node: { nodeName: 'n', startMs: 1_000_000 }, pods: [] }, machine: MACHINE, nowMs: 2_000_000 });
    expect(text.split('\n').filter((l) => !l.startsWith('#') && !l.startsWith('machine_'))).toEqual([
      `container_last_seen{${ROOT}} 2000 2000000`,
      'container_scrape_error 0',
      `container_start_time_seconds{${ROOT}} 1000`,
      '',
    ]);
  });

  it('a failed collection: container_scrape_error 1 and the machine metrics, no container series', () => {
    expect(renderCadvisorMetrics({ view: undefined, machine: MACHINE, nowMs: T })).toBe([
      '# HELP container_scrape_error 1 if there was an error while getting container metrics, 0 otherwise',
      '# TYPE container_scrape_error gauge',
      'container_scrape_error 1',
      ...MACHINE_TEXT,
      '',
    ].join('\n'));
  });
});
