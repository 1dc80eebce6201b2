import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureCa, ensureCert, extensionConfig, subject } from './pki.ts';

const dir = mkdtempSync(join(tmpdir(), 'k8ts-pki-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('PKI', () => {
  it.each([
    [{ commonName: 'kubernetes-admin', organization: 'system:masters' }, '/O=system:masters/CN=kubernetes-admin'],
    [{ commonName: 'system:kube-scheduler' }, '/CN=system:kube-scheduler'],
  ])('subject(%j) = %s', (req, out) => expect(subject(req)).toBe(out));

  it('renders serving extensions with SANs', () => {
    expect(extensionConfig({ name: 'apiserver', commonName: 'kube-apiserver', usage: 'server', dnsNames: ['kubernetes', 'localhost'], ips: ['10.96.0.1', '127.0.0.1'] })).toBe(
      'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:kubernetes,DNS:localhost,IP:10.96.0.1,IP:127.0.0.1\n',
    );
  });

  it('issues certificates signed by the CA, and keeps existing files on re-run', async () => {
    const ca = await ensureCa(dir);
    const server = await ensureCert(dir, ca, { name: 'apiserver', commonName: 'kube-apiserver', usage: 'server', dnsNames: ['kubernetes.default.svc'], ips: ['10.96.0.1'] });
    const admin = await ensureCert(dir, ca, { name: 'admin', commonName: 'kubernetes-admin', organization: 'system:masters', usage: 'client' });
    const caCert = new X509Certificate(readFileSync(ca.cert));
    const serverCert = new X509Certificate(readFileSync(server.cert));
    const adminCert = new X509Certificate(readFileSync(admin.cert));
    expect(caCert.ca).toBe(true);
    expect(serverCert.verify(caCert.publicKey)).toBe(true);
    expect(serverCert.checkIP('10.96.0.1')).toBe('10.96.0.1');
    expect(serverCert.checkHost('kubernetes.default.svc')).toBe('kubernetes.default.svc');
    expect(adminCert.subject).toBe('O=system:masters\nCN=kubernetes-admin');
    const again = await ensureCert(dir, ca, { name: 'apiserver', commonName: 'other', usage: 'server' });
    expect(new X509Certificate(readFileSync(again.cert)).fingerprint256).toBe(serverCert.fingerprint256);
  });
});
