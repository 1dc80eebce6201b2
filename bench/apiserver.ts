/**
 * bench/apiserver: `k8ts apiserver` as its own process (as it is deployed; from dist/ when built)
 * on a real etcd, against the raw etcd3 client doing the same work in the same run:
 * creates/s vs raw puts/s (of values the size the server stores; both after 1,000 unmeasured warm-up ops, and with the
 * CPU per op beside them: this client process plus the API server process, against the raw client's), gets/s (and GET
 * p99) vs raw gets/s, one list of 10,000 objects vs a raw range of them, and watch events/s fanned out to 100 watchers
 * vs 100 raw etcd watchers. The load generator runs in this process, apart from the server, as kubectl and controllers do.
 *
 * Run: `npx tsx bench/apiserver.ts [--objects 10000] [--concurrency 32] [--workers 1]` (`--workers N`: the
 * API server's `--workers`; on this 2-core machine 2 workers are slower than one, see bench/README).
 */
import { parseArgs } from 'node:util';
import { Etcd3 } from 'etcd3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'undici';
import { startEtcd } from '../pkg/testing/etcd-process.ts';
import { freePort, startComponent, waitForHttpOk } from '../e2e/harness/processes.ts';
import { readProcTreeCpuSeconds } from './lib/proc-status.ts';
import { measureRate, timeMs } from './lib/measure.ts';
import { publishRows, type BenchRow } from './lib/report.ts';
import { useLeanAsyncResourceBind } from '../pkg/util/lean-async-resource-bind.ts';

const { values } = parseArgs({ options: { objects: { type: 'string', default: '10000' }, concurrency: { type: 'string', default: '32' }, watchers: { type: 'string', default: '100' }, events: { type: 'string', default: '500' }, workers: { type: 'string', default: '1' } } });
const objects = Number(values.objects);
const concurrency = Number(values.concurrency);
const watchers = Number(values.watchers);
const events = Number(values.events);
const warmup = Math.min(objects, 1000);

/** Runs `fn` and reports the CPU time (user + system) this process and process `pid` (when given, with its workers) spent meanwhile. */
async function withCpu<T>(fn: () => Promise<T>, pid?: number): Promise<{ result: T; cpuMs: number }> {
  const before = process.cpuUsage();
  const otherBefore = pid === undefined ? 0 : (readProcTreeCpuSeconds(pid) ?? 0);
  const result = await fn();
  const used = process.cpuUsage(before);
  const other = pid === undefined ? 0 : (readProcTreeCpuSeconds(pid) ?? 0) - otherBefore;
  return { result, cpuMs: (used.user + used.system) / 1000 + other * 1000 };
}

/**
 * Runs `count` ops of each side in `blocks` alternating blocks of bounded concurrency and reports per side the
 * rate over all its blocks and the CPU it used (this process, plus process `pid` when given).
 */
async function alternate(count: number, blocks: number, sides: Array<{ op: (i: number) => Promise<unknown>; pid?: number }>): Promise<Array<{ result: { perSecond: number }; cpuMs: number }>> {
  const totals = sides.map(() => ({ seconds: 0, cpuMs: 0 }));
  const per = Math.ceil(count / blocks);
  for (let start = 0; start < count; start += per) {
    const n = Math.min(per, count - start);
    for (const [k, side] of sides.entries()) {
      const block = await withCpu(() => measureRate({ count: n, concurrency, op: (i) => side.op(start + i) }), side.pid);
      totals[k].seconds += block.result.seconds;
      totals[k].cpuMs += block.cpuMs;
    }
  }
  return totals.map((t) => ({ result: { perSecond: count / t.seconds }, cpuMs: t.cpuMs }));
}

/** A fan-out measurement stops after this long even if events are missing (it then says so). */
const fanoutDeadlineMs = 60_000;

