/**
 * `k8ts apiserver --event-ttl` on a real etcd: an Event is deleted by etcd (its lease) once the
 * TTL has passed since its last write — a watcher sees DELETED and a GET answers 404 — while
 * other objects stay, as upstream's events storage does.
 */
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startE2EControlPlane, type E2EControlPlane } from '../e2e/harness/control-plane.ts';

let cp: E2EControlPlane;
beforeAll(async () => {
  cp = await startE2EControlPlane({ extraApiserverArgs: ['--event-ttl', '2s'] });
}, 60_000);
afterAll(async () => {
  await cp?.stop();
});

async function call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await request(`${cp.server}${path}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.statusCode, json: (await res.body.json()) as Record<string, unknown> };
}

describe('apiserver --event-ttl', () => {
  it('deletes an event once its TTL has passed, and a watcher sees it go', async () => {
    const list = await call('GET', '/api/v1/namespaces/default/events');
    const from = (list.json.metadata as { resourceVersion: string }).resourceVersion;
    const event = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'web.17f0', namespace: 'default' },
      involvedObject: { kind: 'Pod', namespace: 'default', name: 'web' },
      reason: 'Scheduled',
      message: 'Successfully assigned default/web to node-1',
      type: 'Normal',
    };
    expect((await call('POST', '/api/v1/namespaces/default/events', event)).status).toBe(201);
    expect((await call('POST', '/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'stays' } })).status).toBe(201);

    const watch = await request(`${cp.server}/api/v1/namespaces/default/events?watch=1&resourceVersion=${from}`, { headersTimeout: 30_000, bodyTimeout: 30_000 });
    const seen: string[] = [];
    let buffered = '';
    for await (const chunk of watch.body) {
      buffered += chunk.toString();
      for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
        const line = JSON.parse(buffered.slice(0, nl)) as { type: string; object: { metadata: { name: string } } };
        buffered = buffered.slice(nl + 1);
        seen.push(`${line.type} ${line.object.metadata.name}`);
      }
      if (seen.length >= 2) break;
    }
    watch.body.destroy();
    expect(seen).toEqual(['ADDED web.17f0', 'DELETED web.17f0']);
    expect((await call('GET', '/api/v1/namespaces/default/events/web.17f0')).status).toBe(404);
    expect((await call('GET', '/api/v1/namespaces/default/configmaps/stays')).status).toBe(200);
  }, 40_000);
});
