/**
 * Memory of a process from `/proc/<pid>/status`: `VmHWM` (peak resident set) and `VmRSS`
 * (current), in bytes. The parser is pure; `readProcMemory` is the thin I/O edge (undefined once
 * the process is gone).
 */
import { readFileSync } from 'node:fs';

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
