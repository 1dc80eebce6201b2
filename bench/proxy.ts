/**
 * Proxy data-plane benchmark: full sync of N services × 5 endpoints and one endpoint change, per
 * mode, each beside the time the kernel tool (iptables-legacy-restore / nft -f) takes to load the
 * very same payload in the same run (the full sync: the median-ratio one of three fresh starts,
 * each with its own floor; the change: median of several, each from the same table state k8ts
 * changed). iptables also reports its periodic (hourly) full sync once the rules are in
 * place, beside the tool reloading the same payload over the same rules. Everything runs inside throw-away network namespaces.
 * The ratio column is floor ÷ k8ts (1 = as fast as the tool alone); stderr prints k8ts ÷ floor.
 * A sync is timed until its rules are committed. The iptables proxier leaves some work for the idle
 * time after a sync (the periodic sync's drift audit, starting the next sync's processes); as the
 * runner leaves --min-sync-period between syncs, the bench waits for that work before timing
 * anything else, and reports the periodic sync's share beside `iptables-save` alone.
 * nftables changes go through the proxier's long-lived `nft -i` session, so they can beat the
 * `nft -f` floor, which includes starting nft.
 * The proxy's modules are loaded as `k8ts proxy` runs them: from dist/ when it is current (run
 * `npm run build` first; see lib/shipped.ts).
 * Run: npx tsx bench/proxy.ts [counts, default 1000,10000] [modes, default iptables,nftables]
 */
