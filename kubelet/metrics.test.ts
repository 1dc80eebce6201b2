/**
 * The kubelet API's Prometheus endpoints on a hollow node against the real API server: once a
 * pod with a readiness probe runs in the fake runtime, `/metrics/cadvisor` has its container,
 * pod and machine series, `/metrics` counts the started pod and container and the running ones,
 * and `/metrics/probes` counts probe runs — each 200 in the text format 0.0.4, each authorized as
 * `nodes/metrics` (403 when that is refused).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pod } from '../pkg/api/core/v1/pod.ts';
import { startTestControlPlane, type TestControlPlane } from '../pkg/testing/control-plane.ts';
import { waitFor } from '../pkg/testing/wait.ts';
import { realClock } from '../pkg/workqueue/index.ts';
import { Kubelet } from './kubelet.ts';
import { FakeRuntime } from './runtime/fake-runtime.ts';
import type { KubeletRequestAttributes } from './server/auth.ts';

const NODE = 'metrics-node';
const dir = mkdtempSync(join(tmpdir(), 'k8ts-metrics-'));
let cp: TestControlPlane;
const runtime = new FakeRuntime(realClock);
const stop = new AbortController();
let running: Promise<void>;
let port = 0;
const asked: KubeletRequestAttributes[] = [];
let allow = true;
let containerId = '';

const until = <T>(what: string, fn: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 15_000): Promise<T> => waitFor(what, fn, { timeoutMs, intervalMs: 100, retryErrors: true });

function get(path: string): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c) => (body += c)).on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }));
    }).on('error', reject).end();
  });
}

/** The value of the series `line` starts with (name and labels, in the body's label order). */
const valueOf = (body: string, series: string): number | undefined => {
  const line = body.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1).split(' ')[0]);
};

beforeAll(async () => {
  cp = await startTestControlPlane();
  const kubelet = new Kubelet({
    client: cp.client,
    runtime,
    clock: realClock,
    log: pino({ level: 'silent' }),
    nodeName: NODE,
    facts: { cpus: 2, memoryBytes: 2 ** 32, ephemeralStorageBytes: 2 ** 34, maxPods: 110, hostname: NODE, internalIP: '127.0.0.1', machineID: 'm-1', systemUUID: 'u-1', bootID: 'b-1', kernelVersion: '', osImage: '', architecture: 'amd64' },
    rootDir: dir,
    dns: { clusterDns: [], clusterDomain: 'cluster.local', host: { servers: [], searches: [], options: [] } },
    serverAddress: { host: '127.0.0.1', port: 0 },
    serverAuth: {
      nodeName: NODE,
      anonymous: true,
      authorize: async (attrs) => {
        asked.push(attrs);
        return allow;
      },
    },
    relistMs: 200,
    housekeepingMs: 200,
    statusIntervalMs: 200,
  });
  running = kubelet.run(stop.signal);
  const node = await until('node registered with its kubelet port', async () => {
    const n = await cp.client.nodes.get(NODE);
    return (n.status?.daemonEndpoints?.kubeletEndpoint?.Port ?? 0) > 0 && n;
  });
  port = node.status?.daemonEndpoints?.kubeletEndpoint?.Port as number;
  await cp.client.pods.inNamespace('default').create({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'default' },
    spec: { nodeName: NODE, automountServiceAccountToken: false, containers: [{ name: 'app', image: 'nginx:1.25', readinessProbe: { exec: { command: ['true'] }, periodSeconds: 1 } }] },
  } as Pod);
  await waitFor('pod Running and Ready', async () => {
    const p = await cp.client.pods.inNamespace('default').get('web');
    return p.status?.phase === 'Running' && p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') && p;
  }, { timeoutMs: 15_000, intervalMs: 100, retryErrors: true, explain: async () => JSON.stringify((await cp.client.events.inNamespace('default').list()).items.map((e) => [e.reason, e.message])) });
  containerId = (await runtime.listPods())[0].containers[0].id;
  runtime.setUsage(containerId, { usageCoreNanoSeconds: 2e9, workingSetBytes: 5e6 });
  await until('usage sampled', async () => (await get('/metrics/cadvisor')).body.includes(' 5e+06 '));
}, 30_000);

