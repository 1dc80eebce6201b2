/**
 * Memory of a process from `/proc/<pid>/status`: `VmHWM` (peak resident set) and `VmRSS`
 * (current), in bytes. The parser is pure; `readProcMemory` is the thin I/O edge (undefined once
 * the process is gone).
 */
import { readFileSync } from 'node:fs';
import { childPids } from '../../pkg/util/process-table.ts';

/** Peak and current resident set size in bytes. */
export interface ProcMemory {
  peakRssBytes: number;
  rssBytes: number;
}

/** Reads `VmHWM` and `VmRSS` (kB in the file) from a status text; missing fields are 0. */
export function parseProcStatus(text: string): ProcMemory {
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+)\\s*kB`, 'm').exec(text)?.[1] ?? 0) * 1024;
  return { peakRssBytes: kb('VmHWM'), rssBytes: kb('VmRSS') };
}

/** The memory of process `pid` now, or undefined when it cannot be read. */
export function readProcMemory(pid: number): ProcMemory | undefined {
  try {
    return parseProcStatus(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return undefined;
  }
}

/** User + system CPU seconds from a `/proc/<pid>/stat` line (fields 14 and 15, in clock ticks of `ticksPerSecond`); pure. */
export function parseProcStatCpuSeconds(stat: string, ticksPerSecond = 100): number {
  // The command name (field 2) is parenthesised and may hold spaces: count fields after its ')'.
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(rest[11]) + Number(rest[12])) / ticksPerSecond;
}

/** CPU seconds process `pid` has used so far, or undefined when it cannot be read. */
export function readProcCpuSeconds(pid: number): number | undefined {
  try {
    return parseProcStatCpuSeconds(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

/** CPU seconds process `pid` and its direct children (e.g. API server workers) have used so far, or undefined when `pid` cannot be read. */
export function readProcTreeCpuSeconds(pid: number): number | undefined {
  const own = readProcCpuSeconds(pid);
  if (own === undefined) return undefined;
  return childPids(pid).reduce((total, child) => total + (readProcCpuSeconds(child) ?? 0), own);
}

/** The machine's CPU seconds, all cores together: `busy` (user, nice, system, irq, softirq, steal) and `idle` (idle, iowait). */
export interface MachineCpu {
  busySeconds: number;
  idleSeconds: number;
}

/** Parses the aggregate `cpu` line of `/proc/stat` (clock ticks of `ticksPerSecond`); pure. */
export function parseMachineCpu(procStat: string, ticksPerSecond = 100): MachineCpu {
  const line = procStat.split('\n').find((l) => l.startsWith('cpu ')) ?? '';
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = line.trim().split(/\s+/).slice(1).map(Number);
  return { busySeconds: (user + nice + system + irq + softirq + steal) / ticksPerSecond, idleSeconds: (idle + iowait) / ticksPerSecond };
}

/** The machine's CPU seconds so far (`/proc/stat`). */
export function readMachineCpu(): MachineCpu {
  return parseMachineCpu(readFileSync('/proc/stat', 'utf8'));
}
