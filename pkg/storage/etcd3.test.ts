import { InterceptingCall, status, type Interceptor } from '@grpc/grpc-js';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/meta.ts';
import { StorageError, type WatchEvent } from './types.ts';
import { startEtcd, type EtcdProcess } from '../testing/etcd-process.ts';
import { describeStorageContract } from './contract.test-suite.ts';
import { Etcd3 } from 'etcd3';
import { createEtcd3Storage } from './etcd3.ts';
import type { Storage } from './types.ts';

/** A gRPC client interceptor that lets the request through but answers UNAVAILABLE instead of the response. */
const loseAnswer: Interceptor = (options, nextCall) =>
  new InterceptingCall(nextCall(options), {
    start(metadata, _listener, next) {
      next(metadata, {
        onReceiveMessage: (message, nextMessage) => nextMessage(message), // a non-OK status below still fails the call
        onReceiveStatus: (st, nextStatus) => nextStatus({ ...st, code: status.UNAVAILABLE, details: 'answer lost (injected)' }),
      });
    },
  });

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

  it('reports success, not KeyExists, for a create whose first attempt committed but whose answer was lost', async () => {
    // The etcd3 client retries a txn on another attempt after UNAVAILABLE; here the first txn
    // commits and its answer is replaced by UNAVAILABLE (as when a member dies after committing).
    let txns = 0;
    const storage = createEtcd3Storage({
      endpoints: [etcd.endpoint],
      clientOptions: { defaultCallOptions: (ctx) => (ctx.method === 'txn' && txns++ === 0 ? { interceptors: [loseAnswer] } : {}) },
    });
    stores.push(storage);
    const key = `/lost-answer/${Math.random().toString(36).slice(2)}`;
    const created = await storage.create(key, { metadata: { name: 'a', uid: 'u-1' }, data: { n: '1' } } as KubeObject);
    expect(txns).toBe(2);
    expect(await storage.get(key)).toEqual(created);
    // A different object under the same key is still refused.
    await expect(storage.create(key, { metadata: { name: 'a', uid: 'u-2' }, data: { n: '1' } } as KubeObject)).rejects.toMatchObject({ code: 'KeyExists' });
  });

  it('expires keys under a TTL prefix (an etcd lease per write), updated ones too, and watches see the deletes', async () => {
    const prefix = `/ttl-${Math.random().toString(36).slice(2)}/`;
    const storage = createEtcd3Storage({ endpoints: [etcd.endpoint], keyTtls: [{ prefix, seconds: 1 }] });
    stores.push(storage);
    const from = await storage.currentRevision();
    await storage.create(`${prefix}a`, { metadata: { name: 'a', uid: 'ua' } });
    const b = await storage.create(`${prefix}b`, { metadata: { name: 'b', uid: 'ub' } });
    // A put without the lease would detach it, and the key would never expire.
    await storage.update(`${prefix}b`, { ...b, data: { n: '2' } });
    await storage.create(`/kept${prefix}c`, { metadata: { name: 'c', uid: 'uc' } });
    await expect.poll(() => storage.count(prefix), { timeout: 15_000, interval: 250 }).toBe(0);
    expect(await storage.get(`/kept${prefix}c`)).toBeDefined();
    const seen: string[] = [];
    const ac = new AbortController();
    for await (const e of storage.watch(prefix, from, ac.signal)) {
      seen.push(`${e.type} ${e.key.slice(prefix.length)}`);
      if (seen.length === 5) break;
    }
    expect(seen.slice(0, 3)).toEqual(['ADDED a', 'ADDED b', 'MODIFIED b']);
    expect(seen.slice(3).sort()).toEqual(['DELETED a', 'DELETED b']);
  });

  it('writes with a new lease when etcd no longer has the one it reused', async () => {
    const prefix = `/revoked-${Math.random().toString(36).slice(2)}/`;
    const storage = createEtcd3Storage({ endpoints: [etcd.endpoint], keyTtls: [{ prefix, seconds: 3600 }] });
    const raw = new Etcd3({ hosts: etcd.endpoint });
    stores.push(storage);
    try {
      await storage.create(`${prefix}a`, { metadata: { name: 'a', uid: 'ua' } });
      const lease = (await raw.kv.range({ key: Buffer.from(`${prefix}a`) })).kvs[0]!.lease;
      expect(lease).not.toBe('0');
      await raw.leaseClient.leaseRevoke({ ID: lease });
      expect(await storage.get(`${prefix}a`)).toBeUndefined();
      await storage.create(`${prefix}b`, { metadata: { name: 'b', uid: 'ub' } });
      const newLease = (await raw.kv.range({ key: Buffer.from(`${prefix}b`) })).kvs[0]!.lease;
      expect(newLease).not.toBe('0');
      expect(newLease).not.toBe(lease);
    } finally {
      raw.close();
    }
  });

  it('fails over within the request timeout when a member accepts connections but never answers, and then skips it', async () => {
    // A black hole: TCP connects, nothing ever comes back (a frozen host or a dropped network).
    const sockets = new Set<Socket>();
    const tarpit = createServer((s) => sockets.add(s.on('error', () => undefined)));
    await new Promise<void>((r) => tarpit.listen(0, '127.0.0.1', r));
    const tarpitUrl = `http://127.0.0.1:${(tarpit.address() as AddressInfo).port}`;
    try {
      const onlyTarpit = createEtcd3Storage({ endpoints: [tarpitUrl], requestTimeoutMs: 300 });
      stores.push(onlyTarpit);
      const started = Date.now();
      await expect(onlyTarpit.get('/x')).rejects.toMatchObject({ code: 'Unavailable' });
      expect(Date.now() - started).toBeLessThan(5000);

      const mixed = createEtcd3Storage({ endpoints: [tarpitUrl, etcd.endpoint], requestTimeoutMs: 300 });
      stores.push(mixed);
      const key = `/black-hole/${Math.random().toString(36).slice(2)}`;
      const durations: number[] = [];
      for (let i = 0; i < 10; i++) {
        const started = Date.now();
        await mixed.create(`${key}-${i}`, { metadata: { name: `o${i}`, uid: `u${i}` } });
        durations.push(Date.now() - started);
      }
      expect(await mixed.count('/black-hole/')).toBeGreaterThanOrEqual(10);
      // The first call that meets the silent member marks it unreachable; later calls go elsewhere.
      expect(durations.filter((ms) => ms >= 300).length, JSON.stringify(durations)).toBeLessThanOrEqual(1);
    } finally {
      for (const s of sockets) s.destroy();
      tarpit.close();
    }
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

  it('ends a watch with Unavailable when etcd goes away', async () => {
    const doomed = await startEtcd();
    const storage = createEtcd3Storage({ endpoints: [doomed.endpoint] });
    stores.push(storage);
    try {
      const ac = new AbortController();
      const timer = setTimeout(() => ac.abort(), 10_000);
      const seen: WatchEvent[] = [];
      const watching = (async () => {
        for await (const e of storage.watch('/w/', await storage.currentRevision(), ac.signal)) seen.push(e);
      })();
      const outcome = watching.then(() => 'ended quietly', (err: unknown) => err);
      await new Promise((r) => setTimeout(r, 100));
      await storage.create('/w/a', { metadata: { name: 'a' } });
      await new Promise((r) => setTimeout(r, 100));
      await doomed.stop();
      const err = await outcome;
      clearTimeout(timer);
      expect(seen.map((e) => e.key)).toEqual(['/w/a']);
      expect(err).toBeInstanceOf(StorageError);
      expect((err as StorageError).code).toBe('Unavailable');
    } finally {
      await doomed.stop();
    }
  });

  it("keeps its watches when a unary call fails in a way the etcd3 client answers by closing the host's gRPC clients", async () => {
    // The etcd3 library closes every client of a host after such a failure (here an injected
    // UNAVAILABLE, retried); the closed connection's next keepalive ping then drops its streams.
    let failRanges = 0;
    const storage = createEtcd3Storage({
      endpoints: [etcd.endpoint],
      clientOptions: {
        grpcOptions: { 'grpc.keepalive_time_ms': 1000, 'grpc.keepalive_timeout_ms': 1000 },
        defaultCallOptions: (ctx) => (ctx.method === 'range' && failRanges-- > 0 ? { interceptors: [loseAnswer] } : {}),
      },
    });
    stores.push(storage);
    const ac = new AbortController();
    const seen: string[] = [];
    const from = await storage.currentRevision();
    const watching = (async () => {
      for await (const e of storage.watch('/reset/', from, ac.signal)) seen.push(e.key);
    })();
    const outcome = watching.then(() => 'ended', (err: unknown) => err);
    await storage.create('/reset/a', { metadata: { name: 'a' } });
    await expect.poll(() => seen).toEqual(['/reset/a']);
    failRanges = 1;
    await storage.get('/reset/a'); // its first attempt fails: the client resets the host, then retries
    expect(failRanges).toBe(-1);
    await new Promise((r) => setTimeout(r, 2500)); // past the old connection's next keepalive ping
    await storage.create('/reset/b', { metadata: { name: 'b' } });
    await expect.poll(() => seen).toEqual(['/reset/a', '/reset/b']);
    ac.abort();
    expect(await outcome).toBe('ended');
  });
});
