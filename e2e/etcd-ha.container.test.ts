/**
 * HA with testcontainers: a 3-member etcd cluster in containers (podman, inside a network
 * namespace this test creates) behind two `k8ts apiserver` processes, each given all three
 * members. Writers create ConfigMaps through both apiservers concurrently while
 * (a) the etcd leader is SIGKILLed and later started again, and then
 * (b) the (new) leader is partitioned from its peers (still reachable by clients) and healed.
 * Afterwards every write that got a 2xx is readable through both apiservers with the content and
 * resourceVersion it was acknowledged with, both apiservers list the same objects at the same
 * resourceVersions, the three members hold identical key-value hashes, and during each fault
 * writes kept succeeding through both apiservers after a bounded failover.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acknowledged, longestAckGapMs, lostOrChangedWrites, outcomeCounts, runConfigMapWriters, type StoredConfigMap, type WriteRecord } from './harness/acknowledged-writes.ts';
import { startApiserverInNetns, type ApiTarget } from './harness/apiserver-in-netns.ts';
import { startEtcdContainerCluster, type EtcdContainerCluster, type EtcdMember } from './harness/etcd-container-cluster.ts';
import { loadEtcdImage } from './harness/etcd-image.ts';
import { podmanUnusableReason, startPodmanInNetns, type PodmanInNetns } from './harness/podman-in-netns.ts';

const unusable = podmanUnusableReason();
const namespace = 'etcd-ha';
const label = { 'k8ts-test': `etcd-ha-${process.pid}` };
const IMAGE = 'localhost/k8ts-etcd:test';
/** How long a fault lasts, and how soon after it starts writes must succeed again. */
const FAULT_MS = 8_000;
const FAILOVER_BOUND_MS = 6_000;

let podman: PodmanInNetns | undefined;
let cluster: EtcdContainerCluster;
const apis: ApiTarget[] = [];
const timings: Record<string, number> = {};

