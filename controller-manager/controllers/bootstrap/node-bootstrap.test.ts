/**
 * The certificate and bootstrap-token controllers against the in-process API server:
 * bootstrapsigner signs cluster-info for a token and drops the signature when the token expires,
 * tokencleaner then deletes the token, and a kubelet client CSR made by a bootstrapper is
 * approved (csrapproving) and issued by the cluster CA (csrsigning).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CertificateSigningRequest } from '../../../pkg/api/certificates/v1/certificatesigningrequest.ts';
import { clusterInfoConfigMap, KUBECONFIG_KEY } from '../../../pkg/bootstrap/cluster-info.ts';
import { verifyDetachedSignature } from '../../../pkg/bootstrap/jws.ts';
import { bootstrapTokenSecret } from '../../../pkg/bootstrap/token.ts';
import { BUILTIN_COORDINATES as C } from '../../../pkg/client/index.ts';
import { storageKey } from '../../../apiserver/handlers/objects.ts';
import { Manager } from '../../../pkg/runtime/index.ts';
import { startTestControlPlane, type TestControlPlane } from '../../../pkg/testing/index.ts';
import { waitFor } from '../../../pkg/testing/wait.ts';
import { csrApprovingController, csrSigningController } from '../certificates/index.ts';
import { DEFAULT_SETTINGS } from '../types.ts';
import { bootstrapSignerController, tokenCleanerController } from './index.ts';

let cp: TestControlPlane;
const stop = new AbortController();
let running: Promise<void>;
const dir = mkdtempSync(join(tmpdir(), 'k8ts-bootstrap-controllers-'));
const caCert = join(dir, 'ca.crt');
const caKey = join(dir, 'ca.key');

beforeAll(async () => {
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', caKey, '-out', caCert, '-days', '1', '-subj', '/CN=test-ca'], { stdio: 'ignore' });
  cp = await startTestControlPlane();
  const manager = new Manager({ client: cp.client });
  const settings = { ...DEFAULT_SETTINGS, clusterSigningCertFile: caCert, clusterSigningKeyFile: caKey };
  for (const c of [bootstrapSignerController, tokenCleanerController, csrApprovingController, csrSigningController]) c.register({ manager, settings });
  running = manager.start(stop.signal).catch(() => undefined);
}, 60_000);
afterAll(async () => {
  stop.abort();
  await running;
  await cp?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('bootstrapsigner and tokencleaner', () => {
  it('signs cluster-info while the token is valid, then drops the signature and the token', async () => {
    await cp.client.namespaces.create({ metadata: { name: 'kube-public' } }).catch(() => undefined);
    await cp.client.namespaces.create({ metadata: { name: 'kube-system' } }).catch(() => undefined);
    await cp.client.configMaps.inNamespace('kube-public').create(clusterInfoConfigMap('https://10.0.0.1:6443', readFileSync(caCert, 'utf8')));
    await cp.client.secrets.inNamespace('kube-system').create(bootstrapTokenSecret({ token: { id: 'abcdef', secret: '0123456789abcdef' }, expiration: new Date(Date.now() + 3000), usages: ['authentication', 'signing'], extraGroups: [] }));
    const signed = await waitFor('signature', async () => (await cp.client.configMaps.inNamespace('kube-public').get('cluster-info')).data?.['jws-kubeconfig-abcdef'], { timeoutMs: 10_000 });
    const kubeconfig = (await cp.client.configMaps.inNamespace('kube-public').get('cluster-info')).data?.[KUBECONFIG_KEY] as string;
    expect(verifyDetachedSignature(kubeconfig, signed, 'abcdef', '0123456789abcdef')).toBe(true);
    await waitFor('signature removed', async () => !(await cp.client.configMaps.inNamespace('kube-public').get('cluster-info')).data?.['jws-kubeconfig-abcdef'], { timeoutMs: 10_000 });
    await waitFor('token deleted', async () => cp.client.secrets.inNamespace('kube-system').get('bootstrap-token-abcdef').then(() => false, () => true), { timeoutMs: 10_000 });
  }, 30_000);
});

describe('csrapproving and csrsigning', () => {
  it('approves and issues a kubelet client certificate requested by a bootstrapper; leaves an ordinary user pending', async () => {
    const request = Buffer.from(execFileSync('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', join(dir, 'k.key'), '-subj', '/O=system:nodes/CN=system:node:n1'], { stdio: ['ignore', 'pipe', 'ignore'] })).toString('base64');
    const csrs = cp.client.resource<CertificateSigningRequest>(C.certificateSigningRequests);
    const spec = { request, signerName: 'kubernetes.io/kube-apiserver-client-kubelet', usages: ['digital signature', 'client auth'] };
    // The test control plane authenticates nobody: the CSRs are stored with the requester the
    // API server records for a bootstrap token and for an ordinary user.
    const store = (name: string, username: string, groups: string[], extra: object = {}) =>
      cp.storage.create(storageKey({ group: 'certificates.k8s.io', plural: 'certificatesigningrequests', namespaced: false }, undefined, name), { apiVersion: 'certificates.k8s.io/v1', kind: 'CertificateSigningRequest', metadata: { name, uid: name, creationTimestamp: new Date().toISOString() }, spec: { ...spec, ...extra, username, groups } } as CertificateSigningRequest);
    const signedAt = Date.now();
    await store('from-bootstrapper', 'system:bootstrap:abcdef', ['system:bootstrappers', 'system:authenticated']);
    await store('one-hour', 'system:bootstrap:abcdef', ['system:bootstrappers', 'system:authenticated'], { expirationSeconds: 3600 });
    await store('from-alice', 'alice', ['system:authenticated']);
    const issued = await waitFor('certificate', async () => (await csrs.get('from-bootstrapper')).status?.certificate, { timeoutMs: 15_000 });
    const conditions = (await csrs.get('from-bootstrapper')).status?.conditions ?? [];
    expect(conditions).toEqual([expect.objectContaining({ type: 'Approved', status: 'True', reason: 'AutoApproved', message: 'Auto approving kubelet client certificate after SubjectAccessReview.' })]);
    const [leaf, chainCa] = Buffer.from(issued, 'base64').toString().split(/(?<=-----END CERTIFICATE-----)\n/).filter((p) => p.trim());
    const cert = new X509Certificate(leaf);
    expect(cert.subject).toBe('O=system:nodes\nCN=system:node:n1');
    expect(cert.verify(new X509Certificate(readFileSync(caCert)).publicKey)).toBe(true);
    expect(cert.keyUsage).toEqual(['1.3.6.1.5.5.7.3.2']);
    expect(new X509Certificate(chainCa).fingerprint256).toBe(new X509Certificate(readFileSync(caCert)).fingerprint256);
    // Upstream's signing policy: backdated 5 minutes (for skewed clocks), ending no later than
    // the CA (valid one day here, the default duration a year); a short lifetime ends in full.
    const minutes = (date: string) => Math.round((Date.parse(date) - signedAt) / 60_000);
    expect(minutes(cert.validFrom)).toBe(-5);
    expect(cert.validTo).toBe(new X509Certificate(readFileSync(caCert)).validTo);
    const short = await waitFor('one-hour certificate', async () => (await csrs.get('one-hour')).status?.certificate, { timeoutMs: 15_000 });
    const shortCert = new X509Certificate(Buffer.from(short, 'base64').toString().split(/(?<=-----END CERTIFICATE-----)\n/)[0] as string);
    expect([minutes(shortCert.validFrom), minutes(shortCert.validTo)]).toEqual([-5, 60]);
    await new Promise((r) => setTimeout(r, 300));
    expect((await csrs.get('from-alice')).status?.conditions).toBeUndefined();
  }, 30_000);
});
