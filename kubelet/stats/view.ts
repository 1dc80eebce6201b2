/**
 * What the kubelet knows about usage at one moment, in the shape both endpoints render: the node,
 * and each pod the kubelet runs with its running containers (pods without a measured container,
 * and containers of pods the kubelet does not run, are left out). Pod figures are the sums of
 * their containers': a field is summed only when every container has it, so a pod never shows
 * a partial total (a pod with a container sampled once shows no `usageNanoCores` yet). Times stay
 * in (fractional) milliseconds here; {@link toSummary} rounds them to metav1.Time. Pure.
 */
import { statsTime, type CPUStats, type MemoryStats, type Summary } from '../../pkg/api/stats/v1alpha1/summary.ts';
import type { ContainerMemoryUsage, RuntimeContainerStats } from '../runtime/types.ts';
import type { CpuState } from './rate.ts';

/** Cumulative CPU and, after two samples, its rate. */
export interface CpuUsageView {
  atMs: number;
  usageCoreNanoSeconds: number;
  usageNanoCores?: number;
}

export interface ContainerView {
  name: string;
  /** The runtime's container ID (cAdvisor's `name` label); absent in hand-built views. */
  id?: string;
  /** The image it runs, as the runtime names it; absent when unknown. */
  image?: string;
  startMs: number;
  cpu?: CpuUsageView;
  memory?: ContainerMemoryUsage;
}

export interface PodView {
  ref: { name: string; namespace: string; uid: string };
  startMs: number;
  containers: ContainerView[];
  cpu?: CpuUsageView;
  memory?: ContainerMemoryUsage;
}

export interface StatsView {
  node: { nodeName: string; startMs: number; cpu?: CpuUsageView; memory?: ContainerMemoryUsage };
  pods: PodView[];
}

/** The collector's latest word on one container: its last stats and CPU state. */
export interface ContainerEntry {
  stats: RuntimeContainerStats;
  cpu?: CpuState;
}

/** Inputs of {@link buildStatsView}. */
export interface StatsViewInput {
  nodeName: string;
  /** When the node booted (ms). */
  nodeStartMs: number;
  node: { cpu?: CpuState; memory?: ContainerMemoryUsage };
  containers: Iterable<ContainerEntry>;
  /** The pods the kubelet runs (API pods bound to the node and static pods), by UID. */
  pods: ReadonlyArray<{ uid: string; name: string; namespace: string }>;
}

function cpuView(state: CpuState | undefined): CpuUsageView | undefined {
  if (!state) return undefined;
  const { atMs, usageCoreNanoSeconds } = state.sample;
  return state.usageNanoCores === undefined ? { atMs, usageCoreNanoSeconds } : { atMs, usageCoreNanoSeconds, usageNanoCores: state.usageNanoCores };
}

/** Sum of `key` over all, or undefined when one of them lacks it. */
function sumAll<T>(items: readonly T[], value: (t: T) => number | undefined): number | undefined {
  let total = 0;
  for (const item of items) {
    const v = value(item);
    if (v === undefined) return undefined;
    total += v;
  }
  return total;
}

function podCpu(containers: readonly ContainerView[]): CpuUsageView | undefined {
  const cpus = containers.map((c) => c.cpu);
  if (!cpus.length || cpus.some((c) => !c)) return undefined;
  const all = cpus as CpuUsageView[];
  const rate = sumAll(all, (c) => c.usageNanoCores);
  const base = { atMs: Math.max(...all.map((c) => c.atMs)), usageCoreNanoSeconds: sumAll(all, (c) => c.usageCoreNanoSeconds) as number };
  return rate === undefined ? base : { ...base, usageNanoCores: rate };
}

const SUMMED_MEMORY = ['workingSetBytes', 'usageBytes', 'rssBytes', 'pageFaults', 'majorPageFaults'] as const;

