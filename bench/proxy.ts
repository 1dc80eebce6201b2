/**
 * Proxy data-plane benchmark: full sync of N services × 5 endpoints and one endpoint change, per
 * mode, each beside the time the kernel tool (iptables-legacy-restore / nft -f) takes to load the
 * very same payload in the same run. Everything runs inside throw-away network namespaces.
 * The ratio column is floor ÷ k8ts (1 = as fast as the tool alone); stderr prints k8ts ÷ floor.
 * Run: npx tsx bench/proxy.ts [counts, default 1000,10000] [modes, default iptables,nftables]
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { timeMs } from './lib/measure.ts';
import { formatTable, type BenchRow } from './lib/report.ts';
import { detectIptables, hostExec, type Exec } from '../proxy/iptables/exec.ts';
import { execHost } from '../proxy/iptables/host.ts';
import { IptablesProxier } from '../proxy/iptables/proxier.ts';
import { NftProxier } from '../proxy/nftables/proxier.ts';
import type { EndpointSliceLike, ServiceLike } from '../proxy/types.ts';

const counts = (process.argv[2] ?? '1000,10000').split(',').map(Number);

function ip(base: number, i: number): string {
  return `10.${base + (i >> 16)}.${(i >> 8) & 255}.${i & 255}`;
}
function svc(i: number): ServiceLike {
  return { metadata: { name: `s${i}`, namespace: 'bench' }, spec: { type: 'NodePort', clusterIP: ip(96, i), ports: [{ name: 'http', port: 80, nodePort: 0 }] } };
}
function slice(i: number, n = 5): EndpointSliceLike {
  return {
    metadata: { name: `s${i}-x`, namespace: 'bench', labels: { 'kubernetes.io/service-name': `s${i}` } },
    addressType: 'IPv4',
    ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
    endpoints: Array.from({ length: n }, (_, k) => ({ addresses: [ip(128, i * 5 + k)], nodeName: 'other' })),
  };
}

function withNetns<T>(fn: (ns: string) => Promise<T>): Promise<T> {
  const ns = `k8ts-bench-${randomBytes(4).toString('hex')}`;
  execFileSync('ip', ['netns', 'add', ns]);
  return fn(ns).finally(() => execFileSync('ip', ['netns', 'del', ns]));
}

/** Exec that remembers the last stdin payload given to the restore tool. */
function recording(exec: Exec): { exec: Exec; last: () => { cmd: string; args: readonly string[]; stdin: string } } {
  let last = { cmd: '', args: [] as readonly string[], stdin: '' };
  return {
    exec: async (cmd, args, stdin) => {
      if (stdin) last = { cmd, args, stdin };
      return exec(cmd, args, stdin);
    },
    last: () => last,
  };
}

async function toolTime(ns: string, call: { cmd: string; args: readonly string[]; stdin: string }): Promise<number> {
  const exec = hostExec(ns);
  return timeMs(async () => {
    const r = await exec(call.cmd, call.args, call.stdin);
    if (r.code !== 0) throw new Error(r.stderr);
  });
}

async function benchMode(mode: 'iptables' | 'nftables', n: number, rows: BenchRow[]): Promise<void> {
  await withNetns(async (ns) => {
    const rec = recording(hostExec(ns));
    const opts = { nodeName: 'node1', clusterCIDR: '10.128.0.0/9' };
    const proxier =
      mode === 'iptables'
        ? new IptablesProxier(await detectIptables(rec.exec), execHost(rec.exec), opts)
        : new NftProxier(rec.exec, execHost(rec.exec), opts);
    const backend = mode === 'iptables' ? (await detectIptables(rec.exec)).backend : 'nft';
    for (let i = 0; i < n; i++) {
      proxier.onService(`bench/s${i}`, svc(i));
      proxier.onEndpointSlice(slice(i));
    }
    const full = await timeMs(() => proxier.sync());
    const fullPayload = rec.last();
    const tool = mode === 'iptables' ? `${backend === 'legacy' ? 'iptables-legacy' : 'iptables-nft'}-restore` : 'nft -f';
    const fullFloor = await withNetns((ns2) => toolTime(ns2, fullPayload));
    rows.push({ name: `${mode} full sync ${n} svc (${(fullPayload.stdin.length / 1e6).toFixed(1)} MB)`, value: full, unit: 'ms', baselineName: tool, baseline: fullFloor, better: 'lower', target: mode === 'iptables' ? '≤1.2× floor' : n >= 10000 ? '≤ 2000 ms' : '' });
    proxier.onEndpointSlice(slice(7, 4));
    const change = await timeMs(() => proxier.sync());
    const changePayload = rec.last();
    const changeFloor = await toolTime(ns, changePayload);
    rows.push({ name: `${mode} one endpoint change, ${n} svc`, value: change, unit: 'ms', baselineName: tool, baseline: changeFloor, better: 'lower', target: mode === 'nftables' ? '≤ 20 ms' : '≤1.2× floor' });
    console.error(`${mode} ${n}: full ${full.toFixed(0)} ms (tool ${fullFloor.toFixed(0)} ms, ${(full / fullFloor).toFixed(2)}× floor), change ${change.toFixed(1)} ms (tool ${changeFloor.toFixed(1)} ms, ${(change / changeFloor).toFixed(2)}× floor, ${changePayload.stdin.length} bytes), backend ${backend}`);
  });
}

const rows: BenchRow[] = [];
const modes = (process.argv[3] ?? 'iptables,nftables').split(',') as Array<'iptables' | 'nftables'>;
for (const mode of modes) {
  for (const n of counts) await benchMode(mode, n, rows);
}
console.log(formatTable(rows));
