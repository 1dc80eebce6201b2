import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureClusterFiles, kubeletServingRequest } from './cluster-files.ts';

const dir = mkdtempSync(join(tmpdir(), 'k8ts-cluster-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('cluster files', () => {
  it('names a node serving certificate after the node, with its name and IP as SANs', () => {
    expect(kubeletServingRequest({ name: 'n1', ip: '10.0.0.5' })).toEqual({ name: 'kubelet-serving-n1', commonName: 'system:node:n1', organization: 'system:nodes', usage: 'server', dnsNames: ['n1'], ips: ['10.0.0.5'] });
  });

  it('issues a kubelet serving cert per node and the API server kubelet-client cert, signed by the cluster CA', async () => {
    const files = await ensureClusterFiles({ dir, server: 'https://127.0.0.1:6443', nodes: ['n1', 'n2'], nodeIps: { n1: '10.0.0.5', n2: '10.0.0.6' }, serverIps: ['127.0.0.1'], serviceIp: '10.96.0.1' });
    const ca = new X509Certificate(readFileSync(files.ca.cert));
    const n2 = new X509Certificate(readFileSync(files.kubeletServing.n2.cert));
    expect(n2.verify(ca.publicKey)).toBe(true);
    expect(n2.checkIP('10.0.0.6')).toBe('10.0.0.6');
    expect(n2.checkIP('10.0.0.5')).toBeUndefined();
    expect(n2.checkHost('n2')).toBe('n2');
    expect(n2.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']); // serverAuth
    const client = new X509Certificate(readFileSync(files.apiserverKubeletClient.cert));
    expect(client.verify(ca.publicKey)).toBe(true);
    expect(client.subject).toBe('O=system:masters\nCN=kube-apiserver-kubelet-client');
    expect(client.keyUsage).toEqual(['1.3.6.1.5.5.7.3.2']); // clientAuth
  }, 30_000);
});
