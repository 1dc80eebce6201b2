/**
 * A joining node's certificates, obtained as the kubelet's TLS bootstrap does: a new EC key and a
 * PKCS#10 request (system `openssl`), a CertificateSigningRequest for a signer, then the
 * certificate once the controller-manager approved and signed it.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import type { CertificateSigningRequest } from '../../pkg/api/certificates/v1/certificatesigningrequest.ts';
import { BUILTIN_COORDINATES as C, type Client } from '../../pkg/client/index.ts';

const run = promisify(execFile);

/** The `-subj` and SAN extension of a node's request. Pure. */
export function nodeRequestArgs(nodeName: string, sans?: { dnsNames: readonly string[]; ips: readonly string[] }): string[] {
  const args = ['-subj', `/O=system:nodes/CN=system:node:${nodeName}`];
  const alt = sans ? [...sans.dnsNames.map((d) => `DNS:${d}`), ...sans.ips.map((ip) => `IP:${ip}`)] : [];
  if (alt.length) args.push('-addext', `subjectAltName=${alt.join(',')}`);
  return args;
}

/** Creates `keyFile` (EC P-256) unless present and returns a PEM request for it. */
export async function keyAndRequest(keyFile: string, nodeName: string, sans?: { dnsNames: readonly string[]; ips: readonly string[] }): Promise<string> {
  if (!existsSync(keyFile)) {
    await run('openssl', ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-out', keyFile]);
  }
  const { stdout } = await run('openssl', ['req', '-new', '-key', keyFile, ...nodeRequestArgs(nodeName, sans)]);
  return stdout;
}

/** A certificate request that was denied or failed, with the condition's reason and message. */
export class CertificateRefusedError extends Error {}

/**
 * Creates a CSR (`node-csr-<random>`) for `signerName` and waits for its certificate; writes the
 * PEM (certificate, then chain) to `certFile`. Throws {@link CertificateRefusedError} when the
 * request is Denied or Failed, an Error on timeout.
 */
export async function requestCertificate(client: Client, options: { requestPem: string; signerName: string; usages: string[]; certFile: string; timeoutMs?: number }): Promise<void> {
  const csrs = client.resource<CertificateSigningRequest>(C.certificateSigningRequests);
  const name = `node-csr-${randomBytes(8).toString('hex')}`;
  await csrs.create({ apiVersion: 'certificates.k8s.io/v1', kind: 'CertificateSigningRequest', metadata: { name }, spec: { request: Buffer.from(options.requestPem).toString('base64'), signerName: options.signerName, usages: options.usages } } as CertificateSigningRequest);
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (;;) {
    const csr = await csrs.get(name);
    const refused = csr.status?.conditions?.find((c) => c.type === 'Denied' || c.type === 'Failed');
    if (refused) throw new CertificateRefusedError(`certificate signing request ${name} ${refused.type === 'Denied' ? 'was denied' : 'failed'}: ${refused.reason ?? ''} ${refused.message ?? ''}`.trim());
    if (csr.status?.certificate) {
      await writeFile(options.certFile, Buffer.from(csr.status.certificate, 'base64'));
      return;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for certificate signing request ${name} (${options.signerName}) to be approved and signed; is the controller-manager running with --cluster-signing-cert-file?`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Whether a PEM file exists and holds a certificate that is still valid for an hour. */
export async function usableCertificate(certFile: string): Promise<boolean> {
  if (!existsSync(certFile)) return false;
  const { X509Certificate } = await import('node:crypto');
  try {
    return Date.parse(new X509Certificate(await readFile(certFile)).validTo) > Date.now() + 3_600_000;
  } catch {
    return false;
  }
}
