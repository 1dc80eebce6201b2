import { Etcd3 } from 'etcd3';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEtcd, type EtcdProcess } from '../testing/etcd-process.ts';
import { FakeClock } from '../workqueue/index.ts';
import { createEtcd3Storage, type Etcd3Storage } from './etcd3.ts';
import { COMPACT_REV_KEY, decideCompaction, runCompactionCycle, startEtcdCompactor, type CompactionClient, type CompactorState } from './etcd3-compactor.ts';
import { StorageError } from './types.ts';

describe('decideCompaction', () => {
  it('a won swap after start compacts nothing; a later won swap compacts to the revision of the swap before', () => {
    const first = decideCompaction({ compactTime: 0, revision: 0 }, { succeeded: true, revision: 100 });
    expect(first).toEqual({ next: { compactTime: 1, revision: 100 } });
    expect(decideCompaction(first.next, { succeeded: true, revision: 250 })).toEqual({ next: { compactTime: 2, revision: 250 }, compactTo: 100 });
  });

  it('a lost swap adopts the winner\'s compact time and the current revision, and compacts nothing', () => {
    expect(decideCompaction({ compactTime: 3, revision: 90 }, { succeeded: false, revision: 300, version: 7 })).toEqual({ next: { compactTime: 7, revision: 300 } });
  });
});

describe('startEtcdCompactor', () => {
  it('runs its first cycle one interval after start, then every interval, and stops with its signal', async () => {
    const swaps: Array<[number, string]> = [];
    const compacted: number[] = [];
    let revision = 10;
    const client: CompactionClient = {
      swapCompactRevKey: async (expectVersion, value) => {
        swaps.push([expectVersion, value]);
        return { succeeded: true, revision: (revision += 10) };
      },
      compact: async (r) => void compacted.push(r),
    };
    const clock = new FakeClock();
    const stop = new AbortController();
    startEtcdCompactor({ client, intervalMs: 60_000, clock, signal: stop.signal, log: pino({ level: 'silent' }) });
    const settle = () => new Promise((r) => setTimeout(r, 10));
    await settle();
    expect(swaps).toEqual([]);
    for (let i = 0; i < 3; i++) {
      clock.step(60_000);
      await settle();
    }
    expect(swaps).toEqual([
      [0, '0'],
      [1, '20'],
      [2, '30'],
    ]);
    expect(compacted).toEqual([20, 30]);
    stop.abort();
    clock.step(60_000);
    await settle();
    expect(swaps).toHaveLength(3);
  });
});

describe('compaction on a real etcd', () => {
  let etcd: EtcdProcess;
  const stores: Etcd3Storage[] = [];
  beforeAll(async () => {
    etcd = await startEtcd();
  });
  afterAll(async () => {
    for (const s of stores) await s.close();
    await etcd?.stop();
  });

  it('two compactors elect one per interval through compact_rev_key; the winner compacts one interval back', async () => {
    const [a, b] = [createEtcd3Storage({ endpoints: [etcd.endpoint] }), createEtcd3Storage({ endpoints: [etcd.endpoint] })];
    stores.push(a, b);
    const write = (name: string) => a.create(`/registry/configmaps/default/${name}`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' } });
    let stateA: CompactorState = { compactTime: 0, revision: 0 };
    let stateB: CompactorState = { compactTime: 0, revision: 0 };

    // Interval 1: A wins (nothing to compact yet), B loses and learns the compact time.
    const old = await write('old');
    const oldRevision = Number(old.metadata!.resourceVersion);
    const a1 = await runCompactionCycle(a, stateA);
    expect(a1.compacted).toBeUndefined();
    stateA = a1.next;
    const b1 = await runCompactionCycle(b, stateB);
    expect(b1.compacted).toBeUndefined();
    stateB = b1.next;
    expect(stateB.compactTime).toBe(stateA.compactTime);

    // Interval 2: B happens to run first and wins; it compacts up to what it saw in interval 1,
    // which is after `old` was written: reading at `old`'s revision is now Expired.
    await write('newer');
    const b2 = await runCompactionCycle(b, stateB);
    expect(b2.compacted).toBe(b1.next.revision);
    stateB = b2.next;
    const a2 = await runCompactionCycle(a, stateA);
    expect(a2.compacted).toBeUndefined();
    const err = await a.list('/registry/configmaps/', { revision: oldRevision }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StorageError);
    expect((err as StorageError).code).toBe('Expired');
    // The present is untouched, and the key holds the revision compacted to, as upstream writes it.
    expect((await a.list('/registry/configmaps/')).items.map((o) => o.metadata!.name)).toEqual(['newer', 'old']);
    const raw = new Etcd3({ hosts: etcd.endpoint });
    try {
      expect(await raw.get(COMPACT_REV_KEY).string()).toBe(String(b1.next.revision));
    } finally {
      raw.close();
    }
  });
});
