/**
 * A real, throw-away etcd for tests: the Debian `etcd` binary (3.4, installed by
 * `scripts/install-deps.sh`) on free loopback client and peer ports with its own temporary data
 * directory. `startEtcd` resolves once etcd answers `/health`; on any failure it kills what it
 * started and removes the directory before rejecting. `stop()` kills the process by PID
 * (SIGTERM, then SIGKILL) and removes the data directory; calling it twice is harmless.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface StartEtcdOptions {
  /** The etcd binary (default `etcd` from PATH, i.e. /usr/bin/etcd). */
  binary?: string;
  /** How long to wait for `/health` (default 20 s). */
  startTimeoutMs?: number;
  /** Extra command-line flags. */
  extraArgs?: string[];
  /** Where the temporary data directory is created (default the OS temp dir). */
  tmpRoot?: string;
}

export interface EtcdProcess {
  /** Client URL, `http://127.0.0.1:PORT`. */
  endpoint: string;
  dataDir: string;
  pid: number;
  /** Kills etcd (by PID) and removes its data directory. Idempotent. */
  stop(): Promise<void>;
}

const PORT_ATTEMPTS = 3;

/** Starts etcd; retries with new ports if the chosen ones were taken in the meantime. */
export async function startEtcd(options: StartEtcdOptions = {}): Promise<EtcdProcess> {
  let lastError: unknown;
  for (let attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
    try {
      return await startOnce(options);
    } catch (err) {
      lastError = err;
      if (!(err instanceof EtcdStartError) || !err.portInUse) throw err;
    }
  }
  throw lastError;
}

class EtcdStartError extends Error {
  constructor(message: string, readonly portInUse: boolean) {
    super(message);
    this.name = 'EtcdStartError';
  }
}

/** The flags for one single-member etcd; pure. */
export function etcdArgs(options: { dataDir: string; clientPort: number; peerPort: number }): string[] {
  const client = `http://127.0.0.1:${options.clientPort}`;
  const peer = `http://127.0.0.1:${options.peerPort}`;
  return [
    '--name', 'k8ts-test',
    '--data-dir', options.dataDir,
    '--listen-client-urls', client,
    '--advertise-client-urls', client,
    '--listen-peer-urls', peer,
    '--initial-advertise-peer-urls', peer,
    '--initial-cluster', `k8ts-test=${peer}`,
    '--logger', 'zap',
    '--log-outputs', 'stderr',
    '--log-level', 'warn',
  ];
}

/** `ETCD_UNSUPPORTED_ARCH` for architectures etcd 3.4 refuses without it (anything but amd64). */
export function unsupportedArchEnv(nodeArch: string): Record<string, string> {
  const goArch: Record<string, string> = { arm64: 'arm64', ppc64: 'ppc64le', s390x: 's390x', ia32: '386', arm: 'arm' };
  return nodeArch === 'x64' ? {} : { ETCD_UNSUPPORTED_ARCH: goArch[nodeArch] ?? nodeArch };
}

async function startOnce(options: StartEtcdOptions): Promise<EtcdProcess> {
  const dataDir = await mkdtemp(join(options.tmpRoot ?? tmpdir(), 'k8ts-etcd-'));
  const [clientPort, peerPort] = await Promise.all([freePort(), freePort()]);
  const endpoint = `http://127.0.0.1:${clientPort}`;
  // etcd logs to a file, not a pipe to this process: under load it logs slow applies often, and a
  // pipe this process's busy event loop does not drain in time blocks etcd's writes (and a pipe
  // whose reader died kills etcd with SIGPIPE).
  const logFile = join(dataDir, 'etcd.log');
  const logFd = openSync(logFile, 'a');
  const child = spawn(options.binary ?? 'etcd', [...etcdArgs({ dataDir: join(dataDir, 'data'), clientPort, peerPort }), ...(options.extraArgs ?? [])], {
    stdio: ['ignore', 'ignore', logFd],
    env: { ...process.env, ...unsupportedArchEnv(process.arch) },
  });
  closeSync(logFd);
  const logTail = () => {
    try {
      return readFileSync(logFile, 'utf8').slice(-4000);
    } catch {
      return '';
    }
  };
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let spawnError: Error | undefined;
  child.once('error', (err) => (spawnError = err));
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    await waitHealthy(endpoint, options.startTimeoutMs ?? 20_000, () => {
      if (spawnError) return `could not run etcd: ${spawnError.message}`;
      if (child.exitCode !== null || child.signalCode !== null) return `etcd exited (${child.exitCode ?? child.signalCode}): ${logTail()}`;
      return undefined;
    });
  } catch (err) {
    await stop();
    const message = (err as Error).message;
    throw new EtcdStartError(message, /address already in use/.test(message));
  }
  return { endpoint, dataDir, pid: child.pid!, stop };
}

async function waitHealthy(endpoint: string, timeoutMs: number, failure: () => string | undefined): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    const failed = failure();
    if (failed) throw new Error(failed);
    try {
      const res = await fetch(`${endpoint}/health`, { signal: AbortSignal.timeout(1_000) });
      const body = (await res.json()) as { health?: string };
      if (res.ok && body.health === 'true') return;
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = String(err);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`etcd at ${endpoint} not healthy after ${timeoutMs} ms: ${last}`);
}

/** A free TCP port on 127.0.0.1 (bound, then released). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
