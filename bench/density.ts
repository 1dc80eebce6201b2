/**
 * bench/density: hollow-node density, after upstream's density/kubemark tests. etcd, the API
 * server, scheduler and controller-manager run as separate processes, the hollow nodes in a few
 * `k8ts kubelet --container-runtime fake --hollow-nodes N` processes; Deployments add up to
 * `--pods-per-node` pods per node. Prints pods/s from creation to Running, API latency p50/p99
 * per verb (server-side, from /metrics), peak RSS per component (VmHWM) and API server memory
 * per stored pod, beside the targets (≥ 300 pods/s, mutating p99 ≤ 1 s, LIST p99 ≤ 30 s,
 * ≤ 40 KB per pod). `--json F` writes the results ({@link DensityResult}[]) to F.
 *
 * Run: `npx tsx bench/density.ts [--nodes 100[,1000,5000]] [--pods-per-node 30]
 *   [--pods-per-deployment 100] [--kubelet-processes 4] [--qps 500] [--stall-seconds 120] [--etcd-dir /dev/shm] [--json F]`.
 * etcd's data lives under `--etcd-dir` (default /dev/shm, tmpfs: the machine's disk is shared, and
 * its fsync latency is not what this measures; pass '' for the scratch directory on disk).
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { publishRows, type BenchRow } from './lib/report.ts';

import type { DensityResult } from './lib/results.ts';
import { runDensity } from './density/run.ts';
import { densityRows } from './density/rows.ts';

const { values } = parseArgs({
  options: {
    nodes: { type: 'string', default: '100' },
    'pods-per-node': { type: 'string', default: '30' },
    'pods-per-deployment': { type: 'string', default: '100' },
    'kubelet-processes': { type: 'string', default: '4' },
    qps: { type: 'string', default: '500' },
    'stall-seconds': { type: 'string', default: '120' },
    'timeout-seconds': { type: 'string', default: '3600' },
    'keep-dir': { type: 'boolean', default: false },
    'etcd-dir': { type: 'string', default: '/dev/shm' },
    json: { type: 'string' },
  },
});

const results: DensityResult[] = [];
const rows: BenchRow[] = [];
for (const nodes of values.nodes.split(',').map(Number)) {
  let result: DensityResult;
  try {
    result = await runDensity({
      nodes,
      podsPerNode: Number(values['pods-per-node']),
      podsPerDeployment: Number(values['pods-per-deployment']),
      kubeletProcesses: Number(values['kubelet-processes']),
      controlPlaneQps: Number(values.qps),
      stallMs: Number(values['stall-seconds']) * 1000,
      timeoutMs: Number(values['timeout-seconds']) * 1000,
      keepDir: values['keep-dir'],
      etcdRoot: values['etcd-dir'] || undefined,
    });
  } catch (err) {
    process.stderr.write(`density ${nodes} nodes failed: ${(err as Error).stack ?? err}\n`);
    process.exitCode = 1;
    continue;
  }
  results.push(result);
  rows.push(...densityRows(result));
  const { timeline: _timeline, ...summary } = result;
  process.stderr.write(`${JSON.stringify(summary, null, 2)}\n`);
  if (values.json) writeFileSync(values.json, `${JSON.stringify(results, null, 2)}\n`);
}
publishRows('density', rows);
