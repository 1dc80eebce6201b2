/**
 * A private podman for container tests, confined to a network namespace the test creates.
 *
 * `startPodmanInNetns` creates the network namespace `k8ts-<topic>-<pid>`, writes a
 * containers.conf (`default_ulimits = []`: these machines lack CAP_SYS_RESOURCE; file locks;
 * a private network config directory) and runs `podman system service --time=0` on a socket
 * in its own directory — with its own storage root, run root and tmp dir — inside that
 * namespace via `nsenter --net` (not `ip netns exec`, which remounts /sys and hides the cgroup
 * mounts runc needs). Podman's bridges and netavark's iptables rules therefore land in the
 * test's namespace, never the host's; anything that must reach the containers is started
 * with `spawnInNetns`. `stop()` removes every container and network it made, stops the
 * service and every process it spawned (by PID), deletes the namespace and the directory —
 * it is idempotent and also runs when starting fails half-way. Names carry the test's PID; a
 * start first sweeps up after earlier runs of the same topic whose process died before `stop()`.
 *
 * Needs `podman` and `util-linux` (nsenter) and `iproute2` (scripts/install-deps.sh).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { ComponentProcess } from './processes.ts';

const run = promisify(execFile);

/** A running podman service inside a private network namespace. */
export interface PodmanInNetns {
  /** The namespace's name (`ip netns` list) and its path under /run/netns. */
  netns: string;
  netnsPath: string;
  /** Scratch directory (storage, socket, logs); removed by `stop()`. */
  dir: string;
  /** `unix:///…/podman.sock` — the value for DOCKER_HOST. */
  dockerHost: string;
  /** Environment for testcontainers: DOCKER_HOST and TESTCONTAINERS_RYUK_DISABLED (no reaper image here). */
  testcontainersEnv: Record<string, string>;
  /** Runs `podman --remote <args>` against this service; resolves with stdout, rejects with stderr. */
  remote(args: string[], timeoutMs?: number): Promise<string>;
  /** Starts `command args` inside the namespace (stdout+stderr to `<dir>/<name>.log`); stopped by `stop()`. */
  spawnInNetns(name: string, command: string, args: string[], env?: Record<string, string>): ComponentProcess;
  /** Runs `command args` to completion inside this namespace; resolves with stdout. */
  execInNetns(command: string, args: string[]): Promise<string>;
  /** Runs `command args` to completion inside the namespace of process `pid` (e.g. a container's). */
  execInNetnsOf(pid: number, command: string, args: string[]): Promise<string>;
  /** Removes containers and networks, stops spawned processes and the service, deletes netns and dir. */
  stop(): Promise<void>;
}

export interface StartPodmanOptions {
  /** Short topic used in every name (`k8ts-<topic>-<pid>`). */
  topic: string;
  /** How long to wait for the API socket (default 60 s: the machine may be loaded). */
  startTimeoutMs?: number;
}

