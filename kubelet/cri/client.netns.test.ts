/**
 * The CRI client against a real containerd running in a network namespace this test creates:
 * a pod sandbox gets an IP from the CNI bridge, a busybox container serves HTTP on it, ExecSync
 * runs a command, and everything is stopped and removed again.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUSYBOX_IMAGE, PAUSE_IMAGE } from '../containerd/process.ts';
import { startContainerdInNetns, type ContainerdInNetns } from '../testing/containerd-netns.ts';
import { CriClient, CriError, isCriNotFound } from './client.ts';
import type { PodSandboxConfig } from './types.ts';

let node: ContainerdInNetns;
let dir: string;
let netns: string;
let cri: CriClient;

beforeAll(async () => {
  node = await startContainerdInNetns({ name: 'k8ts-cri', podCidr: '10.244.7.0/24' });
  ({ dir, netns, cri } = node);
}, 120_000);

afterAll(() => node?.stop(), 60_000);

describe('CRI client against containerd', () => {
  it('reports the runtime version and images', async () => {
    expect(await cri.version()).toMatchObject({ runtimeName: 'containerd', runtimeApiVersion: 'v1' });
    expect((await cri.status()).find((c) => c.type === 'RuntimeReady')?.status).toBe(true);
    expect((await cri.imageStatus(PAUSE_IMAGE))?.repoTags).toContain(PAUSE_IMAGE);
    expect(await cri.imageStatus('docker.io/library/nope:1')).toBeNull();
  });

  it('runs a sandbox with a pod IP and a container serving HTTP on it; ExecSync; stop and remove', async () => {
    const sandboxConfig: PodSandboxConfig = {
      metadata: { name: 'web', uid: 'uid-web-1', namespace: 'default', attempt: 0 },
      hostname: 'web',
      logDirectory: join(dir, 'logs', 'default_web_uid-web-1'),
      labels: { 'io.kubernetes.pod.name': 'web' },
      linux: {},
    };
    const sandbox = await cri.runPodSandbox(sandboxConfig);
    const status = await cri.podSandboxStatus(sandbox);
    expect(status.state).toBe('SANDBOX_READY');
    const ip = status.network?.ip as string;
    expect(ip).toMatch(/^10\.244\.7\.\d+$/);

    const container = await cri.createContainer(
      sandbox,
      { metadata: { name: 'httpd', attempt: 0 }, image: { image: BUSYBOX_IMAGE }, command: ['httpd', '-f', '-p', '8080', '-h', '/etc'], logPath: 'httpd/0.log' },
      sandboxConfig,
    );
    await cri.startContainer(container);
    expect((await cri.containerStatus(container)).state).toBe('CONTAINER_RUNNING');
    const deadline = Date.now() + 10_000;
    let body = '';
    while (Date.now() < deadline) {
      try {
        body = execFileSync('ip', ['netns', 'exec', netns, 'busybox', 'wget', '-q', '-O', '-', `http://${ip}:8080/hostname`], { timeout: 3000 }).toString();
        break;
      } catch {
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    expect(body.trim()).toBe('web');

    const exec = await cri.execSync(container, ['sh', '-c', 'echo out; echo err >&2; exit 3'], 5);
    expect({ stdout: exec.stdout.toString(), stderr: exec.stderr.toString(), exitCode: exec.exitCode }).toEqual({ stdout: 'out\n', stderr: 'err\n', exitCode: 3 });
    expect((await cri.listContainers({ podSandboxId: sandbox })).map((c) => c.id)).toEqual([container]);

    await cri.stopContainer(container, 2);
    const stopped = await cri.containerStatus(container);
    expect(stopped.state).toBe('CONTAINER_EXITED');
    await cri.removeContainer(container);
    await cri.stopPodSandbox(sandbox);
    await cri.removePodSandbox(sandbox);
    await expect(cri.podSandboxStatus(sandbox)).rejects.toSatisfy(isCriNotFound);
  });

  it('reports a running container\'s cumulative CPU and memory working set (ContainerStats, ListContainerStats)', async () => {
    const sandboxConfig: PodSandboxConfig = { metadata: { name: 'busy', uid: 'uid-busy-1', namespace: 'default', attempt: 0 }, logDirectory: join(dir, 'logs', 'default_busy_uid-busy-1'), labels: { 'io.kubernetes.pod.uid': 'uid-busy-1' }, linux: {} };
    const sandbox = await cri.runPodSandbox(sandboxConfig);
    const container = await cri.createContainer(
      sandbox,
      { metadata: { name: 'spin', attempt: 0 }, image: { image: BUSYBOX_IMAGE }, command: ['sh', '-c', 'while true; do :; done'], labels: { 'io.kubernetes.pod.uid': 'uid-busy-1' }, logPath: 'spin/0.log' },
      sandboxConfig,
    );
    await cri.startContainer(container);
    try {
      const first = await cri.containerStats(container);
      await new Promise((r) => setTimeout(r, 500));
      const listed = await cri.listContainerStats({ labelSelector: { 'io.kubernetes.pod.uid': 'uid-busy-1' } });
      expect(listed.map((s) => s.attributes?.id)).toEqual([container]);
      const second = listed[0];
      expect(second.attributes).toMatchObject({ metadata: { name: 'spin', attempt: 0 }, labels: { 'io.kubernetes.pod.uid': 'uid-busy-1' } });
      const cpuNs = (s: typeof first) => Number(s.cpu?.usageCoreNanoSeconds?.value);
      const at = (s: typeof first) => Number(s.cpu?.timestamp);
      // A busy loop burns up to a core: over 0.1 core between the two samples even on a busy machine.
      expect((cpuNs(second) - cpuNs(first)) / (at(second) - at(first))).toBeGreaterThan(0.1);
      expect(Number(second.memory?.workingSetBytes?.value)).toBeGreaterThan(0);
      expect(Number(second.memory?.timestamp)).toBeGreaterThan(0);
    } finally {
      await cri.stopPodSandbox(sandbox);
      await cri.removePodSandbox(sandbox);
    }
  });

  it('fails within the deadline with a CriError when the runtime does not answer', async () => {
    const dead = new CriClient({ endpoint: join(dir, 'no-such.sock'), timeoutMs: 300 });
    try {
      await expect(dead.version()).rejects.toBeInstanceOf(CriError);
    } finally {
      dead.close();
    }
  });
});
