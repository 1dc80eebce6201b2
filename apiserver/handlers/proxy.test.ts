/**
 * The `proxy` subresource: the pure location rules (upstream ResourceLocation of pods, services
 * and nodes) as tables, and the forwarding through a real API server to a local HTTP backend
 * standing in for a kubelet and a service's endpoint.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../pkg/api/meta.ts';
import { ApiError } from '../../pkg/errors/index.ts';
import { assembleTestApiServer } from '../testing/tls-test-server.ts';
import type { ApiServer } from '../server.ts';
import { nodeProxyLocation, podProxyLocation, proxyTargetPath, serviceProxyLocation, splitSchemeNamePort } from './proxy-location.ts';

const failure = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return `${(err as ApiError).code} ${(err as ApiError).message}`;
  }
  return 'no error';
};

describe('proxy locations', () => {
  it.each([
    ['web', { scheme: '', name: 'web', port: '' }],
    ['web:8080', { scheme: '', name: 'web', port: '8080' }],
    ['https:web:443', { scheme: 'https', name: 'web', port: '443' }],
    ['ftp:web:21', undefined],
    [':80', undefined],
    ['a:b:c:d', undefined],
  ])('splits %s', (id, want) => expect(splitSchemeNamePort(id)).toEqual(want));

  const pod = (ip: string, ports?: number[]) => ({ metadata: { name: 'p' }, spec: { containers: [{ name: 'a' }, { name: 'b', ports: (ports ?? []).map((containerPort) => ({ containerPort })) }] }, status: { podIP: ip } }) as KubeObject;

  it('sends a pod request to the pod IP, the first declared port unless one is named, and refuses addresses that are not global unicast', () => {
    expect(podProxyLocation(pod('10.244.1.5', [8080, 9090]), splitSchemeNamePort('p')!).origin).toBe('http://10.244.1.5:8080');
    expect(podProxyLocation(pod('10.244.1.5', [8080]), splitSchemeNamePort('https:p:8443')!).origin).toBe('https://10.244.1.5:8443');
    expect(podProxyLocation(pod('fd00::5'), splitSchemeNamePort('p')!).origin).toBe('http://[fd00::5]');
    for (const ip of ['', '127.0.0.1', '169.254.1.1', '0.0.0.0', '::1', 'fe80::1']) expect(failure(() => podProxyLocation(pod(ip), splitSchemeNamePort('p')!))).toBe('400 address not allowed');
  });

  const service = { metadata: { name: 'web' }, spec: { ports: [{ name: 'http', port: 80 }, { name: 'metrics', port: 9100 }] } } as KubeObject;
  const endpoints = { metadata: { name: 'web' }, subsets: [{ addresses: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }], ports: [{ name: 'http', port: 8080 }, { name: 'metrics', port: 9100 }] }] } as unknown as KubeObject;

  it('sends a service request to an endpoint of the named or numbered port, at random', () => {
    expect(serviceProxyLocation(service, endpoints, splitSchemeNamePort('web:http')!, 'web:http', () => 0).origin).toBe('http://10.0.0.1:8080');
    expect(serviceProxyLocation(service, endpoints, splitSchemeNamePort('web:80')!, 'web:80', (n) => n - 1).origin).toBe('http://10.0.0.2:8080');
    expect(serviceProxyLocation(service, endpoints, splitSchemeNamePort('https:web:metrics')!, 'https:web:metrics', () => 0).origin).toBe('https://10.0.0.1:9100');
  });

  it.each([
    ['web:81', endpoints, '503 no service port 81 found for service "web"'],
    ['web:http', undefined, '503 no endpoints available for service "web"'],
    ['web:other', endpoints, '503 no endpoints available for service "web:other"'],
    ['web', endpoints, '503 no endpoints available for service "web"'],
  ])('answers %s with upstream\'s 503', (id, eps, message) => {
    expect(failure(() => serviceProxyLocation(service, eps, splitSchemeNamePort(id)!, id, () => 0))).toBe(message);
  });

  it('sends a node request to its kubelet unless another port is named', () => {
    const node = { metadata: { name: 'n1' }, status: { addresses: [{ type: 'Hostname', address: 'n1' }, { type: 'InternalIP', address: '10.1.0.3' }], daemonEndpoints: { kubeletEndpoint: { Port: 10250 } } } } as KubeObject;
    expect(nodeProxyLocation(node, splitSchemeNamePort('n1')!, 'https')).toEqual({ origin: 'https://10.1.0.3:10250', kubelet: true });
    expect(nodeProxyLocation(node, splitSchemeNamePort('n1:10250')!, 'https')).toEqual({ origin: 'https://10.1.0.3:10250', kubelet: true });
    expect(nodeProxyLocation(node, splitSchemeNamePort('n1:9100')!, 'https')).toEqual({ origin: 'http://10.1.0.3:9100', kubelet: false });
    expect(failure(() => nodeProxyLocation({ metadata: { name: 'n2' } } as KubeObject, splitSchemeNamePort('n2')!, 'http'))).toBe('503 no kubelet connection is available for node "n2"');
  });

  it.each([
    ['', ''],
    ['/', '/'],
    ['/stats/summary', '/stats/summary'],
    ['//a///b/', '/a/b/'],
    ['/a/../../etc/passwd', '/etc/passwd'],
    ['/a/%2E%2e/b', '/b'],
    ['/x%20y/', '/x%20y/'],
  ])('cleans the path %s to %s', (raw, want) => expect(proxyTargetPath(raw)).toBe(want));
});

/** This machine's first non-loopback IPv4 address (endpoints and pod IPs may not be loopback). */
const hostIp = Object.values(networkInterfaces()).flat().find((a) => a && a.family === 'IPv4' && !a.internal)?.address ?? '';

