/**
 * Finds and kills what a containerd left behind: `containerd-shim-runc-v2` processes started for
 * its socket and every process below them (pause and container processes). Used after stopping
 * a containerd we started, so no sandbox outlives it.
 */
import { readFileSync } from 'node:fs';
import { processTable } from '../../pkg/util/process-table.ts';

function cmdline(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  } catch {
    return [];
  }
}

/** PIDs of shims serving `socket`, each followed by its descendants. */
export function shimTrees(socket: string): number[] {
  const table = processTable();
  const shims = [...table.keys()].filter((pid) => {
    const argv = cmdline(pid);
    return argv[0]?.endsWith('containerd-shim-runc-v2') && argv[argv.indexOf('-address') + 1] === socket;
  });
  const out: number[] = [];
  const visit = (pid: number) => {
    out.push(pid);
    for (const [child, parent] of table) if (parent === pid) visit(child);
  };
  for (const shim of shims) visit(shim);
  return out;
}

/** SIGKILLs the shims of `socket` and their process trees; returns how many were killed. */
export function killShims(socket: string): number {
  const pids = shimTrees(socket);
  for (const pid of pids.reverse()) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  return pids.length;
}
