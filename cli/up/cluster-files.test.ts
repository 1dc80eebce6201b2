import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureClusterFiles, frontProxyFlags, kubeletServingRequest, serviceAccountTokenFlags } from './cluster-files.ts';
import { parseConfig } from '../../apiserver/main.ts';
import { readServiceAccountTokenConfig } from '../../apiserver/auth/serviceaccount-keys.ts';

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

  it('issues kubeadm\'s front-proxy CA and client cert and passes them to the API server', async () => {
    const files = await ensureClusterFiles({ dir, server: 'https://127.0.0.1:6443', nodes: ['n1'], serverIps: ['127.0.0.1'], serviceIp: '10.96.0.1' });
    const frontCa = new X509Certificate(readFileSync(files.frontProxyCa.cert));
    const client = new X509Certificate(readFileSync(files.frontProxyClient.cert));
    expect(frontCa.ca).toBe(true);
    expect(frontCa.subject).toBe('CN=front-proxy-ca');
    expect(client.subject).toBe('CN=front-proxy-client');
    expect(client.keyUsage).toEqual(['1.3.6.1.5.5.7.3.2']); // clientAuth
    expect(client.verify(frontCa.publicKey)).toBe(true);
    // A CA of its own: the cluster CA's clients are not front proxies, nor the reverse.
    expect(client.verify(new X509Certificate(readFileSync(files.ca.cert)).publicKey)).toBe(false);
    const config = parseConfig(['--insecure-http', '--storage', 'memory', ...frontProxyFlags(files)]);
    expect(config).toMatchObject({
      proxyClientCertFile: files.frontProxyClient.cert,
      proxyClientKeyFile: files.frontProxyClient.key,
      requestheaderClientCaFile: files.frontProxyCa.cert,
      requestheaderAllowedNames: ['front-proxy-client'],
      requestheaderUsernameHeaders: ['X-Remote-User'],
      requestheaderGroupHeaders: ['X-Remote-Group'],
      requestheaderExtraHeadersPrefix: ['X-Remote-Extra-'],
    });
  }, 30_000);

  it('creates kubeadm\'s sa.key/sa.pub once and passes them to the API server', async () => {
    const files = await ensureClusterFiles({ dir, server: 'https://127.0.0.1:6443', nodes: ['n1'], serverIps: ['127.0.0.1'], serviceIp: '10.96.0.1' });
    expect(files.serviceAccount).toEqual({ key: join(dir, 'pki', 'sa.key'), pub: join(dir, 'pki', 'sa.pub') });
    const pem = readFileSync(files.serviceAccount.key, 'utf8');
    expect(pem).toMatch(/^-----BEGIN RSA PRIVATE KEY-----/);
    expect(statSync(files.serviceAccount.key).mode & 0o777).toBe(0o600);
    const key = createPrivateKey(pem);
    expect(key.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(createPublicKey(key).export({ type: 'spki', format: 'pem' })).toBe(readFileSync(files.serviceAccount.pub, 'utf8'));
    // Kept on re-run.
    await ensureClusterFiles({ dir, server: 'https://127.0.0.1:6443', nodes: ['n1'], serverIps: ['127.0.0.1'], serviceIp: '10.96.0.1' });
    expect(readFileSync(files.serviceAccount.key, 'utf8')).toBe(pem);
    // The flags `k8ts up` passes parse and configure issuing.
    const config = parseConfig(['--insecure-http', '--storage', 'memory', ...serviceAccountTokenFlags(files)]);
    if (config === 'help') throw new Error('help');
    const tokens = readServiceAccountTokenConfig({ signingKeyFile: config.serviceAccountSigningKeyFile, keyFiles: config.serviceAccountKeyFiles, issuers: config.serviceAccountIssuers, apiAudiences: config.apiAudiences });
    expect(tokens?.issuing?.issuer).toBe('https://kubernetes.default.svc.cluster.local');
    expect(tokens?.verification.publicKeys).toHaveLength(1);
  }, 30_000);
});
