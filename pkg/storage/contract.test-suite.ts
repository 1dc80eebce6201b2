/**
 * The one contract test suite every `Storage` implementation runs (see `memory.test.ts`,
 * `etcd3.test.ts`). Each test works under its own random key prefix, so implementations that
 * share a backing store between tests (etcd) stay isolated; revisions are only compared
 * relative to each other.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/meta.ts';
import { StorageError, type Storage, type WatchEvent } from './types.ts';

/** Makes a fresh `Storage` for one test; the suite closes it afterwards. */
export type StorageFactory = () => Storage | Promise<Storage>;

const WATCH_TIMEOUT_MS = 5_000;

function cm(name: string, data: Record<string, string> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'ns' }, data };
}

const rv = (obj: KubeObject | undefined): number => Number(obj?.metadata.resourceVersion);

/** The first `n` events, or a rejection if they do not arrive within the timeout. */
async function take(storage: Storage, prefix: string, fromRevision: number, n: number): Promise<WatchEvent[]> {
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), WATCH_TIMEOUT_MS);
  const out: WatchEvent[] = [];
  try {
    for await (const e of storage.watch(prefix, fromRevision, ac.signal)) {
      out.push(e);
      if (out.length === n) break;
    }
  } finally {
    clearTimeout(timer);
    ac.abort();
  }
  if (out.length < n) throw new Error(`got ${out.length} of ${n} events: ${JSON.stringify(out.map(summary))}`);
  return out;
}

const summary = (e: WatchEvent) => `${e.type} ${e.key} ${e.revision}`;

async function storageError(p: Promise<unknown>): Promise<StorageError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(StorageError);
    return err as StorageError;
  }
  throw new Error('expected a StorageError, got success');
}

