/**
 * The metrics source reaches kubelets as logs and exec do (`--kubelet-certificate-authority`,
 * `--kubelet-client-certificate/-key`): over HTTPS to a kubelet that requires a client
 * certificate of the cluster CA, it presents the API server's kubelet-client certificate and
 * verifies the kubelet's; trusting another CA, the node is skipped (no metrics, never a 500).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, type TestPki } from '../../kubelet/testing/test-pki.ts';
import { kubeletTransport, kubeletTransportFromPem, type KubeletTransport } from '../handlers/kubelet-client.ts';
import { injectJson } from '../handlers/test-inject.ts';
import type { ApiServer } from '../server.ts';
import { assembleTestApiServer } from '../testing/tls-test-server.ts';
import { nodeFor, startFakeStatsKubelet, summaryOf, type FakeStatsKubelet } from './testing/fake-kubelet.ts';

let pki: TestPki;
let kubelet: FakeStatsKubelet;
const opened: Array<{ server: ApiServer; transport: KubeletTransport }> = [];

async function serverWith(transport: KubeletTransport): Promise<ApiServer> {
  const server = await assembleTestApiServer({ kubelet: transport });
  opened.push({ server, transport });
  const node = nodeFor('tls-node', kubelet.port);
  const created = await injectJson(server, 'POST', '/api/v1/nodes', { ...node, status: undefined });
  await injectJson(server, 'PUT', '/api/v1/nodes/tls-node/status', { ...created.body, status: node.status });
  return server;
}

beforeAll(async () => {
  pki = await createTestPki();
  kubelet = await startFakeStatsKubelet(summaryOf({ node: 'tls-node', cpu: 750_000_000, memory: 256 * 1024 * 1024 }), { cert: pki.kubeletServing.cert, key: pki.kubeletServing.key, clientCa: pki.ca.cert });
}, 30_000);

afterAll(async () => {
  for (const { server, transport } of opened) {
    await server.close();
    await transport.close();
  }
  await kubelet?.close();
  pki?.remove();
});

describe('metrics from kubelets over HTTPS', () => {
  it('presents the kubelet-client certificate and verifies the kubelet\'s', async () => {
    const server = await serverWith(kubeletTransport({ certificateAuthority: pki.ca.path, clientCertificate: pki.kubeletClient.certPath, clientKey: pki.kubeletClient.keyPath }));
    const res = await injectJson(server, 'GET', '/apis/metrics.k8s.io/v1beta1/nodes/tls-node');
    expect({ status: res.status, usage: res.body.usage }).toEqual({ status: 200, usage: { cpu: '750m', memory: '256Mi' } });
    expect(kubelet.clients.at(-1)).toBe('kube-apiserver-kubelet-client');
  });

  it.each([
    ['a kubelet certificate another CA signed', () => kubeletTransportFromPem('https', { ca: pki.otherCa.cert, cert: pki.kubeletClient.cert, key: pki.kubeletClient.key })],
    ['no client certificate', () => kubeletTransportFromPem('https', { ca: pki.ca.cert })],
    ['plain HTTP to a TLS kubelet', () => kubeletTransportFromPem('http')],
  ])('skips the node with %s', async (_what, transport) => {
    const server = await serverWith(transport());
    const list = await injectJson(server, 'GET', '/apis/metrics.k8s.io/v1beta1/nodes');
    expect({ status: list.status, items: list.body.items }).toEqual({ status: 200, items: [] });
    const get = await injectJson(server, 'GET', '/apis/metrics.k8s.io/v1beta1/nodes/tls-node');
    expect({ status: get.status, message: get.body.message }).toEqual({ status: 404, message: 'nodemetrics.metrics.k8s.io "tls-node" not found' });
  });
});
