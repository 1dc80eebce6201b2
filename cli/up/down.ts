/**
 * `k8ts down`: stops what `k8ts up` started — pod sandboxes through each node's CRI first (so no
 * container outlives its containerd), then every recorded process by PID in the waves of
 * `stopWaves` — and removes the host networking it created. PKI, etcd data and logs stay in `--dir`.
 */
import { rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { containerdSocket } from '../../kubelet/containerd/config.ts';
import { CriClient } from '../../kubelet/cri/client.ts';
import { killShims } from '../../kubelet/containerd/shims.ts';
import { cleanupHostNetwork } from './network-cleanup.ts';
import { removeNodeNetwork } from './node-network.ts';
import { isAlive, stopPid } from './processes.ts';
import { readState, statePath } from './state.ts';

function dirFrom(argv: string[]): string {
  const i = argv.findIndex((a) => a === '--dir' || a.startsWith('--dir='));
  if (i < 0) return join(homedir(), '.k8ts');
  return argv[i].includes('=') ? argv[i].split('=')[1] : argv[i + 1];
}

/**
 * The order components stop in, as waves stopped in parallel: the API server's clients first
 * (the controller-manager and scheduler release their leader leases through it, so the next
 * `k8ts up` need not wait a lease duration for them), then the API servers, then etcd, so no
 * component loses what it talks to while still running. Pure.
 */
export function stopWaves(names: readonly string[]): string[][] {
  const waves = [names.filter((n) => n !== 'etcd' && n !== 'apiserver'), names.filter((n) => n === 'apiserver'), names.filter((n) => n === 'etcd')];
  return waves.filter((w) => w.length > 0);
}

/** Stops the cluster recorded in `dir`. */
export async function down(dir: string): Promise<void> {
  const state = readState(dir);
  if (!state) {
    process.stdout.write(`no cluster recorded in ${dir}\n`);
    return;
  }
  // Kubelets first: a running kubelet would recreate the sandboxes removed below.
  await Promise.all(state.components.filter((c) => c.name.startsWith('kubelet-') && isAlive(c.pid)).map(async (c) => {
    await stopPid(c.pid);
    process.stdout.write(`stopped ${c.name} (pid ${c.pid})\n`);
  }));
  for (const node of state.nodes.filter((n) => n.runtime === 'containerd')) {
    const cri = new CriClient({ endpoint: containerdSocket(join(dir, 'nodes', node.name, 'containerd')), timeoutMs: 10_000 });
    try {
      for (const s of await cri.listPodSandbox().catch(() => [])) {
        await cri.stopPodSandbox(s.id).catch(() => undefined);
        await cri.removePodSandbox(s.id).catch(() => undefined);
      }
    } finally {
      cri.close();
    }
  }
  const stop = async (c: (typeof state.components)[number]) => {
    if (!isAlive(c.pid)) return;
    await stopPid(c.pid);
    process.stdout.write(`stopped ${c.name} (pid ${c.pid})\n`);
  };
  for (const wave of stopWaves(state.components.map((c) => c.name))) {
    await Promise.all(state.components.filter((c) => wave.includes(c.name)).map(stop));
  }
  for (const node of state.nodes.filter((n) => n.runtime === 'containerd')) {
    const killed = killShims(containerdSocket(join(dir, 'nodes', node.name, 'containerd')));
    if (killed) process.stdout.write(`killed ${killed} leftover container processes of ${node.name}\n`);
  }
  for (const item of await removeNodeNetwork(state.network.netns)) process.stdout.write(`removed ${item}\n`);
  for (const item of await cleanupHostNetwork(state.network.bridges)) process.stdout.write(`removed ${item}\n`);
  rmSync(statePath(dir), { force: true });
}

export async function main(argv: string[]): Promise<void> {
  await down(dirFrom(argv));
}

/** `k8ts status`: components with PID and liveness, then nodes as the API reports them. */
export async function status(argv: string[]): Promise<void> {
  const dir = dirFrom(argv);
  const state = readState(dir);
  if (!state) {
    process.stdout.write(`no cluster recorded in ${dir}\n`);
    process.exitCode = 1;
    return;
  }
  const rows = [['COMPONENT', 'PID', 'STATUS', 'LOG'], ...state.components.map((c) => [c.name, String(c.pid), isAlive(c.pid) ? 'running' : 'stopped', c.logFile])];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  process.stdout.write(`${rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd()).join('\n')}\n`);
  process.stdout.write(`\nexport KUBECONFIG=${state.kubeconfig}\n`);
}

/** `k8ts logs <component>`: prints the component's log (the last 100 lines; `-f` follows). */
export async function logs(argv: string[]): Promise<void> {
  const dir = dirFrom(argv);
  const name = argv.find((a, i) => !a.startsWith('-') && argv[i - 1] !== '--dir');
  const state = readState(dir);
  const component = state?.components.find((c) => c.name === name);
  if (!component) {
    process.stderr.write(`k8ts logs: unknown component "${name ?? ''}"; known: ${state?.components.map((c) => c.name).join(', ') ?? '(no cluster)'}\n`);
    process.exitCode = 2;
    return;
  }
  const { spawn } = await import('node:child_process');
  const child = spawn('tail', ['-n', '100', ...(argv.includes('-f') ? ['-f'] : []), component.logFile], { stdio: 'inherit' });
  await new Promise((r) => child.on('exit', r));
}