describe('proxying through the API server', () => {
  let backend: Server;
  let backendPort: number;
  let server: ApiServer;
  let url: string;

  beforeAll(async () => {
    expect(hostIp, 'a non-loopback IPv4 address on this machine').not.toBe('');
    backend = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8').on('data', (c) => (body += c)).on('end', () => {
        res.writeHead(req.url?.startsWith('/missing') ? 404 : 200, { 'content-type': 'application/json', 'x-backend': 'yes', connection: 'keep-alive' });
        res.end(JSON.stringify({ method: req.method, url: req.url, body, authorization: req.headers.authorization ?? null, custom: req.headers['x-custom'] ?? null }));
      });
    });
    await new Promise<void>((resolve) => backend.listen(0, '0.0.0.0', resolve));
    backendPort = (backend.address() as AddressInfo).port;
    server = await assembleTestApiServer();
    url = await server.listen({ host: '127.0.0.1', port: 0 });
    const send = async (method: string, path: string, body: unknown) => {
      const res = await fetch(`${url}${path}`, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
      return (await res.json()) as Record<string, unknown>;
    };
    const node = await send('POST', '/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' } });
    await send('PUT', '/api/v1/nodes/n1/status', { ...node, status: { addresses: [{ type: 'InternalIP', address: '127.0.0.1' }], daemonEndpoints: { kubeletEndpoint: { Port: backendPort } } } });
    await send('POST', '/api/v1/namespaces/default/services', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { ports: [{ name: 'http', port: 80 }] } });
    await send('POST', '/api/v1/namespaces/default/endpoints', { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'web' }, subsets: [{ addresses: [{ ip: hostIp }], ports: [{ name: 'http', port: backendPort }] }] });
    await send('POST', '/api/v1/namespaces/default/services', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'idle' }, spec: { ports: [{ port: 80 }] } });
    await send('POST', '/api/v1/namespaces/default/pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'local' }, spec: { containers: [{ name: 'a', image: 'busybox' }] } });
    const running = await send('POST', '/api/v1/namespaces/default/pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'running' }, spec: { containers: [{ name: 'a', image: 'busybox', ports: [{ containerPort: backendPort }] }] } });
    await send('PUT', '/api/v1/namespaces/default/pods/running/status', { ...running, status: { phase: 'Running', podIP: hostIp, podIPs: [{ ip: hostIp }] } });
  });

  afterAll(async () => {
    await server?.close();
    await new Promise((resolve) => backend?.close(resolve));
  });

  it('forwards a node request to its kubelet with the path, query, method and body, and streams the answer back', async () => {
    const res = await fetch(`${url}/api/v1/nodes/n1/proxy/stats/summary?only_cpu_and_memory=true`, { headers: { authorization: 'Bearer secret', 'x-custom': 'kept' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-backend')).toBe('yes');
    expect(await res.json()).toEqual({ method: 'GET', url: '/stats/summary?only_cpu_and_memory=true', body: '', authorization: null, custom: 'kept' });
    const post = await fetch(`${url}/api/v1/nodes/n1/proxy/echo`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' });
    expect(await post.json()).toMatchObject({ method: 'POST', url: '/echo', body: 'hello' });
    const missing = await fetch(`${url}/api/v1/nodes/n1/proxy/missing`);
    expect(missing.status).toBe(404);
  });

  it('forwards a service request to an endpoint of the named port', async () => {
    const res = await fetch(`${url}/api/v1/namespaces/default/services/web:http/proxy/a/b/?x=1`, { method: 'DELETE' });
    expect(await res.json()).toMatchObject({ method: 'DELETE', url: '/a/b/?x=1' });
  });

  it('forwards a pod request to the pod IP and its first declared port', async () => {
    const res = await fetch(`${url}/api/v1/namespaces/default/pods/running/proxy/healthz`);
    expect(await res.json()).toMatchObject({ method: 'GET', url: '/healthz' });
  });

  it('redirects a GET naming nothing after /proxy to the path with a slash', async () => {
    const res = await fetch(`${url}/api/v1/namespaces/default/services/web:http/proxy?q=1`, { redirect: 'manual' });
    expect([res.status, res.headers.get('location')]).toEqual([301, '/api/v1/namespaces/default/services/web:http/proxy/?q=1']);
  });

  it.each([
    ['/api/v1/namespaces/default/services/idle/proxy/', 503, 'no endpoints available for service "idle"'],
    ['/api/v1/namespaces/default/services/gone/proxy/', 404, 'services "gone" not found'],
    ['/api/v1/namespaces/default/services/ftp:web:21/proxy/', 400, 'invalid service request "ftp:web:21"'],
    ['/api/v1/namespaces/default/pods/local/proxy/', 400, 'address not allowed'],
    ['/api/v1/nodes/n1:1/proxy/', 503, 'error trying to reach service: dial tcp 127.0.0.1:1: connect: connection refused'],
    ['/api/v1/namespaces/default/configmaps/x/proxy/', 404, 'the server could not find the requested resource'],
  ])('answers %s with a Status %i', async (path, code, message) => {
    const res = await fetch(`${url}${path}`);
    expect(res.status).toBe(code);
    expect(((await res.json()) as { message: string }).message).toBe(message);
  });
});
