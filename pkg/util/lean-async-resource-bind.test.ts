import { AsyncLocalStorage, AsyncResource } from 'node:async_hooks';
import { once } from 'node:events';
import { connect, createServer } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { useLeanAsyncResourceBind } from './lean-async-resource-bind.ts';

describe('useLeanAsyncResourceBind', () => {
  it('replaces a bind that defines the deprecated asyncResource accessor, once', () => {
    const before = new AsyncResource('t').bind(() => undefined);
    const nodeHadAccessor = Object.getOwnPropertyDescriptor(before, 'asyncResource') !== undefined;
    expect(useLeanAsyncResourceBind()).toBe(nodeHadAccessor);
    expect(useLeanAsyncResourceBind()).toBe(nodeHadAccessor);
    const after = new AsyncResource('t').bind(() => undefined);
    if (nodeHadAccessor) expect(Object.getOwnPropertyDescriptor(after, 'asyncResource')).toBeUndefined();
  });

  it('runs fn in the async context of the resource, not of the caller', () => {
    useLeanAsyncResourceBind();
    const storage = new AsyncLocalStorage<string>();
    const bound = storage.run('where the resource was made', () => new AsyncResource('t').bind(() => storage.getStore()));
    expect(storage.run('where it is called', bound)).toBe('where the resource was made');
    const staticBound = storage.run('static', () => AsyncResource.bind(() => storage.getStore()));
    expect(staticBound()).toBe('static');
  });

  it('passes arguments, this and the return value; keeps fn.length', () => {
    useLeanAsyncResourceBind();
    function sum(this: { base: number } | undefined, a: number, b: number) {
      return (this?.base ?? 0) + a + b;
    }
    // @types/node leaves out bind's thisArg, which Node documents.
    const resource = () => new AsyncResource('t') as unknown as { bind(fn: typeof sum, thisArg?: unknown): (a: number, b: number) => number };
    const withThis = resource().bind(sum, { base: 100 });
    expect(withThis(1, 2)).toBe(103);
    expect(withThis.length).toBe(2);
    const callSiteThis = { base: 10, f: resource().bind(sum) };
    expect(callSiteThis.f(1, 2)).toBe(13);
    expect(() => new AsyncResource('t').bind('not a function' as never)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARG_TYPE' }));
  });

  it('http2 client requests still run their callbacks in the caller’s context', async () => {
    useLeanAsyncResourceBind();
    const server = createServer((req, res) => res.end('ok'));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const session = connect(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    try {
      const storage = new AsyncLocalStorage<string>();
      const seen = await storage.run('request 1', () => {
        const req = session.request({ ':path': '/' });
        req.end();
        return new Promise<string | undefined>((resolve, reject) => {
          req.on('response', () => resolve(storage.getStore()));
          req.on('error', reject);
        });
      });
      expect(seen).toBe('request 1');
    } finally {
      session.close();
      server.close();
    }
  });
});
