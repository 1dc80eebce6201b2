/**
 * The API server reaching kubelets over HTTPS (`--kubelet-certificate-authority`,
 * `--kubelet-client-certificate/-key`): `pods/log` and a `pods/exec` upgrade go through a real
 * kubelet API server (stub runtime, no containerd) serving a certificate of the test CA; the
 * same requests fail when the API server trusts another CA. The scheme rule is a table test.
 */
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBuiltinRegistry } from '../../pkg/api/builtin.ts';
import { MemoryStorage } from '../../pkg/storage/index.ts';
import { startStubKubeletApi, type StubKubeletApi } from '../../kubelet/testing/stub-kubelet-api.ts';
import { createTestPki, type TestPki } from '../../kubelet/testing/test-pki.ts';
import { assembleApiServer } from '../assemble.ts';
import type { ApiServer } from '../server.ts';
import { upgradeRequest } from '../testing/upgrade-request.ts';
import { kubeletScheme, kubeletTransport, kubeletTransportFromPem, type KubeletTransport } from './kubelet-client.ts';

describe('kubeletScheme', () => {
  it.each([
    [{}, 'http'],
    [{ certificateAuthority: '/ca.crt' }, 'https'],
    [{ clientCertificate: '/c.crt', clientKey: '/c.key' }, 'https'],
    [{ https: true }, 'https'],
    [{ https: false, certificateAuthority: '/ca.crt' }, 'http'],
  ] as const)('%j → %s', (flags, scheme) => expect(kubeletScheme(flags)).toBe(scheme));
});

let pki: TestPki;
let kubelet: StubKubeletApi;
const servers: Array<{ server: ApiServer; transport: KubeletTransport }> = [];

