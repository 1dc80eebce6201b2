/**
 * `GET /metrics/resource`: upstream kubelet's resource metrics (pkg/kubelet/metrics/collectors
 * resource_metrics.go) rendered from a {@link StatsView} — cumulative CPU seconds and working-set
 * bytes of the node, each container and each pod, with the sample time as the series timestamp;
 * container start times; and `scrape_error` / `resource_scrape_error` (1 and nothing else when
 * the stats could not be had). HELP texts carry the stability level as component-base prints it.
 * Pure.
 */
import { renderPrometheusText, type PromFamily, type PromSeries } from './prometheus-text.ts';
import type { CpuUsageView, StatsView } from './view.ts';
import type { ContainerMemoryUsage } from '../runtime/types.ts';

const NS_PER_S = 1e9;

function family(name: string, stability: 'STABLE' | 'ALPHA', help: string, type: 'counter' | 'gauge', series: PromSeries[]): PromFamily {
  return { name, help: `[${stability}] ${help}`, type, series };
}

const cpuSeries = (cpu: CpuUsageView | undefined, labels?: Record<string, string>): PromSeries[] =>
  cpu ? [{ labels, value: cpu.usageCoreNanoSeconds / NS_PER_S, timestampMs: cpu.atMs }] : [];

const memorySeries = (memory: ContainerMemoryUsage | undefined, labels?: Record<string, string>): PromSeries[] =>
  memory?.workingSetBytes !== undefined ? [{ labels, value: memory.workingSetBytes, timestampMs: memory.atMs }] : [];

function scrapeErrorFamilies(failed: boolean): PromFamily[] {
  const value = failed ? 1 : 0;
  const help = '1 if there was an error while getting container metrics, 0 otherwise';
  return [family('scrape_error', 'ALPHA', help, 'gauge', [{ value }]), family('resource_scrape_error', 'STABLE', help, 'gauge', [{ value }])];
}

/** The endpoint's body for `view`, or for a failed collection (`view` undefined). */
export function renderResourceMetrics(view: StatsView | undefined): string {
  if (!view) return renderPrometheusText(scrapeErrorFamilies(true));
  const containers = view.pods.flatMap((p) => p.containers.map((c) => ({ c, labels: { container: c.name, pod: p.ref.name, namespace: p.ref.namespace } })));
  const pods = view.pods.map((p) => ({ p, labels: { pod: p.ref.name, namespace: p.ref.namespace } }));
  return renderPrometheusText([
    family('node_cpu_usage_seconds_total', 'STABLE', 'Cumulative cpu time consumed by the node in core-seconds', 'counter', cpuSeries(view.node.cpu)),
    family('node_memory_working_set_bytes', 'STABLE', 'Current working set of the node in bytes', 'gauge', memorySeries(view.node.memory)),
    family('container_start_time_seconds', 'STABLE', 'Start time of the container since unix epoch in seconds', 'gauge',
      containers.filter(({ c }) => c.startMs > 0).map(({ c, labels }) => ({ labels, value: c.startMs / 1000 }))),
    family('container_cpu_usage_seconds_total', 'STABLE', 'Cumulative cpu time consumed by the container in core-seconds', 'counter', containers.flatMap(({ c, labels }) => cpuSeries(c.cpu, labels))),
    family('container_memory_working_set_bytes', 'STABLE', 'Current working set of the container in bytes', 'gauge', containers.flatMap(({ c, labels }) => memorySeries(c.memory, labels))),
    family('pod_cpu_usage_seconds_total', 'STABLE', 'Cumulative cpu time consumed by the pod in core-seconds', 'counter', pods.flatMap(({ p, labels }) => cpuSeries(p.cpu, labels))),
    family('pod_memory_working_set_bytes', 'STABLE', 'Current working set of the pod in bytes', 'gauge', pods.flatMap(({ p, labels }) => memorySeries(p.memory, labels))),
    ...scrapeErrorFamilies(false),
  ]);
}
