/**
 * The node's own CPU and memory, as cadvisor reports the root container: cumulative busy CPU time
 * from `/proc/stat`, and the memory working set of the root memory cgroup (cgroup v1: usage minus
 * `total_inactive_file`, never below 0) or, when that is unreadable, MemTotal − MemAvailable from
 * `/proc/meminfo`. Available = MemTotal − working set. Parsers and the decision are pure; the
 * reader only reads files.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ContainerMemoryUsage } from '../runtime/types.ts';
import type { CpuSample } from './rate.ts';

/** `/proc/stat` counts in USER_HZ ticks, 100 per second on Linux (sysconf(_SC_CLK_TCK)). */
const NS_PER_TICK = 1e9 / 100;

/** Busy time of all CPUs (user, nice, system, irq, softirq, steal — guest is inside user) in core-ns; undefined without a `cpu` line. */
export function parseProcStatCpu(text: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith('cpu '));
  if (!line) return undefined;
  const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
  const ticks = [user, nice, system, irq, softirq, steal ?? 0].reduce((a, b) => a + (Number.isFinite(b) ? b : 0), 0);
  return ticks * NS_PER_TICK;
}

/** `/proc/meminfo` (kB) → bytes of MemTotal, MemAvailable and MemFree (absent keys omitted). */
export function parseMeminfo(text: string): { totalBytes?: number; availableBytes?: number; freeBytes?: number } {
  const kb = (key: string) => {
    const m = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text);
    return m ? Number(m[1]) * 1024 : undefined;
  };
  const out = { totalBytes: kb('MemTotal'), availableBytes: kb('MemAvailable'), freeBytes: kb('MemFree') };
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined));
}

/** A cgroup v1 `memory.stat` → key → value. */
export function parseMemoryStat(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const [key, value] = line.trim().split(/\s+/);
    if (key && value !== undefined && /^\d+$/.test(value)) out[key] = Number(value);
  }
  return out;
}

/** What was readable of the node's memory files. */
export interface NodeMemoryFiles {
  meminfo: ReturnType<typeof parseMeminfo>;
  /** Root memory cgroup (v1) `memory.usage_in_bytes` and `memory.stat`, when both were readable. */
  cgroup?: { usageBytes: number; stat: Record<string, number> };
}

/** The node's memory figures (without the time), as the root container's. Pure. */
export function nodeMemory(files: NodeMemoryFiles): Omit<ContainerMemoryUsage, 'atMs'> | undefined {
  const { meminfo, cgroup } = files;
  const total = meminfo.totalBytes;
  const withAvailable = (m: Omit<ContainerMemoryUsage, 'atMs'>) =>
    total !== undefined && m.workingSetBytes !== undefined ? { ...m, availableBytes: Math.max(0, total - m.workingSetBytes) } : m;
  if (cgroup) {
    const { usageBytes, stat } = cgroup;
    const workingSetBytes = Math.max(0, usageBytes - (stat.total_inactive_file ?? 0));
    const optional = { rssBytes: stat.total_rss, pageFaults: stat.total_pgfault, majorPageFaults: stat.total_pgmajfault };
    const present = Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined));
    return withAvailable({ usageBytes, workingSetBytes, ...present });
  }
  if (total === undefined || meminfo.availableBytes === undefined) return undefined;
  const usage = meminfo.freeBytes !== undefined ? { usageBytes: total - meminfo.freeBytes } : {};
  return withAvailable({ ...usage, workingSetBytes: Math.max(0, total - meminfo.availableBytes) });
}

/** One reading of the node (either part absent when its files could not be read). */
export interface NodeReading {
  cpu?: CpuSample;
  memory?: ContainerMemoryUsage;
}

/** Where the node's figures come from (a fake in tests and hollow nodes). */
export interface NodeUsageSource {
  read(): Promise<NodeReading>;
}

/** Reads `<procDir>/stat`, `<procDir>/meminfo` and the v1 root memory cgroup; `now` stamps the reading. */
export function procNodeUsage(options: { now: () => number; procDir?: string; memoryCgroupDir?: string }): NodeUsageSource {
  const proc = options.procDir ?? '/proc';
  const memcg = options.memoryCgroupDir ?? '/sys/fs/cgroup/memory';
  const text = (path: string) => readFile(path, 'utf8').catch(() => undefined);
  return {
    async read() {
      const [stat, meminfo, usage, memStat] = await Promise.all([text(join(proc, 'stat')), text(join(proc, 'meminfo')), text(join(memcg, 'memory.usage_in_bytes')), text(join(memcg, 'memory.stat'))]);
      const atMs = options.now();
      const cpuNs = stat === undefined ? undefined : parseProcStatCpu(stat);
      const cgroup = usage !== undefined && memStat !== undefined && /^\d+\s*$/.test(usage) ? { usageBytes: Number(usage), stat: parseMemoryStat(memStat) } : undefined;
      const memory = nodeMemory({ meminfo: meminfo === undefined ? {} : parseMeminfo(meminfo), cgroup });
      return {
        ...(cpuNs !== undefined ? { cpu: { atMs, usageCoreNanoSeconds: cpuNs } } : {}),
        ...(memory ? { memory: { atMs, ...memory } } : {}),
      };
    },
  };
}

/** A node that measures nothing (hollow nodes): the Summary keeps only its name and start time. */
export const noNodeUsage: NodeUsageSource = { read: async () => ({}) };

/** When the node booted, to the second: now minus the uptime (`os.uptime()`). Pure. */
export function nodeBootTimeMs(nowMs: number, uptimeSeconds: number): number {
  return Math.round((nowMs - uptimeSeconds * 1000) / 1000) * 1000;
}