export function describeStorageContract(name: string, factory: StorageFactory): void {
  describe(`Storage contract: ${name}`, () => {
    let storage: Storage;
    let p: string;
    const opened: Storage[] = [];

    async function fresh(): Promise<void> {
      storage = await factory();
      opened.push(storage);
      p = `/contract/${Math.random().toString(36).slice(2, 10)}/`;
    }

    afterEach(async () => {
      for (const s of opened.splice(0)) await s.close();
    });

    describe('create / get', () => {
      it('stores a new object and returns it with the new revision as resourceVersion', async () => {
        await fresh();
        const before = await storage.currentRevision();
        const created = await storage.create(`${p}a`, { ...cm('a', { k: 'v' }), metadata: { name: 'a', resourceVersion: '999999' } });
        expect(rv(created)).toBeGreaterThan(before);
        expect(rv(created)).toBe(await storage.currentRevision());
        const got = await storage.get(`${p}a`);
        expect(got).toEqual(created);
        expect(got?.data).toEqual({ k: 'v' });
      });

      it('rejects a second create of the same key with KeyExists and keeps the first value', async () => {
        await fresh();
        await storage.create(`${p}a`, cm('a', { n: '1' }));
        expect((await storageError(storage.create(`${p}a`, cm('a', { n: '2' })))).code).toBe('KeyExists');
        expect((await storage.get(`${p}a`))?.data).toEqual({ n: '1' });
      });

      it('answers a get at minRevision once the store has reached it, TooLarge (with both revisions) before', async () => {
        await fresh();
        const created = await storage.create(`${p}a`, cm('a', { k: 'v' }));
        expect(await storage.get(`${p}a`, { minRevision: rv(created) })).toEqual(created);
        expect(await storage.get(`${p}missing`, { minRevision: rv(created) })).toBeUndefined();
        const current = await storage.currentRevision();
        const err = await storageError(storage.get(`${p}a`, { minRevision: current + 1000 }));
        expect(err.code).toBe('TooLarge');
        expect(err.message).toBe(`Too large resource version: ${current + 1000}, current: ${current}`);
      });

      it('returns undefined for a missing key', async () => {
        await fresh();
        expect(await storage.get(`${p}missing`)).toBeUndefined();
      });

      it('isolates stored state from mutations of inputs and returned objects', async () => {
        await fresh();
        const input = cm('a', { k: 'v' });
        const created = await storage.create(`${p}a`, input);
        input.data = { k: 'changed-input' };
        (created.data as Record<string, string>).k = 'changed-output';
        const got = await storage.get(`${p}a`);
        expect(got?.data).toEqual({ k: 'v' });
        (got!.metadata.labels ??= {}).x = 'y';
        expect((await storage.get(`${p}a`))?.metadata.labels).toBeUndefined();
        const listed = await storage.list(p);
        listed.items[0]!.metadata.name = 'mutated';
        expect((await storage.get(`${p}a`))?.metadata.name).toBe('a');
      });
    });

    describe('update', () => {
      it('replaces the object and bumps its resourceVersion', async () => {
        await fresh();
        const created = await storage.create(`${p}a`, cm('a', { n: '1' }));
        const updated = await storage.update(`${p}a`, cm('a', { n: '2' }));
        expect(rv(updated)).toBeGreaterThan(rv(created));
        expect(await storage.get(`${p}a`)).toEqual(updated);
      });

      it('succeeds with the current revision and fails with Conflict on a stale one', async () => {
        await fresh();
        const created = await storage.create(`${p}a`, cm('a', { n: '1' }));
        const updated = await storage.update(`${p}a`, cm('a', { n: '2' }), rv(created));
        const err = await storageError(storage.update(`${p}a`, cm('a', { n: '3' }), rv(created)));
        expect(err.code).toBe('Conflict');
        expect(await storage.get(`${p}a`)).toEqual(updated);
      });

      it.each([[undefined], [12345]])('throws NotFound for a missing key (expectedRevision %s)', async (expected) => {
        await fresh();
        expect((await storageError(storage.update(`${p}missing`, cm('missing'), expected))).code).toBe('NotFound');
        expect(await storage.get(`${p}missing`)).toBeUndefined();
      });
    });

    describe('delete', () => {
      it('returns the deleted object with resourceVersion = the deletion revision', async () => {
        await fresh();
        const created = await storage.create(`${p}a`, cm('a', { k: 'v' }));
        const deleted = await storage.delete(`${p}a`);
        expect(deleted.data).toEqual({ k: 'v' });
        expect(rv(deleted)).toBeGreaterThan(rv(created));
        expect(rv(deleted)).toBe(await storage.currentRevision());
        expect(await storage.get(`${p}a`)).toBeUndefined();
      });

      it('honours the expected revision: Conflict when stale (object kept), success when current', async () => {
        await fresh();
        const created = await storage.create(`${p}a`, cm('a'));
        const updated = await storage.update(`${p}a`, cm('a', { n: '2' }));
        expect((await storageError(storage.delete(`${p}a`, rv(created)))).code).toBe('Conflict');
        expect(await storage.get(`${p}a`)).toEqual(updated);
        const deleted = await storage.delete(`${p}a`, rv(updated));
        expect(deleted.data).toEqual({ n: '2' });
      });

      it.each([[undefined], [12345]])('throws NotFound for a missing key (expectedRevision %s)', async (expected) => {
        await fresh();
        expect((await storageError(storage.delete(`${p}missing`, expected))).code).toBe('NotFound');
      });
    });

    describe('guaranteedUpdate', () => {
      it('passes undefined for a missing key and creates the result', async () => {
        await fresh();
        const seen: Array<KubeObject | undefined> = [];
        const stored = await storage.guaranteedUpdate(`${p}a`, (cur) => {
          seen.push(cur);
          return cm('a', { n: '1' });
        });
        expect(seen).toEqual([undefined]);
        expect(await storage.get(`${p}a`)).toEqual(stored);
      });

      it('applies every concurrent read-modify-write exactly once (retries on conflict)', async () => {
        await fresh();
        await storage.create(`${p}counter`, cm('counter', { n: '0' }));
        const writers = 5;
        const increment = () =>
          storage.guaranteedUpdate(`${p}counter`, async (cur) => {
            await new Promise((r) => setTimeout(r, 1));
            const n = Number((cur!.data as Record<string, string>).n);
            return { ...cur!, data: { n: String(n + 1) } };
          });
        await Promise.all(Array.from({ length: writers }, increment));
        expect((await storage.get(`${p}counter`))?.data).toEqual({ n: String(writers) });
      });

      it('aborts without writing when fn throws', async () => {
        await fresh();
        const created = await storage.create(`${p}a`, cm('a'));
        const boom = new Error('no');
        await expect(storage.guaranteedUpdate(`${p}a`, () => { throw boom; })).rejects.toBe(boom);
        expect(await storage.get(`${p}a`)).toEqual(created);
      });

      it('does not write (same resourceVersion) when fn returns the object unchanged', async () => {
        await fresh();
        const created = await storage.create(`${p}a`, cm('a', { k: 'v' }));
        const result = await storage.guaranteedUpdate(`${p}a`, (cur) => cur!);
        expect(rv(result)).toBe(rv(created));
        expect(rv(await storage.get(`${p}a`))).toBe(rv(created));
      });
    });

    describe('list / count', () => {
      it('returns only keys under the prefix, sorted by key, at the current revision', async () => {
        await fresh();
        for (const n of ['c', 'a', 'b']) await storage.create(`${p}x/${n}`, cm(n));
        await storage.create(`${p}xy/z`, cm('z'));
        await storage.create(`${p}w`, cm('w'));
        const result = await storage.list(`${p}x/`);
        expect(result.items.map((i) => i.metadata.name)).toEqual(['a', 'b', 'c']);
        expect(result.revision).toBe(await storage.currentRevision());
        expect(result.nextKey).toBeUndefined();
        for (const item of result.items) expect(rv(item)).toBeGreaterThan(0);
        expect(await storage.count(`${p}x/`)).toBe(3);
        expect(await storage.count(`${p}`)).toBe(5);
        expect(await storage.count(`${p}nothing/`)).toBe(0);
      });

      it('sorts in byte order of the keys', async () => {
        await fresh();
        for (const n of ['b', 'a.b', 'a-b', 'a', 'A', 'a0', 'a/c']) await storage.create(`${p}${n}`, cm(n));
        const result = await storage.list(p);
        expect(result.items.map((i) => i.metadata.name)).toEqual(['A', 'a', 'a-b', 'a.b', 'a/c', 'a0', 'b']);
      });

      it('pages with limit / startAfter and reports how many remain', async () => {
        await fresh();
        const names = ['e', 'b', 'a', 'd', 'c'];
        for (const n of names) await storage.create(`${p}${n}`, cm(n));
        const page1 = await storage.list(p, { limit: 2 });
        expect(page1.items.map((i) => i.metadata.name)).toEqual(['a', 'b']);
        expect(page1.nextKey).toBe(`${p}b`);
        expect(page1.remaining).toBe(3);
        const page2 = await storage.list(p, { limit: 2, startAfter: page1.nextKey, revision: page1.revision });
        expect(page2.items.map((i) => i.metadata.name)).toEqual(['c', 'd']);
        expect(page2.remaining).toBe(1);
        const page3 = await storage.list(p, { limit: 2, startAfter: page2.nextKey, revision: page1.revision });
        expect(page3.items.map((i) => i.metadata.name)).toEqual(['e']);
        expect(page3.nextKey).toBeUndefined();
        expect(page3.revision).toBe(page1.revision);
      });

      it('serves later pages from the snapshot revision, unaffected by writes in between', async () => {
        await fresh();
        for (const n of ['a', 'b', 'c', 'd']) await storage.create(`${p}${n}`, cm(n, { v: '1' }));
        const page1 = await storage.list(p, { limit: 2 });
        await storage.update(`${p}c`, cm('c', { v: '2' }));
        await storage.delete(`${p}d`);
        await storage.create(`${p}e`, cm('e'));
        const page2 = await storage.list(p, { limit: 10, startAfter: page1.nextKey, revision: page1.revision });
        expect(page2.items.map((i) => [i.metadata.name, (i.data as Record<string, string>).v])).toEqual([['c', '1'], ['d', '1']]);
        const latest = await storage.list(p, { startAfter: page1.nextKey });
        expect(latest.items.map((i) => i.metadata.name)).toEqual(['c', 'e']);
      });

      it('rejects a revision newer than the store with TooLarge', async () => {
        await fresh();
        const current = await storage.currentRevision();
        const exact = await storageError(storage.list(p, { revision: current + 1000 }));
        expect(exact.code).toBe('TooLarge');
        expect(exact.message).toBe(`Too large resource version: ${current + 1000}, current: ${current}`);
        expect((await storageError(storage.list(p, { minRevision: current + 1000 }))).code).toBe('TooLarge');
        expect((await storage.list(p, { minRevision: current })).revision).toBeGreaterThanOrEqual(current);
      });
    });

    describe('watch', () => {
      it('replays every change after the revision, in order, with prevObject, then follows live', async () => {
        await fresh();
        const start = await storage.currentRevision();
        const a1 = await storage.create(`${p}a`, cm('a', { v: '1' }));
        const b1 = await storage.create(`${p}b`, cm('b'));
        const a2 = await storage.update(`${p}a`, cm('a', { v: '2' }));
        const bDeleted = await storage.delete(`${p}b`);
        const pending = take(storage, p, start, 5);
        await new Promise((r) => setTimeout(r, 50));
        const c1 = await storage.create(`${p}c`, cm('c'));
        const events = await pending;
        expect(events.map((e) => [e.type, e.key, e.revision])).toEqual([
          ['ADDED', `${p}a`, rv(a1)],
          ['ADDED', `${p}b`, rv(b1)],
          ['MODIFIED', `${p}a`, rv(a2)],
          ['DELETED', `${p}b`, rv(bDeleted)],
          ['ADDED', `${p}c`, rv(c1)],
        ]);
        expect(events[0]!.object).toEqual(a1);
        expect(events[0]!.prevObject).toBeUndefined();
        expect(events[2]!.object).toEqual(a2);
        expect(events[2]!.prevObject).toEqual(a1);
        expect(events[3]!.object).toEqual(bDeleted);
        expect(events[3]!.prevObject).toEqual(b1);
      });

      it('list at R + watch from R reproduces the final state without gaps or duplicates', async () => {
        await fresh();
        for (const n of ['a', 'b', 'c']) await storage.create(`${p}${n}`, cm(n, { v: '0' }));
        const snapshot = await storage.list(p);
        await storage.update(`${p}a`, cm('a', { v: '1' }));
        await storage.delete(`${p}b`);
        await storage.create(`${p}d`, cm('d'));
        await storage.guaranteedUpdate(`${p}c`, (cur) => ({ ...cur!, data: { v: '2' } }));
        const events = await take(storage, p, snapshot.revision, 4);
        const revisions = events.map((e) => e.revision);
        expect(revisions).toEqual([...revisions].sort((x, y) => x - y));
        expect(new Set(revisions).size).toBe(4);
        expect(revisions[0]).toBeGreaterThan(snapshot.revision);
        const state = new Map(snapshot.items.map((i) => [`${p}${i.metadata.name}`, i]));
        for (const e of events) {
          if (e.type === 'DELETED') state.delete(e.key);
          else state.set(e.key, e.object);
        }
        const final = await storage.list(p);
        expect([...state.values()].sort((x, y) => (x.metadata.name! < y.metadata.name! ? -1 : 1))).toEqual(final.items);
      });

      it('sees only keys under its prefix ("/a/" does not see "/ab/")', async () => {
        await fresh();
        const start = await storage.currentRevision();
        await storage.create(`${p}ab/x`, cm('x'));
        await storage.create(`${p}b/y`, cm('y'));
        const inA = await storage.create(`${p}a/z`, cm('z'));
        const events = await take(storage, `${p}a/`, start, 1);
        expect(events.map((e) => e.key)).toEqual([`${p}a/z`]);
        expect(events[0]!.revision).toBe(rv(inA));
      });

      it('from the current revision delivers only later changes', async () => {
        await fresh();
        await storage.create(`${p}old`, cm('old'));
        const now = await storage.currentRevision();
        const pending = take(storage, p, now, 1);
        await new Promise((r) => setTimeout(r, 50));
        await storage.create(`${p}new`, cm('new'));
        expect((await pending).map((e) => e.key)).toEqual([`${p}new`]);
      });

      it('ends iteration (without error) when the signal aborts, also while waiting', async () => {
        await fresh();
        const ac = new AbortController();
        const iterator = storage.watch(p, await storage.currentRevision(), ac.signal)[Symbol.asyncIterator]();
        const waiting = iterator.next();
        await new Promise((r) => setTimeout(r, 50));
        ac.abort();
        await expect(waiting).resolves.toMatchObject({ done: true });
        const already = new AbortController();
        already.abort();
        const events: WatchEvent[] = [];
        for await (const e of storage.watch(p, await storage.currentRevision(), already.signal)) events.push(e);
        expect(events).toEqual([]);
      });

      it('throws Expired (with the compacted revision) for a watch or list from before a compaction', async () => {
        await fresh();
        const first = await storage.create(`${p}a`, cm('a'));
        await storage.update(`${p}a`, cm('a', { v: '2' }));
        const last = await storage.update(`${p}a`, cm('a', { v: '3' }));
        await storage.compact(rv(last));
        const ac = new AbortController();
        const timer = setTimeout(() => ac.abort(), WATCH_TIMEOUT_MS);
        try {
          const watchErr = await storageError((async () => {
            for await (const _ of storage.watch(p, rv(first) - 1, ac.signal)) void _;
          })());
          expect(watchErr.code).toBe('Expired');
          expect(watchErr.compactedRevision).toBeGreaterThanOrEqual(rv(last));
        } finally {
          clearTimeout(timer);
          ac.abort();
        }
        expect((await storageError(storage.list(p, { revision: rv(first) }))).code).toBe('Expired');
        const still = await take(storage, p, rv(last) - 1, 1);
        expect(still[0]!.revision).toBe(rv(last));
      });

      it('compaction is idempotent and refuses a future revision with TooLarge', async () => {
        await fresh();
        const created = await storage.create(`${p}a`, cm('a'));
        await storage.compact(rv(created));
        await storage.compact(rv(created));
        await storage.compact(rv(created) - 1);
        expect((await storageError(storage.compact((await storage.currentRevision()) + 1000))).code).toBe('TooLarge');
        expect(await storage.get(`${p}a`)).toEqual(created);
      });
    });
  });
}