import { execFileSync, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { timeMs } from './lib/measure.ts';
import { publishRows, type BenchRow } from './lib/report.ts';
import { importShipped, shippedCodeNote } from './lib/shipped.ts';
import type { Exec, Launch } from '../proxy/iptables/exec.ts';
import type { EndpointSliceLike, ServiceLike } from '../proxy/types.ts';

// The proxy's code as `k8ts proxy` runs it (dist/ when built).
const { detectIptables, hostExec, hostLaunch } = await importShipped<typeof import('../proxy/iptables/exec.ts')>('proxy/iptables/exec.ts');
const { execHost } = await importShipped<typeof import('../proxy/iptables/host.ts')>('proxy/iptables/host.ts');
const { FULL_SYNC_PERIOD_MS, IptablesProxier } = await importShipped<typeof import('../proxy/iptables/proxier.ts')>('proxy/iptables/proxier.ts');
const { NftProxier } = await importShipped<typeof import('../proxy/nftables/proxier.ts')>('proxy/nftables/proxier.ts');
const { hostSpawn } = await importShipped<typeof import('../proxy/nftables/session.ts')>('proxy/nftables/session.ts');

const counts = (process.argv[2] ?? '1000,10000').split(',').map(Number);
/**
 * Fresh starts (a new process, namespaces and proxier) whose first full sync is measured per case,
 * each with its own floor; the one with the median ratio is reported. One sample moved by ±15 %
 * and more between runs here.
 */
const FIRST_SYNCS = 3;
/** One-endpoint changes measured per case; the median is reported. */
const CHANGES = 5;
/** Periodic (hourly) iptables full syncs measured once the rules are in place; the median is reported. */
const RESYNCS = 3;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

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

/**
 * Launcher (and Exec built on it) that remembers the last rule payload given to a restore tool; a
 * streamed payload is passed through chunk by chunk and remembered whole once it has been written.
 */
function recording(launch: Launch): { launch: Launch; exec: Exec; last: () => { cmd: string; args: readonly string[]; stdin: string } } {
  let last = { cmd: '', args: [] as readonly string[], stdin: '' };
  const recorded: Launch = (cmd, args) => {
    const command = launch(cmd, args);
    return {
      cancel: () => command.cancel(),
      feed: async (stdin) => {
        // Only rule payloads: not probes, nor the line that releases a held-back iptables-save.
        if (!(cmd.endsWith('-restore') || cmd === 'nft') || stdin === undefined || stdin === '') return command.feed(stdin);
        if (typeof stdin === 'string') {
          last = { cmd, args, stdin };
          return command.feed(stdin);
        }
        const chunks: string[] = [];
        const tee = async function* () {
          for await (const c of stdin) {
            chunks.push(c);
            yield c;
          }
        };
        const r = await command.feed(tee());
        last = { cmd, args, stdin: chunks.join('') };
        return r;
      },
    };
  };
  return { launch: recorded, exec: (cmd, args, stdin) => recorded(cmd, args).feed(stdin), last: () => last };
}

async function toolTime(ns: string, call: { cmd: string; args: readonly string[]; stdin: string }): Promise<number> {
  const exec = hostExec(ns);
  return timeMs(async () => {
    const r = await exec(call.cmd, call.args, call.stdin);
    if (r.code !== 0) throw new Error(r.stderr);
  });
}

/** What one fresh start measured (ms); the steady-state lists are empty unless asked for. */
interface CaseMeasurement {
  first: number;
  firstFloor: number;
  payloadBytes: number;
  backend: string;
  tool: string;
  resyncs: number[];
  resyncFloors: number[];
  audits: number[];
  auditFloors: number[];
  changes: number[];
  changeFloors: number[];
  changeBytes: number;
}

/**
 * Every row of one mode and service count. Each of the {@link FIRST_SYNCS} fresh starts runs in a
 * process of its own, so that every first sync runs in code V8 has not compiled yet, as in a proxy
 * that has just started; the last one goes on to the steady-state measurements.
 */
async function benchMode(mode: 'iptables' | 'nftables', n: number, rows: BenchRow[]): Promise<void> {
  const runs: CaseMeasurement[] = [];
  for (let run = 1; run <= FIRST_SYNCS; run++) runs.push(await inChildProcess({ mode, n, steady: run === FIRST_SYNCS }));
  const m = runs.at(-1)!;
  // The start whose ratio is the median: its k8ts time and the floor measured right after it
  // (the machine's speed drifts between starts, so medians taken apart could pair unlike runs).
  const byRatio = [...runs].sort((a, b) => a.first / a.firstFloor - b.first / b.firstFloor);
  const { first: full, firstFloor: fullFloor } = byRatio[Math.floor(byRatio.length / 2)]!;
  const mb = (m.payloadBytes / 1e6).toFixed(1);
  const tool = m.tool;
  rows.push({ name: `${mode} ${mode === 'iptables' ? 'first ' : ''}full sync ${n} svc (${mb} MB; median-ratio run of ${FIRST_SYNCS} fresh starts)`, value: full, unit: 'ms', baselineName: `${tool}${mode === 'iptables' ? ', empty tables' : ''}`, baseline: fullFloor, better: 'lower', target: mode === 'iptables' ? '≤1.2× floor' : n >= 10000 ? '≤ 2000 ms' : '' });
  let resync = '';
  if (m.resyncs.length) {
    const [r, rf, a, af] = [median(m.resyncs), median(m.resyncFloors), median(m.audits), median(m.auditFloors)];
    rows.push({ name: `${mode} periodic full sync ${n} svc (${mb} MB, median of ${RESYNCS})`, value: r, unit: 'ms', baselineName: `${tool}, rules in place`, baseline: rf, better: 'lower', target: '≤1.2× floor' });
    rows.push({ name: `${mode} drift audit after a periodic sync, ${n} svc (idle time; median of ${RESYNCS})`, value: a, unit: 'ms', baselineName: `${tool.replace('-restore', '-save')}, rules in place`, baseline: af, better: 'lower', target: '' });
    resync = `, periodic full ${r.toFixed(0)} ms (tool ${rf.toFixed(0)} ms, ${(r / rf).toFixed(2)}× floor; audit after it ${a.toFixed(0)} ms, save tool ${af.toFixed(0)} ms)`;
  }
  const [change, changeFloor] = [median(m.changes), median(m.changeFloors)];
  rows.push({ name: `${mode} one endpoint change, ${n} svc (median of ${CHANGES})`, value: change, unit: 'ms', baselineName: tool, baseline: changeFloor, better: 'lower', target: mode === 'nftables' ? '≤ 20 ms' : '≤1.2× floor' });
  const firstRuns = runs.map((r) => `${r.first.toFixed(0)}/${r.firstFloor.toFixed(0)}`).join(' ');
  console.error(`${mode} ${n}: full ${full.toFixed(0)} ms (tool ${fullFloor.toFixed(0)} ms, ${(full / fullFloor).toFixed(2)}× floor, the median of runs k8ts/tool ${firstRuns})${resync}, change ${change.toFixed(1)} ms (tool ${changeFloor.toFixed(1)} ms, ${(change / changeFloor).toFixed(2)}× floor, ${m.changeBytes} bytes), backend ${m.backend}`);
}

/** The environment variable that makes this script measure one fresh start ({@link CaseRequest}) and print it as JSON. */
const CASE_ENV = 'K8TS_BENCH_PROXY_CASE';
interface CaseRequest {
  mode: 'iptables' | 'nftables';
  n: number;
  steady: boolean;
}

/** Runs {@link measureCase} in a new process of this script and returns what it printed. */
async function inChildProcess(request: CaseRequest): Promise<CaseMeasurement> {
  const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url)], { env: { ...process.env, [CASE_ENV]: JSON.stringify(request) }, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  const code = await new Promise<number | null>((resolve, reject) => child.once('error', reject).once('close', resolve));
  if (code !== 0) throw new Error(`proxy bench case ${JSON.stringify(request)} exited with ${code}`);
  return JSON.parse(out) as CaseMeasurement;
}

