/**
 * bench/controllers: time from applying a 1,000-replica Deployment to 1,000 pods created by the
 * Deployment and ReplicaSet controllers (in-process, real API server on a real etcd), at the
 * kube-controller-manager default client QPS (20/30) and unthrottled, beside the time the same
 * number of raw `POST /pods` takes in the same run (the floor).
 *
 * Run: `npx tsx bench/controllers.ts [--replicas 1000] [--concurrency 32] [--skip-default-qps]`.
 */
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import type { Deployment } from '../pkg/api/apps/v1/deployment.ts';
import type { Pod } from '../pkg/api/core/v1/pod.ts';
import { createClient, type Client } from '../pkg/client/index.ts';
import { Manager } from '../pkg/runtime/index.ts';
import { startTestControlPlane } from '../pkg/testing/control-plane.ts';
import { BUILTIN_CONTROLLERS } from '../controller-manager/controllers/index.ts';
import { DEFAULT_SETTINGS } from '../controller-manager/controllers/types.ts';
import { selectControllers } from '../controller-manager/select-controllers.ts';
import { measureRate } from './lib/measure.ts';
import { publishRows, type BenchRow } from './lib/report.ts';

const { values } = parseArgs({ options: { replicas: { type: 'string', default: '1000' }, concurrency: { type: 'string', default: '32' }, 'skip-default-qps': { type: 'boolean', default: false } } });
const replicas = Number(values.replicas);
const concurrency = Number(values.concurrency);
const template = { metadata: { labels: { app: 'bench' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } };

/** Resolves when `count` pods exist in `namespace` (counted from a watch, not by polling lists). */
async function podsCreated(client: Client, namespace: string, count: number, signal: AbortSignal): Promise<void> {
  const seen = new Set<string>();
  for await (const ev of client.pods.inNamespace(namespace).watch({ signal, resourceVersion: '0' })) {
    if (ev.type === 'ADDED') seen.add((ev.object as Pod).metadata.name as string);
    if (seen.size >= count) return;
  }
}

async function deploymentToPods(cpUrl: string, namespace: string, qps: number, burst: number): Promise<number> {
  const client = createClient({ kubeconfig: cpUrl, qps, burst, userAgent: 'kube-controller-manager' });
  const observer = createClient({ kubeconfig: cpUrl, qps: Infinity });
  const manager = new Manager({ client });
  for (const c of selectControllers(['replicaset', 'deployment'], BUILTIN_CONTROLLERS)) c.register({ manager, settings: DEFAULT_SETTINGS });
  const stop = new AbortController();
  const running = manager.start(stop.signal);
  try {
    await observer.namespaces.create({ metadata: { name: namespace } });
    const watchStop = new AbortController();
    const created = podsCreated(observer, namespace, replicas, watchStop.signal);
    const t0 = performance.now();
    const deployment: Deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'bench', namespace }, spec: { replicas, selector: { matchLabels: { app: 'bench' } }, template } } as Deployment;
    await observer.deployments.inNamespace(namespace).create(deployment);
    await created;
    const seconds = (performance.now() - t0) / 1000;
    watchStop.abort();
    return seconds;
  } finally {
    stop.abort();
    await running.catch(() => undefined);
    await client.close();
    await observer.close();
  }
}

async function main(): Promise<void> {
  const cp = await startTestControlPlane({ storage: 'etcd' });
  const rows: BenchRow[] = [];
  try {
    await cp.client.namespaces.create({ metadata: { name: 'raw' } });
    process.stderr.write(`raw: ${replicas} POST /pods at concurrency ${concurrency}…\n`);
    const pods = cp.client.pods.inNamespace('raw');
    const raw = await measureRate({ count: replicas, concurrency, op: (i) => pods.create({ metadata: { name: `raw-${i}`, labels: { app: 'bench' } }, spec: template.spec } as Pod) });
    process.stderr.write(`deployment → ${replicas} pods, unthrottled…\n`);
    const fast = await deploymentToPods(cp.kubeconfigPath, 'unthrottled', Infinity, Infinity);
    rows.push({ name: `deployment → ${replicas} pods (unthrottled)`, value: fast, unit: 's', baselineName: 'raw POST /pods', baseline: raw.seconds, better: 'lower', target: '≥ 0.80' });
    if (!values['skip-default-qps']) {
      process.stderr.write(`deployment → ${replicas} pods at qps 20 / burst 30…\n`);
      const slow = await deploymentToPods(cp.kubeconfigPath, 'default-qps', 20, 30);
      rows.push({ name: `deployment → ${replicas} pods (qps 20/30)`, value: slow, unit: 's', baselineName: 'raw POST /pods', baseline: raw.seconds, better: 'lower', target: `floor ${(replicas / 20).toFixed(0)} s by QPS` });
    }
    publishRows('controllers', rows);
  } finally {
    await cp.stop();
  }
}

await main();
