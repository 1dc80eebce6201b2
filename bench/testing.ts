/**
 * bench/testing: how fast `k8ts/testing` gives a reconciler developer a control plane, beside
 * etcd + `k8ts apiserver` started as separate processes (the e2e harness) in the same run.
 *
 * - `startTestControlPlane()` → first successful list (target ≤ 300 ms);
 * - `startTestControlPlane({ controllers: true })` → Website CRD Established, the example
 *   operator started, a Website created → its Deployment exists (and, separately, the
 *   Website-created → Deployment-exists part alone);
 * - baseline: `startE2EControlPlane()` (etcd + apiserver processes) → first successful list.
 *
 * Each figure is the median (after one cold start in the process, reported alone) of `--runs` (default 5; baseline `--baseline-runs`, default 3).
 * Run: `npx tsx bench/testing.ts [--runs 5] [--baseline-runs 3]`.
 */
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { createClient } from '../pkg/client/index.ts';
import { Manager } from '../pkg/runtime/index.ts';
import { startTestControlPlane } from '../pkg/testing/index.ts';
import { startE2EControlPlane } from '../e2e/harness/control-plane.ts';
import { installWebsiteCrd } from '../examples/website-operator/crd.ts';
import { registerWebsiteOperator } from '../examples/website-operator/operator.ts';
import { WEBSITES, type Website } from '../examples/website-operator/types.ts';
import { publishRows, type BenchRow } from './lib/report.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' }, 'baseline-runs': { type: 'string', default: '3' } } });
const runs = Number(values.runs);
const baselineRuns = Number(values['baseline-runs']);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Polls `fn` every `intervalMs` until it resolves truthy; errors count as "not yet". */
async function until(fn: () => Promise<unknown>, intervalMs = 2): Promise<void> {
  for (;;) {
    if (await fn().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** startTestControlPlane() → first successful namespace list, in ms. */
async function testPlaneToList(): Promise<number> {
  const t0 = performance.now();
  const cp = await startTestControlPlane();
  try {
    await until(() => cp.client.namespaces.list());
    return performance.now() - t0;
  } finally {
    await cp.stop();
  }
}

/** startTestControlPlane({ controllers: true }) → operator's Deployment exists; also Website create → Deployment. */
async function testPlaneToFirstReconcile(): Promise<{ total: number; reconcile: number }> {
  const t0 = performance.now();
  const cp = await startTestControlPlane({ controllers: true });
  const stop = new AbortController();
  let running: Promise<void> | undefined;
  try {
    await installWebsiteCrd(cp.client, { intervalMs: 2 });
    const manager = new Manager({ client: cp.client });
    registerWebsiteOperator(manager);
    running = manager.start(stop.signal);
    const t1 = performance.now();
    await cp.client.resource<Website>(WEBSITES).create({ apiVersion: 'example.k8ts.dev/v1', kind: 'Website', metadata: { name: 'bench', namespace: 'default' }, spec: { image: 'nginx:1.27' } });
    await until(() => cp.client.deployments.get('bench', { namespace: 'default' }));
    const t2 = performance.now();
    return { total: t2 - t0, reconcile: t2 - t1 };
  } finally {
    stop.abort();
    await running?.catch(() => undefined);
    await cp.stop();
  }
}

/** etcd + `k8ts apiserver` processes → first successful namespace list, in ms. */
async function processesToList(): Promise<number> {
  const t0 = performance.now();
  const cp = await startE2EControlPlane();
  const client = createClient({ kubeconfig: cp.kubeconfig, qps: Infinity });
  try {
    await until(() => client.namespaces.list(), 10);
    return performance.now() - t0;
  } finally {
    await client.close();
    await cp.stop();
  }
}

async function main(): Promise<void> {
  // The first start in a process pays one-off work (schema compilation, first JIT): its own row.
  const cold = await testPlaneToList();
  const list: number[] = [];
  const total: number[] = [];
  const reconcile: number[] = [];
  for (let i = 0; i < runs; i++) {
    list.push(await testPlaneToList());
    const r = await testPlaneToFirstReconcile();
    total.push(r.total);
    reconcile.push(r.reconcile);
    process.stderr.write(`run ${i + 1}/${runs}: list ${list[i]!.toFixed(0)} ms, first reconcile ${r.total.toFixed(0)} ms (create → Deployment ${r.reconcile.toFixed(0)} ms)\n`);
  }
  const baseline: number[] = [];
  for (let i = 0; i < baselineRuns; i++) {
    baseline.push(await processesToList());
    process.stderr.write(`baseline ${i + 1}/${baselineRuns}: etcd + apiserver processes → list ${baseline[i]!.toFixed(0)} ms\n`);
  }
  const base = median(baseline);
  const baselineName = 'etcd + k8ts apiserver processes → list';
  const rows: BenchRow[] = [
    { name: 'startTestControlPlane() → first list', value: median(list), unit: 'ms', baselineName, baseline: base, better: 'lower', target: '≤ 300 ms' },
    { name: 'startTestControlPlane() → first list, first in process', value: cold, unit: 'ms', baselineName, baseline: base, better: 'lower' },
    { name: 'startTestControlPlane({controllers}) + CRD + operator → Deployment', value: median(total), unit: 'ms', baselineName, baseline: base, better: 'lower' },
    { name: 'Website created → Deployment exists', value: median(reconcile), unit: 'ms', baselineName, baseline: base, better: 'lower' },
  ];
  publishRows('testing', rows);
}

await main();