/** Why podman cannot run here (root and the binaries are needed), or undefined when it can. */
export function podmanUnusableReason(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root (network namespaces)';
  const path = (process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin').split(':');
  for (const bin of ['podman', 'nsenter', 'ip', 'iptables']) {
    if (!path.some((d) => existsSync(join(d, bin)))) return `${bin} is not installed (run scripts/install-deps.sh)`;
  }
  return undefined;
}

/** The containers.conf the service runs with; pure. */
export function containersConf(dir: string): string {
  return [
    '[containers]',
    'default_ulimits = []',
    '',
    '[engine]',
    'lock_type = "file"',
    'events_logger = "file"',
    `events_logfile_path = "${join(dir, 'events.log')}"`,
    '',
    '[network]',
    `network_config_dir = "${join(dir, 'networks')}"`,
    '',
  ].join('\n');
}

/** Starts the service; on failure everything started so far is undone before rejecting. */
export async function startPodmanInNetns(options: StartPodmanOptions): Promise<PodmanInNetns> {
  await sweepStaleRuns(options.topic);
  const netns = runName(options.topic, process.pid);
  const netnsPath = `/run/netns/${netns}`;
  const dir = join(tmpdir(), netns);
  rmSync(dir, { recursive: true, force: true });
  for (const sub of ['root', 'runroot', 'tmp', 'networks']) mkdirSync(join(dir, sub), { recursive: true });
  const confPath = join(dir, 'containers.conf');
  writeFileSync(confPath, containersConf(dir));
  const socket = join(dir, 'podman.sock');
  const dockerHost = `unix://${socket}`;
  const env = { ...process.env, CONTAINERS_CONF: confPath };
  const storageFlags = ['--root', join(dir, 'root'), '--runroot', join(dir, 'runroot'), '--tmpdir', join(dir, 'tmp'), '--storage-driver', 'vfs'];
  const spawned: ComponentProcess[] = [];
  let service: ChildProcess | undefined;
  let stopped = false;

  const remote = async (args: string[], timeoutMs = 60_000): Promise<string> => {
    try {
      const { stdout } = await run('podman', ['--remote', '--url', dockerHost, ...args], { env, timeout: timeoutMs, maxBuffer: 16 << 20 });
      return stdout;
    } catch (err) {
      const e = err as { stderr?: string; message: string };
      throw new Error(`podman ${args.join(' ')}: ${(e.stderr || e.message).trim()}`);
    }
  };

  const spawnInNetns = (name: string, command: string, args: string[], extraEnv?: Record<string, string>): ComponentProcess => {
    const logFile = join(dir, `${name}.log`);
    const fd = openSync(logFile, 'a');
    // nsenter without --fork execs the command: the PID we hold is the command's own.
    const child = spawn('nsenter', [`--net=${netnsPath}`, '--', command, ...args], { stdio: ['ignore', fd, fd], env: { ...process.env, ...extraEnv } });
    closeSync(fd);
    const proc = processHandle(name, child, logFile);
    spawned.push(proc);
    return proc;
  };

  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    for (const p of spawned.reverse()) await p.stop(3000).catch(() => undefined);
    if (service && service.exitCode === null) {
      const ids = (await remote(['ps', '-aq'], 20_000).catch(() => '')).split('\n').filter(Boolean);
      if (ids.length) await remote(['rm', '-f', '-t', '0', ...ids], 60_000).catch(() => undefined);
      const nets = (await remote(['network', 'ls', '-q'], 20_000).catch(() => '')).split('\n').filter((n) => n && n !== 'podman');
      if (nets.length) await remote(['network', 'rm', '-f', ...nets], 20_000).catch(() => undefined);
      await stopChild(service, 5000);
    }
    // conmon keeps exec sessions' monitors alive for minutes (--exit-delay): ours name our dir.
    killProcessesMentioning(dir);
    await run('ip', ['netns', 'delete', netns]).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    await run('ip', ['netns', 'add', netns]);
    await run('ip', ['-n', netns, 'link', 'set', 'lo', 'up']);
    const logFd = openSync(join(dir, 'podman-service.log'), 'a');
    service = spawn('nsenter', [`--net=${netnsPath}`, '--', 'podman', ...storageFlags, 'system', 'service', '--time=0', dockerHost], { stdio: ['ignore', logFd, logFd], env });
    closeSync(logFd);
    const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
    for (;;) {
      if (service.exitCode !== null) throw new Error(`podman system service exited with ${service.exitCode}; see ${join(dir, 'podman-service.log')}`);
      if (existsSync(socket) && (await remote(['version', '--format', '{{.Server.Version}}'], 15_000).then(() => true, () => false))) break;
      if (Date.now() > deadline) throw new Error('podman system service did not answer in time');
      await new Promise((r) => setTimeout(r, 100));
    }
  } catch (err) {
    await stop();
    throw err;
  }

  return {
    netns,
    netnsPath,
    dir,
    dockerHost,
    testcontainersEnv: { DOCKER_HOST: dockerHost, TESTCONTAINERS_RYUK_DISABLED: 'true' },
    remote,
    spawnInNetns,
    async execInNetns(command, args) {
      const { stdout } = await run('nsenter', [`--net=${netnsPath}`, '--', command, ...args], { timeout: 20_000 });
      return stdout;
    },
    async execInNetnsOf(pid, command, args) {
      const { stdout } = await run('nsenter', [`--net=/proc/${pid}/ns/net`, '--', command, ...args], { timeout: 20_000 });
      return stdout;
    },
    stop,
  };
}

/** The netns and directory name of one run: `k8ts-<topic>-<pid>`; pure. */
export function runName(topic: string, pid: number): string {
  return `k8ts-${topic}-${pid}`;
}

/** PIDs of earlier runs of `topic` whose test process is gone, from the names in `netnsNames`; pure. */
export function staleRunPids(topic: string, netnsNames: string[], alive: (pid: number) => boolean): number[] {
  const pattern = new RegExp(`^k8ts-${topic}-(\\d+)$`);
  return netnsNames.flatMap((n) => {
    const pid = Number(pattern.exec(n)?.[1] ?? NaN);
    return Number.isInteger(pid) && pid !== process.pid && !alive(pid) ? [pid] : [];
  });
}

/**
 * Cleans up after earlier runs of `topic` that were killed before their `stop()`: kills the
 * processes that name their directory (service, conmon, containers' monitors) or live in their
 * namespace, deletes the namespace and the directory. Only `k8ts-<topic>-<dead pid>` is touched.
 */
async function sweepStaleRuns(topic: string): Promise<void> {
  const names = existsSync('/run/netns') ? readdirSync('/run/netns') : [];
  for (const pid of staleRunPids(topic, names, pidAlive)) {
    const name = runName(topic, pid);
    const nsInode = statInode(`/run/netns/${name}`);
    killProcessesMentioning(join(tmpdir(), name), nsInode);
    await run('ip', ['netns', 'delete', name]).catch(() => undefined);
    rmSync(join(tmpdir(), name), { recursive: true, force: true });
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function statInode(path: string): number | undefined {
  try {
    return statSync(path).ino;
  } catch {
    return undefined;
  }
}

/** SIGKILLs every process whose command line contains `marker` (a path unique to one run) or, given `netnsInode`, that lives in that network namespace. */
function killProcessesMentioning(marker: string, netnsInode?: number): void {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    let cmdline = '';
    try {
      cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    if (cmdline.includes(marker) || (netnsInode !== undefined && statInode(`/proc/${entry}/ns/net`) === netnsInode)) {
      try {
        process.kill(Number(entry), 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
}

function processHandle(name: string, child: ChildProcess, logFile: string): ComponentProcess {
  return { name, pid: child.pid ?? -1, logFile, child, stop: (graceMs = 5000) => stopChild(child, graceMs) };
}

/** SIGTERM, SIGKILL after `graceMs`; resolves once the child has exited. */
async function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
