/**
 * Two API servers on one store, as `--workers 2` runs them on one etcd: both keep the local
 * APIServices and check the remote one, both proxy (plain and upgrade requests), and the status
 * they write converges (no write back and forth once it is settled).
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { APIService } from '../../pkg/api/apiregistration/v1/apiservice.ts';
import { MemoryStorage } from '../../pkg/storage/index.ts';
import type { ApiServer } from '../server.ts';
import { assembleTestApiServer } from '../testing/tls-test-server.ts';
import { hostIPv4, startWardleBackend, wardleObjects, type WardleBackend } from './testing/wardle-backend.ts';

const NAME = '/apis/apiregistration.k8s.io/v1/apiservices/v1alpha1.wardle.example.com';

describe.skipIf(!hostIPv4())('APIServices with two API server workers on one store', () => {
  const storage = new MemoryStorage();
  let a: ApiServer;
  let b: ApiServer;
  let backend: WardleBackend;

  beforeAll(async () => {
    backend = await startWardleBackend();
    a = await assembleTestApiServer({ storage, aggregation: { resyncMs: 100 } });
    b = await assembleTestApiServer({ storage, aggregation: { resyncMs: 100 } });
    const objs = wardleObjects(backend);
    for (const [url, payload] of [['/api/v1/namespaces/default/services', objs.service], ['/api/v1/namespaces/default/endpoints', objs.endpoints], ['/apis/apiregistration.k8s.io/v1/apiservices', objs.apiService]] as const) {
      expect((await a.app.inject({ method: 'POST', url, payload })).statusCode).toBe(201);
    }
  }, 60_000);
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await storage.close();
    await backend?.stop();
  });

  it('both proxy, and the Available condition settles', async () => {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const [ra, rb] = await Promise.all([a, b].map((s) => s.app.inject({ method: 'GET', url: '/apis/wardle.example.com/v1alpha1/namespaces/default/flunders' })));
      if (ra!.statusCode === 200 && rb!.statusCode === 200) break;
      if (Date.now() > deadline) throw new Error(`not proxied: ${ra!.statusCode} ${rb!.statusCode}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const first = (await a.app.inject({ method: 'GET', url: NAME })).json() as APIService;
    expect(first.status?.conditions?.[0]).toMatchObject({ status: 'True', reason: 'Passed' });
    // Several re-checks by each worker later, nothing was written.
    await new Promise((r) => setTimeout(r, 600));
    const later = (await b.app.inject({ method: 'GET', url: NAME })).json() as APIService;
    expect(later.metadata.resourceVersion).toBe(first.metadata.resourceVersion);
    const locals = (await b.app.inject({ method: 'GET', url: '/apis/apiregistration.k8s.io/v1/apiservices' })).json().items as APIService[];
    expect(locals.filter((s) => s.metadata.name === 'v1.apps')).toHaveLength(1);
  });

  it('both proxy an upgrade: 101, then the bytes echoed', async () => {
    for (const server of [a, b]) {
      const url = new URL(await server.listen({ host: '127.0.0.1', port: 0 }));
      const socket = connect(Number(url.port), '127.0.0.1');
      try {
        let got = '';
        const echoed = new Promise<void>((resolve) => socket.on('data', (d) => (got += String(d)).endsWith('ping') && resolve()));
        socket.write('GET /apis/wardle.example.com/v1alpha1/namespaces/default/flunders/f/console HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n');
        await new Promise<void>((resolve) => socket.once('data', () => resolve()));
        socket.write('ping');
        await echoed;
        expect(got).toMatch(/^HTTP\/1\.1 101 Switching Protocols\r\n[\s\S]*\r\n\r\n(?:ping)?$/);
      } finally {
        socket.destroy();
      }
    }
  });
});
