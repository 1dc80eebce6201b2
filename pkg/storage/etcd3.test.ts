import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEtcd, type EtcdProcess } from '../testing/etcd-process.ts';
import { describeStorageContract } from './contract.test-suite.ts';
import { createEtcd3Storage } from './etcd3.ts';
import type { Storage } from './types.ts';

let etcd: EtcdProcess;
beforeAll(async () => {
  etcd = await startEtcd();
});
afterAll(async () => {
  await etcd?.stop();
});

describeStorageContract('Etcd3Storage', () => createEtcd3Storage({ endpoints: [etcd.endpoint] }));

describe('Etcd3Storage specifics', () => {
  const stores: Storage[] = [];
  afterAll(async () => {
    for (const s of stores) await s.close();
  });

  it('keeps working after many watches are opened and aborted (no tripped breaker, no leaks)', async () => {
    const storage = createEtcd3Storage({ endpoints: [etcd.endpoint] });
    stores.push(storage);
    const prefix = `/specifics/${Math.random().toString(36).slice(2)}/`;
    for (let i = 0; i < 6; i++) {
      const ac = new AbortController();
      const iterator = storage.watch(prefix, await storage.currentRevision(), ac.signal)[Symbol.asyncIterator]();
      const next = iterator.next();
      await new Promise((r) => setTimeout(r, 20));
      ac.abort();
      await expect(next).resolves.toMatchObject({ done: true });
    }
    const created = await storage.create(`${prefix}a`, { metadata: { name: 'a' } });
    expect(await storage.get(`${prefix}a`)).toEqual(created);
  });

  it('ends open watches when closed and reports Unavailable for a dead endpoint', async () => {
    const storage = createEtcd3Storage({ endpoints: [etcd.endpoint] });
    const iterator = storage.watch('/closing/', await storage.currentRevision(), new AbortController().signal)[Symbol.asyncIterator]();
    const next = iterator.next();
    await new Promise((r) => setTimeout(r, 20));
    await storage.close();
    await expect(next).resolves.toMatchObject({ done: true });

    const dead = createEtcd3Storage({ endpoints: ['http://127.0.0.1:1'], clientOptions: { dialTimeout: 500 } });
    stores.push(dead);
    await expect(dead.get('/x')).rejects.toMatchObject({ code: 'Unavailable' });
  });
});