/**
 * One fresh start: new namespaces and proxier, `n` services loaded, `setup()` done, then the timed
 * first `sync()` and the tool loading its payload into an empty namespace. With `steady`, it goes
 * on with the same proxier: the periodic full syncs (iptables) and the endpoint changes.
 */
async function measureCase({ mode, n, steady }: CaseRequest): Promise<CaseMeasurement> {
  return withNetns(async (ns) => {
    const rec = recording(hostLaunch(ns));
    // The iptables proxier's clock: moved on by an hour to trigger its periodic full sync.
    let clock = 0;
    const opts = { nodeName: 'node1', clusterCIDR: '10.128.0.0/9' };
    const proxier =
      mode === 'iptables'
        ? new IptablesProxier(await detectIptables(rec.exec, rec.launch), execHost(rec.exec), { ...opts, now: () => clock })
        : new NftProxier(rec.exec, execHost(rec.exec), { ...opts, spawn: hostSpawn(ns) });
    const backend = mode === 'iptables' ? (await detectIptables(rec.exec)).backend : 'nft';
    // Upstream NewProxier's sysctls, before the first sync (not part of it).
    await proxier.setup();
    for (let i = 0; i < n; i++) {
      proxier.onService(`bench/s${i}`, svc(i));
      proxier.onEndpointSlice(slice(i));
    }
    // The work a sync leaves for idle time (iptables), awaited before anything else is timed.
    const settled = () => (proxier instanceof IptablesProxier ? proxier.settled() : Promise.resolve());
    const tool = mode === 'iptables' ? `${backend === 'legacy' ? 'iptables-legacy' : 'iptables-nft'}-restore` : 'nft -f';
    // Each floor runs in a second namespace right after the k8ts run it is compared with (this
    // VM's speed drifts from minute to minute): the full payload into an empty one, then the
    // same payload over the rules in place, then each change payload on top of it, i.e. from the
    // same state k8ts changed (a delta need not be idempotent).
    return withNetns(async (ns2) => {
      const first = await timeMs(() => proxier.sync());
      const fullPayload = rec.last();
      await settled();
      const m: CaseMeasurement = { first, firstFloor: await toolTime(ns2, fullPayload), payloadBytes: fullPayload.stdin.length, backend, tool, resyncs: [], resyncFloors: [], audits: [], auditFloors: [], changes: [], changeFloors: [], changeBytes: 0 };
      if (!steady) return m;
      // Steady state (iptables): the hourly full sync, rewriting rules that are already in place,
      // and its drift audit afterwards.
      if (proxier instanceof IptablesProxier) {
        for (let k = 0; k < RESYNCS; k++) {
          clock += FULL_SYNC_PERIOD_MS + 1;
          m.resyncs.push(await timeMs(() => proxier.sync()));
          m.audits.push(await timeMs(settled));
          m.resyncFloors.push(await toolTime(ns2, fullPayload));
          m.auditFloors.push(await toolTime(ns2, { cmd: tool.replace('-restore', '-save'), args: [], stdin: '' }));
        }
      }
      // One endpoint change = one service loses one of its 5 endpoints; the median of CHANGES such
      // changes (on different services) is reported, for k8ts and for the tool alike.
      for (let k = 0; k < CHANGES; k++) {
        proxier.onEndpointSlice(slice(7 + k, 4));
        m.changes.push(await timeMs(() => proxier.sync()));
        await settled();
        // nftables deltas go through the proxier's `nft -i` session, not exec: take the payload from it.
        const changePayload = proxier instanceof NftProxier ? { cmd: 'nft', args: ['-f', '-'], stdin: proxier.lastPayload } : rec.last();
        m.changeFloors.push(await toolTime(ns2, changePayload));
        m.changeBytes = changePayload.stdin.length;
      }
      return m;
    }).finally(() => proxier.close());
  });
}

const caseRequest = process.env[CASE_ENV];
if (caseRequest !== undefined) {
  process.stdout.write(JSON.stringify(await measureCase(JSON.parse(caseRequest) as CaseRequest)));
} else {
  console.error(shippedCodeNote());
  const rows: BenchRow[] = [];
  const modes = (process.argv[3] ?? 'iptables,nftables').split(',') as Array<'iptables' | 'nftables'>;
  for (const mode of modes) {
    for (const n of counts) await benchMode(mode, n, rows);
  }
  publishRows('proxy', rows);
}
