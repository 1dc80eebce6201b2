/**
 * One density run: a {@link startDensityCluster} with `nodes` hollow nodes, Deployments adding
 * up to `podsPerNode × nodes` pods, watched from creation to Running. Every `sampleMs` the API
 * server's `/metrics` is scraped (server-side `apiserver_request_duration_seconds`, WATCH left
 * out) and every component's memory read from /proc. Stops when all pods run, or when nothing
 * progressed for `stallMs`, at `timeoutMs`, or on SIGUSR2 — then the result says where and why.
 */
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { Pod } from '../../pkg/api/core/v1/pod.ts';
import type { Deployment } from '../../pkg/api/apps/v1/deployment.ts';
import { createClient, type Client } from '../../pkg/client/index.ts';
import { percentile } from '../lib/measure.ts';
import { parseHistogram, quantilesMs, subtractHistogram, type GroupedHistogram } from '../lib/prom-histogram.ts';
import { readProcCpuSeconds, readProcMemory } from '../lib/proc-status.ts';
import { Progress } from '../lib/progress.ts';
import type { DensityResult, DensitySample } from '../lib/results.ts';
import { startDensityCluster, type DensityCluster } from './cluster.ts';
import { PodTracker } from './pod-tracker.ts';
import { cpuProjection, MUTATING_VERBS } from './rows.ts';

/** Options of {@link runDensity}. */
export interface DensityOptions {
  nodes: number;
  podsPerNode: number;
  podsPerDeployment: number;
  kubeletProcesses: number;
  controlPlaneQps: number;
  sampleMs?: number;
  stallMs?: number;
  timeoutMs?: number;
  /** etcd's data directory root (e.g. /dev/shm: tmpfs, so a shared disk's fsync latency is not measured). */
  etcdRoot?: string;
  keepDir?: boolean;
  log?: (line: string) => void;
}

const METRIC = 'apiserver_request_duration_seconds';
const NAMESPACE = 'density';
const MB = 1024 * 1024;

/** The pod template of the density Deployments: one container, small requests (as upstream's density test). */
export function densityDeployment(name: string, replicas: number): Deployment {
  const labels = { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: NAMESPACE },
    spec: {
      replicas,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'pause', image: 'registry.k8s.io/pause:3.10', resources: { requests: { cpu: '1m', memory: '1Mi' } } }] } },
    },
  } as Deployment;
}

/** Deployment sizes adding up to `pods`, none above `perDeployment`; pure. */
export function deploymentSizes(pods: number, perDeployment: number): number[] {
  const out: number[] = [];
  for (let left = pods; left > 0; left -= perDeployment) out.push(Math.min(perDeployment, left));
  return out;
}

async function scrape(server: string): Promise<{ latency: GroupedHistogram; byResource: GroupedHistogram }> {
  const text = await (await fetch(`${server}/metrics`, { signal: AbortSignal.timeout(60_000) })).text();
  const notWatch = (l: Record<string, string>) => l.verb !== 'WATCH' && l.verb !== 'CONNECT';
  const latency = parseHistogram(text, METRIC, 'verb', notWatch);
  // verb+resource as one group key, for request rates.
  const byResource = parseHistogram(text.replace(/verb="([A-Z]+)",group="[^"]*",version="[^"]*",resource="([^"]*)"/g, 'vr="$1 $2",$&'), METRIC, 'vr', notWatch);
  return { latency, byResource };
}

