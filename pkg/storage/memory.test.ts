import { describe, expect, it } from 'vitest';
import { describeStorageContract } from './contract.test-suite.ts';
import { MemoryStorage } from './memory.ts';
import { StorageError } from './types.ts';

describeStorageContract('MemoryStorage', () => new MemoryStorage());

describe('MemoryStorage specifics', () => {
  it('deletes keys under a TTL prefix once their TTL has passed since their last write', async () => {
    let clock = 0;
    const storage = new MemoryStorage({ keyTtls: [{ prefix: '/ev/', seconds: 10 }], now: () => clock });
    const obj = (name: string, n = '1') => ({ metadata: { name }, data: { n } });
    await storage.create('/ev/a', obj('a'));
    const b = await storage.create('/ev/b', obj('b'));
    await storage.create('/keep/c', obj('c'));
    clock = 5_000;
    await storage.update('/ev/b', { ...b, data: { n: '2' } });
    clock = 9_999;
    expect(storage.expireDue()).toBe(0);
    clock = 10_000;
    expect(storage.expireDue()).toBe(1);
    expect(await storage.get('/ev/a')).toBeUndefined();
    expect(await storage.get('/ev/b')).toBeDefined();
    clock = 15_000;
    expect(storage.expireDue()).toBe(1);
    expect(await storage.count('/ev/')).toBe(0);
    expect(await storage.get('/keep/c')).toBeDefined();
    const seen: string[] = [];
    const ac = new AbortController();
    for await (const e of storage.watch('/', 0, ac.signal)) {
      seen.push(`${e.type} ${e.key}`);
      if (seen.length === 6) break;
    }
    expect(seen).toEqual(['ADDED /ev/a', 'ADDED /ev/b', 'ADDED /keep/c', 'MODIFIED /ev/b', 'DELETED /ev/a', 'DELETED /ev/b']);
    await storage.close();
  });

  const cm = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } });

  it('expires watches and old reads once the bounded history has dropped their events', async () => {
    const storage = new MemoryStorage({ historySize: 3 });
    const start = await storage.currentRevision();
    for (const n of ['a', 'b', 'c', 'd', 'e']) await storage.create(`/k/${n}`, cm(n));
    const iterator = storage.watch('/k/', start, new AbortController().signal)[Symbol.asyncIterator]();
    const err = await iterator.next().then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(StorageError);
    expect(err).toMatchObject({ code: 'Expired', compactedRevision: start + 3 });
    await expect(storage.list('/k/', { revision: start + 1 })).rejects.toMatchObject({ code: 'Expired' });
    const page = await storage.list('/k/', { revision: start + 3 });
    expect(page.items.map((i) => i.metadata.name)).toEqual(['a', 'b', 'c']);
  });

  it('ends open watches and refuses writes after close', async () => {
    const storage = new MemoryStorage();
    const iterator = storage.watch('/k/', 0, new AbortController().signal)[Symbol.asyncIterator]();
    const waiting = iterator.next();
    await storage.close();
    await expect(waiting).resolves.toMatchObject({ done: true });
    await expect(storage.create('/k/a', cm('a'))).rejects.toMatchObject({ code: 'Unavailable' });
  });
});

describe('MemoryStorage slow watchers', () => {
  it('ends a watcher that lets too many events pile up with Expired', async () => {
    const storage = new MemoryStorage({ maxPendingPerWatcher: 3 });
    const iterator = storage.watch('/k/', await storage.currentRevision(), new AbortController().signal)[Symbol.asyncIterator]();
    const first = iterator.next();
    for (const n of ['a', 'b', 'c', 'd', 'e']) await storage.create(`/k/${n}`, { metadata: { name: n } });
    await expect(first).resolves.toMatchObject({ value: { key: '/k/a' } });
    const rest: unknown[] = [];
    const err = await (async () => {
      for (;;) {
        const r = await iterator.next();
        if (r.done) return undefined;
        rest.push(r.value);
      }
    })().catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'Expired' });
  });
});
