/**
 * A test "aggregated API server" (as sample-apiserver): HTTPS on this machine's first non-loopback
 * IPv4 address (endpoint IPs may not be loopback) with a throw-away CA, its certificate valid for
 * `wardle-server.default.svc`, serving discovery for `wardle.example.com/v1alpha1` (`flunders`,
 * namespaced) and a list of flunders (as a Table when asked). Records every request's path and
 * front-proxy headers. Upgrades (as KubeVirt's `console`): `flunders/<name>/console` is accepted
 * as a WebSocket (`101`, then every byte echoed back); `flunders/refused/console` answers a 403
 * Status without upgrading, `flunders/plain/console` a 200; any other upgrade path a 404 Status.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { createHash } from 'node:crypto';
import type { Duplex } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { ensureCa, ensureCert } from '../../../cli/up/pki.ts';

/** One request the backend saw. */
export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  /** Whether the caller presented a client certificate. */
  clientCert: boolean;
}

/** A running wardle backend; `stop()` closes it and removes its files. */
export interface WardleBackend {
  ip: string;
  port: number;
  /** The CA's PEM, base64 (an APIService's `caBundle`). */
  caBundle: string;
  seen: SeenRequest[];
  /** Answer discovery with this status instead (undefined: 200). */
  failDiscovery?: number;
  /** Sends the second event of an open watch and ends it. */
  releaseWatch?: () => void;
  stop(): Promise<void>;
}

export const WARDLE_GROUP = 'wardle.example.com';
export const WARDLE_VERSION = 'v1alpha1';

/** The first non-loopback IPv4 address of this machine ('' when there is none). */
export function hostIPv4(): string {
  return Object.values(networkInterfaces()).flat().find((a) => a && a.family === 'IPv4' && !a.internal)?.address ?? '';
}

const RESOURCE_LIST = {
  kind: 'APIResourceList',
  apiVersion: 'v1',
  groupVersion: `${WARDLE_GROUP}/${WARDLE_VERSION}`,
  resources: [
    { name: 'flunders', singularName: 'flunder', namespaced: true, kind: 'Flunder', verbs: ['create', 'delete', 'get', 'list', 'watch'], shortNames: ['fl'] },
    { name: 'flunders/status', singularName: '', namespaced: true, kind: 'Flunder', verbs: ['get', 'patch', 'update'] },
  ],
};

const GVK = { group: WARDLE_GROUP, version: WARDLE_VERSION, kind: 'Flunder' };
/** The backend's OpenAPI v3 document: the Flunder schema and a PATCH operation declaring fieldValidation. */
const OPENAPI_V3 = {
  openapi: '3.0.0',
  info: { title: 'Wardle', version: 'v0.1.0' },
  paths: {
    [`/apis/${WARDLE_GROUP}/${WARDLE_VERSION}/namespaces/{namespace}/flunders/{name}`]: {
      patch: {
        operationId: 'patchFlunder',
        'x-kubernetes-action': 'patch',
        'x-kubernetes-group-version-kind': GVK,
        parameters: ['dryRun', 'fieldManager', 'fieldValidation'].map((name) => ({ name, in: 'query', schema: { type: 'string', uniqueItems: true } })),
        responses: { '200': { description: 'OK', content: { 'application/json': { schema: { $ref: '#/components/schemas/com.example.wardle.v1alpha1.Flunder' } } } } },
      },
    },
  },
  components: {
    schemas: {
      'com.example.wardle.v1alpha1.Flunder': {
        type: 'object',
        description: 'A Flunder is an example type of the wardle sample API server.',
        properties: {
          apiVersion: { type: 'string', description: 'APIVersion of the object.' },
          kind: { type: 'string', description: 'Kind of the object.' },
          metadata: { type: 'object', description: 'Standard object metadata.' },
          spec: { type: 'object', description: 'How the flunder refers to its fischer.', properties: { reference: { type: 'string', description: 'The name of a fischer or flunder.' } } },
        },
        'x-kubernetes-group-version-kind': [GVK],
      },
    },
  },
};

function flunderList(accept: string): unknown {
  const created = '2026-01-01T00:00:00Z';
  const items = [{ apiVersion: `${WARDLE_GROUP}/${WARDLE_VERSION}`, kind: 'Flunder', metadata: { name: 'my-first-flunder', namespace: 'default', creationTimestamp: created } }];
  if (!accept.includes('as=Table')) return { apiVersion: `${WARDLE_GROUP}/${WARDLE_VERSION}`, kind: 'FlunderList', metadata: { resourceVersion: '1' }, items };
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion: '1' },
    columnDefinitions: [{ name: 'Name', type: 'string', format: 'name', description: 'name', priority: 0 }, { name: 'Created At', type: 'date', format: '', description: 'created', priority: 0 }],
    rows: items.map((i) => ({ cells: [i.metadata.name, created], object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: i.metadata } })),
  };
}

