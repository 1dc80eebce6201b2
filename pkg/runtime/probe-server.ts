/**
 * The manager's HTTP endpoint: `/healthz` (process alive), `/readyz` (caches synced and, with
 * leader election, a leader known) and `/metrics` (Prometheus text). Plain node:http — three
 * routes do not need a framework.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

/** What the probe server reports. */
export interface ProbeSources {
  ready(): boolean;
  registry: Registry;
}

/** A listening probe server; `url` is `http://host:port`. */
export interface ProbeServer {
  readonly url: string;
  close(): Promise<void>;
}

/** Starts listening; rejects if the address is taken. */
export async function startProbeServer(address: { host: string; port: number }, sources: ProbeSources): Promise<ProbeServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/healthz' || path === '/livez') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    } else if (path === '/readyz') {
      const ready = sources.ready();
      res.writeHead(ready ? 200 : 503, { 'content-type': 'text/plain' }).end(ready ? 'ok' : 'not ready');
    } else if (path === '/metrics') {
      sources.registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': sources.registry.contentType }).end(text),
        (err: unknown) => res.writeHead(500, { 'content-type': 'text/plain' }).end(String(err)),
      );
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('404 page not found\n');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(address.port, address.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = address.host.includes(':') ? `[${address.host}]` : address.host;
  return {
    url: `http://${host}:${port}`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