/** An API server (memory storage, plain HTTP) using `transport`, with the node and the bound pod. */
async function apiServerWith(transport: KubeletTransport): Promise<string> {
  const server = await assembleApiServer({
    storage: new MemoryStorage(),
    registry: createBuiltinRegistry(),
    logger: pino({ level: 'silent' }),
    serviceClusterIpRange: '10.96.0.0/12',
    serviceNodePortRange: '30000-32767',
    advertise: { ip: '127.0.0.1', port: 6443 },
    kubelet: transport,
  });
  servers.push({ server, transport });
  const url = await server.listen({ host: '127.0.0.1', port: 0 });
  const send = async (method: string, path: string, body: unknown) => {
    const res = await fetch(`${url}${path}`, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as Record<string, unknown>;
  };
  const node = await send('POST', '/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'tls-node' } });
  await send('PUT', '/api/v1/nodes/tls-node/status', { ...node, status: { addresses: [{ type: 'InternalIP', address: '127.0.0.1' }], daemonEndpoints: { kubeletEndpoint: { Port: kubelet.port } } } });
  await send('POST', '/api/v1/namespaces/default/pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'talker' }, spec: { nodeName: 'tls-node', containers: [{ name: 'talk', image: 'busybox' }] } });
  return url;
}

/** Sends an exec upgrade (GET, as the test always has) to the API server. */
const execUpgrade = (url: string, path = '/api/v1/namespaces/default/pods/talker/exec?command=sh&stdout=true') => upgradeRequest(`${url}${path}`, { method: 'GET' });

beforeAll(async () => {
  pki = await createTestPki();
  kubelet = await startStubKubeletApi({ cert: pki.kubeletServing.cert, key: pki.kubeletServing.key });
}, 30_000);

afterAll(async () => {
  for (const { server, transport } of servers) {
    await server.close();
    await transport.close();
  }
  await kubelet?.close();
  pki?.remove();
});

describe('API server → kubelet over HTTPS', () => {
  it('streams pods/log from a kubelet whose serving certificate the CA verifies (client certificate configured too)', async () => {
    const url = await apiServerWith(kubeletTransport({ certificateAuthority: pki.ca.path, clientCertificate: pki.kubeletClient.certPath, clientKey: pki.kubeletClient.keyPath }));
    const res = await fetch(`${url}/api/v1/namespaces/default/pods/talker/log`);
    expect({ status: res.status, body: await res.text() }).toEqual({ status: 200, body: 'one\ntwo\n' });
    expect(await (await fetch(`${url}/api/v1/namespaces/default/pods/talker/log?tailLines=1`)).text()).toBe('two\n');
    // Booleans as Python's client sends them (`True`) mean true, as on a real API server.
    expect(await (await fetch(`${url}/api/v1/namespaces/default/pods/talker/log?tailLines=1&timestamps=True`)).text()).toBe('2026-01-01T00:00:02.000000001Z two\n');
    const bad = await fetch(`${url}/api/v1/namespaces/default/pods/talker/log?tailLines=abc`);
    expect({ status: bad.status, message: ((await bad.json()) as { message: string }).message }).toEqual({ status: 400, message: 'strconv.ParseInt: parsing "abc": invalid syntax' });
  });

  it('reads metrics.k8s.io NodeMetrics from the real kubelet API\'s /stats/summary (its Summary as the kubelet writes it)', async () => {
    const url = await apiServerWith(kubeletTransport({ certificateAuthority: pki.ca.path, clientCertificate: pki.kubeletClient.certPath, clientKey: pki.kubeletClient.keyPath }));
    const res = await fetch(`${url}/apis/metrics.k8s.io/v1beta1/nodes/tls-node`);
    const body = (await res.json()) as Record<string, unknown>;
    expect({ status: res.status, timestamp: body.timestamp, window: body.window, usage: body.usage }).toEqual({ status: 200, timestamp: new Date(1_800_000_000_000).toISOString().replace('.000Z', 'Z'), window: '10s', usage: { cpu: '1', memory: '1Gi' } });
  });

  it('answers an exec upgrade whose path holds a broken escape with a 400 Status', async () => {
    const url = await apiServerWith(kubeletTransportFromPem('https', { ca: pki.ca.cert }));
    const res = await execUpgrade(url, '/api/v1/namespaces/default/pods/%ZZ/exec?command=sh&stdout=true');
    expect({ status: res.status, message: JSON.parse(res.body).message }).toEqual({ status: 400, message: 'invalid URL escape in /api/v1/namespaces/default/pods/%ZZ/exec' });
  });

  it('proxies a pods/exec upgrade over HTTPS end to end', async () => {
    const url = await apiServerWith(kubeletTransportFromPem('https', { ca: pki.ca.cert }));
    const { socket, status } = await execUpgrade(url);
    expect(status).toBe(101);
    socket!.write('ping');
    const echoed = await new Promise<string>((resolve) => socket!.once('data', (d) => resolve(d.toString())));
    socket!.destroy();
    expect(echoed).toBe('ping');
    expect(kubelet.streamed.at(-1)).toBe('/exec/c1');
  });

  it('refuses a kubelet whose certificate another CA signed (logs and exec)', async () => {
    const url = await apiServerWith(kubeletTransportFromPem('https', { ca: pki.otherCa.cert }));
    const res = await fetch(`${url}/api/v1/namespaces/default/pods/talker/log`);
    expect(res.status).toBe(500);
    expect(((await res.json()) as { message: string }).message).toMatch(/^Get "https:\/\/127\.0\.0\.1:\d+\/containerLogs\/default\/talker\/talk\?": .*(self[- ]signed|unable to verify|certificate)/i);
    const exec = await execUpgrade(url);
    expect(exec.status).toBe(500); // upstream's responder: a plain error is a 500 Status
    expect(JSON.parse(exec.body).message).toMatch(/^error dialing backend: .*(self[- ]signed|unable to verify|certificate)/i);
  });

  it('plain HTTP to a TLS kubelet fails: the scheme must match', async () => {
    const url = await apiServerWith(kubeletTransportFromPem('http'));
    expect((await fetch(`${url}/api/v1/namespaces/default/pods/talker/log`)).status).toBe(500);
  });
});
