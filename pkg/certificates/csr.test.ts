import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCertificateRequestPem } from './csr.ts';

const dir = mkdtempSync(join(tmpdir(), 'k8ts-csr-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A request made by openssl, the tool k8ts join uses. */
function opensslRequest(subject: string, extra: string[] = [], algorithm = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1']): string {
  return execFileSync('openssl', ['req', '-new', ...algorithm, '-nodes', '-keyout', join(dir, `k-${Math.random()}`), '-subj', subject, ...extra], { stdio: ['ignore', 'pipe', 'ignore'] }).toString();
}

describe('PKCS#10 parsing', () => {
  it('reads CN, O and every kind of SAN', () => {
    const pem = opensslRequest('/O=system:nodes/O=second/CN=system:node:worker-1', ['-addext', 'subjectAltName=DNS:worker-1,DNS:worker-1.local,IP:10.0.0.7,IP:fd00::1,email:a@b.c,URI:spiffe://x/y']);
    const req = parseCertificateRequestPem(pem);
    expect(req).toMatchObject({ commonName: 'system:node:worker-1', organizations: ['system:nodes', 'second'], dnsNames: ['worker-1', 'worker-1.local'], ipAddresses: ['10.0.0.7', 'fd00::1'], emailAddresses: ['a@b.c'], uris: ['spiffe://x/y'] });
    expect(req.publicKeyInfo[0]).toBe(0x30);
  });

  it('reads an RSA request without extensions', () => {
    const req = parseCertificateRequestPem(opensslRequest('/CN=alice', [], ['-newkey', 'rsa:2048']));
    expect(req).toMatchObject({ commonName: 'alice', organizations: [], dnsNames: [], ipAddresses: [] });
  });

  it.each<[string, string]>([
    ['not PEM', 'PEM block type must be CERTIFICATE REQUEST'],
    ['-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n', 'PEM block type must be CERTIFICATE REQUEST'],
    ['-----BEGIN CERTIFICATE REQUEST-----\nMAM=\n-----END CERTIFICATE REQUEST-----\n', 'truncated DER element'],
  ])('refuses %j', (pem, message) => {
    expect(() => parseCertificateRequestPem(pem)).toThrow(message);
  });
});