afterAll(async () => {
  stop.abort();
  await running?.catch(() => undefined);
  await cp?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('kubelet Prometheus endpoints', () => {
  it('/metrics/cadvisor: the container, its pod (container="") and the machine', async () => {
    asked.length = 0;
    const res = await get('/metrics/cadvisor');
    expect(res.status).toBe(200);
    expect(res.type).toBe('text/plain; version=0.0.4; charset=utf-8');
    const container = `container="app",id="",image="nginx:1.25",name="${containerId}",namespace="default",pod="web"`;
    const pod = 'container="",id="",image="",name="",namespace="default",pod="web"';
    expect(valueOf(res.body, `container_cpu_usage_seconds_total{${container.replace('id=', 'cpu="total",id=')}}`)).toBe(2);
    expect(valueOf(res.body, `container_memory_working_set_bytes{${container}}`)).toBe(5e6);
    expect(valueOf(res.body, `container_memory_working_set_bytes{${pod}}`)).toBe(5e6);
    expect(valueOf(res.body, `container_start_time_seconds{${container}}`)).toBeGreaterThan(Date.now() / 1000 - 60);
    expect(valueOf(res.body, 'machine_cpu_cores{boot_id="b-1",machine_id="m-1",system_uuid="u-1"}')).toBe(2);
    expect(valueOf(res.body, 'machine_memory_bytes{boot_id="b-1",machine_id="m-1",system_uuid="u-1"}')).toBe(2 ** 32);
    expect(valueOf(res.body, 'container_scrape_error')).toBe(0);
    expect(asked).toEqual([expect.objectContaining({ verb: 'get', resource: 'nodes', subresource: 'metrics', name: NODE })]);
  });

  it('/metrics: the kubelet\'s own counters and gauges after the pod started', async () => {
    // The running gauges follow the relists (every 200 ms here): wait for one after the container ran.
    await until('a relist saw the running container', async () => valueOf((await get('/metrics')).body, 'kubelet_running_containers{container_state="running"}') === 1);
    asked.length = 0;
    const res = await get('/metrics');
    expect(res.status).toBe(200);
    expect(res.type).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(valueOf(res.body, `kubelet_node_name{node="${NODE}"}`)).toBe(1);
    expect(valueOf(res.body, 'kubelet_running_pods')).toBe(1);
    expect(valueOf(res.body, 'kubelet_running_containers{container_state="running"}')).toBe(1);
    expect(valueOf(res.body, 'kubelet_started_pods_total')).toBe(1);
    expect(valueOf(res.body, 'kubelet_started_containers_total{container_type="container"}')).toBe(1);
    expect(valueOf(res.body, 'kubelet_pod_start_duration_seconds_count')).toBe(1);
    expect(res.body).toContain('# HELP kubelet_pod_start_duration_seconds [ALPHA] Duration in seconds from kubelet seeing a pod for the first time to the pod starting to run\n');
    expect(asked).toEqual([expect.objectContaining({ subresource: 'metrics' })]);
  });

  it('/metrics/probes: prober_probe_total grows as the readiness probe runs', async () => {
    asked.length = 0;
    const series = 'prober_probe_total{probe_type="Readiness",result="successful",container="app",pod="web",namespace="default",pod_uid=';
    const count = async () => {
      const res = await get('/metrics/probes');
      expect(res.status).toBe(200);
      expect(res.type).toBe('text/plain; version=0.0.4; charset=utf-8');
      const line = res.body.split('\n').find((l) => l.startsWith(series));
      return line ? Number(line.split(' ').at(-1)) : 0;
    };
    const first = await count();
    expect(first).toBeGreaterThanOrEqual(1);
    await until('another probe run counted', async () => (await count()) > first, 5_000);
    expect(asked.every((a) => a.subresource === 'metrics')).toBe(true);
  });

  it('each path answers 403 when nodes/metrics is refused', async () => {
    allow = false;
    try {
      for (const path of ['/metrics', '/metrics/cadvisor', '/metrics/probes']) expect((await get(path)).status).toBe(403);
    } finally {
      allow = true;
    }
  });
});