/** Starts the backend (port 0: any free port). */
export async function startWardleBackend(): Promise<WardleBackend> {
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-wardle-'));
  const ca = await ensureCa(dir);
  const serving = await ensureCert(dir, ca, { name: 'wardle', commonName: 'wardle-server', dnsNames: ['wardle-server.default.svc'], usage: 'server' });
  const ip = hostIPv4();
  const backend: WardleBackend = { ip, port: 0, caBundle: Buffer.from(readFileSync(ca.cert)).toString('base64'), seen: [], stop: async () => undefined };
  const server: Server = createServer({ cert: readFileSync(serving.cert), key: readFileSync(serving.key), requestCert: true, rejectUnauthorized: false }, (req, res) => {
    const clientCert = !!(req.socket as import('node:tls').TLSSocket).getPeerCertificate?.()?.subject;
    backend.seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, clientCert });
    const path = (req.url ?? '').split('?')[0];
    const send = (code: number, body: unknown) => {
      res.writeHead(code, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (path === `/apis/${WARDLE_GROUP}/${WARDLE_VERSION}`) {
      if (backend.failDiscovery) return send(backend.failDiscovery, { kind: 'Status', status: 'Failure', code: backend.failDiscovery });
      return send(200, RESOURCE_LIST);
    }
    if (path === '/openapi/v3') return send(200, { paths: { [`apis/${WARDLE_GROUP}/${WARDLE_VERSION}`]: { serverRelativeURL: `/openapi/v3/apis/${WARDLE_GROUP}/${WARDLE_VERSION}?hash=W1` } } });
    if (path === `/openapi/v3/apis/${WARDLE_GROUP}/${WARDLE_VERSION}`) return send(200, OPENAPI_V3);
    if (path === `/apis/${WARDLE_GROUP}/${WARDLE_VERSION}/namespaces/default/flunders` && (req.url ?? '').includes('watch=true')) {
      // A watch: one event now, the second only when the test releases it, then the end.
      res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
      const event = (name: string) => `${JSON.stringify({ type: 'ADDED', object: { apiVersion: `${WARDLE_GROUP}/${WARDLE_VERSION}`, kind: 'Flunder', metadata: { name, namespace: 'default' } } })}\n`;
      res.write(event('first'));
      backend.releaseWatch = () => res.end(event('second'));
      return;
    }
    if (path === `/apis/${WARDLE_GROUP}/${WARDLE_VERSION}/namespaces/default/flunders` && req.method === 'POST') {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => send(201, { ...(JSON.parse(body || '{}') as object), metadata: { ...((JSON.parse(body || '{}') as { metadata?: object }).metadata ?? {}), uid: 'u-1', resourceVersion: '2' } }));
      return;
    }
    if (path === `/apis/${WARDLE_GROUP}/${WARDLE_VERSION}/namespaces/default/flunders`) return send(200, flunderList(String(req.headers.accept ?? '')));
    return send(404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404, message: 'the server could not find the requested resource' });
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex) => {
    const clientCert = !!(socket as TLSSocket).getPeerCertificate?.()?.subject;
    backend.seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, clientCert });
    socket.on('error', () => undefined);
    const m = /^\/apis\/wardle\.example\.com\/v1alpha1\/namespaces\/default\/flunders\/([^/?]+)\/console(?:\?|$)/.exec(req.url ?? '');
    const refuse = (code: number, reason: string, body: string) => socket.end(`HTTP/1.1 ${code} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
    if (!m) return refuse(404, 'Not Found', JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404 }));
    if (m[1] === 'refused') return refuse(403, 'Forbidden', JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Forbidden', code: 403, message: 'console refused' }));
    if (m[1] === 'plain') return refuse(200, 'OK', '{}');
    const accept = createHash('sha1').update(`${String(req.headers['sec-websocket-key'] ?? '')}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
    socket.pipe(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, ip, () => resolve()));
  backend.port = (server.address() as AddressInfo).port;
  backend.stop = async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  };
  return backend;
}

/** The Service, Endpoints and APIService that put the backend behind an API server. */
export function wardleObjects(backend: Pick<WardleBackend, 'ip' | 'port' | 'caBundle'>): { service: object; endpoints: object; apiService: object } {
  return {
    service: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'wardle-server', namespace: 'default' }, spec: { ports: [{ name: 'https', port: 443, targetPort: backend.port }] } },
    endpoints: { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'wardle-server', namespace: 'default' }, subsets: [{ addresses: [{ ip: backend.ip }], ports: [{ name: 'https', port: backend.port }] }] },
    apiService: {
      apiVersion: 'apiregistration.k8s.io/v1',
      kind: 'APIService',
      metadata: { name: `${WARDLE_VERSION}.${WARDLE_GROUP}` },
      spec: { group: WARDLE_GROUP, version: WARDLE_VERSION, groupPriorityMinimum: 1000, versionPriority: 15, caBundle: backend.caBundle, service: { namespace: 'default', name: 'wardle-server', port: 443 } },
    },
  };
}
