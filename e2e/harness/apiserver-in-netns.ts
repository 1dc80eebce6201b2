/**
 * `k8ts apiserver` processes inside a test's network namespace (so they reach containers on
 * podman networks there), each with a unix-socket forwarder the test talks through
 * (`ApiTarget`). Both processes are spawned by the `PodmanInNetns`, which stops them by PID.
 */
import { join } from 'node:path';
import { Agent, request } from 'undici';
import type { PodmanInNetns } from './podman-in-netns.ts';
import { repoRoot, type ComponentProcess } from './processes.ts';

/** One API server as seen from the test: plain JSON requests over its forwarder socket. */
export interface ApiTarget {
  name: string;
  process: ComponentProcess;
  /** Sends one request; `timeoutMs` bounds the whole exchange (then it rejects). */
  call(method: string, path: string, body?: unknown, timeoutMs?: number): Promise<{ status: number; json: any }>;
  close(): Promise<void>;
}

export interface StartApiserverInNetnsOptions {
  podman: PodmanInNetns;
  name: string;
  /** Port inside the namespace (the namespace is private: fixed ports do not collide). */
  port: number;
  etcdServers: string;
  extraArgs?: string[];
  startTimeoutMs?: number;
}

/** Starts the apiserver and its forwarder and waits for `/readyz`. */
export async function startApiserverInNetns(options: StartApiserverInNetnsOptions): Promise<ApiTarget> {
  const { podman, name, port } = options;
  const proc = podman.spawnInNetns(name, process.execPath, [
    join(repoRoot, 'bin/k8ts.mjs'), 'apiserver',
    '--etcd-servers', options.etcdServers,
    '--insecure-http', '--bind-address', '127.0.0.1', '--port', String(port),
    ...(options.extraArgs ?? []),
  ]);
  const socketPath = join(podman.dir, `${name}.http.sock`);
  podman.spawnInNetns(`${name}-forwarder`, process.execPath, [join(repoRoot, 'e2e/harness/unix-to-tcp-forwarder.mjs'), socketPath, '127.0.0.1', String(port)]);
  const dispatcher = new Agent({ connect: { socketPath }, keepAliveTimeout: 10_000 });
  const target: ApiTarget = {
    name,
    process: proc,
    async call(method, path, body, timeoutMs = 30_000) {
      const res = await request(`http://${name}${path}`, {
        method: method as 'GET',
        dispatcher,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await res.body.text();
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = { text };
      }
      return { status: res.statusCode, json };
    },
    close: () => dispatcher.close(),
  };
  const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
  let last = '';
  for (;;) {
    if (proc.child.exitCode !== null) throw new Error(`${name} exited with ${proc.child.exitCode}; see ${proc.logFile}`);
    const res = await target.call('GET', '/readyz', undefined, 2000).catch((err: Error) => ({ status: 0, json: err.message }));
    if (res.status === 200) return target;
    last = `${res.status} ${JSON.stringify(res.json)}`;
    if (Date.now() > deadline) throw new Error(`${name} not ready: ${last}; see ${proc.logFile}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
