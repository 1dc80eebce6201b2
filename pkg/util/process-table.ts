/**
 * The machine's processes from /proc: who is whose parent. Linux only; reads are snapshots
 * (processes may come and go meanwhile).
 */
import { readdirSync, readFileSync } from 'node:fs';

/** `pid → parent pid` of every process, from /proc. */
export function processTable(): Map<number, number> {
  const table = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name (field 2) is parenthesised and may hold spaces: count fields after its ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      table.set(Number(entry), ppid);
    } catch {
      // gone meanwhile
    }
  }
  return table;
}

/** PIDs of the processes whose parent is `pid`. */
export function childPids(pid: number): number[] {
  return [...processTable()].flatMap(([child, parent]) => (parent === pid ? [child] : []));
}