function configMap(i: number, ns = 'bench'): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}`, namespace: ns, labels: { app: 'bench' } }, data: { key: `value-${i}`.padEnd(200, 'x') } };
}

async function main(): Promise<void> {
  // The k8ts processes run with this (cli/main.ts); so does the raw etcd3 client here, so that the
  // baseline is etcd through its fastest client, not one slowed by Node's http2 (see that module).
  useLeanAsyncResourceBind();
  const etcd = await startEtcd();
  const raw = new Etcd3({ hosts: etcd.endpoint, grpcOptions: { 'grpc.max_receive_message_length': -1 } });
  const logDir = mkdtempSync(join(tmpdir(), 'k8ts-bench-apiserver-'));
  const port = await freePort();
  const server = startComponent({ name: 'apiserver', logDir, args: ['apiserver', '--etcd-servers', etcd.endpoint, '--insecure-http', '--bind-address', '127.0.0.1', '--port', String(port), '--workers', values.workers] });
  const url = `http://127.0.0.1:${port}`;
  const pool = new Pool(url, { connections: concurrency, pipelining: 1 });
  const request = async (method: 'GET' | 'POST', path: string, body?: unknown): Promise<string> => {
    const res = await pool.request({ method, path, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.body.text();
    if (res.statusCode >= 300) throw new Error(`${method} ${path}: ${res.statusCode} ${text.slice(0, 200)}`);
    return text;
  };
  const rows: BenchRow[] = [];
  try {
    await waitForHttpOk(`${url}/readyz`, 60_000, server);
    await request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bench' } });
    process.stderr.write(`creating ${objects} objects…\n`);
    // The raw baseline writes values of the size the API server stores (uid, timestamps, managedFields included).
    const stored = await request('POST', '/api/v1/namespaces/bench/configmaps', configMap(-1));
    const rawValue = (i: number) => stored.replace('"cm--1"', `"cm-${i}"`);
    // Both paths run warm (JIT, connections): the first ops of either are not measured.
    await request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'warmup' } });
    await measureRate({ count: warmup, concurrency, op: (i) => raw.put(`/raw/warmup/cm-${i}`).value(rawValue(i)).exec() });
    await measureRate({ count: warmup, concurrency, op: (i) => request('POST', '/api/v1/namespaces/warmup/configmaps', configMap(i, 'warmup')) });
    // Alternating blocks: drift over the run (etcd's growing database, the machine's other load) hits both sides alike.
    const [rawPut, create] = await alternate(objects, 4, [
      { op: (i) => raw.put(`/raw/configmaps/bench/cm-${i}`).value(rawValue(i)).exec() },
      { op: (i) => request('POST', '/api/v1/namespaces/bench/configmaps', configMap(i)), pid: server.pid },
    ]);
    rows.push({ name: 'create', value: create.result.perSecond, unit: '/s', baselineName: 'etcd put', baseline: rawPut.result.perSecond, better: 'higher', target: '≥ 0.50' });
    // CPU per op (client, plus the API server process for creates): less sensitive to a busy machine than rates.
    rows.push({ name: 'create CPU per op', value: create.cpuMs / objects, unit: 'ms', baselineName: 'etcd put', baseline: rawPut.cpuMs / objects, better: 'lower' });

    const reads = Math.min(objects, 5000);
    const rawGet = await measureRate({ count: reads, concurrency, op: (i) => raw.get(`/raw/configmaps/bench/cm-${i}`).string() });
    const get = await measureRate({ count: reads, concurrency, op: (i) => request('GET', `/api/v1/namespaces/bench/configmaps/cm-${i}`) });
    rows.push({ name: 'get', value: get.perSecond, unit: '/s', baselineName: 'etcd get', baseline: rawGet.perSecond, better: 'higher' });
    rows.push({ name: `get p99 (${concurrency} clients)`, value: get.p99Ms, unit: 'ms', baselineName: 'etcd get p99', baseline: rawGet.p99Ms, better: 'lower' });
    const rawGet1 = await measureRate({ count: 1000, concurrency: 1, op: (i) => raw.get(`/raw/configmaps/bench/cm-${i}`).string() });
    const get1 = await measureRate({ count: 1000, concurrency: 1, op: (i) => request('GET', `/api/v1/namespaces/bench/configmaps/cm-${i}`) });
    rows.push({ name: 'get p99 (1 client)', value: get1.p99Ms, unit: 'ms', baselineName: 'etcd get p99', baseline: rawGet1.p99Ms, better: 'lower', target: '≤ 5 ms' });

    const rawList = await timeMs(() => raw.getAll().prefix('/raw/configmaps/bench/').strings());
    const list = await timeMs(() => request('GET', '/api/v1/namespaces/bench/configmaps'));
    rows.push({ name: `list ${objects}`, value: list, unit: 'ms', baselineName: 'etcd range', baseline: rawList, better: 'lower' });

    process.stderr.write(`watch fan-out: ${watchers} watchers × ${events} events…\n`);
    const rawFanout = await rawWatchFanout(raw, watchers, events);
    const fanout = await apiWatchFanout(url, request, watchers, events);
    rows.push({ name: `watch fan-out ×${watchers}`, value: fanout, unit: 'events/s', baselineName: 'etcd watchers', baseline: rawFanout, better: 'higher', target: '≥ 20000 events/s' });
  } finally {
    await pool.close();
    await server.stop();
    raw.close();
    await etcd.stop();
    rmSync(logDir, { recursive: true, force: true });
  }
  publishRows('apiserver', rows);
}

