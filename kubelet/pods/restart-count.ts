/**
 * The restart count of a container the runtime holds no earlier instance of (upstream
 * `calcRestartCountByLogDir`): one past the highest `<n>.log` in its log directory, 0 when there
 * is none. After the runtime lost its state (a node reboot, `k8ts down`), a pod's containers
 * start again counted on — `kubectl get pods` shows the restart and no earlier log is overwritten.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** Reads `<logDirectory>/<container>/`; a missing directory is 0. */
export async function restartCountFromLogs(logDirectory: string | undefined, container: string): Promise<number> {
  if (!logDirectory) return 0;
  const names = await readdir(join(logDirectory, container)).catch(() => [] as string[]);
  let highest = -1;
  for (const name of names) {
    const m = /^(\d+)\.log$/.exec(name);
    if (m) highest = Math.max(highest, Number(m[1]));
  }
  return highest + 1;
}