async function timed<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const start = Date.now();
  try {
    return await fn();
  } finally {
    timings[name] = Date.now() - start;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function leader(): Promise<EtcdMember> {
  for (let i = 0; i < 50; i++) {
    const status = await cluster.status().catch(() => []);
    const leaderIds = new Set(status.map((s) => s.leaderId).filter((id) => id !== '0'));
    if (leaderIds.size === 1) {
      const leaderId = [...leaderIds][0];
      const endpoint = status.find((s) => s.memberId === leaderId)?.endpoint;
      const m = cluster.members.find((x) => x.clientUrl === endpoint);
      if (m) return m;
    }
    await sleep(200);
  }
  throw new Error('no single etcd leader');
}

async function listStored(api: ApiTarget): Promise<{ items: StoredConfigMap[]; resourceVersion: string }> {
  const selector = encodeURIComponent(Object.entries(label).map(([k, v]) => `${k}=${v}`).join(','));
  const res = await api.call('GET', `/api/v1/namespaces/${namespace}/configmaps?labelSelector=${selector}`);
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  const items = (res.json.items as Array<{ metadata: { name: string; resourceVersion: string }; data: Record<string, string> }>).map((i) => ({ name: i.metadata.name, resourceVersion: i.metadata.resourceVersion, data: i.data }));
  return { items, resourceVersion: res.json.metadata.resourceVersion };
}

describe.skipIf(unusable !== undefined)(`etcd HA in containers behind two apiservers${unusable ? ` (skipped: podman cannot run here: ${unusable})` : ''}`, () => {
  beforeAll(async () => {
    podman = await timed('podman service', () => startPodmanInNetns({ topic: 'etcdha' }));
    Object.assign(process.env, podman.testcontainersEnv);
    await timed('etcd image', () => loadEtcdImage(podman!, IMAGE));
    cluster = await timed('etcd cluster', () => startEtcdContainerCluster({ podman: podman!, image: IMAGE, prefix: `k8ts-etcdha-${process.pid}` }));
    const started = await timed('apiservers', () =>
      Promise.all(['apiserver-a', 'apiserver-b'].map((name, i) => startApiserverInNetns({ podman: podman!, name, port: 6443 + i, etcdServers: cluster.clientUrls }))),
    );
    apis.push(...started);
    const ns = await apis[0]!.call('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
    expect(ns.status, JSON.stringify(ns.json)).toBe(201);
  }, 150_000);

  afterAll(async () => {
    for (const api of apis) await api.close().catch(() => undefined);
    await podman?.stop();
    console.log('etcd HA timings (ms):', JSON.stringify(timings));
  }, 60_000);

  it('loses no acknowledged write and keeps serving while a member is killed and later one is partitioned', async () => {
    const stopWriters = new AbortController();
    const writing = runConfigMapWriters({ targets: apis, namespace, writersPerTarget: 2, signal: stopWriters.signal, maxWritesPerWriter: 1500, requestTimeoutMs: 20_000, label });
    let records: WriteRecord[] = [];
    const windows: Array<{ fault: string; member: string; from: number; to: number }> = [];
    try {
      await sleep(2000);

      const killed = await leader();
      const killFrom = Date.now();
      await killed.kill();
      await sleep(FAULT_MS);
      windows.push({ fault: 'killed leader', member: killed.name, from: killFrom, to: Date.now() });
      await timed('restart killed member', () => killed.start());
      await sleep(2000);

      const partitioned = await leader();
      const partFrom = Date.now();
      await partitioned.partition();
      await sleep(FAULT_MS);
      windows.push({ fault: 'partitioned leader', member: partitioned.name, from: partFrom, to: Date.now() });
      await partitioned.heal();
      await sleep(3000);
    } finally {
      stopWriters.abort();
      records = await writing;
    }

    const acked = records.filter(acknowledged);
    const t0 = records.reduce((min, r) => Math.min(min, r.startedAt), Infinity);
    console.log('write outcomes by status:', JSON.stringify(outcomeCounts(records)), 'acknowledged:', acked.length, 'faults at', windows.map((w) => `${w.fault} +${w.from - t0}..+${w.to - t0} ms`).join(', '));
    for (const r of records.filter((x) => !acknowledged(x)).slice(0, 10)) console.log(`  not acknowledged: ${r.name} via ${r.via} +${r.startedAt - t0}..+${r.endedAt - t0} ms: ${r.status} ${r.error}`);
    for (const w of windows) {
      for (const api of apis) {
        const gapAfterFailover = longestAckGapMs(records, api.name, w.from + FAILOVER_BOUND_MS, w.to);
        const firstAck = records.filter((r) => r.via === api.name && acknowledged(r) && r.startedAt >= w.from).map((r) => r.endedAt - w.from).sort((a, b) => a - b)[0];
        const inWindow = records.filter((r) => r.via === api.name && acknowledged(r) && r.endedAt >= w.from && r.endedAt <= w.to).length;
        console.log(`${w.fault} ${w.member} via ${api.name}: ${inWindow} acked during the fault, first write started after it acked at +${firstAck} ms, longest gap after failover ${gapAfterFailover} ms`);
        expect(inWindow, `${w.fault}: writes through ${api.name}`).toBeGreaterThan(0);
        expect(gapAfterFailover, `${w.fault}: longest stall through ${api.name} after ${FAILOVER_BOUND_MS} ms`).toBeLessThan(FAILOVER_BOUND_MS);
      }
    }

    // Members converge: identical key-value hashes at the same revision.
    let hashes: Record<string, number> = {};
    for (let i = 0; i < 40; i++) {
      hashes = await cluster.hashKv().catch(() => ({}));
      if (Object.keys(hashes).length === 3 && new Set(Object.values(hashes)).size === 1) break;
      await sleep(250);
    }
    expect(Object.keys(hashes)).toHaveLength(3);
    expect(new Set(Object.values(hashes)).size, JSON.stringify(hashes)).toBe(1);

    const lists = await Promise.all(apis.map((api) => listStored(api)));
    for (const [i, list] of lists.entries()) {
      expect(lostOrChangedWrites(records, list.items), `through ${apis[i]!.name}`).toEqual([]);
      const maxItemRv = Math.max(...list.items.map((item) => Number(item.resourceVersion)));
      expect(Number(list.resourceVersion)).toBeGreaterThanOrEqual(maxItemRv);
    }
    const byName = (items: StoredConfigMap[]) => Object.fromEntries(items.map((s) => [s.name, `${s.resourceVersion} ${JSON.stringify(s.data)}`]));
    expect(byName(lists[1]!.items)).toEqual(byName(lists[0]!.items));
    expect(acked.length).toBeGreaterThan(50);
  }, 150_000);
});