async function readyNodes(client: Client): Promise<number> {
  const list = await client.nodes.list({ resourceVersion: '0' });
  return list.items.filter((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).length;
}

const mb = (bytes: number) => Math.round((bytes / MB) * 10) / 10;

/** Runs one density size end to end (cluster started and stopped here). */
export async function runDensity(options: DensityOptions): Promise<DensityResult> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const pods = options.nodes * options.podsPerNode;
  const sampleMs = options.sampleMs ?? 5000;
  const loadBefore = loadavg();
  log(`density: ${options.nodes} hollow nodes in ${options.kubeletProcesses} kubelet processes, ${pods} pods`);
  const cluster = await startDensityCluster({ nodes: options.nodes, kubeletProcesses: options.kubeletProcesses, controlPlaneQps: options.controlPlaneQps, keepDir: options.keepDir, etcdRoot: options.etcdRoot });
  const client = createClient({ kubeconfig: cluster.kubeconfig, qps: Infinity });
  // Interrupted (Ctrl-C, timeout): stop the processes we started before exiting.
  const onSignal = () => void cluster.stop().finally(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  // SIGUSR2: stop the pod phase now and report what was measured (a long run cut short).
  let operatorStop = false;
  const onStopRequest = () => {
    operatorStop = true;
  };
  process.on('SIGUSR2', onStopRequest);
  const peak = new Map<string, number>();
  const samplePeaks = (c: DensityCluster) => {
    for (const comp of c.components()) {
      const m = readProcMemory(comp.pid);
      if (m) peak.set(comp.name, Math.max(peak.get(comp.name) ?? 0, m.peakRssBytes));
    }
  };
  try {
    await cluster.startKubelets();
    const nodesProgress = new Progress('nodes Ready', options.nodes);
    const nodesTimeoutMs = Math.max(120_000, options.nodes * 600);
    const nodesDeadline = Date.now() + nodesTimeoutMs;
    for (;;) {
      const ready = await readyNodes(client).catch(() => 0);
      nodesProgress.update(ready);
      samplePeaks(cluster);
      if (ready >= options.nodes) {
        nodesProgress.done(ready);
        break;
      }
      if (Date.now() > nodesDeadline) throw new Error(`only ${ready}/${options.nodes} nodes Ready after ${nodesTimeoutMs / 1000} s`);
      await new Promise((r) => setTimeout(r, 2000));
    }
    await client.namespaces.create({ metadata: { name: NAMESPACE } });
    // Let the node registration burst settle, so the baseline memory is the idle cluster's.
    await new Promise((r) => setTimeout(r, Math.min(30_000, 5000 + options.nodes * 5)));
    const rssBefore = readProcMemory(cluster.apiserver.pid)?.rssBytes ?? 0;
    const metricsBefore = await scrape(cluster.server);
    const cpuBefore = new Map(cluster.components().map((c) => [c.name, readProcCpuSeconds(c.pid) ?? 0]));

    const tracker = new PodTracker(new Set([NAMESPACE]));
    const watchStop = new AbortController();
    const t0 = performance.now();
    const now = () => performance.now();
    const watching = (async () => {
      const initial = await client.pods.list({ namespace: NAMESPACE });
      for await (const ev of client.pods.watch({ namespace: NAMESPACE, resourceVersion: initial.metadata?.resourceVersion, signal: watchStop.signal })) {
        if (ev.type === 'ADDED' || ev.type === 'MODIFIED') tracker.observe(ev.object as Pod, now());
      }
    })().catch((err) => {
      if (!watchStop.signal.aborted) log(`density: pod watch ended: ${err}`);
    });

    tracker.started(now());
    const sizes = deploymentSizes(pods, options.podsPerDeployment);
    const deployments = client.deployments.inNamespace(NAMESPACE);
    let next = 0;
    let creationFailed: unknown;
    const creating = Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let i = next++; i < sizes.length; i = next++) await createWithRetries(() => deployments.create(densityDeployment(`density-${i}`, sizes[i])));
      }),
    ).catch((err: unknown) => {
      creationFailed = err;
    });

    const timeline: DensitySample[] = [];
    const progress = new Progress('pods Running', pods);
    let previous = metricsBefore;
    let lastRunning = 0;
    let lastProgressAt = now();
    let stoppedBecause: string | undefined;
    const stallMs = options.stallMs ?? 120_000;
    const deadline = now() + (options.timeoutMs ?? 3_600_000);
    for (;;) {
      await new Promise((r) => setTimeout(r, sampleMs));
      const current = await scrape(cluster.server).catch(() => undefined);
      samplePeaks(cluster);
      const counts = tracker.counts();
      const interval = current ? quantilesMs(subtractHistogram(current.latency, previous.latency)) : {};
      if (current) previous = current;
      const apiserverRss = readProcMemory(cluster.apiserver.pid)?.rssBytes ?? 0;
      const t = (now() - t0) / 1000;
      const last = timeline.at(-1);
      timeline.push({
        t: Math.round(t * 10) / 10,
        created: counts.created,
        running: counts.running,
        podsPerSecond: Math.round(((counts.running - (last?.running ?? 0)) / (t - (last?.t ?? 0))) * 10) / 10,
        p99Ms: Object.fromEntries(Object.entries(interval).map(([verb, q]) => [verb, q.p99])),
        apiserverRssMB: mb(apiserverRss),
      });
      progress.update(counts.running, `created ${counts.created} apiserver ${mb(apiserverRss).toFixed(0)} MB`);
      if (counts.running > lastRunning) {
        lastRunning = counts.running;
        lastProgressAt = now();
      }
      if (counts.running >= pods) break;
      const dead = cluster.components().find((c) => readProcMemory(c.pid) === undefined);
      if (dead) {
        stoppedBecause = `${dead.name} exited (pid ${dead.pid}); see ${dead.logFile ?? 'its log'}`;
        break;
      }
      if (creationFailed !== undefined) {
        stoppedBecause = `creating Deployments failed: ${String(creationFailed)} (created ${counts.created}, running ${counts.running})`;
        break;
      }
      if (operatorStop) {
        stoppedBecause = `stopped on request (SIGUSR2) after ${Math.round(t)} s (created ${counts.created}, running ${counts.running})`;
        break;
      }
      if (now() - lastProgressAt > stallMs) {
        stoppedBecause = `no pod turned Running for ${stallMs / 1000} s (created ${counts.created}, running ${counts.running})`;
        break;
      }
      if (now() > deadline) {
        stoppedBecause = `timed out after ${(options.timeoutMs ?? 3_600_000) / 1000} s (created ${counts.created}, running ${counts.running})`;
        break;
      }
    }
    const counts = tracker.counts();
    progress.done(counts.running);
    await Promise.race([creating, new Promise((r) => setTimeout(r, 30_000))]);
    watchStop.abort();
    await Promise.race([watching, new Promise((r) => setTimeout(r, 10_000))]);
    // An overloaded API server may not answer: then the last interval's scrape stands in.
    const metricsAfter = (await scrape(cluster.server).catch(() => undefined)) ?? previous;
    const cpuSeconds: Record<string, number> = {};
    for (const c of cluster.components()) cpuSeconds[c.name] = Math.round(((readProcCpuSeconds(c.pid) ?? 0) - (cpuBefore.get(c.name) ?? 0)) * 10) / 10;
    samplePeaks(cluster);
    const rssAfter = readProcMemory(cluster.apiserver.pid)?.rssBytes ?? 0;
    const seconds = tracker.seconds();
    const requests = quantilesMs(subtractHistogram(metricsAfter.byResource, metricsBefore.byResource));
    const wall = (now() - t0) / 1000;
    const requestsPerSecond = Object.fromEntries(
      Object.entries(requests)
        .map(([k, q]) => [k, Math.round(((q.count ?? 0) / wall) * 10) / 10] as const)
        .filter(([, r]) => r >= 0.5)
        .sort((a, b) => b[1] - a[1]),
    );
    const latencies = tracker.latenciesMs();
    const kubeletPeak = cluster.kubelets.map((k) => peak.get(k.name) ?? 0);
    const peakRssMB: Record<string, number> = {
      etcd: mb(peak.get('etcd') ?? 0),
      apiserver: mb(peak.get('apiserver') ?? 0),
      scheduler: mb(peak.get('scheduler') ?? 0),
      'controller-manager': mb(peak.get('controller-manager') ?? 0),
      'kubelet (largest process)': mb(Math.max(0, ...kubeletPeak)),
      'kubelets (all processes)': mb(kubeletPeak.reduce((a, b) => a + b, 0)),
    };
    return {
      nodes: options.nodes,
      pods,
      podsRunning: counts.running,
      completed: counts.running >= pods,
      ...(stoppedBecause ? { stoppedBecause } : {}),
      seconds: Math.round(seconds * 10) / 10,
      podsPerSecond: Math.round(tracker.podsPerSecond() * 10) / 10,
      podStartupMs: { p50: Math.round(percentile(latencies, 0.5)), p99: Math.round(percentile(latencies, 0.99)), count: latencies.length },
      apiLatencySource: `server-side: ${METRIC} from the API server's /metrics, difference between scrapes before the first Deployment and after the last pod Running, WATCH excluded`,
      apiLatencyMs: quantilesMs(subtractHistogram(metricsAfter.latency, metricsBefore.latency)),
      peakRssMB,
      apiserverBytesPerPod: counts.created > 0 ? Math.round((rssAfter - rssBefore) / counts.created) : 0,
      requestsPerSecond,
      apiLatencyByResourceMs: Object.fromEntries(
        Object.keys(requests)
          .filter((k) => k in requestsPerSecond || MUTATING_VERBS.includes(k.split(' ')[0]!))
          .map((k) => [k, { p50: requests[k].p50, p99: requests[k].p99, count: requests[k].count }]),
      ),
      cpuSeconds,
      ...cpuProjection(cpuSeconds, counts.running, cpus().length),
      kubeletProcesses: cluster.kubelets.length,
      loadAverage: { before: loadBefore.map((l) => Math.round(l * 100) / 100), after: loadavg().map((l) => Math.round(l * 100) / 100) },
      timeline,
    };
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('SIGUSR2', onStopRequest);
    await client.close();
    await cluster.stop();
  }
}

/** Status codes of an attempt the server may not have carried out: a timeout, overload, unavailability. */
const RETRIED_CODES = new Set([429, 500, 503, 504]);

/**
 * Runs a create, again after a timed-out or refused attempt (up to 5 attempts). A retry answered
 * AlreadyExists counts as done: the earlier attempt was stored after all.
 */
export async function createWithRetries(create: () => Promise<unknown>, attempts = 5): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await create();
      return;
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      if (attempt > 1 && code === 409) return;
      if (attempt >= attempts || typeof code !== 'number' || !RETRIED_CODES.has(code)) throw err;
    }
  }
}