/**
 * Fan-out throughput: `count` keys are written first, then `n` raw etcd watchers start from the
 * revision before them; events/s delivered in total until every watcher has all of them.
 */
async function rawWatchFanout(raw: Etcd3, n: number, count: number): Promise<number> {
  const before = Number((await raw.put('/rawwatch/start').value('x').exec()).header.revision);
  await measureRate({ count, concurrency: 32, op: (i) => raw.put(`/rawwatch/k-${i}`).value(JSON.stringify(configMap(i))).exec() });
  let delivered = 0;
  const all = n * count;
  let done!: () => void;
  const finished = new Promise<void>((r) => (done = r));
  const t0 = performance.now();
  // Each listener goes on before its watcher connects: etcd sends the past events right after the
  // watch is created, and a listener added once every watcher had connected missed them (the
  // baseline then reported a few hundred events/s).
  const ws = Array.from({ length: n }, () => {
    const w = raw.watch().prefix('/rawwatch/k-').startRevision(String(before + 1)).watcher();
    w.on('put', () => {
      if (++delivered === all) done();
    });
    return w;
  });
  await Promise.race([finished, new Promise((r) => setTimeout(r, fanoutDeadlineMs))]);
  if (delivered < all) process.stderr.write(`fan-out: only ${delivered}/${all} events within ${fanoutDeadlineMs} ms\n`);
  const seconds = (performance.now() - t0) / 1000;
  await Promise.all(ws.map((w) => w.cancel()));
  return delivered / seconds;
}

/** The same through the API server: `n` HTTP watchers from the resourceVersion before `count` creates. */
async function apiWatchFanout(url: string, request: (m: 'GET' | 'POST', p: string, b?: unknown) => Promise<string>, n: number, count: number): Promise<number> {
  await request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'watch' } });
  const list = JSON.parse(await request('GET', '/api/v1/namespaces/watch/configmaps')) as { metadata: { resourceVersion: string } };
  await measureRate({ count, concurrency: 32, op: (i) => request('POST', '/api/v1/namespaces/watch/configmaps', configMap(i, 'watch')) });
  const watchPool = new Pool(url, { connections: n });
  let delivered = 0;
  const all = n * count;
  let done!: () => void;
  const finished = new Promise<void>((r) => (done = r));
  const t0 = performance.now();
  const streams = await Promise.all(
    Array.from({ length: n }, () => watchPool.request({ method: 'GET', path: `/api/v1/namespaces/watch/configmaps?watch=true&resourceVersion=${list.metadata.resourceVersion}&timeoutSeconds=300` })),
  );
  for (const s of streams) {
    s.body.on('data', (chunk: Buffer) => {
      for (const byte of chunk) if (byte === 10 && ++delivered === all) done();
    });
  }
  await Promise.race([finished, new Promise((r) => setTimeout(r, fanoutDeadlineMs))]);
  if (delivered < all) process.stderr.write(`fan-out: only ${delivered}/${all} events within ${fanoutDeadlineMs} ms\n`);
  const seconds = (performance.now() - t0) / 1000;
  for (const s of streams) {
    s.body.on('error', () => undefined);
    s.body.destroy();
  }
  await watchPool.destroy();
  return delivered / seconds;
}

await main();
