/**
 * bench/scheduler (after upstream scheduler_perf SchedulingBasic): N nodes and P pending pods
 * created through the API (API server and etcd as their own processes, as in a cluster), then
 * the scheduler starts in this process and binds them all. Prints pods/s from scheduler start to
 * the last pod seen bound, and the per-pod scheduling attempt latency (algorithm + binding)
 * p50/p99, estimated from the scheduler's own `scheduler_scheduling_attempt_duration_seconds`
 * histogram as upstream's perf dashboards do.
 * Baseline, same run and API server: the API floor — the writes every scheduled pod costs
 * (`POST pods/binding` and the `Scheduled` event), P times at concurrency 32 without a scheduler.
 * Both phases also report the machine's CPU per pod (every process: API server, etcd, this
 * process) and so the most pods/s the machine's cores allow at that cost.
 *
 * Run: `npx tsx bench/scheduler.ts [--nodes 1000,5000] [--pods 10000]`.
 */
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { pino } from 'pino';
import type { Pod } from '../pkg/api/core/v1/pod.ts';
import { createClient, type Client } from '../pkg/client/index.ts';
import { Manager } from '../pkg/runtime/index.ts';
import { startE2EControlPlane } from '../e2e/harness/control-plane.ts';
import { defaultConfiguration } from '../scheduler/framework/index.ts';
import { inTreeRegistry } from '../scheduler/plugins/index.ts';
import { Scheduler } from '../scheduler/scheduler.ts';
import { cpus } from 'node:os';
import { histogramQuantile, measureRate } from './lib/measure.ts';
import { readMachineCpu, readProcTreeCpuSeconds } from './lib/proc-status.ts';
import { publishRows, type BenchRow } from './lib/report.ts';

const { values } = parseArgs({ options: { nodes: { type: 'string', default: '1000,5000' }, pods: { type: 'string', default: '10000' } } });
const nodeCounts = values.nodes.split(',').map(Number);
const podCount = Number(values.pods);
const CONCURRENCY = 32;

