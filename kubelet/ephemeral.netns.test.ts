/**
 * Ephemeral containers with a real containerd (in a network namespace this test creates), the
 * in-process control plane and the kubelet: one added through `pods/ephemeralcontainers` that
 * targets the app container sees the app's `sleep` (shared PID namespace, CRI TARGET), goes
 * Running then Terminated with exit code 0 and is never restarted; then real kubectl (oldest and
 * newest minor) runs the kubernetes.io "Debugging with an ephemeral debug container" flow:
 * `kubectl debug --target`, `kubectl logs -c`, `kubectl exec -c`, `kubectl describe`, and
 * `kubectl debug -i` attaching with stdin from a pipe. containerd's streaming server lives inside
 * the namespace; `relayStreamsFromNetns` relays exec/attach to it without touching the host network.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KUBECTL_RANGE_ENDS, installedKubectls, kubectlPath, kubectlRunner } from '../e2e/harness/kubectl.ts';
import type { ContainerStatus } from '../pkg/api/core/v1/pod-status.ts';
import type { Pod } from '../pkg/api/core/v1/pod.ts';
import type { TestControlPlane } from '../pkg/testing/control-plane.ts';
import { waitFor } from '../pkg/testing/wait.ts';
import { BUSYBOX_IMAGE } from './containerd/process.ts';
import type { ContainerdInNetns } from './testing/containerd-netns.ts';
import { startNetnsNode, type NetnsNode } from './testing/netns-node.ts';

const NODE = 'node-debug';
let fixture: NetnsNode | undefined;
let node: ContainerdInNetns | undefined;
let cp: TestControlPlane | undefined;

const until = <T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> => waitFor(what, fn, { timeoutMs, intervalMs: 150, retryErrors: true });
const pods = () => cp!.client.pods.inNamespace('default');

async function runningPod(name: string): Promise<void> {
  await pods().create({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: { nodeName: NODE, terminationGracePeriodSeconds: 1, containers: [{ name: 'app', image: BUSYBOX_IMAGE, imagePullPolicy: 'IfNotPresent', command: ['sleep', '3600'] }] },
  } as Pod);
  await until(`${name} running`, async () => (await pods().get(name)).status?.containerStatuses?.[0]?.state?.running);
}

async function ephemeralStatus(pod: string, container: string): Promise<ContainerStatus | undefined> {
  return (await pods().get(pod)).status?.ephemeralContainerStatuses?.find((s) => s.name === container);
}

async function podLog(pod: string, container: string): Promise<string> {
  const res = await fetch(`${cp!.url}/api/v1/namespaces/default/pods/${pod}/log?container=${container}`);
  const text = await res.text();
  if (res.status !== 200) throw new Error(`log ${res.status}: ${text}`);
  return text;
}

beforeAll(async () => {
  // containerd's streaming server (exec/attach) listens inside the namespace: relay it out.
  fixture = await startNetnsNode({ name: 'k8ts-debug', nodeName: NODE, podCidr: '10.244.37.0/24', kubelet: { relayStreams: true } });
  ({ node, cp } = fixture);
}, 120_000);

afterAll(() => fixture?.stop(), 60_000);

describe('ephemeral containers with containerd', () => {
  it('one targeting the app container shares its PID namespace, runs, terminates with 0 and is never restarted', async () => {
    await runningPod('target');
    const patched = await pods().patch('target', { spec: { ephemeralContainers: [{ name: 'ps', image: BUSYBOX_IMAGE, imagePullPolicy: 'IfNotPresent', targetContainerName: 'app', command: ['sh', '-c', 'ps; sleep 3'] }] } }, { type: 'strategic', subresource: 'ephemeralcontainers' });
    expect(patched.spec?.ephemeralContainers?.map((c) => c.name)).toEqual(['ps']);
    const run = await until('ps Running', async () => (await ephemeralStatus('target', 'ps'))?.state?.running && ephemeralStatus('target', 'ps'));
    expect(run).toMatchObject({ name: 'ps', ready: false, restartCount: 0, image: BUSYBOX_IMAGE, containerID: expect.stringMatching(/^containerd:\/\//) });
    const done = await until('ps Terminated', async () => (await ephemeralStatus('target', 'ps'))?.state?.terminated);
    expect(done).toMatchObject({ exitCode: 0, reason: 'Completed' });
    const log = await podLog('target', 'ps');
    // PID 1 of the shared namespace is the target's sleep; without TARGET, ps would see only itself and sh.
    expect(log).toMatch(/^\s*1 \S+\s+sleep 3600$/m);
    const pod = await pods().get('target');
    expect(pod.status?.phase).toBe('Running');
    expect(pod.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
    await new Promise((r) => setTimeout(r, 2500)); // relists and a resync: an exited ephemeral container stays exited
    expect((await ephemeralStatus('target', 'ps'))?.state?.terminated?.containerID).toBe(done.containerID);
    const events = (await cp!.client.events.inNamespace('default').list()).items.filter((e) => e.involvedObject?.name === 'target').map((e) => `${e.reason}: ${e.message}`);
    expect(events).toEqual(expect.arrayContaining(['Created: Created container: ps', 'Started: Started container ps']));
  });

  it('a target that is not running leaves it waiting with CreateContainerConfigError', async () => {
    await pods().create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'finishing', namespace: 'default' }, spec: { nodeName: NODE, restartPolicy: 'Never', terminationGracePeriodSeconds: 1, containers: [{ name: 'app', image: BUSYBOX_IMAGE, imagePullPolicy: 'IfNotPresent', command: ['sleep', '3600'] }, { name: 'short', image: BUSYBOX_IMAGE, imagePullPolicy: 'IfNotPresent', command: ['true'] }] } } as Pod);
    await until('short exited', async () => (await pods().get('finishing')).status?.containerStatuses?.find((s) => s.name === 'short')?.state?.terminated);
    await pods().patch('finishing', { spec: { ephemeralContainers: [{ name: 'dbg', image: BUSYBOX_IMAGE, imagePullPolicy: 'IfNotPresent', targetContainerName: 'short', command: ['true'] }] } }, { type: 'strategic', subresource: 'ephemeralcontainers' });
    const waiting = await until('dbg waiting on its target', async () => (await ephemeralStatus('finishing', 'dbg'))?.state?.waiting?.reason === 'CreateContainerConfigError' && (await ephemeralStatus('finishing', 'dbg'))?.state?.waiting);
    expect(waiting).toEqual({ reason: 'CreateContainerConfigError', message: 'unable to find target container short' });
    const events = (await cp!.client.events.inNamespace('default').list()).items.filter((e) => e.involvedObject?.name === 'finishing').map((e) => `${e.reason}: ${e.message}`);
    expect(events).toContain('Failed: Error: unable to find target container short');
    await pods().delete('finishing', { gracePeriodSeconds: 0 });
  });
});

const minors = installedKubectls(KUBECTL_RANGE_ENDS);
describe.skipIf(!minors.length).each(minors)('kubectl %s debug with containerd', (minor) => {
  const { ok } = kubectlRunner(minor, () => ({ kubeconfig: cp!.kubeconfigPath, home: join(node!.dir, `kubectl-${minor}`) }));
  const pod = `app-${minor.replace('.', '')}`;

  it('debug --target, then logs and exec on the debug container, and describe shows it', async () => {
    await runningPod(pod);
    await ok(['debug', pod, '--image=busybox', '--target=app', '-c', 'dbg', '--', 'sh', '-c', 'ps; sleep 3600']);
    await until('dbg Running', async () => (await ephemeralStatus(pod, 'dbg'))?.state?.running);
    const logs = await until('dbg logs', async () => {
      const out = await ok(['logs', pod, '-c', 'dbg']);
      return out.includes('sleep 3600') && out;
    });
    expect(logs).toMatch(/^\s*1 \S+\s+sleep 3600$/m);
    expect(await ok(['exec', pod, '-c', 'dbg', '--', 'echo', 'hi'])).toBe('hi\n');
    const described = await ok(['describe', 'pod', pod]);
    expect(described).toMatch(/\nEphemeral Containers:\n {2}dbg:\n/);
    expect(described).toMatch(/ {4}State: +Running\n/);
  });

  it('debug -i attaches with stdin from a pipe and prints the shell\'s output', async () => {
    // containerd detaches an attach's output when its stdin ends (the container keeps stdin open:
    // kubectl debug sets no stdinOnce), so the pipe stays open until the output is seen, as a
    // person at a terminal would, and the shell's `exit` then ends the session.
    const child = spawn(kubectlPath(minor), ['debug', '-i', pod, '--image=busybox', '--target=app', '-c', 'shell', '--', 'sh'], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: join(node!.dir, `kubectl-${minor}`), KUBECONFIG: cp!.kubeconfigPath },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      child.stdin.write('echo attached-$((40+2)); ps\n');
      await until('the shell\'s output', async () => /^\s*1 \S+\s+sleep 3600$/m.test(stdout), 90_000);
      child.stdin.write('exit 0\n');
      const code = await Promise.race([exited, new Promise<string>((r) => setTimeout(() => r('timeout'), 30_000))]);
      expect(code, stderr).toBe(0);
    } finally {
      child.stdin.end();
      child.kill('SIGKILL');
    }
    expect(stdout).toContain('attached-42');
    const done = await until('shell terminated', async () => (await ephemeralStatus(pod, 'shell'))?.state?.terminated);
    expect(done.exitCode).toBe(0);
    // Deleting the pod stops its still-running debug container (dbg) with the rest.
    await pods().delete(pod);
    await until(`${pod} gone`, async () => pods().get(pod).then(() => false, () => true));
    expect((await node!.cri.listContainers({ state: 'CONTAINER_RUNNING' })).filter((c) => c.labels['io.kubernetes.pod.name'] === pod)).toEqual([]);
  });
});
