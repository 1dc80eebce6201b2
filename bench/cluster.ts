/**
 * bench/cluster: how long `k8ts up` takes from nothing to every node Ready, and how much memory
 * each component holds once the cluster is idle.
 *
 * Each run is a fresh `--dir` (new PKI, empty etcd) inside a network namespace the bench creates,
 * with packages installed and the project's images already built (a warm-up run builds them;
 * it is not counted). Baseline, same run: the floor — starting the external programs `up` waits
 * for (etcd until /health answers, containerd until its CRI answers) with nothing of ours.
 * Targets: single node up ≤ 10 s (kind takes 12–17 s); control plane idle ≤ 400 MB RSS
 * (k3s server: 512–896 MB).
 *
 * Run (root): `npx tsx bench/cluster.ts [--runs 3] [--nodes 1] [--idle-seconds 10]`.
 */
import { execFile, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { promisify } from 'node:util';
import { containerdSocket, renderContainerdConfig } from '../kubelet/containerd/config.ts';
import { PAUSE_IMAGE } from '../kubelet/containerd/process.ts';
import { CriClient } from '../kubelet/cri/client.ts';
import { readState } from '../cli/up/state.ts';
import { repoRoot } from '../e2e/harness/processes.ts';
import { waitFor } from '../pkg/testing/wait.ts';
import { percentile } from './lib/measure.ts';
import { publishRows, type BenchRow } from './lib/report.ts';

const run = promisify(execFile);
const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' }, nodes: { type: 'string', default: '1' }, 'idle-seconds': { type: 'string', default: '10' } } });
const runs = Number(values.runs);
const nodes = Number(values.nodes);
const idleMs = Number(values['idle-seconds']) * 1000;
/** Start-up polling: a failing probe means "not yet". */
const POLL = { timeoutMs: 30_000, retryErrors: true };
const CONTROL_PLANE = ['etcd', 'apiserver', 'controller-manager', 'scheduler', 'dns'];

const netns = `k8ts-bench-cluster-${process.pid}`;
const work = mkdtempSync(join(tmpdir(), 'k8ts-bench-cluster-'));
const inNetns = (cmd: string, args: string[]) => run('nsenter', [`--net=/var/run/netns/${netns}`, cmd, ...args], { cwd: repoRoot, timeout: 600_000, maxBuffer: 16 * 1024 * 1024 });
const k8ts = (dir: string, ...args: string[]) => inNetns(process.execPath, [join(repoRoot, 'bin/k8ts.mjs'), ...args, '--dir', dir, '--netns-prefix', `k8ts-bc${process.pid}-`]);

/** Resident memory of a PID in MB (VmRSS), 0 when gone. */
function rssMB(pid: number): number {
  try {
    const kb = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** The floor: etcd healthy and one containerd answering its CRI, started in parallel. */
async function floorSeconds(i: number): Promise<number> {
  const dir = join(work, `floor-${i}`);
  mkdirSync(join(dir, 'containerd'), { recursive: true });
  writeFileSync(join(dir, 'containerd', 'config.toml'), renderContainerdConfig({ dir: join(dir, 'containerd'), sandboxImage: PAUSE_IMAGE }));
  const port = 23790 + i * 2;
  const t0 = performance.now();
  const etcd = spawn('nsenter', [`--net=/var/run/netns/${netns}`, 'etcd', '--name', 'floor', '--data-dir', join(dir, 'etcd'), '--listen-client-urls', `http://127.0.0.1:${port}`, '--advertise-client-urls', `http://127.0.0.1:${port}`, '--listen-peer-urls', `http://127.0.0.1:${port + 1}`], { stdio: 'ignore' });
  const containerd = spawn('nsenter', [`--net=/var/run/netns/${netns}`, 'containerd', '--config', join(dir, 'containerd', 'config.toml')], { stdio: 'ignore' });
  try {
    await Promise.all([
      waitFor('etcd', async () => (await inNetns('curl', ['-sf', `http://127.0.0.1:${port}/health`])).stdout.includes('true'), POLL),
      waitFor('containerd', async () => {
        const cri = new CriClient({ endpoint: containerdSocket(join(dir, 'containerd')), timeoutMs: 1000 });
        try {
          return Boolean(await cri.version());
        } finally {
          cri.close();
        }
      }, POLL),
    ]);
    return (performance.now() - t0) / 1000;
  } finally {
    etcd.kill('SIGKILL');
    containerd.kill('SIGKILL');
  }
}

interface UpRun {
  seconds: number;
  rss: Record<string, number>;
}

async function upOnce(i: number): Promise<UpRun> {
  const dir = join(work, `cluster-${i}`);
  try {
    const t0 = performance.now();
    await k8ts(dir, 'up', '--skip-install', '--nodes', String(nodes));
    const seconds = (performance.now() - t0) / 1000;
    await new Promise((r) => setTimeout(r, idleMs));
    const rss = Object.fromEntries((readState(dir)?.components ?? []).map((c) => [c.name, rssMB(c.pid)]));
    return { seconds, rss };
  } finally {
    await k8ts(dir, 'down').catch(() => undefined);
  }
}

async function main(): Promise<void> {
  execFileSync('ip', ['netns', 'add', netns]);
  execFileSync('ip', ['netns', 'exec', netns, 'ip', 'link', 'set', 'lo', 'up']);
  try {
    process.stdout.write('warm-up run (builds and caches images; not counted)…\n');
    await upOnce(0);
    const ups: UpRun[] = [];
    const floors: number[] = [];
    for (let i = 1; i <= runs; i++) {
      floors.push(await floorSeconds(i));
      ups.push(await upOnce(i));
      process.stdout.write(`run ${i}/${runs}: up ${ups.at(-1)?.seconds.toFixed(1)} s, floor ${floors.at(-1)?.toFixed(2)} s\n`);
    }
    const last = ups.at(-1) as UpRun;
    const names = Object.keys(last.rss);
    const width = Math.max(...names.map((n) => n.length), 'component'.length);
    process.stdout.write(`\nidle RSS after ${idleMs / 1000} s (last run)\n${'component'.padEnd(width)}  RSS MB\n`);
    for (const n of names) process.stdout.write(`${n.padEnd(width)}  ${last.rss[n].toFixed(0).padStart(6)}\n`);
    const controlPlane = CONTROL_PLANE.reduce((sum, n) => sum + (last.rss[n] ?? 0), 0);
    process.stdout.write(`${'control plane'.padEnd(width)}  ${controlPlane.toFixed(0).padStart(6)}  (${CONTROL_PLANE.join(' + ')})\n\n`);
    const rows: BenchRow[] = [
      { name: `up to ${nodes} node(s) Ready (median of ${runs})`, value: percentile(ups.map((u) => u.seconds).sort((a, b) => a - b), 0.5), unit: 's', baselineName: 'etcd + containerd start floor', baseline: percentile([...floors].sort((a, b) => a - b), 0.5), better: 'lower', target: nodes === 1 ? '≤ 10 s (kind 12–17 s)' : undefined },
      { name: 'control plane idle RSS', value: controlPlane, unit: 'MB', baselineName: 'etcd alone', baseline: last.rss.etcd ?? 0, better: 'lower', target: '≤ 400 MB (k3s 512–896 MB)' },
    ];
    publishRows('cluster', rows);
  } finally {
    execFileSync('sh', ['-c', `for m in $(grep ' ${work}' /proc/mounts | cut -d' ' -f2 | sort -r); do umount -l "$m" 2>/dev/null; done; ip netns del ${netns} 2>/dev/null; true`]);
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