const podSpec = { containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.10', resources: { requests: { cpu: '100m', memory: '100Mi' } } }] };

function node(i: number) {
  const res = { cpu: '32', memory: '256Gi', pods: '110', 'ephemeral-storage': '100Gi' };
  return {
    metadata: { name: `node-${i}`, labels: { 'kubernetes.io/hostname': `node-${i}`, 'topology.kubernetes.io/zone': `zone-${i % 3}` } },
    status: { capacity: res, allocatable: res, conditions: [{ type: 'Ready', status: 'True' }] },
  };
}

/** CPU seconds spent since a {@link cpuMeter} started: the whole machine (every process), the API server process, and this process (the scheduler, when it runs). */
interface CpuSpent {
  machine: number;
  apiserver: number;
  self: number;
}

/** Starts counting CPU; the returned function tells what was spent since. */
function cpuMeter(apiserverPid: number): () => CpuSpent {
  const [m0, a0, s0] = [readMachineCpu().busySeconds, readProcTreeCpuSeconds(apiserverPid) ?? 0, process.cpuUsage()];
  return () => {
    const self = process.cpuUsage(s0);
    return { machine: readMachineCpu().busySeconds - m0, apiserver: (readProcTreeCpuSeconds(apiserverPid) ?? 0) - a0, self: (self.user + self.system) / 1e6 };
  };
}

/** Resolves when `count` pods of `namespace` are seen bound (from one watch). */
async function allBound(client: Client, namespace: string, count: number, signal: AbortSignal): Promise<void> {
  const bound = new Set<string>();
  for await (const ev of client.pods.inNamespace(namespace).watch({ signal, resourceVersion: '0' })) {
    const p = ev.object as Pod;
    if (p.spec?.nodeName) bound.add(p.metadata.name as string);
    if (bound.size >= count) return;
  }
}

async function createPods(client: Client, namespace: string): Promise<void> {
  await client.namespaces.create({ metadata: { name: namespace } });
  const pods = client.pods.inNamespace(namespace);
  await measureRate({ count: podCount, concurrency: CONCURRENCY, op: (i) => pods.create({ metadata: { name: `p-${i}` }, spec: podSpec } as Pod) });
}

async function benchNodes(nodes: number, rows: BenchRow[]): Promise<void> {
  const cp = await startE2EControlPlane({ storage: 'etcd' });
  const client = createClient({ kubeconfig: cp.kubeconfig, qps: Infinity });
  try {
    process.stderr.write(`${nodes} nodes: creating ${nodes} nodes and 2 × ${podCount} pending pods…\n`);
    await measureRate({ count: nodes, concurrency: CONCURRENCY, op: (i) => client.nodes.create(node(i) as never) });
    await createPods(client, 'floor');
    await createPods(client, 'sched');

    process.stderr.write(`${nodes} nodes: floor, ${podCount} × (POST pods/binding + POST events)…\n`);
    const floorPods = client.pods.inNamespace('floor');
    const floorEvents = client.events.inNamespace('floor');
    const apiserverPid = cp.apiserver.pid as number;
    const floorMeter = cpuMeter(apiserverPid);
    const floor = await measureRate({
      count: podCount,
      concurrency: CONCURRENCY,
      op: async (i) => {
        const node = `node-${i % nodes}`;
        await floorPods.subresource(`p-${i}`, 'binding', { method: 'POST', body: { apiVersion: 'v1', kind: 'Binding', metadata: { name: `p-${i}` }, target: { kind: 'Node', name: node } } });
        await floorEvents.create({ metadata: { name: `p-${i}.scheduled` }, involvedObject: { kind: 'Pod', namespace: 'floor', name: `p-${i}` }, reason: 'Scheduled', message: `Successfully assigned floor/p-${i} to ${node}`, type: 'Normal', source: { component: 'default-scheduler' } } as never);
      },
    });
    const floorCpu = floorMeter();

    process.stderr.write(`${nodes} nodes: scheduler binds ${podCount} pods…\n`);
    const schedClient = createClient({ kubeconfig: cp.kubeconfig, qps: Infinity });
    const manager = new Manager({ client: schedClient, logger: pino({ level: 'silent' }) });
    const scheduler = await Scheduler.create({ manager, config: defaultConfiguration(), registry: inTreeRegistry(), log: pino({ level: 'silent' }) });
    const watchStop = new AbortController();
    const bound = allBound(client, 'sched', podCount, watchStop.signal);
    const stop = new AbortController();
    const t0 = performance.now();
    const schedMeter = cpuMeter(apiserverPid);
    const running = manager.start(stop.signal).catch(() => undefined);
    await bound;
    const seconds = (performance.now() - t0) / 1000;
    const schedCpu = schedMeter();
    process.stderr.write(`scheduler-process CPU: ${((schedCpu.self / seconds) * 100).toFixed(0)}% of one core over ${seconds.toFixed(1)} s\n`);
    // Where each pod's CPU goes, in both phases: the cap the machine puts on pods/s at that cost.
    const perPod = (c: CpuSpent) => ({ all: (c.machine * 1000) / podCount, apiserver: (c.apiserver * 1000) / podCount, self: (c.self * 1000) / podCount });
    const [f, sc] = [perPod(floorCpu), perPod(schedCpu)];
    const cores = cpus().length;
    process.stderr.write(
      `CPU per pod, all processes: floor ${f.all.toFixed(2)} ms (API server ${f.apiserver.toFixed(2)}, load generator ${f.self.toFixed(2)}, etcd and the rest ${(f.all - f.apiserver - f.self).toFixed(2)}); ` +
        `scheduled ${sc.all.toFixed(2)} ms (API server ${sc.apiserver.toFixed(2)}, scheduler process ${sc.self.toFixed(2)}, etcd and the rest ${(sc.all - sc.apiserver - sc.self).toFixed(2)}); ` +
        `${cores} cores allow at most ${((cores * 1000) / sc.all).toFixed(0)} pods/s at that cost\n`,
    );
    watchStop.abort();
    const attempts = (await scheduler.metrics.registry.getSingleMetric('scheduler_scheduling_attempt_duration_seconds')!.get()).values;
    stop.abort();
    await running;
    await schedClient.close();

    const buckets = attempts.filter((v) => (v as { metricName?: string }).metricName?.endsWith('_bucket') && v.labels.result === 'scheduled').map((v) => ({ le: Number(v.labels.le), count: v.value }));
    rows.push({ name: `${podCount} pods onto ${nodes} nodes`, value: podCount / seconds, unit: 'pods/s', baselineName: 'API floor: binding+event/s', baseline: floor.perSecond, better: 'higher', target: nodes >= 5000 ? '≥ 700 pods/s' : '' });
    rows.push({ name: `  attempt latency p50 (${nodes} nodes)`, value: histogramQuantile(0.5, buckets) * 1000, unit: 'ms', baselineName: 'floor p50', baseline: floor.p50Ms, better: 'lower' });
    rows.push({ name: `  attempt latency p99 (${nodes} nodes)`, value: histogramQuantile(0.99, buckets) * 1000, unit: 'ms', baselineName: 'floor p99', baseline: floor.p99Ms, better: 'lower' });
    rows.push({ name: `  machine CPU per pod (${nodes} nodes)`, value: sc.all, unit: 'ms', baselineName: 'floor, per binding+event', baseline: f.all, better: 'lower' });
  } finally {
    await client.close();
    await cp.stop();
  }
}

const rows: BenchRow[] = [];
for (const n of nodeCounts) await benchNodes(n, rows);
publishRows('scheduler', rows);
