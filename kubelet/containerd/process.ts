/**
 * Runs one containerd for one node (or test): renders its config into `dir`, starts it — inside
 * a network namespace when given, so CNI bridges and iptables rules stay there — waits until the
 * CRI answers, and stops it by PID. The images a node needs are built and imported on start.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, writeFile, open } from 'node:fs/promises';
import { join } from 'node:path';
import { CriClient } from '../cri/client.ts';
import { containerdSocket, renderContainerdConfig, type ContainerdConfigOptions } from './config.ts';
import { buildBusyboxImage, importImage, PAUSE_ENTRYPOINT } from './images.ts';
import { killShims } from './shims.ts';

/** The pause image every k8ts node uses. */
export const PAUSE_IMAGE = 'k8ts.local/pause:3.9';
/** A busybox image under the name manifests use (`busybox`, `busybox:latest`). */
export const BUSYBOX_IMAGE = 'docker.io/library/busybox:latest';

/** Options of {@link startContainerd}. */
export interface StartContainerdOptions extends Omit<ContainerdConfigOptions, 'sandboxImage'> {
  /** Run inside this (existing) network namespace. */
  netns?: string;
  /** How long to wait for the CRI (default 20 s). */
  startTimeoutMs?: number;
  /** Also import the busybox image (default true). */
  busybox?: boolean;
  /** More names the busybox image is imported under (e.g. `k8s.gcr.io/busybox`, tag `latest`). */
  busyboxAliases?: readonly string[];
}

/** A running containerd. */
export interface ContainerdProcess {
  readonly socket: string;
  readonly pid: number;
  readonly logFile: string;
  /** SIGTERM, then SIGKILL after 5 s, then kills any shim (and its containers) left; idempotent. */
  stop(): Promise<void>;
}

/** Starts containerd and imports the node images; on failure stops what it started and rejects. */
export async function startContainerd(options: StartContainerdOptions): Promise<ContainerdProcess> {
  const { dir } = options;
  await mkdir(options.cniConfDir ?? join(dir, 'cni'), { recursive: true });
  const configPath = join(dir, 'config.toml');
  await writeFile(configPath, renderContainerdConfig({ ...options, sandboxImage: PAUSE_IMAGE }));
  const logFile = join(dir, 'containerd.log');
  const log = await open(logFile, 'a');
  // nsenter, not `ip netns exec`: the latter remounts /sys, hiding the cgroup mounts runc needs.
  const [cmd, args] = options.netns ? ['nsenter', [`--net=/var/run/netns/${options.netns}`, 'containerd', '--config', configPath]] : ['containerd', ['--config', configPath]];
  const child: ChildProcess = spawn(cmd, args, { stdio: ['ignore', log.fd, log.fd], detached: false });
  await log.close();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const socket = containerdSocket(dir);
  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
      // Shims outlive containerd by design; ours must not outlive the test or node.
      killShims(socket);
    })();
    return stopped;
  };
  try {
    await waitForCri(socket, options.startTimeoutMs ?? 20_000, child, logFile);
    const pause = await buildBusyboxImage({ tag: '3.9', entrypoint: PAUSE_ENTRYPOINT, outputTar: join(dir, 'pause.tar') });
    await importImage({ socket, archive: pause, baseName: 'k8ts.local/pause' });
    if (options.busybox !== false) {
      const busybox = await buildBusyboxImage({ tag: 'latest', cmd: ['sh'], outputTar: join(dir, 'busybox.tar') });
      for (const baseName of ['docker.io/library/busybox', ...(options.busyboxAliases ?? [])]) await importImage({ socket, archive: busybox, baseName });
    }
    return { socket, pid: child.pid ?? -1, logFile, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

async function waitForCri(socket: string, timeoutMs: number, child: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`containerd exited with ${child.exitCode}; see ${logFile}`);
    const cri = new CriClient({ endpoint: socket, timeoutMs: 1000 });
    try {
      await cri.version();
      return;
    } catch (err) {
      last = err;
    } finally {
      cri.close();
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`containerd CRI did not answer within ${timeoutMs} ms (${String(last)}); see ${logFile}`);
}