function podMemory(containers: readonly ContainerView[]): ContainerMemoryUsage | undefined {
  const mems = containers.map((c) => c.memory);
  if (!mems.length || mems.some((m) => !m)) return undefined;
  const all = mems as ContainerMemoryUsage[];
  if (sumAll(all, (m) => m.workingSetBytes) === undefined) return undefined;
  const out: ContainerMemoryUsage = { atMs: Math.max(...all.map((m) => m.atMs)) };
  for (const key of SUMMED_MEMORY) {
    const total = sumAll(all, (m) => m[key]);
    if (total !== undefined) out[key] = total;
  }
  return out;
}

/** The view of the current state. */
export function buildStatsView(input: StatsViewInput): StatsView {
  const byUid = new Map<string, ContainerEntry[]>();
  for (const entry of input.containers) {
    const list = byUid.get(entry.stats.podUid);
    if (list) list.push(entry);
    else byUid.set(entry.stats.podUid, [entry]);
  }
  const pods: PodView[] = [];
  for (const pod of input.pods) {
    const entries = byUid.get(pod.uid);
    if (!entries?.length) continue;
    const containers = entries
      .map((e): ContainerView => {
        const cpu = cpuView(e.cpu);
        return { name: e.stats.name, id: e.stats.id, ...(e.stats.image ? { image: e.stats.image } : {}), startMs: e.stats.createdAtMs, ...(cpu ? { cpu } : {}), ...(e.stats.memory ? { memory: e.stats.memory } : {}) };
      })
      .sort((a, b) => a.name.localeCompare(b.name));
    const cpu = podCpu(containers);
    const memory = podMemory(containers);
    pods.push({
      ref: { name: pod.name, namespace: pod.namespace, uid: pod.uid },
      startMs: Math.max(...entries.map((e) => e.stats.sandboxCreatedAtMs)),
      containers,
      ...(cpu ? { cpu } : {}),
      ...(memory ? { memory } : {}),
    });
  }
  pods.sort((a, b) => a.ref.namespace.localeCompare(b.ref.namespace) || a.ref.name.localeCompare(b.ref.name));
  const nodeCpu = cpuView(input.node.cpu);
  return {
    node: { nodeName: input.nodeName, startMs: input.nodeStartMs, ...(nodeCpu ? { cpu: nodeCpu } : {}), ...(input.node.memory ? { memory: input.node.memory } : {}) },
    pods,
  };
}

function cpuStats(cpu: CpuUsageView): CPUStats {
  const out: CPUStats = { time: statsTime(cpu.atMs) };
  if (cpu.usageNanoCores !== undefined) out.usageNanoCores = Math.round(cpu.usageNanoCores);
  out.usageCoreNanoSeconds = Math.round(cpu.usageCoreNanoSeconds);
  return out;
}

const MEMORY_FIELDS = ['availableBytes', 'usageBytes', 'workingSetBytes', 'rssBytes', 'pageFaults', 'majorPageFaults'] as const;

function memoryStats(memory: ContainerMemoryUsage): MemoryStats {
  const out: MemoryStats = { time: statsTime(memory.atMs) };
  for (const key of MEMORY_FIELDS) {
    const v = memory[key];
    if (v !== undefined) out[key] = Math.round(v);
  }
  return out;
}

/** Optional cpu/memory of a view, as Summary fields. */
function usage(v: { cpu?: CpuUsageView; memory?: ContainerMemoryUsage }): { cpu?: CPUStats; memory?: MemoryStats } {
  return { ...(v.cpu ? { cpu: cpuStats(v.cpu) } : {}), ...(v.memory ? { memory: memoryStats(v.memory) } : {}) };
}

/** The `/stats/summary` document of a view (upstream's field order, absent = not measured). */
export function toSummary(view: StatsView): Summary {
  return {
    node: { nodeName: view.node.nodeName, startTime: statsTime(view.node.startMs), ...usage(view.node) },
    pods: view.pods.map((p) => ({
      podRef: p.ref,
      startTime: statsTime(p.startMs),
      containers: p.containers.map((c) => ({ name: c.name, startTime: statsTime(c.startMs), ...usage(c) })),
      ...usage(p),
    })),
  };
}
