/**
 * The kubelet's HTTP API (port 10250): `/healthz`, `/pods` (the pods bound to this node),
 * `/stats/summary` and `/metrics/resource` (usage, for `kubectl top` and the HPA), the
 * Prometheus endpoints `/metrics`, `/metrics/cadvisor` and `/metrics/probes` (monitoring stacks),
 * `/containerLogs/{ns}/{pod}/{container}` for `kubectl logs`, and the exec/attach/portForward
 * upgrades for `kubectl exec|attach|port-forward`, all reached through the API server. HTTPS
 * when given a certificate and key (`--tls-cert-file` / `--tls-private-key-file`), plain HTTP
 * otherwise. Every request, upgrades included, first passes {@link checkKubeletRequest} when
 * access rules are given (`k8ts up` and `join` take client certificates of the cluster CA and,
 * with `--authentication-token-webhook`, bearer tokens the API server vouches for, and ask the API
 * server whether the caller may reach this node).
 */
import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { Pod } from '../../pkg/api/core/v1/pod.ts';
import { writeRawResponse } from '../../pkg/net/upgrade-proxy.ts';
import { decodePathSegments, parseRequestTarget } from '../../pkg/net/request-target.ts';
import { serveContainerLogs, type ContainerLogDeps } from './container-logs.ts';
import { handleStreamingUpgrade } from './streaming.ts';
import { RESOURCE_METRICS_PATH, serveResourceMetrics, serveStatsSummary, STATS_SUMMARY_PATH, type StatsViewSource } from './stats-endpoints.ts';
import { metricsSourceFor, serveMetrics, type MetricsSources } from './metrics-endpoints.ts';
import { checkKubeletRequest, type KubeletApiAuth, type KubeletAuthVerdict } from './auth.ts';

/** What the server reads. */
export interface KubeletServerDeps extends ContainerLogDeps {
  pods(): Pod[];
  log: Logger;
  /** The usage view behind `/stats/summary` and `/metrics/resource`; unset = those paths are 404. */
  stats?: StatsViewSource;
  /** The bodies of `/metrics`, `/metrics/cadvisor` and `/metrics/probes`; unset = those paths are 404. */
  metrics?: MetricsSources;
}

/** A listening server. */
export interface KubeletServer {
  readonly port: number;
  close(): Promise<void>;
}

/** The serving certificate and key (PEM) of an HTTPS kubelet API. */
export interface KubeletServerTls {
  cert: string | Buffer;
  key: string | Buffer;
  /** CA bundle client certificates are verified against (`--client-ca-file`); unset = none requested. */
  clientCa?: string | Buffer;
}

/**
 * Starts listening on `host:port` (0 = any free port); HTTPS when `tls` is given. With `auth`,
 * a request that fails its check gets the check's status and text and reaches nothing else.
 */
export async function startKubeletServer(deps: KubeletServerDeps, address: { host: string; port: number }, tls?: KubeletServerTls, auth?: KubeletApiAuth): Promise<KubeletServer> {
  /** The verdict on a request (`url`: its parsed target); a target that does not parse skips it (the handlers answer 400 and do nothing). */
  const check = (req: IncomingMessage, url: URL | undefined): Promise<KubeletAuthVerdict | undefined> =>
    auth && url ? checkKubeletRequest(auth, { socket: req.socket, method: req.method ?? '', path: url.pathname, authorization: req.headers.authorization }) : Promise.resolve(undefined);
  const failed = (req: IncomingMessage, res: ServerResponse, err: unknown) => {
    deps.log.warn({ err, url: req.url }, 'kubelet API request failed');
    if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' }).end(String(err));
    else res.end();
  };
  const handler = (req: IncomingMessage, res: ServerResponse, url: URL | undefined) => {
    const logs = url && /^\/containerLogs\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(url.pathname);
    const logTarget = logs ? decodePathSegments(logs.slice(1)) : undefined;
    const metrics = deps.metrics && url ? metricsSourceFor(deps.metrics, url.pathname) : undefined;
    if (!url || (logs && !logTarget)) {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('400 Bad Request: invalid request URI\n');
    } else if (req.method !== 'GET') {
      res.writeHead(405, { 'content-type': 'text/plain' }).end('method not allowed');
    } else if (url.pathname === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    } else if (url.pathname === '/pods') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ kind: 'PodList', apiVersion: 'v1', metadata: {}, items: deps.pods() }));
    } else if (deps.stats && url.pathname === STATS_SUMMARY_PATH) {
      serveStatsSummary(deps.stats, res);
    } else if (deps.stats && url.pathname === RESOURCE_METRICS_PATH) {
      serveResourceMetrics(deps.stats, res);
    } else if (metrics) {
      serveMetrics(metrics, res).catch((err: unknown) => failed(req, res, err));
    } else if (logTarget) {
      const [namespace, pod, container] = logTarget as [string, string, string];
      serveContainerLogs(deps, { namespace, pod, container }, url.searchParams, res).catch((err: unknown) => failed(req, res, err));
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('404 page not found\n');
    }
  };
  const guarded = (req: IncomingMessage, res: ServerResponse) => {
    const url = parseRequestTarget(req.url);
    check(req, url)
      .then((verdict) => {
        if (verdict && !verdict.allowed) res.writeHead(verdict.code, { 'content-type': 'text/plain' }).end(verdict.message);
        else handler(req, res, url);
      })
      .catch((err: unknown) => failed(req, res, err));
  };
  const clientCerts = tls?.clientCa ? { ca: tls.clientCa, requestCert: true, rejectUnauthorized: false } : {};
  const server: Server = tls ? createHttpsServer({ cert: tls.cert, key: tls.key, ...clientCerts }, guarded) : createServer(guarded);
  server.on('upgrade', (req, socket, head) => {
    check(req, parseRequestTarget(req.url))
      .then(async (verdict) => {
        if (verdict && !verdict.allowed) return writeRawResponse(socket, verdict.code, STATUS_CODES[verdict.code] ?? '', verdict.message, { contentType: 'text/plain' });
        const handled = await handleStreamingUpgrade(deps, req, socket, head);
        if (!handled) writeRawResponse(socket, 404, 'Not Found', '404 page not found\n', { contentType: 'text/plain' });
      })
      .catch((err) => {
        deps.log.warn({ err, url: req.url }, 'streaming request failed');
        writeRawResponse(socket, 500, 'Internal Server Error', String(err), { contentType: 'text/plain' });
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(address.port, address.host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
