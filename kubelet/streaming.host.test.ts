/**
 * kubectl exec, logs and port-forward through the API server → kubelet → containerd's
 * streaming server, with real kubectl (oldest SPDY-only and newest WebSocket-first minors).
 * containerd runs in the host network namespace here (its streaming server must be reachable
 * from the kubelet) without any CNI configuration, so the test pod uses host networking and
 * nothing about the host's network changes; the pod's server listens on 127.0.0.1 only.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pod } from '../pkg/api/core/v1/pod.ts';
import { startTestControlPlane, type TestControlPlane } from '../pkg/testing/control-plane.ts';
import { realClock } from '../pkg/workqueue/index.ts';
import { ALL_KUBECTL_MINORS, installedKubectls, kubectl, kubectlPath } from '../e2e/harness/kubectl.ts';
import { BUSYBOX_IMAGE, startContainerd, type ContainerdProcess } from './containerd/process.ts';
import { CriClient } from './cri/client.ts';
import { Kubelet } from './kubelet.ts';
import { fakeTokenManager } from './testing/fake-tokens.ts';
import { readHostFacts } from './node/host-info.ts';
import { CriRuntime } from './runtime/cri-runtime.ts';
import { waitFor } from '../pkg/testing/wait.ts';

const minors = installedKubectls(ALL_KUBECTL_MINORS);
// The oldest (SPDY only), the 1.29, and the newest (WebSocket first, SPDY fallback).
const chosen = [...new Set([minors[0], minors.find((m) => m === '1.29'), minors.at(-1)].filter(Boolean))] as string[];
const dir = mkdtempSync(join(tmpdir(), 'k8ts-stream-'));
let containerd: ContainerdProcess | undefined;
let cri: CriClient;
let cp: TestControlPlane;
const stop = new AbortController();
let running: Promise<void> | undefined;
let podPort: number;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

const until = <T>(what: string, fn: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 30_000): Promise<T> => waitFor(what, fn, { timeoutMs, intervalMs: 200, retryErrors: true });

beforeAll(async () => {
  containerd = await startContainerd({ dir: join(dir, 'containerd') });
  cri = new CriClient({ endpoint: containerd.socket, timeoutMs: 30_000 });
  cp = await startTestControlPlane({ controllers: ['root-ca-cert-publisher'] });
  const kubelet = new Kubelet({
    client: cp.client,
    runtime: new CriRuntime(cri),
    clock: realClock,
    log: pino({ level: 'silent' }),
    nodeName: 'stream-node',
    facts: readHostFacts({ rootDir: dir, maxPods: 110, nodeIP: '127.0.0.1', hostname: 'stream-node' }),
    rootDir: dir,
    dns: { clusterDns: [], clusterDomain: 'cluster.local', host: { servers: [], searches: [], options: [] } },
    serverAddress: { host: '127.0.0.1', port: 0 },
    tokens: fakeTokenManager(),
  });
  running = kubelet.run(stop.signal);
  podPort = await freePort();
  await cp.client.pods.inNamespace('default').create({
    metadata: { name: 'shell' },
    spec: {
      nodeName: 'stream-node',
      hostNetwork: true,
      terminationGracePeriodSeconds: 1,
      containers: [
        {
          name: 'sh',
          image: BUSYBOX_IMAGE,
          imagePullPolicy: 'IfNotPresent',
          command: ['sh', '-c', `mkdir -p /www && echo forwarded > /www/index.html && echo hello-log && exec httpd -f -p 127.0.0.1:${podPort} -h /www`],
          env: [{ name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } }],
          // No host: the probe targets the pod's IP, which for a host-network pod is the node's.
          readinessProbe: { httpGet: { path: '/', port: podPort }, periodSeconds: 1 },
        },
      ],
    },
  } as Pod);
  await until('shell Running', async () => (await cp.client.pods.inNamespace('default').get('shell')).status?.phase === 'Running');
}, 120_000);

afterAll(async () => {
  await cp?.client.pods.inNamespace('default').delete('shell', { gracePeriodSeconds: 0 }).catch(() => undefined);
  stop.abort();
  await running?.catch(() => undefined);
  for (const s of (await cri?.listPodSandbox().catch(() => [])) ?? []) {
    await cri.stopPodSandbox(s.id).catch(() => undefined);
    await cri.removePodSandbox(s.id).catch(() => undefined);
  }
  cri?.close();
  await containerd?.stop();
  await cp?.stop();
  rmSync(dir, { recursive: true, force: true });
}, 60_000);

describe('a host-network pod', () => {
  it("has the node's IP as its IP (status, env, probes) and a copy of the node's /etc/hosts", async () => {
    const ready = await until('shell Ready', async () => {
      const pod = await cp.client.pods.inNamespace('default').get('shell');
      return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') && pod;
    });
    expect(ready.status).toMatchObject({ podIP: '127.0.0.1', podIPs: [{ ip: '127.0.0.1' }], hostIP: '127.0.0.1' });
    const res = await kubectl(chosen.at(-1)!, ['exec', 'shell', '--', 'sh', '-c', 'echo $POD_IP; cat /etc/hosts'], { kubeconfig: cp.kubeconfigPath, home: join(dir, 'home-hosts'), timeoutMs: 30_000 });
    expect(res.stdout).toBe(`127.0.0.1\n# Kubernetes-managed hosts file (host network).\n${readFileSync('/etc/hosts', 'utf8')}`);
  }, 60_000);
});

describe.each(chosen)('kubectl %s: exec, logs, port-forward', (minor) => {
  const home = join(dir, `home-${minor}`);
  const run = (args: string[], stdin?: string) => kubectl(minor, args, { kubeconfig: cp.kubeconfigPath, home, stdin, timeoutMs: 30_000 });

  it('kubectl exec runs a command and returns its output and exit code', async () => {
    const ok = await run(['exec', 'shell', '--', 'sh', '-c', 'echo ok; echo err >&2']);
    expect(ok.stderr).toBe('err\n');
    expect({ code: ok.code, stdout: ok.stdout }).toEqual({ code: 0, stdout: 'ok\n' });
    const failed = await run(['exec', 'shell', '--', 'sh', '-c', 'exit 3']);
    expect(failed.code).toBe(3);
    const piped = await run(['exec', '-i', 'shell', '--', 'cat'], 'from stdin\n');
    expect(piped.stdout).toBe('from stdin\n');
  });

  it('kubectl logs shows the container output', async () => {
    expect((await run(['logs', 'shell'])).stdout).toBe('hello-log\n');
  });

  it('kubectl exec on a missing container is refused with the upstream message', async () => {
    const res = await run(['exec', 'shell', '-c', 'nope', '--', 'true']);
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain('container nope is not valid for pod shell');
  });

  it('kubectl port-forward reaches the pod', async () => {
    const local = await freePort();
    const child = spawn(kubectlPath(minor), ['port-forward', 'pod/shell', `${local}:${podPort}`], { env: { ...process.env, KUBECONFIG: cp.kubeconfigPath, HOME: home }, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      await until('forwarding', async () => {
        const res = await fetch(`http://127.0.0.1:${local}/`);
        return res.ok && (await res.text()) === 'forwarded\n';
      });
    } finally {
      child.kill('SIGTERM');
    }
  });
});
