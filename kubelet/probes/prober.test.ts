import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContainerRuntime } from '../runtime/types.ts';
import { resolvePort, runProbe, type ProbeTarget } from './prober.ts';

let server: Server;
let port: number;
beforeAll(async () => {
  server = createServer((req, res) => {
    res.writeHead(req.url === '/healthz' ? 200 : req.url === '/moved' ? 302 : 500, { location: '/healthz' }).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const runtime = { exec: async (_id: string, cmd: string[]) => ({ stdout: cmd.join(' ') === 'ok' ? 'fine\n' : '', stderr: cmd.join(' ') === 'ok' ? '' : 'boom\n', exitCode: cmd.join(' ') === 'ok' ? 0 : 1 }) } as unknown as ContainerRuntime;
const target = (extra: Partial<ProbeTarget> = {}): ProbeTarget => ({ runtime, containerId: 'c1', container: { name: 'app', ports: [{ name: 'http', containerPort: port }] } as never, podIP: '127.0.0.1', timeoutSeconds: 1, ...extra });

describe('runProbe', () => {
  it('httpGet: 2xx/3xx succeed, others fail with the kubelet message; named ports resolve', async () => {
    expect(await runProbe({ httpGet: { path: '/healthz', port: 'http' } }, target())).toEqual({ success: true, output: '' });
    expect(await runProbe({ httpGet: { path: '/moved', port } }, target())).toMatchObject({ success: true });
    expect(await runProbe({ httpGet: { path: '/broken', port } }, target())).toEqual({ success: false, output: 'HTTP probe failed with statuscode: 500' });
  });

  it('httpGet and tcpSocket against a closed port fail with connection refused', async () => {
    const closed = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    expect(await runProbe({ httpGet: { path: '/x', port: closed } }, target())).toEqual({ success: false, output: `Get "http://127.0.0.1:${closed}/x": dial tcp 127.0.0.1:${closed}: connect: connection refused` });
    expect(await runProbe({ tcpSocket: { port: closed } }, target())).toEqual({ success: false, output: `dial tcp 127.0.0.1:${closed}: connect: connection refused` });
    expect(await runProbe({ tcpSocket: { port } }, target())).toEqual({ success: true, output: '' });
  });

  it('exec: exit code 0 succeeds; output is reported', async () => {
    expect(await runProbe({ exec: { command: ['ok'] } }, target())).toEqual({ success: true, output: 'fine\n' });
    expect(await runProbe({ exec: { command: ['bad'] } }, target())).toEqual({ success: false, output: 'boom\n' });
  });

  it.each([[8080, 8080], ['8080', 8080], ['http', 9000], ['nope', undefined]])('resolvePort(%j) → %j', (p, want) => {
    expect(resolvePort(p, { name: 'c', ports: [{ name: 'http', containerPort: 9000 }] } as never)).toBe(want);
  });
});
