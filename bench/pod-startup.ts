/**
 * bench/pod-startup: 30 pods on one node with a real containerd (in a network namespace the
 * bench creates), the real API server in-process and the kubelet; creation → Running observed
 * through a watch, p50/p99 printed beside the floor — the same sandboxes + containers created
 * directly through the CRI in the same run. Targets: p50 ≤ 0.5 s, p99 ≤ 1.5 s.
 *
 * Pods arrive one every `--interval-ms` (default 200) in both runs.
 *
 * Run (root): `npx tsx bench/pod-startup.ts [--pods 30] [--interval-ms 200]`.
 */
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { pino } from 'pino';
import type { Pod } from '../pkg/api/core/v1/pod.ts';
import { startTestControlPlane } from '../pkg/testing/control-plane.ts';
import { realClock } from '../pkg/workqueue/index.ts';
import { BUSYBOX_IMAGE } from '../kubelet/containerd/process.ts';
import { Kubelet } from '../kubelet/kubelet.ts';
import { readHostFacts } from '../kubelet/node/host-info.ts';
import { CriRuntime } from '../kubelet/runtime/cri-runtime.ts';
import { startContainerdInNetns } from '../kubelet/testing/containerd-netns.ts';
import { percentile } from './lib/measure.ts';
import { publishRows, type BenchRow } from './lib/report.ts';
import { useLeanAsyncResourceBind } from '../pkg/util/lean-async-resource-bind.ts';

const { values } = parseArgs({ options: { pods: { type: 'string', default: '30' }, 'interval-ms': { type: 'string', default: '200' } } });
const count = Number(values.pods);
/** Pods arrive one every `interval` ms in both runs (upstream measures startup at a bounded creation rate). */
const interval = Number(values['interval-ms']);
const staggered = <T>(fn: (i: number) => Promise<T>): Promise<T[]> => Promise.all(Array.from({ length: count }, (_, i) => new Promise<void>((r) => setTimeout(r, i * interval)).then(() => fn(i))));

async function main(): Promise<void> {
  // As `k8ts kubelet` runs (cli/main.ts); the direct CRI calls of the baseline share it.
  useLeanAsyncResourceBind();
  const node = await startContainerdInNetns({ name: 'k8ts-bench-startup', podCidr: '10.244.30.0/24' });
  const cp = await startTestControlPlane();
  const stop = new AbortController();
  let running: Promise<void> | undefined;
  try {
    // Floor: sandbox + container straight through the CRI, all at once.
    const floor = await staggered(
      async (i) => {
        const t0 = performance.now();
        const sandbox = { metadata: { name: `floor-${i}`, uid: `floor-${i}`, namespace: 'bench', attempt: 0 }, hostname: `floor-${i}`, logDirectory: `${node.dir}/floor-logs/${i}`, linux: {} };
        const id = await node.cri.runPodSandbox(sandbox);
        const c = await node.cri.createContainer(id, { metadata: { name: 'c', attempt: 0 }, image: { image: BUSYBOX_IMAGE }, command: ['sleep', '3600'], logPath: 'c/0.log' }, sandbox);
        await node.cri.startContainer(c);
        return performance.now() - t0;
      },
    );
    for (const s of await node.cri.listPodSandbox()) {
      await node.cri.stopPodSandbox(s.id);
      await node.cri.removePodSandbox(s.id);
    }
    const kubelet = new Kubelet({
      client: cp.client,
      runtime: new CriRuntime(node.cri),
      clock: realClock,
      log: pino({ level: 'warn' }),
      nodeName: 'bench-node',
      facts: readHostFacts({ rootDir: node.dir, maxPods: 110, nodeIP: '127.0.0.1', hostname: 'bench-node' }),
      rootDir: node.dir,
      dns: { clusterDns: [], clusterDomain: 'cluster.local', host: { servers: [], searches: [], options: [] } },
      serverAddress: { host: '127.0.0.1', port: 0 },
    });
    running = kubelet.run(stop.signal);
    await cp.client.namespaces.create({ metadata: { name: 'bench' } });
    const created = new Map<string, number>();
    const latencies: number[] = [];
    const watchStop = new AbortController();
    const watched = (async () => {
      for await (const ev of cp.client.pods.inNamespace('bench').watch({ signal: watchStop.signal })) {
        const pod = ev.object as Pod;
        const name = pod.metadata.name as string;
        if (pod.status?.phase === 'Running' && created.has(name)) {
          latencies.push(performance.now() - (created.get(name) as number));
          created.delete(name);
          if (latencies.length === count) return;
        }
      }
    })();
    await staggered(
      async (i) => {
        const name = `pod-${i}`;
        created.set(name, performance.now());
        await cp.client.pods.inNamespace('bench').create({ metadata: { name }, spec: { nodeName: 'bench-node', containers: [{ name: 'c', image: BUSYBOX_IMAGE, imagePullPolicy: 'IfNotPresent', command: ['sleep', '3600'] }] } } as Pod);
      },
    );
    const deadline = setTimeout(() => watchStop.abort(), 120_000);
    await watched.catch(() => undefined);
    clearTimeout(deadline);
    watchStop.abort();
    if (latencies.length < count) process.stderr.write(`only ${latencies.length}/${count} pods reached Running within 120 s\n`);
    const sortedPods = [...latencies].sort((a, b) => a - b);
    const sortedFloor = [...floor].sort((a, b) => a - b);
    const rows: BenchRow[] = [
      { name: `pod startup p50 (${count} pods)`, value: percentile(sortedPods, 0.5) / 1000, unit: 's', baselineName: 'CRI direct p50', baseline: percentile(sortedFloor, 0.5) / 1000, better: 'lower', target: '≤ 0.5 s' },
      { name: `pod startup p99 (${count} pods)`, value: percentile(sortedPods, 0.99) / 1000, unit: 's', baselineName: 'CRI direct p99', baseline: percentile(sortedFloor, 0.99) / 1000, better: 'lower', target: '≤ 1.5 s' },
    ];
    publishRows('pod-startup', rows);
  } finally {
    stop.abort();
    await running?.catch(() => undefined);
    await node.stop();
    await cp.stop();
  }
}

await main();
