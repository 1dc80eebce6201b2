import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { registerHealthEndpoints, renderHealth } from './health-checks.ts';

describe('renderHealth (upstream healthz)', () => {
  const names = ['ping', 'etcd', 'shutdown'];
  it('answers ok, or every check and "check passed" with verbose', () => {
    expect(renderHealth('readyz', names, new Map(), { verbose: false, excluded: [] })).toEqual({ status: 200, body: 'ok' });
    expect(renderHealth('readyz', names, new Map(), { verbose: true, excluded: [] })).toEqual({ status: 200, body: '[+]ping ok\n[+]etcd ok\n[+]shutdown ok\nreadyz check passed\n' });
  });

  it('is always verbose on failure and withholds the reason', () => {
    expect(renderHealth('livez', names, new Map([['etcd', 'down']]), { verbose: false, excluded: [] })).toEqual({ status: 500, body: '[+]ping ok\n[-]etcd failed: reason withheld\n[+]shutdown ok\nlivez check failed\n' });
  });

  it('skips excluded checks and warns about names that match none', () => {
    expect(renderHealth('readyz', names, new Map(), { verbose: true, excluded: ['etcd', 'nope'] }).body).toBe('[+]ping ok\n[+]etcd excluded: ok\n[+]shutdown ok\nwarn: some health checks cannot be excluded: no matches for "nope"\nreadyz check passed\n');
  });
});

describe('registerHealthEndpoints', () => {
  it('serves the endpoint and each check on its own path', async () => {
    const app = Fastify();
    let etcdUp = true;
    registerHealthEndpoints(app, { readyz: [{ name: 'ping', check: async () => undefined }, { name: 'etcd', check: async () => { if (!etcdUp) throw new Error('etcd did not answer within 2s'); } }] });
    expect((await app.inject({ url: '/readyz?verbose' })).body).toBe('[+]ping ok\n[+]etcd ok\nreadyz check passed\n');
    expect((await app.inject({ url: '/readyz/etcd' })).body).toBe('ok');
    etcdUp = false;
    const failed = await app.inject({ url: '/readyz' });
    expect(failed.statusCode).toBe(500);
    expect(failed.body).toBe('[+]ping ok\n[-]etcd failed: reason withheld\nreadyz check failed\n');
    expect((await app.inject({ url: '/readyz?exclude=etcd' })).body).toBe('ok');
    const single = await app.inject({ url: '/readyz/etcd' });
    expect(single.statusCode).toBe(500);
    expect(single.body).toBe('internal server error: etcd did not answer within 2s\n');
    await app.close();
  });
});
