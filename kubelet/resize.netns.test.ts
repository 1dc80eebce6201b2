/**
 * In-place pod resize with a real containerd (in a network namespace this test creates), the
 * in-process control plane and the kubelet, following kubernetes.io's "Resize CPU and Memory
 * Resources assigned to Containers" task: a CPU resize is applied to the running container's
 * cgroup without a restart, a memory resize with `resizePolicy: RestartContainer` restarts it with
 * the new limit, and an infeasible one stays pending with upstream's condition while the
 * container keeps what it had; a pod the node has no room for is rejected at admission.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installedKubectls, kubectlRunner } from '../e2e/harness/kubectl.ts';
import type { Pod } from '../pkg/api/core/v1/pod.ts';
import { waitFor } from '../pkg/testing/wait.ts';
import { BUSYBOX_IMAGE } from './containerd/process.ts';
import { startNetnsNode, type NetnsNode } from './testing/netns-node.ts';

const NODE = 'node-resize';
const dir = mkdtempSync(join(tmpdir(), 'k8ts-resize-'));
// `--subresource resize` needs kubectl 1.32 or later.
const [minor] = installedKubectls(['1.33', '1.32']);
let fixture: NetnsNode | undefined;

const until = <T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> => waitFor(what, fn, { timeoutMs, intervalMs: 200, retryErrors: true });
const pods = () => fixture!.cp.client.pods.inNamespace('default');

/** `kubectl patch pod resize-demo --subresource resize` with kubectl when installed, else the same PATCH through the client. */
async function resize(resources: Record<string, unknown>): Promise<void> {
  const patch = { spec: { containers: [{ name: 'pause', resources }] } };
  if (!minor) {
    await pods().patch('resize-demo', patch, { type: 'strategic', subresource: 'resize' });
    return;
  }
  const { ok } = kubectlRunner(minor, () => ({ kubeconfig: fixture!.cp.kubeconfigPath, home: dir }));
  expect(await ok(['patch', 'pod', 'resize-demo', '--subresource', 'resize', '--patch', JSON.stringify(patch)])).toContain('pod/resize-demo patched');
}

/** Reads the container's cgroup inside it through the CRI: cgroup v2's file when mounted, else v1's. */
async function cgroup(p: Pod, v2: string, v1: string): Promise<string> {
  const id = (p.status?.containerStatuses?.[0]?.containerID ?? '').replace('containerd://', '');
  const res = await fixture!.node.cri.execSync(id, ['sh', '-c', `cat /sys/fs/cgroup/${v2} 2>/dev/null || cat /sys/fs/cgroup/${v1}`], 10);
  return Buffer.from(res.stdout).toString().trim();
}
/** The CPU quota per 100 ms period in µs. */
const cpuQuota = async (p: Pod) => (await cgroup(p, 'cpu.max', 'cpu/cpu.cfs_quota_us')).split(' ')[0];
/** The memory limit in bytes. */
const memoryLimit = (p: Pod) => cgroup(p, 'memory.max', 'memory/memory.limit_in_bytes');

beforeAll(async () => {
  fixture = await startNetnsNode({ name: 'k8ts-resize', nodeName: NODE, podCidr: '10.244.41.0/24' });
}, 120_000);

afterAll(async () => {
  await fixture?.stop();
  rmSync(dir, { recursive: true, force: true });
}, 60_000);

