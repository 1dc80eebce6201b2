import { createServer, type IncomingMessage } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { proxyUpgrade, responseStatusCode, upgradeRequestHead } from './upgrade-proxy.ts';

describe('responseStatusCode', () => {
  it.each<[string, number | undefined]>([
    ['HTTP/1.1 101 Switching Protocols\r\n', 101],
    ['HTTP/1.0 404 Not Found\r\nContent-Length: 0\r\n\r\n', 404],
    ['HTTP/1.1 200\r\n', 200],
    ['HTTP/1.1 101 Switch', undefined], // line not complete yet
    ['SSH-2.0-OpenSSH\r\n', undefined],
    ['HTTP/2 101\r\n', undefined],
  ])('%j → %s', (head, code) => expect(responseStatusCode(Buffer.from(head))).toBe(code));
});

describe('upgradeRequestHead', () => {
  const req = { method: 'GET', rawHeaders: ['Host', 'front', 'Connection', 'Upgrade', 'Upgrade', 'SPDY/3.1', 'Authorization', 'Bearer t', 'Content-Length', '0'] };
  const target = new URL('https://10.0.0.5:8443/exec/a?command=ls');

  it("re-sends the request's header lines, less the hop ones, with the target's Host", () => {
    expect(upgradeRequestHead(req, target)).toBe('GET /exec/a?command=ls HTTP/1.1\r\nHost: 10.0.0.5:8443\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nAuthorization: Bearer t\r\n\r\n');
  });

  it('sends the given headers instead, one line per value', () => {
    expect(upgradeRequestHead(req, target, { connection: 'Upgrade', upgrade: 'SPDY/3.1', 'x-remote-group': ['a', 'b'], host: 'ignored' })).toBe(
      'GET /exec/a?command=ls HTTP/1.1\r\nHost: 10.0.0.5:8443\r\nconnection: Upgrade\r\nupgrade: SPDY/3.1\r\nx-remote-group: a\r\nx-remote-group: b\r\n\r\n',
    );
  });
});

/** A front server that proxies every upgrade to a backend answering with `answer`, reporting what proxyUpgrade told it. */
async function harness(answer: string) {
  const backend = createServer();
  backend.on('upgrade', (_req, socket: Socket) => {
    socket.write(answer);
    socket.on('data', (d) => socket.write(d));
  });
  await new Promise<void>((r) => backend.listen(0, '127.0.0.1', () => r()));
  const target = new URL(`http://127.0.0.1:${(backend.address() as AddressInfo).port}/stream`);
  const told: string[] = [];
  const front = createServer();
  front.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    void proxyUpgrade(req, socket, head, target, {
      onRelay: (code) => told.push(`relay ${code}`),
      onError: (err) => {
        told.push(`error ${err.message}`);
        socket.end('HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      },
    });
  });
  await new Promise<void>((r) => front.listen(0, '127.0.0.1', () => r()));
  const port = (front.address() as AddressInfo).port;
  const close = () => {
    for (const s of [front, backend]) {
      s.closeAllConnections();
      s.close();
    }
  };
  return { port, told, close };
}

/** Sends an upgrade to `port` and returns the first bytes of the answer. */
async function firstAnswer(port: number): Promise<string> {
  const socket = connect(port, '127.0.0.1');
  socket.write('GET /x HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n\r\n');
  const text = await new Promise<string>((resolve) => socket.once('data', (d) => resolve(String(d))));
  socket.destroy();
  return text;
}

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

describe('proxyUpgrade', () => {
  it('reports a 101 before relaying it, then tunnels', async () => {
    const h = await harness('HTTP/1.1 101 Switching Protocols\r\nUpgrade: SPDY/3.1\r\n\r\n');
    cleanup = h.close;
    expect(await firstAnswer(h.port)).toMatch(/^HTTP\/1\.1 101 /);
    expect(h.told).toEqual(['relay 101']);
  });

  it('relays an error answer as is', async () => {
    const h = await harness('HTTP/1.1 400 Bad Request\r\nContent-Length: 2\r\n\r\nno');
    cleanup = h.close;
    expect(await firstAnswer(h.port)).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n[\s\S]*no$/);
    expect(h.told).toEqual(['relay 400']);
  });

  it('refuses an answer that is neither 101 nor an error, as upstream (nothing of it relayed)', async () => {
    const h = await harness('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n');
    cleanup = h.close;
    expect(await firstAnswer(h.port)).toMatch(/^HTTP\/1\.1 500 /);
    expect(h.told).toEqual(['error invalid upgrade response: status code 200']);
  });
});
