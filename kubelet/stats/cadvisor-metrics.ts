/**
 * `GET /metrics/cadvisor`: the cAdvisor container and machine metrics upstream's kubelet serves
 * (cadvisor metrics/prometheus.go and prometheus_machine.go through the kubelet's
 * `containerPrometheusLabelsFunc`), rendered from a {@link StatsView}. Pure.
 *
 * Series, as upstream: one per container (`container` = its spec name, `name` = its runtime ID,
 * `image`), one per pod for the pod as a whole (`container=""`, `name=""`, `image=""`, as the pod
 * cgroup's series are), and the root (`id="/"`, every other label empty) from the node's figures.
 * Every series carries all six labels `container`, `id`, `image`, `name`, `namespace`, `pod`.
 * Sample times are the series timestamps; `container_start_time_seconds` has none and whole
 * seconds, `container_last_seen` is the scrape time.
 *
 * What k8ts measures, and so emits: `container_cpu_usage_seconds_total{cpu="total"}`,
 * `container_memory_working_set_bytes`, `container_memory_usage_bytes`, `container_memory_rss`
 * (each when the runtime reported it), `container_start_time_seconds`, `container_last_seen`,
 * `container_scrape_error`, `machine_cpu_cores`, `machine_memory_bytes`, `machine_scrape_error`.
 *
 * What it does not: `id` is empty for containers and pods (k8ts sets no cgroup parent and CRI
 * stats do not name a container's cgroup); pod series are the sums of their containers (the
 * sandbox's pause process is not measured, nor are sandbox containers listed); no user/system
 * CPU split, throttling, cache, swap, page-fault, filesystem, network, task-state or
 * `container_spec_*` families.
 */
import { renderPrometheusText, type PromFamily, type PromSeries } from './prometheus-text.ts';
import type { CpuUsageView, StatsView } from './view.ts';
import type { ContainerMemoryUsage } from '../runtime/types.ts';

/** The machine facts behind `machine_*` (cadvisor's MachineInfo). */
export interface MachineFacts {
  cpuCores: number;
  memoryBytes: number;
  bootID: string;
  machineID: string;
  systemUUID: string;
  /** When the facts were read (ms): the series timestamp. */
  atMs: number;
}

/** Inputs of {@link renderCadvisorMetrics}. */
export interface CadvisorMetricsInput {
  /** The usage view; undefined when the last runtime sample failed (`container_scrape_error 1`). */
  view: StatsView | undefined;
  machine: MachineFacts;
  /** The scrape time (ms): `container_last_seen`. */
  nowMs: number;
}

type Labels = Record<'container' | 'id' | 'image' | 'name' | 'namespace' | 'pod', string>;

/** One measured cgroup as cadvisor reports it: its labels and figures. */
interface Row {
  labels: Labels;
  startMs: number;
  cpu?: CpuUsageView;
  memory?: ContainerMemoryUsage;
}

const EMPTY: Labels = { container: '', id: '', image: '', name: '', namespace: '', pod: '' };

function rows(view: StatsView): Row[] {
  const out: Row[] = [{ labels: { ...EMPTY, id: '/' }, startMs: view.node.startMs, cpu: view.node.cpu, memory: view.node.memory }];
  for (const p of view.pods) {
    const pod = { ...EMPTY, namespace: p.ref.namespace, pod: p.ref.name };
    out.push({ labels: pod, startMs: p.startMs, cpu: p.cpu, memory: p.memory });
    for (const c of p.containers) out.push({ labels: { ...pod, container: c.name, name: c.id ?? '', image: c.image ?? '' }, startMs: c.startMs, cpu: c.cpu, memory: c.memory });
  }
  return out;
}

const family = (name: string, help: string, type: PromFamily['type'], series: PromSeries[]): PromFamily => ({ name, help, type, series });

/** A memory field's series for every row that has it. */
function memoryFamily(all: readonly Row[], name: string, help: string, field: 'workingSetBytes' | 'usageBytes' | 'rssBytes'): PromFamily {
  return family(name, help, 'gauge', all.flatMap(({ labels, memory }) => {
    const value = memory?.[field];
    return value === undefined || !memory ? [] : [{ labels, value, timestampMs: memory.atMs }];
  }));
}

function machineFamilies(m: MachineFacts): PromFamily[] {
  const labels = { boot_id: m.bootID, machine_id: m.machineID, system_uuid: m.systemUUID };
  return [
    family('machine_cpu_cores', 'Number of logical CPU cores.', 'gauge', [{ labels, value: m.cpuCores, timestampMs: m.atMs }]),
    family('machine_memory_bytes', 'Amount of memory installed on the machine.', 'gauge', [{ labels, value: m.memoryBytes, timestampMs: m.atMs }]),
    family('machine_scrape_error', '1 if there was an error while getting machine metrics, 0 otherwise.', 'gauge', [{ value: 0 }]),
  ];
}

const scrapeError = (value: number) => family('container_scrape_error', '1 if there was an error while getting container metrics, 0 otherwise', 'gauge', [{ value }]);

/** The endpoint's body. */
export function renderCadvisorMetrics(input: CadvisorMetricsInput): string {
  const { view, machine, nowMs } = input;
  if (!view) return renderPrometheusText([scrapeError(1), ...machineFamilies(machine)]);
  const all = rows(view);
  return renderPrometheusText([
    family('container_cpu_usage_seconds_total', 'Cumulative cpu time consumed in seconds.', 'counter',
      all.flatMap(({ labels, cpu }) => (cpu ? [{ labels: { ...labels, cpu: 'total' }, value: cpu.usageCoreNanoSeconds / 1e9, timestampMs: cpu.atMs }] : []))),
    memoryFamily(all, 'container_memory_working_set_bytes', 'Current working set in bytes.', 'workingSetBytes'),
    memoryFamily(all, 'container_memory_usage_bytes', 'Current memory usage in bytes, including all memory regardless of when it was accessed', 'usageBytes'),
    memoryFamily(all, 'container_memory_rss', 'Size of RSS in bytes.', 'rssBytes'),
    family('container_start_time_seconds', 'Start time of the container since unix epoch in seconds.', 'gauge',
      all.filter((r) => r.startMs > 0).map(({ labels, startMs }) => ({ labels, value: Math.floor(startMs / 1000) }))),
    family('container_last_seen', 'Last time a container was seen by the exporter', 'gauge', all.map(({ labels }) => ({ labels, value: Math.floor(nowMs / 1000), timestampMs: nowMs }))),
    scrapeError(0),
    ...machineFamilies(machine),
  ]);
}
