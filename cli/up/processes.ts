/**
 * Long-running components started by `k8ts up`: detached child processes (they outlive the
 * command), one log file each, tracked by PID in the cluster's state file.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';

/** A started component as recorded in the state file. */
export interface ComponentRecord {
  name: string;
  pid: number;
  logFile: string;
  command: string[];
}

/**
 * Whether a PID is alive: it takes signal 0 and is not a zombie. A component that died keeps its
 * PID as a zombie until its parent reaps it, and an orphaned detached component's new parent
 * (the machine's PID 1) may be slow to or never do so.
 */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  return !isZombie(pid);
}

/** Whether `/proc/<pid>/stat` says the process has exited but is not reaped (state Z or X). */
function isZombie(pid: number): boolean {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return false;
  }
  // `pid (comm) state …`: comm may hold spaces and parentheses, so the state follows the last ')'.
  const state = stat.charAt(stat.lastIndexOf(')') + 2);
  return state === 'Z' || state === 'X';
}

/** Starts `command` detached with stdout/stderr appended to `logFile`. */
export function startDetached(name: string, command: string[], logFile: string, env: Record<string, string> = {}): ComponentRecord {
  const fd = openSync(logFile, 'a');
  const child = spawn(command[0], command.slice(1), { detached: true, stdio: ['ignore', fd, fd], env: { ...process.env, ...env } });
  closeSync(fd);
  child.unref();
  if (!child.pid) throw new Error(`could not start ${name}`);
  return { name, pid: child.pid, logFile, command };
}

/**
 * Starts again, with their recorded command and log file, the components of `state` whose PID
 * is gone; updates their PIDs in `state` and returns the restarted records.
 */
export function restartDeadComponents(state: { components: ComponentRecord[] }): ComponentRecord[] {
  const restarted: ComponentRecord[] = [];
  state.components = state.components.map((c) => {
    if (isAlive(c.pid)) return c;
    const again = startDetached(c.name, c.command, c.logFile);
    restarted.push(again);
    return again;
  });
  return restarted;
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the PID is gone. */
export async function stopPid(pid: number, graceMs = 10_000): Promise<void> {
  if (!isAlive(pid)) return;
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  const deadline = Date.now() + graceMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        return;
      }
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
