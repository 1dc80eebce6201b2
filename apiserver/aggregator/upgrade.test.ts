import { createServer, type IncomingMessage, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { APIService } from '../../pkg/api/apiregistration/v1/apiservice.ts';
import type { KubeObject } from '../../pkg/api/meta.ts';
import { endpointsResource } from '../../pkg/api/core/v1/endpoints.ts';
import { serviceResource } from '../../pkg/api/core/v1/service.ts';
import { MemoryStorage } from '../../pkg/storage/index.ts';
import { DEFAULT_KEY_PREFIX, storageKey } from '../handlers/objects.ts';
import { UpgradeExchange } from '../handlers/upgrade-exchange.ts';
import { BackendAgents } from './backend.ts';
import type { RemoteGroupVersion } from './controller.ts';
import { upgradeBackendHeaders } from './proxy.ts';
import { aggregatorUpgradeHandler, upgradeErrorText } from './upgrade.ts';
import { hostIPv4, wardleObjects } from './testing/wardle-backend.ts';

const USER = { username: 'jane', groups: ['devs', 'system:authenticated'], extra: { 'scopes.example.com/x': ['a', 'b'] } };

describe('upgradeBackendHeaders', () => {
  it('keeps the upgrade headers, drops credentials, impersonation and made-up front-proxy headers, names the caller', () => {
    const headers = upgradeBackendHeaders(
      { host: 'api', connection: 'Upgrade', upgrade: 'SPDY/3.1', authorization: 'Bearer t', 'impersonate-user': 'root', 'x-remote-user': 'mallory', 'x-remote-uid': '0', 'x-stream-protocol-version': 'v5.channel.k8s.io' },
      USER,
      '10.0.0.9',
    );
    expect(headers).toEqual({
      connection: 'Upgrade',
      upgrade: 'SPDY/3.1',
      'x-stream-protocol-version': 'v5.channel.k8s.io',
      'x-forwarded-for': '10.0.0.9',
      'x-remote-user': 'jane',
      'x-remote-group': ['devs', 'system:authenticated'],
      'x-remote-extra-scopes.example.com%2Fx': ['a', 'b'],
    });
  });
});

describe('upgradeErrorText', () => {
  it("is Go's dial text for a socket error, else the error's own", () => {
    const target = new URL('https://10.0.0.5:8443/apis/g/v');
    const refused = Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:8443'), { code: 'ECONNREFUSED' });
    expect(upgradeErrorText(new Error('error dialing backend: x', { cause: refused }), target)).toBe('dial tcp 10.0.0.5:8443: connect: connection refused');
    expect(upgradeErrorText(new Error('invalid upgrade response: status code 200'), target)).toBe('invalid upgrade response: status code 200');
  });
});

describe.skipIf(!hostIPv4())('aggregatorUpgradeHandler', () => {
  let front: Server | undefined;
  afterEach(() => {
    front?.closeAllConnections();
    front?.close();
  });

  /** A front server whose upgrades go to the handler for one remote APIService (`available` as given); resolves to its port. */
  async function serve(storage: MemoryStorage, apiService: APIService, available: boolean): Promise<number> {
    const remote = { apiService, group: 'wardle.example.com', version: 'v1alpha1', available, resources: [] } satisfies RemoteGroupVersion;
    const aggregator = { hasRemotes: () => true, remote: (g: string, v: string) => (g === remote.group && v === remote.version ? remote : undefined), agents: new BackendAgents(undefined) };
    const handler = aggregatorUpgradeHandler({ storage, keyPrefix: DEFAULT_KEY_PREFIX, aggregator: aggregator as never, log: pino({ level: 'silent' }) });
    front = createServer();
    front.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      const exchange = new UpgradeExchange({ req, socket, log: pino({ level: 'silent' }) });
      void handler(exchange, head, USER).then((handled) => {
        if (!handled) socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      });
    });
    await new Promise<void>((r) => front!.listen(0, '127.0.0.1', () => r()));
    return (front.address() as AddressInfo).port;
  }

  /** The whole answer to an upgrade of `path` (the server closes the connection after it). */
  function answer(port: number, path: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1');
      let text = '';
      socket.write(`GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n`);
      socket.on('data', (d) => (text += String(d)));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
  }

  /** A port nothing listens on, on this machine's address. */
  async function closedPort(ip: string): Promise<number> {
    const s = createServer();
    await new Promise<void>((r) => s.listen(0, ip, () => r()));
    const port = (s.address() as AddressInfo).port;
    await new Promise<void>((r) => s.close(() => r()));
    return port;
  }

  it('answers a backend that cannot be dialled with a plain-text 503 naming the failed dial', async () => {
    const ip = hostIPv4();
    const port = await closedPort(ip);
    const objs = wardleObjects({ ip, port, caBundle: '' });
    const storage = new MemoryStorage();
    await storage.create(storageKey(serviceResource, 'default', 'wardle-server', DEFAULT_KEY_PREFIX), objs.service as KubeObject);
    await storage.create(storageKey(endpointsResource, 'default', 'wardle-server', DEFAULT_KEY_PREFIX), objs.endpoints as KubeObject);
    const text = await answer(await serve(storage, objs.apiService as APIService, true), '/apis/wardle.example.com/v1alpha1/namespaces/default/flunders/f/console');
    expect(text).toMatch(/^HTTP\/1\.1 503 Service Unavailable\r\nContent-Type: text\/plain; charset=utf-8\r\nX-Content-Type-Options: nosniff\r\nAudit-Id: [0-9a-f-]{36}\r\n/);
    expect(text.endsWith(`\r\n\r\ndial tcp ${ip}:${port}: connect: connection refused\n`)).toBe(true);
    await storage.close();
  });

  it('answers 503 service unavailable for an unavailable APIService or a Service without endpoints, and leaves other paths alone', async () => {
    const storage = new MemoryStorage();
    const objs = wardleObjects({ ip: hostIPv4(), port: 1, caBundle: '' });
    const port = await serve(storage, objs.apiService as APIService, false);
    expect(await answer(port, '/apis/wardle.example.com/v1alpha1/namespaces/default/flunders/f/console')).toMatch(/^HTTP\/1\.1 503 Service Unavailable\r\n[\s\S]*\r\n\r\nservice unavailable\n$/);
    expect(await answer(port, '/apis/other.example.com/v1/x')).toMatch(/^HTTP\/1\.1 404 /);
    front!.closeAllConnections();
    front!.close();
    const available = await serve(storage, objs.apiService as APIService, true);
    expect(await answer(available, '/apis/wardle.example.com/v1alpha1/namespaces/default/flunders/f/console')).toMatch(/\r\n\r\nservice unavailable\n$/);
    await storage.close();
  });
});
