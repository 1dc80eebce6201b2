import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemoryStorage } from '../pkg/storage/index.ts';
import { createTestRegistry } from './handlers/test-resources.ts';
import { createApiServer, type ApiServer } from './server.ts';

let server: ApiServer;
let storage: MemoryStorage;
let base: string;
const watchSignals: AbortSignal[] = [];

async function call(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<any> {
  const res = await fetch(base + path, { method, body: body === undefined ? undefined : JSON.stringify(body), headers: body === undefined ? {} : { 'content-type': contentType } });
  return { status: res.status, body: await res.json() };
}

/** An open watch: reads events line by line, each wait bounded. */
class WatchStream {
  private buffer = '';
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  private readonly decoder = new TextDecoder();
  constructor(readonly response: Response, private readonly controller: AbortController) {
    this.reader = response.body!.getReader();
  }

  async next(timeoutMs = 5000): Promise<any | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const nl = this.buffer.indexOf('\n');
      if (nl >= 0) {
        const line = this.buffer.slice(0, nl);
        this.buffer = this.buffer.slice(nl + 1);
        return JSON.parse(line);
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`no watch event within ${timeoutMs} ms`);
      let timer: NodeJS.Timeout | undefined;
      const chunk = await Promise.race([
        this.reader.read(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no watch event within ${timeoutMs} ms`)), remaining);
        }),
      ]).finally(() => clearTimeout(timer));
      if (chunk.done) return undefined;
      this.buffer += this.decoder.decode(chunk.value, { stream: true });
    }
  }

  close(): void {
    this.controller.abort();
  }
}

const open: WatchStream[] = [];

async function watch(path: string, headers: Record<string, string> = {}): Promise<WatchStream> {
  const controller = new AbortController();
  const response = await fetch(base + path, { signal: controller.signal, headers });
  const stream = new WatchStream(response, controller);
  open.push(stream);
  return stream;
}

const cm = (name: string, labels?: Record<string, string>, data: Record<string, string> = { a: '1' }) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels }, data });

beforeEach(async () => {
  storage = new MemoryStorage({ historySize: 1000 });
  const watchFn = storage.watch.bind(storage);
  watchSignals.length = 0;
  storage.watch = (prefix, from, signal) => {
    watchSignals.push(signal);
    return watchFn(prefix, from, signal);
  };
  server = await createApiServer({ storage, registry: createTestRegistry(), watch: { bookmarkIntervalMs: 50 } });
  base = await server.listen({ host: '127.0.0.1', port: 0 });
  await call('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
});

afterEach(async () => {
  for (const s of open.splice(0)) s.close();
  await server.close();
  await storage.close();
});

describe('watch', () => {
  it('streams ADDED, MODIFIED and DELETED after a list resourceVersion', async () => {
    await call('POST', '/api/v1/namespaces/default/configmaps', cm('before'));
    const list = await call('GET', '/api/v1/namespaces/default/configmaps');
    const w = await watch(`/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${list.body.metadata.resourceVersion}`);
    expect(w.response.headers.get('content-type')).toBe('application/json');
    await call('POST', '/api/v1/namespaces/default/configmaps', cm('x'));
    await call('PATCH', '/api/v1/namespaces/default/configmaps/x', { data: { a: '2' } }, 'application/merge-patch+json');
    await call('DELETE', '/api/v1/namespaces/default/configmaps/x');
    const events = [await w.next(), await w.next(), await w.next()];
    expect(events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(['ADDED x', 'MODIFIED x', 'DELETED x']);
    expect(events[1].object.data).toEqual({ a: '2' });
    expect(events[0].object).toMatchObject({ kind: 'ConfigMap', apiVersion: 'v1' });
  });

  it('starts with synthetic ADDED events when resourceVersion is unset', async () => {
    await call('POST', '/api/v1/namespaces/default/configmaps', cm('one'));
    await call('POST', '/api/v1/namespaces/default/configmaps', cm('two'));
    const w = await watch('/api/v1/namespaces/default/configmaps?watch=1');
    expect([(await w.next()).object.metadata.name, (await w.next()).object.metadata.name]).toEqual(['one', 'two']);
    await call('POST', '/api/v1/namespaces/default/configmaps', cm('three'));
    expect(await w.next()).toMatchObject({ type: 'ADDED', object: { metadata: { name: 'three' } } });
  });

  it('applies selector transitions: starts matching → ADDED, stops matching → DELETED', async () => {
    const w = await watch('/api/v1/namespaces/default/configmaps?watch=true&labelSelector=app%3Dx');
    await call('POST', '/api/v1/namespaces/default/configmaps', cm('t', { app: 'y' }));
    await call('PATCH', '/api/v1/namespaces/default/configmaps/t', { metadata: { labels: { app: 'x' } } }, 'application/merge-patch+json');
    await call('PATCH', '/api/v1/namespaces/default/configmaps/t', { data: { a: '9' } }, 'application/merge-patch+json');
    await call('PATCH', '/api/v1/namespaces/default/configmaps/t', { metadata: { labels: { app: 'z' } } }, 'application/merge-patch+json');
    const events = [await w.next(), await w.next(), await w.next()];
    expect(events.map((e) => e.type)).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
    expect(events[2].object.metadata.labels).toEqual({ app: 'z' });
  });

  it('filters by metadata.name on the single-object form', async () => {
    const w = await watch('/api/v1/namespaces/default/configmaps?watch=true&fieldSelector=metadata.name%3Dme');
    await call('POST', '/api/v1/namespaces/default/configmaps', cm('notme'));
    await call('POST', '/api/v1/namespaces/default/configmaps', cm('me'));
    expect(await w.next()).toMatchObject({ type: 'ADDED', object: { metadata: { name: 'me' } } });
  });

  it('answers 410 Expired for a compacted resourceVersion', async () => {
    const first = await call('POST', '/api/v1/namespaces/default/configmaps', cm('old'));
    await call('POST', '/api/v1/namespaces/default/configmaps', cm('new'));
    const current = await storage.currentRevision();
    await storage.compact(current);
    const res = await fetch(`${base}/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${first.body.metadata.resourceVersion}`);
    expect(res.status).toBe(410);
    const status = (await res.json()) as { message: string };
    expect(status).toMatchObject({ kind: 'Status', reason: 'Expired', code: 410 });
    expect(status.message).toMatch(/^too old resource version: \d+ \(\d+\)$/);
  });

  it('sends BOOKMARK events with only the resourceVersion when allowed', async () => {
    const created = await call('POST', '/api/v1/namespaces/default/configmaps', cm('b'));
    const rv = created.body.metadata.resourceVersion;
    const w = await watch(`/api/v1/namespaces/default/configmaps?watch=true&allowWatchBookmarks=true&resourceVersion=${rv}`);
    const event = await w.next();
    expect(event).toEqual({ type: 'BOOKMARK', object: { kind: 'ConfigMap', apiVersion: 'v1', metadata: { resourceVersion: rv } } });
  });

  it('sendInitialEvents ends the initial phase with an annotated BOOKMARK', async () => {
    await call('POST', '/api/v1/namespaces/default/configmaps', cm('i1'));
    const w = await watch('/api/v1/namespaces/default/configmaps?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true');
    expect(await w.next()).toMatchObject({ type: 'ADDED', object: { metadata: { name: 'i1' } } });
    const bookmark = await w.next();
    expect(bookmark.type).toBe('BOOKMARK');
    expect(bookmark.object.metadata.annotations).toEqual({ 'k8s.io/initial-events-end': 'true' });
  });

  it('sendInitialEvents without allowWatchBookmarks sends the initial events and no end bookmark (not a list-watch to upstream)', async () => {
    await call('POST', '/api/v1/namespaces/default/configmaps', cm('nb1'));
    const w = await watch('/api/v1/namespaces/default/configmaps?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan');
    expect(await w.next()).toMatchObject({ type: 'ADDED', object: { metadata: { name: 'nb1' } } });
    await call('POST', '/api/v1/namespaces/default/configmaps', cm('nb2'));
    expect(await w.next()).toMatchObject({ type: 'ADDED', object: { metadata: { name: 'nb2' } } });
  });

  it('refuses sendInitialEvents without resourceVersionMatch=NotOlderThan', async () => {
    const res = await fetch(`${base}/api/v1/namespaces/default/configmaps?watch=true&sendInitialEvents=true`);
    expect(res.status).toBe(422);
  });

  it('takes watch=True (how Python clients send it) for a watch, as upstream decodes booleans', async () => {
    const w = await watch('/api/v1/namespaces/default/configmaps?watch=True');
    await call('POST', '/api/v1/namespaces/default/configmaps', cm('py'));
    const event = await w.next();
    expect([event.type, event.object.metadata.name]).toEqual(['ADDED', 'py']);
  });

  it('ends the stream at timeoutSeconds', async () => {
    const w = await watch('/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=1&timeoutSeconds=1');
    expect(await w.next(10_000)).toBeUndefined();
  });

  it('sends one Table row per event when Table is accepted', async () => {
    const w = await watch('/api/v1/namespaces/default/configmaps?watch=true', { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json' });
    await call('POST', '/api/v1/namespaces/default/configmaps', cm('tab'));
    const event = await w.next();
    expect(event.type).toBe('ADDED');
    expect(event.object.kind).toBe('Table');
    expect(event.object.rows).toHaveLength(1);
    expect(event.object.rows[0].object.metadata.name).toBe('tab');
  });

  it('aborts the storage watch when the client goes away', async () => {
    const w = await watch('/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=1');
    await call('POST', '/api/v1/namespaces/default/configmaps', cm('x'));
    await w.next();
    expect(watchSignals).toHaveLength(1);
    w.close();
    const deadline = Date.now() + 5000;
    while (!watchSignals[0].aborted && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(watchSignals[0].aborted).toBe(true);
  });
});

describe('watch metrics', () => {
  it('counts a finished watch as verb WATCH', async () => {
    const w = await watch('/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=1&timeoutSeconds=1');
    expect(await w.next(10_000)).toBeUndefined();
    const deadline = Date.now() + 5000;
    let text = '';
    while (Date.now() < deadline) {
      text = await (await fetch(`${base}/metrics`)).text();
      if (/verb="WATCH"/.test(text)) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(text).toMatch(/apiserver_request_total\{[^}]*verb="WATCH"[^}]*resource="configmaps"[^}]*code="200"[^}]*\} 1/);
  });
});
