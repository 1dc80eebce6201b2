/**
 * "Killing the kubelet with SIGKILL and starting it again restarts no container": the kubelet
 * runs as a real process (`node bin/k8ts.mjs kubelet …`) against an in-process control plane and
 * a real containerd inside a network namespace this test creates. Like the in-process kubelet
 * of kubelet.netns.test.ts, the kubelet process stays in the host network namespace — that is
 * where the API server (127.0.0.1) is — and reaches containerd over its unix socket; pods get
 * their network inside the test's namespace through containerd's CNI. Two long-running busybox
 * pods run, the kubelet gets `kill -9`, a new kubelet process starts on the same root dir, and
 * after several relists and a resync the same containers still run, restartCount stays 0 and
 * the pods stay Ready.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../e2e/harness/processes.ts';
import type { Pod } from '../pkg/api/core/v1/pod.ts';
import type { TestControlPlane } from '../pkg/testing/control-plane.ts';
import { waitFor } from '../pkg/testing/wait.ts';
import { BUSYBOX_IMAGE } from './containerd/process.ts';
import type { ContainerdInNetns } from './testing/containerd-netns.ts';
import { startNetnsNode, type NetnsNode } from './testing/netns-node.ts';

const NODE = 'node-sigkill';
const PODS = ['sleeper-1', 'sleeper-2'];
let fixture: NetnsNode | undefined;
let node: ContainerdInNetns | undefined;
let cp: TestControlPlane | undefined;
let kubelet: ChildProcess | undefined;
let kubeletLog: string;

const until = <T>(what: string, fn: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 60_000): Promise<T> =>
  waitFor(what, fn, { timeoutMs, intervalMs: 200, retryErrors: true, explain: () => `kubelet log tail:\n${readFileSync(kubeletLog, 'utf8').split('\n').slice(-20).join('\n')}` });

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** Starts `k8ts kubelet` as its own process (log appended to `kubeletLog`); resolves once /healthz answers. */
async function startKubeletProcess(): Promise<ChildProcess> {
  const n = node as ContainerdInNetns;
  const healthzPort = await freePort();
  const args = [
    join(repoRoot, 'bin/k8ts.mjs'), 'kubelet',
    '--kubeconfig', (cp as TestControlPlane).kubeconfigPath,
    '--node-name', NODE,
    '--container-runtime-endpoint', `unix://${n.containerd.socket}`,
    '--root-dir', join(n.dir, 'kubelet'),
    '--node-ip', '127.0.0.1',
    '--cni-conf-dir', n.cniConfDir,
    '--pod-cidr', '10.244.19.0/24',
    '--cluster-dns', '10.96.0.10',
    '--resolv-conf', '/dev/null',
    '--address', '127.0.0.1', '--port', '0',
    '--healthz-port', String(healthzPort),
    '--node-status-update-frequency', '1s',
    '--log-level', 'info',
  ];
  const fd = openSync(kubeletLog, 'a');
  const child = spawn(process.execPath, args, { stdio: ['ignore', fd, fd] });
  closeSync(fd);
  await until('kubelet /healthz', async () => child.exitCode === null && (await fetch(`http://127.0.0.1:${healthzPort}/healthz`)).ok);
  return child;
}

/** Sends `signal` and waits for the exit (SIGKILL after 10 s). */
async function stopProcess(child: ChildProcess | undefined, signal: NodeJS.Signals): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

beforeAll(async () => {
  // The kubelet under test is the process below; the plane runs no controllers.
  fixture = await startNetnsNode({ name: 'k8ts-sigkill', nodeName: NODE, controlPlane: {}, kubelet: false });
  ({ node, cp } = fixture);
  kubeletLog = join(node.dir, 'kubelet.log');
  kubelet = await startKubeletProcess();
}, 120_000);

afterAll(async () => {
  await stopProcess(kubelet, 'SIGTERM');
  await fixture?.stop(); // sandboxes, containerd and its shims, mounts, the namespace, the directory, the plane
}, 60_000);

const pods = () => (cp as TestControlPlane).client.pods.inNamespace('default');
const isReady = (p: Pod) => p.status?.phase === 'Running' && p.status.conditions?.find((c) => c.type === 'Ready')?.status === 'True';

/** The running containers of our pods by pod name, from the CRI. */
async function runningContainers(): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const c of await (node as ContainerdInNetns).cri.listContainers({ state: 'CONTAINER_RUNNING' })) {
    const pod = c.labels['io.kubernetes.pod.name'];
    if (PODS.includes(pod)) (out[pod] ??= []).push(c.id);
  }
  return out;
}

describe('kubelet process killed with SIGKILL', () => {
  it('a new kubelet process adopts the running containers: same IDs, restartCount 0, still Ready', async () => {
    for (const name of PODS) {
      await pods().create({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name, namespace: 'default' },
        // No API credentials: this plane has no token issuer or kube-root-ca.crt (sa-token.netns.test.ts covers them).
        spec: { nodeName: NODE, automountServiceAccountToken: false, terminationGracePeriodSeconds: 1, containers: [{ name: 'sleep', image: BUSYBOX_IMAGE, imagePullPolicy: 'IfNotPresent', command: ['sleep', '3600'] }] },
      } as Pod);
    }
    for (const name of PODS) await until(`${name} Running and Ready`, async () => isReady(await pods().get(name)));
    const before = await runningContainers();
    expect(Object.keys(before).sort()).toEqual(PODS);
    for (const name of PODS) expect(before[name]).toHaveLength(1);
    const statusIds = async () => Object.fromEntries(await Promise.all(PODS.map(async (name) => [name, (await pods().get(name)).status?.containerStatuses?.[0]?.containerID])));
    expect(await statusIds()).toEqual(Object.fromEntries(PODS.map((name) => [name, `containerd://${before[name][0]}`])));

    const killedAt = Date.now();
    await stopProcess(kubelet, 'SIGKILL');
    expect(kubelet?.signalCode).toBe('SIGKILL');
    kubelet = await startKubeletProcess();
    // The new process is the one renewing the Lease now.
    await until('Lease renewed after the restart', async () => Date.parse((await (cp as TestControlPlane).client.leases.inNamespace('kube-node-lease').get(NODE)).spec?.renewTime ?? '') > killedAt);
    await new Promise((r) => setTimeout(r, 12_000)); // many relists (1 s) and a full resync (10 s)

    expect(kubelet.exitCode).toBeNull();
    expect(await runningContainers()).toEqual(before);
    for (const name of PODS) {
      const pod = await pods().get(name);
      expect(isReady(pod)).toBe(true);
      expect(pod.status?.containerStatuses?.[0]).toMatchObject({ containerID: `containerd://${before[name][0]}`, restartCount: 0, ready: true, state: { running: expect.anything() } });
    }
    const sandboxes = (await (node as ContainerdInNetns).cri.listPodSandbox()).filter((s) => PODS.includes(s.metadata.name));
    expect(sandboxes.map((s) => s.state)).toEqual(['SANDBOX_READY', 'SANDBOX_READY']);
  }, 150_000);
});