describe('in-place pod resize with containerd', () => {
  it('starts resize-demo with its resources reported as allocated and actual', async () => {
    await pods().create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'resize-demo', namespace: 'default' },
      spec: {
        nodeName: NODE,
        terminationGracePeriodSeconds: 1,
        containers: [{
          name: 'pause',
          image: BUSYBOX_IMAGE,
          imagePullPolicy: 'IfNotPresent',
          command: ['sh', '-c', 'trap "exit 0" TERM; while true; do sleep 1; done'],
          resizePolicy: [{ resourceName: 'cpu', restartPolicy: 'NotRequired' }, { resourceName: 'memory', restartPolicy: 'RestartContainer' }],
          resources: { limits: { memory: '200Mi', cpu: '700m' }, requests: { memory: '200Mi', cpu: '700m' } },
        }],
      },
    } as Pod);
    const running = await until('resize-demo running', async () => {
      const p = await pods().get('resize-demo');
      return p.status?.containerStatuses?.[0]?.state?.running && p;
    });
    expect(running.status?.containerStatuses?.[0]).toMatchObject({ allocatedResources: { cpu: '700m', memory: '200Mi' }, resources: { requests: { cpu: '700m', memory: '200Mi' }, limits: { cpu: '700m', memory: '200Mi' } } });
    expect(await cpuQuota(running)).toBe('70000');
  });

  it('applies a CPU resize to the running container without restarting it', async () => {
    await resize({ requests: { cpu: '800m' }, limits: { cpu: '800m' } });
    const resized = await until('cpu 800m applied', async () => {
      const p = await pods().get('resize-demo');
      return p.status?.containerStatuses?.[0]?.resources?.limits?.cpu === '800m' && p;
    });
    const status = resized.status?.containerStatuses?.[0];
    expect(status?.restartCount).toBe(0);
    expect(status?.allocatedResources).toEqual({ cpu: '800m', memory: '200Mi' });
    expect(await cpuQuota(resized)).toBe('80000');
    expect(resized.status?.conditions?.map((c) => c.type)).not.toContain('PodResizePending');
  });

  it('restarts the container for a memory resize whose resizePolicy is RestartContainer', async () => {
    await resize({ requests: { memory: '300Mi' }, limits: { memory: '300Mi' } });
    const resized = await until('memory 300Mi applied after a restart', async () => {
      const p = await pods().get('resize-demo');
      const s = p.status?.containerStatuses?.[0];
      return s?.resources?.limits?.memory === '300Mi' && s.state?.running && s.restartCount === 1 && p;
    });
    expect(await memoryLimit(resized)).toBe(String(300 * 1024 * 1024));
    expect(await cpuQuota(resized)).toBe('80000');
    const events = await fixture!.cp.client.events.inNamespace('default').list({ fieldSelector: 'involvedObject.name=resize-demo,reason=Killing' });
    expect(events.items.map((e) => e.message)).toContain('Container pause resize requires restart');
  });

  it('reports an infeasible resize pending and keeps the container as it was', async () => {
    await resize({ requests: { cpu: '1000' }, limits: { cpu: '1000' } });
    const pending = await until('PodResizePending', async () => {
      const p = await pods().get('resize-demo');
      return p.status?.conditions?.find((c) => c.type === 'PodResizePending') && p;
    });
    const condition = pending.status?.conditions?.find((c) => c.type === 'PodResizePending');
    expect(condition).toMatchObject({ status: 'True', reason: 'Infeasible' });
    expect(condition?.message).toMatch(/^Node didn't have enough capacity: cpu, requested: 1000000, capacity: \d+$/);
    expect(pending.spec?.containers?.[0]?.resources?.limits?.cpu).toBe('1k');
    expect(pending.status?.containerStatuses?.[0]).toMatchObject({ restartCount: 1, allocatedResources: { cpu: '800m' }, resources: { limits: { cpu: '800m' } } });
    expect(await cpuQuota(pending)).toBe('80000');
  });

  it('keeps the pending resize across a kubelet restart (the grants are checkpointed), granting nothing unseen', async () => {
    await fixture!.restartKubelet();
    // A pod started by the new kubelet: it has admitted and synced the pods it found by then.
    await pods().create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'after-restart', namespace: 'default' }, spec: { nodeName: NODE, terminationGracePeriodSeconds: 1, containers: [{ name: 'c', image: BUSYBOX_IMAGE, imagePullPolicy: 'IfNotPresent', command: ['sleep', '3600'] }] } } as Pod);
    await until('after-restart running', async () => (await pods().get('after-restart')).status?.phase === 'Running');
    const after = await pods().get('resize-demo');
    expect(after.status?.phase).toBe('Running');
    expect(after.status?.conditions?.find((c) => c.type === 'PodResizePending')).toMatchObject({ reason: 'Infeasible' });
    expect(after.status?.containerStatuses?.[0]).toMatchObject({ restartCount: 1, allocatedResources: { cpu: '800m' }, state: { running: {} } });
    expect(await cpuQuota(after)).toBe('80000');
  });

  it('rejects at admission a pod the node has no room for, counting the resized pod at what it was granted', async () => {
    await pods().create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'too-big', namespace: 'default' }, spec: { nodeName: NODE, containers: [{ name: 'c', image: BUSYBOX_IMAGE, imagePullPolicy: 'IfNotPresent', command: ['sleep', '3600'], resources: { requests: { cpu: '1000' } } }] } } as Pod);
    const failed = await until('too-big Failed', async () => {
      const p = await pods().get('too-big');
      return p.status?.phase === 'Failed' && p;
    });
    // resize-demo's spec asks for 1000 CPUs (pending), but it holds the 800m it was granted.
    expect(failed.status).toMatchObject({ reason: 'OutOfcpu' });
    expect(failed.status?.message).toMatch(/^Pod was rejected: Node didn't have enough resource: cpu, requested: 1000000, used: 800, capacity: \d+$/);
    expect(failed.status?.containerStatuses?.[0]?.state?.running).toBeUndefined();
    const events = await fixture!.cp.client.events.inNamespace('default').list({ fieldSelector: 'involvedObject.name=too-big,reason=OutOfcpu' });
    expect(events.items[0]?.type).toBe('Warning');
  });
});
