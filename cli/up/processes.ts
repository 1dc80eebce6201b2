/**
 * Long-running components started by `k8ts up`: detached child processes (they outlive the
 * command), one log file each, tracked by PID in the cluster's state file.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';

/** A started component as recorded in the state file. */
export interface ComponentRecord {
  name: string;
  pid: number;
  logFile: string;
  command: string[];
}

/** Whether a PID is alive (signal 0). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
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
