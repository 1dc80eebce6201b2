/**
 * A place to run `k8ts up` in an e2e test without touching the machine's network: a network
 * namespace the test creates (the cluster's bridge, routes and rules live there; node namespaces
 * get a prefix unique to the test) and a temporary `--dir`. `destroy` runs `k8ts down`, kills
 * whatever is left by PID, unmounts what the cluster mounted under the dir, and deletes the
 * namespaces and the dir — also after a failed test.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { isAlive } from '../../cli/up/processes.ts';
import { readState, type ClusterState } from '../../cli/up/state.ts';
import { kubectlRunner } from './kubectl.ts';
import { repoRoot } from './processes.ts';

const run = promisify(execFile);

/** A test's `k8ts up` sandbox (see the module comment). */
export interface UpTestbed {
  /** The network namespace `k8ts up` and kubectl run in. */
  readonly netns: string;
  /** Prefix for node namespaces: pass as `--netns-prefix` (included by `k8ts`). */
  readonly netnsPrefix: string;
  /** The cluster's `--dir`. */
  readonly dir: string;
  readonly kubeconfig: string;
  /** Runs a command inside `netns`; rejects on a non-zero exit (the error carries stdout/stderr). */
  exec(cmd: string, args: string[], timeoutMs?: number): Promise<{ stdout: string; stderr: string }>;
  /** `k8ts <args> --dir <dir> [--netns-prefix …]` inside `netns`. */
  k8ts(...args: string[]): Promise<{ stdout: string; stderr: string }>;
  /** kubectl `minor` against the cluster, run inside `netns` (see `kubectlRunner`). */
  kubectl(minor: string): ReturnType<typeof kubectlRunner>;
  /** The cluster's state file, if `up` wrote one. */
  state(): ClusterState | undefined;
  destroy(): Promise<void>;
}

/** Creates the namespace and dir; `name` must be short ([a-z0-9-]). */
export function createUpTestbed(name: string): UpTestbed {
  const netns = `k8ts-${name}-${process.pid}`;
  const netnsPrefix = `k8ts-${name.slice(0, 6)}${process.pid}-`;
  const dir = mkdtempSync(join(tmpdir(), `k8ts-${name}-`));
  const clusterDir = join(dir, 'cluster');
  execFileSync('ip', ['netns', 'add', netns]);
  execFileSync('ip', ['netns', 'exec', netns, 'ip', 'link', 'set', 'lo', 'up']);
  const exec = (cmd: string, args: string[], timeoutMs = 180_000) =>
    run('nsenter', [`--net=/var/run/netns/${netns}`, cmd, ...args], { cwd: repoRoot, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, HOME: dir } });
  const k8ts = (...args: string[]) => {
    const extra = args[0] === 'up' ? ['--netns-prefix', netnsPrefix] : [];
    return exec(process.execPath, [join(repoRoot, 'bin/k8ts.mjs'), ...args, '--dir', clusterDir, ...extra], 300_000);
  };
  const kubeconfig = join(clusterDir, 'admin.kubeconfig');
  return {
    netns,
    netnsPrefix,
    dir: clusterDir,
    kubeconfig,
    exec,
    k8ts,
    kubectl: (minor) => kubectlRunner(minor, () => ({ kubeconfig, home: dir, netns })),
    state: () => readState(clusterDir),
    async destroy() {
      await k8ts('down').catch(() => undefined);
      const state = readState(clusterDir);
      for (const c of state?.components ?? []) if (isAlive(c.pid)) process.kill(c.pid, 'SIGKILL');
      execFileSync('sh', ['-c', `for m in $(grep ' ${dir}' /proc/mounts | cut -d' ' -f2 | sort -r); do umount -l "$m" 2>/dev/null; done; true`]);
      for (const ns of [...(state?.network.netns ?? []), netns]) execFileSync('sh', ['-c', `ip netns del ${ns} 2>/dev/null; true`]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
