/**
 * The real kubelet API server (`startKubeletServer`) over stub state, for tests that need a
 * kubelet without containerd: one pod `default/talker` (container `talk`, running) whose CRI log
 * file holds `one` and `two`, and a runtime whose exec/attach streaming URL points at a tiny
 * HTTP server that answers every upgrade with `101 Switching Protocols` and echoes what it gets.
 * `/stats/summary` and `/metrics/resource` serve {@link STUB_STATS}.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { Pod } from '../../pkg/api/core/v1/pod.ts';
import { podLogDirectory } from '../pods/sandbox-config.ts';
import type { ContainerRuntime, RuntimeContainer, RuntimePod } from '../runtime/types.ts';
import { startKubeletServer, type KubeletServer, type KubeletServerTls } from '../server/server.ts';
import type { KubeletApiAuth } from '../server/auth.ts';
import type { StatsView } from '../stats/view.ts';

/** The pod the stub serves. */
export const STUB_POD: Pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'talker', namespace: 'default', uid: 'stub-uid-1' },
  spec: { containers: [{ name: 'talk', image: 'busybox' }] },
  status: { phase: 'Running' },
} as Pod;

/** The usage the stub reports: the node and `talk` using half a core and 1 MiB. */
export const STUB_STATS: StatsView = {
  node: { nodeName: 'stub', startMs: 1_700_000_000_000, cpu: { atMs: 1_800_000_000_000, usageCoreNanoSeconds: 9e12, usageNanoCores: 1e9 }, memory: { atMs: 1_800_000_000_000, workingSetBytes: 2 ** 30 } },
  pods: [{
    ref: { name: 'talker', namespace: 'default', uid: 'stub-uid-1' },
    startMs: 1_799_999_000_000,
    containers: [{ name: 'talk', startMs: 1_799_999_000_000, cpu: { atMs: 1_800_000_000_000, usageCoreNanoSeconds: 5e9, usageNanoCores: 5e8 }, memory: { atMs: 1_800_000_000_000, workingSetBytes: 2 ** 20 } }],
    cpu: { atMs: 1_800_000_000_000, usageCoreNanoSeconds: 5e9, usageNanoCores: 5e8 },
    memory: { atMs: 1_800_000_000_000, workingSetBytes: 2 ** 20 },
  }],
};

/** A running stub kubelet API. */
export interface StubKubeletApi {
  readonly port: number;
  /** Upgrade requests the stub streaming server received (paths). */
  readonly streamed: string[];
  close(): Promise<void>;
}

const container: RuntimeContainer = {
  id: 'c1', sandboxId: 's1', name: 'talk', state: 'running', attempt: 0, hash: '', restartCount: 0, image: 'busybox', imageRef: 'busybox',
  createdAtMs: 1, startedAtMs: 1, finishedAtMs: 0, exitCode: 0, reason: '', message: '',
};

/** Starts it on 127.0.0.1 (any free port); HTTPS when `tls` is given, checking callers with `auth` when given. */
export async function startStubKubeletApi(tls?: KubeletServerTls, auth?: KubeletApiAuth): Promise<StubKubeletApi> {
  const logRoot = mkdtempSync(join(tmpdir(), 'k8ts-stub-kubelet-'));
  const logDir = join(podLogDirectory(logRoot, STUB_POD), 'talk');
  mkdirSync(logDir, { recursive: true });
  writeFileSync(join(logDir, '0.log'), '2026-01-01T00:00:01.000000001Z stdout F one\n2026-01-01T00:00:02.000000001Z stderr F two\n');
  const streamed: string[] = [];
  const streaming = createServer((_req, res) => res.writeHead(404).end());
  streaming.on('upgrade', (req, socket) => {
    streamed.push(req.url ?? '');
    socket.write('HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\n');
    socket.pipe(socket);
  });
  await new Promise<void>((resolve) => streaming.listen(0, '127.0.0.1', () => resolve()));
  const streamBase = `http://127.0.0.1:${(streaming.address() as AddressInfo).port}`;
  const runtimePod: RuntimePod = { uid: 'stub-uid-1', name: 'talker', namespace: 'default', sandboxes: [{ id: 's1', state: 'ready', attempt: 0, ip: '', createdAtMs: 1 }], containers: [container] };
  const runtime = {
    getPod: async (uid: string) => (uid === runtimePod.uid ? runtimePod : undefined),
    streamUrl: async (r: { kind: string; containerId: string }) => `${streamBase}/${r.kind}/${r.containerId}`,
    portForwardUrl: async (sandboxId: string) => `${streamBase}/portforward/${sandboxId}`,
  } as unknown as ContainerRuntime;
  const pod = (namespace: string, name: string) => (namespace === 'default' && name === 'talker' ? STUB_POD : undefined);
  let server: KubeletServer;
  try {
    server = await startKubeletServer({ log: pino({ level: 'silent' }), runtime, logRoot, pod, pods: () => [STUB_POD], stats: () => STUB_STATS }, { host: '127.0.0.1', port: 0 }, tls, auth);
  } catch (err) {
    streaming.close();
    rmSync(logRoot, { recursive: true, force: true });
    throw err;
  }
  return {
    port: server.port,
    streamed,
    close: async () => {
      await server.close();
      streaming.closeAllConnections();
      await new Promise<void>((resolve) => streaming.close(() => resolve()));
      rmSync(logRoot, { recursive: true, force: true });
    },
  };
}
