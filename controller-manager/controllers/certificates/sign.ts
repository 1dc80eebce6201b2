/**
 * Issuing a certificate for a request with the cluster CA through the system `openssl` (the same
 * tool `k8ts up` makes the PKI with): the subject is the request's, the SANs are the request's
 * DNS names and IPs, key usages follow client or server use. openssl checks the request's
 * self-signature and refuses a forged one. Validity is rounded up to whole days (openssl 3.0's
 * `x509 -req` has no finer setting).
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { ParsedCertificateRequest } from '../../../pkg/certificates/csr.ts';

const run = promisify(execFile);

/** The extension file of an issued certificate. Pure. */
export function issuedExtensions(req: Pick<ParsedCertificateRequest, 'dnsNames' | 'ipAddresses'>, usage: 'client' | 'server'): string {
  const alt = [...req.dnsNames.map((d) => `DNS:${d}`), ...req.ipAddresses.map((ip) => `IP:${ip}`)];
  return ['basicConstraints=critical,CA:FALSE', 'keyUsage=critical,digitalSignature,keyEncipherment', `extendedKeyUsage=${usage === 'server' ? 'serverAuth' : 'clientAuth'}`, 'authorityKeyIdentifier=keyid', ...(usage === 'server' && alt.length ? [`subjectAltName=${alt.join(',')}`] : [])].join('\n') + '\n';
}

/** Signs a PEM request; returns the certificate PEM. Rejects when openssl refuses. */
export async function signWithCa(options: { requestPem: string; parsed: ParsedCertificateRequest; usage: 'client' | 'server'; durationSeconds: number; caCertFile: string; caKeyFile: string }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'k8ts-csrsigning-'));
  try {
    await writeFile(join(dir, 'req.csr'), options.requestPem);
    await writeFile(join(dir, 'ext.cnf'), issuedExtensions(options.parsed, options.usage));
    const days = String(Math.max(1, Math.ceil(options.durationSeconds / 86_400)));
    await run('openssl', ['x509', '-req', '-in', join(dir, 'req.csr'), '-CA', options.caCertFile, '-CAkey', options.caKeyFile, '-set_serial', `0x${randomBytes(16).toString('hex')}`, '-days', days, '-extfile', join(dir, 'ext.cnf'), '-out', join(dir, 'out.crt')]);
    return await readFile(join(dir, 'out.crt'), 'utf8');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
