/**
 * Usage reporting with a real containerd (in a network namespace this test creates), the
 * in-process API server and the kubelet sampling every 500 ms: a busy-looping container shows
 * over 0.1 core of `usageNanoCores` in `/stats/summary` after two samples, an idle one far less;
 * working sets, the node's CPU and memory are there; `/metrics/resource` carries the container
 * series labelled with the pod, `/metrics/cadvisor` its container and pod series; a deleted pod
 * leaves both.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pod } from '../pkg/api/core/v1/pod.ts';
import { SummarySchema, type Summary } from '../pkg/api/stats/v1alpha1/summary.ts';
import type { TestControlPlane } from '../pkg/testing/control-plane.ts';
import { waitFor } from '../pkg/testing/wait.ts';
import { BUSYBOX_IMAGE } from './containerd/process.ts';
import { startNetnsNode, type NetnsNode } from './testing/netns-node.ts';

const NODE = 'node-stats';
let fixture: NetnsNode | undefined;
let cp: TestControlPlane | undefined;
let port = 0;

const until = <T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> => waitFor(what, fn, { timeoutMs, intervalMs: 250, retryErrors: true });

function get(path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c) => (body += c)).on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject).end();
  });
}

async function summary(): Promise<Summary> {
  const res = await get('/stats/summary');
  if (res.status !== 200) throw new Error(`summary: ${res.status} ${res.body}`);
  return SummarySchema.parse(JSON.parse(res.body));
}

function pod(name: string, container: string, command: string[], cpu?: string): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: {
      nodeName: NODE,
      terminationGracePeriodSeconds: 1,
      containers: [{ name: container, image: BUSYBOX_IMAGE, imagePullPolicy: 'IfNotPresent', command, ...(cpu ? { resources: { requests: { cpu } } } : {}) }],
    },
  } as Pod;
}

beforeAll(async () => {
  fixture = await startNetnsNode({ name: 'k8ts-stats', nodeName: NODE, podCidr: '10.244.33.0/24', kubelet: { housekeepingMs: 500 } });
  ({ cp, kubeletPort: port } = fixture);
}, 120_000);

afterAll(() => fixture?.stop(), 60_000);

describe('kubelet usage stats with containerd', () => {
  it('a busy loop shows over 0.1 core, an idle container far less; node CPU and memory; resource metrics labelled with the pod', async () => {
    const pods = cp!.client.pods.inNamespace('default');
    await pods.create(pod('busy', 'spin', ['sh', '-c', 'while true; do :; done'], '500m'));
    await pods.create(pod('idle', 'nap', ['sleep', '3600']));
    const s = await until('both containers with a CPU rate', async () => {
      const current = await summary();
      const rated = current.pods.flatMap((p) => p.containers).filter((c) => c.cpu?.usageNanoCores !== undefined);
      return rated.length === 2 && current;
    });
    const byName = new Map(s.pods.map((p) => [p.podRef.name, p]));
    const busy = byName.get('busy')!;
    const idle = byName.get('idle')!;
    expect(busy.podRef).toMatchObject({ namespace: 'default', uid: (await pods.get('busy')).metadata.uid });
    expect(busy.containers.map((c) => c.name)).toEqual(['spin']);
    const spin = busy.containers[0];
    const nap = idle.containers[0];
    expect(spin.cpu?.usageNanoCores).toBeGreaterThan(100_000_000);
    expect(nap.cpu?.usageNanoCores).toBeLessThan(spin.cpu!.usageNanoCores! / 10);
    expect(nap.cpu?.usageNanoCores).toBeLessThan(20_000_000);
    expect(spin.memory?.workingSetBytes).toBeGreaterThan(0);
    expect(nap.memory?.workingSetBytes).toBeGreaterThan(0);
    expect(spin.cpu?.usageCoreNanoSeconds).toBeGreaterThan(0);
    expect(busy.cpu).toEqual(spin.cpu);
    expect(busy.memory?.workingSetBytes).toBe(spin.memory?.workingSetBytes);
    expect(Date.parse(spin.startTime)).toBeGreaterThanOrEqual(Date.parse(busy.startTime));
    expect(s.node).toMatchObject({ nodeName: NODE, cpu: { usageNanoCores: expect.any(Number), usageCoreNanoSeconds: expect.any(Number) }, memory: { workingSetBytes: expect.any(Number), availableBytes: expect.any(Number) } });
    expect(s.node.cpu!.usageNanoCores).toBeGreaterThan(100_000_000);
    expect(s.node.memory!.workingSetBytes).toBeGreaterThan(0);
    expect(Date.parse(s.node.startTime)).toBeLessThan(Date.now());

    const metrics = await get('/metrics/resource');
    expect(metrics.status).toBe(200);
    expect(metrics.body).toMatch(/^container_cpu_usage_seconds_total\{container="spin",namespace="default",pod="busy"\} [0-9.e+-]+ \d{13}$/m);
    expect(metrics.body).toMatch(/^container_memory_working_set_bytes\{container="nap",namespace="default",pod="idle"\} [0-9.e+-]+ \d{13}$/m);
    expect(metrics.body).toMatch(/^container_start_time_seconds\{container="spin",namespace="default",pod="busy"\} [0-9.e+]+$/m);
    expect(metrics.body).toMatch(/^pod_cpu_usage_seconds_total\{namespace="default",pod="busy"\} /m);
    expect(metrics.body).toMatch(/^node_cpu_usage_seconds_total [0-9.e+]+ \d{13}$/m);
    expect(metrics.body).toMatch(/^node_memory_working_set_bytes [0-9.e+]+ \d{13}$/m);
    expect(metrics.body).toContain('\nscrape_error 0\n');

    // /metrics/cadvisor: the container named by its containerd ID and image, its pod as container="".
    const cadvisor = await get('/metrics/cadvisor');
    expect(cadvisor.status).toBe(200);
    expect(cadvisor.body).toMatch(/^container_cpu_usage_seconds_total\{container="spin",cpu="total",id="",image="[^"]*busybox[^"]*",name="[0-9a-f]{64}",namespace="default",pod="busy"\} [0-9.e+-]+ \d{13}$/m);
    expect(cadvisor.body).toMatch(/^container_memory_usage_bytes\{container="spin",id="",image="[^"]*busybox[^"]*",name="[0-9a-f]{64}",namespace="default",pod="busy"\} [0-9.e+]+ \d{13}$/m);
    expect(cadvisor.body).toMatch(/^container_memory_working_set_bytes\{container="",id="",image="",name="",namespace="default",pod="idle"\} [0-9.e+]+ \d{13}$/m);
  });

  it('a deleted pod leaves the summary and the resource metrics', async () => {
    await cp!.client.pods.inNamespace('default').delete('idle', { gracePeriodSeconds: 0 });
    await until('idle gone from the summary', async () => !(await summary()).pods.some((p) => p.podRef.name === 'idle'));
    const metrics = await get('/metrics/resource');
    expect(metrics.body).not.toContain('pod="idle"');
    expect(metrics.body).toContain('pod="busy"');
  });
});
