/**
 * For tests: a stand-in kubelet serving `GET /stats/summary` (plain HTTP on 127.0.0.1, or HTTPS
 * requiring a client certificate of a CA, as kubelets serve) with a summary the test sets, and builders for summaries in the upstream Summary API shape. Not a
 * kubelet: every other path is a 404.
 */
import { createServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';

/** One container's usage: CPU in nanocores, working set in bytes (absent = not measured yet). */
export interface ContainerUsage {
  name: string;
  cpu?: number;
  memory?: number;
}

/** What `summaryOf` builds a summary from. */
export interface SummaryInput {
  node: string;
  cpu?: number;
  memory?: number;
  /** The sample time of every measurement (default 2026-12-06T08:00:00Z). */
  time?: string;
  pods?: Array<{ name: string; namespace?: string; uid?: string; containers: ContainerUsage[] }>;
}

const DEFAULT_TIME = '2026-12-06T08:00:00.123456789Z';

function stats(time: string, cpu: number | undefined, memory: number | undefined) {
  return {
    ...(cpu !== undefined ? { cpu: { time, usageNanoCores: cpu, usageCoreNanoSeconds: cpu * 1000 } } : {}),
    ...(memory !== undefined ? { memory: { time, workingSetBytes: memory, usageBytes: memory + 4096, rssBytes: memory } } : {}),
  };
}

/** A `/stats/summary` body in the upstream shape (k8s.io/kubelet/pkg/apis/stats/v1alpha1). */
export function summaryOf(input: SummaryInput): Record<string, unknown> {
  const time = input.time ?? DEFAULT_TIME;
  return {
    node: { nodeName: input.node, startTime: '2026-12-06T07:00:00Z', ...stats(time, input.cpu, input.memory) },
    pods: (input.pods ?? []).map((p) => ({
      podRef: { name: p.name, namespace: p.namespace ?? 'default', uid: p.uid ?? `uid-${p.name}` },
      startTime: '2026-12-06T07:30:00Z',
      containers: p.containers.map((c) => ({ name: c.name, startTime: '2026-12-06T07:30:01Z', ...stats(time, c.cpu, c.memory) })),
    })),
  };
}

/** A running fake; set `summary` or `status` at any time. */
export interface FakeStatsKubelet {
  port: number;
  /** The body served (JSON-encoded unless a string). */
  summary: unknown;
  /** The status served (default 200). */
  status: number;
  /** Paths asked so far. */
  requests: string[];
  /** Over HTTPS: the client certificate's common name of each request. */
  clients: string[];
  close(): Promise<void>;
}

/** PEM serving certificate and key, and the CA client certificates must chain to. */
export interface FakeKubeletTls {
  cert: string;
  key: string;
  clientCa: string;
}

/** Starts a fake kubelet on 127.0.0.1 (an ephemeral port) serving `summary`; HTTPS with `tls`. */
export async function startFakeStatsKubelet(summary: unknown, tls?: FakeKubeletTls): Promise<FakeStatsKubelet> {
  const fake: FakeStatsKubelet = { port: 0, summary, status: 200, requests: [], clients: [], close: async () => undefined };
  const handler = (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => {
    fake.requests.push(req.url ?? '');
    if (tls) fake.clients.push(String((req.socket as TLSSocket).getPeerCertificate().subject?.CN ?? ''));
    if (!(req.url ?? '').startsWith('/stats/summary')) return void res.writeHead(404).end('404 page not found');
    const body = typeof fake.summary === 'string' ? fake.summary : JSON.stringify(fake.summary);
    res.writeHead(fake.status, { 'content-type': 'application/json' }).end(fake.status === 200 ? body : 'internal error');
  };
  const server: Server = tls ? createHttpsServer({ cert: tls.cert, key: tls.key, ca: tls.clientCa, requestCert: true, rejectUnauthorized: true }, handler) : createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.port = (server.address() as AddressInfo).port;
  fake.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return fake;
}

/** A Node object whose kubelet endpoint is the fake (InternalIP 127.0.0.1, the fake's port). */
export function nodeFor(name: string, port: number, labels: Record<string, string> = {}): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...labels } },
    status: {
      addresses: [{ type: 'InternalIP', address: '127.0.0.1' }],
      daemonEndpoints: { kubeletEndpoint: { Port: port } },
      allocatable: { cpu: '4', memory: '8Gi', pods: '110' },
      capacity: { cpu: '4', memory: '8Gi', pods: '110' },
    },
  };
}
