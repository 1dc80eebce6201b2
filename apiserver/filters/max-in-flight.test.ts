import { afterEach, describe, expect, it } from 'vitest';
import { MemoryStorage } from '../../pkg/storage/index.ts';
import type { ListOptions, ListResult } from '../../pkg/storage/types.ts';
import { createTestRegistry } from '../handlers/test-resources.ts';
import { createApiServer, type ApiServer } from '../server.ts';
import { inFlightKind, TOO_MANY_REQUESTS_MESSAGE } from './max-in-flight.ts';

describe('inFlightKind', () => {
  it.each([
    ['GET', '/api/v1/namespaces/default/pods', 'readOnly'],
    ['GET', '/api/v1/namespaces/default/pods/p', 'readOnly'],
    ['GET', '/healthz', 'readOnly'],
    ['POST', '/api/v1/namespaces/default/pods', 'mutating'],
    ['PATCH', '/api/v1/namespaces/default/pods/p/status', 'mutating'],
    ['DELETE', '/apis/apps/v1/namespaces/default/deployments/d', 'mutating'],
    ['POST', '/api/v1/namespaces/default/pods/p/binding', 'mutating'],
    ['GET', '/api/v1/namespaces/default/pods?watch=true', undefined],
    ['GET', '/api/v1/namespaces/default/pods?labelSelector=a&watch=1', undefined],
    ['GET', '/api/v1/namespaces/default/pods?watch=false', 'readOnly'],
    ['GET', '/api/v1/watch/namespaces/default/pods', undefined],
    ['GET', '/api/v1/namespaces/default/pods/p/log?follow=true', undefined],
    ['POST', '/api/v1/namespaces/default/pods/p/exec?command=ls', undefined],
    ['GET', '/api/v1/namespaces/default/pods/p/portforward', undefined],
    ['GET', '/api/v1/nodes/n/proxy/metrics', undefined],
    ['GET', '/api/v1/namespaces/default/configmaps/log', 'readOnly'],
    ['POST', '/api/v1/namespaces/default/pods/p/%65xec', undefined],
    ['GET', '/api/v1/%77atch/namespaces/default/pods', undefined],
  ])('%s %s → %s', (method, url, want) => expect(inFlightKind(method, url)).toBe(want));
});

/** A storage whose configmap lists wait until released: requests that stay in flight. */
class HeldListStorage extends MemoryStorage {
  private release: (() => void) | undefined;
  private held: Promise<void> | undefined;
  hold(): void {
    this.held = new Promise((resolve) => (this.release = resolve));
  }
  letGo(): void {
    this.release?.();
    this.held = undefined;
  }
  override async list(prefix: string, options?: ListOptions): Promise<ListResult> {
    if (prefix.includes('/configmaps/')) await this.held;
    return super.list(prefix, options);
  }
}

describe('the max-in-flight limit', () => {
  let server: ApiServer | undefined;
  let storage: HeldListStorage | undefined;

  afterEach(async () => {
    storage?.letGo();
    await server?.close();
    await storage?.close();
  });

  it('answers 429 with Retry-After once the read-only slots are taken, counts mutating requests and watches apart, and frees a slot when a request ends', async () => {
    storage = new HeldListStorage();
    server = await createApiServer({ storage, registry: createTestRegistry(), maxInFlight: { readOnly: 2, mutating: 1 } });
    const base = await server.listen({ host: '127.0.0.1', port: 0 });
    expect((await fetch(`${base}/api/v1/namespaces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } }) })).status).toBe(201);
    storage.hold();
    const held = [fetch(`${base}/api/v1/configmaps`), fetch(`${base}/api/v1/namespaces/default/configmaps`)];
    // Until both lists have arrived and hold their slots, a third read may still get through.
    let refused = await fetch(`${base}/api/v1/namespaces/default/configmaps/x`);
    for (let i = 0; i < 100 && refused.status !== 429; i++) {
      await new Promise((r) => setTimeout(r, 20));
      refused = await fetch(`${base}/api/v1/namespaces/default/configmaps/x`);
    }
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(await refused.text()).toBe(TOO_MANY_REQUESTS_MESSAGE);
    // Mutating requests have their own slot; a watch takes none.
    const created = await fetch(`${base}/api/v1/namespaces/default/configmaps`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }) });
    expect(created.status).toBe(201);
    const watch = new AbortController();
    const watching = await fetch(`${base}/api/v1/namespaces/default/pods?watch=true`, { signal: watch.signal });
    expect(watching.status).toBe(200);
    watch.abort();
    storage.letGo();
    expect((await Promise.all(held)).map((r) => r.status)).toEqual([200, 200]);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/apiserver_current_inflight_requests\{request_kind="readOnly"\} 1\n/); // the scrape itself
    expect(metrics).toMatch(/apiserver_request_total\{[^}]*code="429"\} 1\n/);
    const after = await fetch(`${base}/api/v1/namespaces/default/configmaps/x`);
    expect(after.status).toBe(200);
  });

  it('lets system:masters through past the limit', async () => {
    const { installMaxInFlightLimit } = await import('./max-in-flight.ts');
    const Fastify = (await import('fastify')).default;
    const app = Fastify();
    let hold!: () => void;
    const gate = new Promise<void>((r) => (hold = r));
    app.addHook('onRequest', (request, _reply, done) => {
      request.k8sUser = { username: request.headers['x-user'] as string, groups: request.headers['x-user'] === 'admin' ? ['system:masters'] : ['system:authenticated'] };
      done();
    });
    installMaxInFlightLimit(app, { readOnly: 1, mutating: 1 });
    app.get('/slow', async () => (await gate, 'slow'));
    app.get('/fast', async () => 'fast');
    const base = await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      const slow = fetch(`${base}/slow`, { headers: { 'x-user': 'someone' } });
      await new Promise((r) => setTimeout(r, 100));
      expect((await fetch(`${base}/fast`, { headers: { 'x-user': 'someone' } })).status).toBe(429);
      expect((await fetch(`${base}/fast`, { headers: { 'x-user': 'admin' } })).status).toBe(200);
      hold();
      expect((await slow).status).toBe(200);
    } finally {
      hold();
      await app.close();
    }
  });
});
