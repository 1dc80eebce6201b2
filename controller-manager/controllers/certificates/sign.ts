/**
 * Issuing a certificate for a request with the cluster CA through the system `openssl` (the same
 * tool `k8ts up` makes the PKI with; `openssl ca`, which takes exact start and end dates): the
 * subject is the request's, the SANs are the request's DNS names and IPs, key usages follow
 * client or server use. openssl checks the request's self-signature and refuses a forged one.
 * Validity follows upstream's signing policy ({@link certificateValidity}).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { ParsedCertificateRequest } from '../../../pkg/certificates/csr.ts';

const run = promisify(execFile);

/** Upstream's `Backdate`: certificates start this long before signing, for skewed clocks. */
const BACKDATE_MS = 5 * 60_000;
/** Upstream's `Short`: lifetimes below this end at their full length (no backdated end). */
const SHORT_MS = 8 * 3_600_000;

/**
 * Upstream `PermissiveSigningPolicy`: NotBefore is `now − 5m`; NotAfter is `now + duration`,
 * minus the 5 minutes for lifetimes of 8 hours or more, and never after the CA's own end. Pure.
 */
export function certificateValidity(nowMs: number, durationSeconds: number, caNotAfterMs: number): { notBefore: Date; notAfter: Date } {
  const ttl = durationSeconds * 1000;
  const end = nowMs + ttl - (ttl < SHORT_MS ? 0 : BACKDATE_MS);
  return { notBefore: new Date(nowMs - BACKDATE_MS), notAfter: new Date(Math.min(end, caNotAfterMs)) };
}

/** `openssl ca`'s date form: UTCTime `YYMMDDHHMMSSZ` before 2050, GeneralizedTime after. Pure. */
export function opensslDate(date: Date): string {
  const iso = date.toISOString().replace(/[-:T]/g, '').replace(/\.\d+Z$/, 'Z');
  return date.getUTCFullYear() < 2050 ? iso.slice(2) : iso;
}

/** The extension file of an issued certificate. Pure. */
export function issuedExtensions(req: Pick<ParsedCertificateRequest, 'dnsNames' | 'ipAddresses'>, usage: 'client' | 'server'): string {
  const alt = [...req.dnsNames.map((d) => `DNS:${d}`), ...req.ipAddresses.map((ip) => `IP:${ip}`)];
  return ['basicConstraints=critical,CA:FALSE', 'keyUsage=critical,digitalSignature,keyEncipherment', `extendedKeyUsage=${usage === 'server' ? 'serverAuth' : 'clientAuth'}`, 'authorityKeyIdentifier=keyid', ...(usage === 'server' && alt.length ? [`subjectAltName=${alt.join(',')}`] : [])].join('\n') + '\n';
}

/** A throwaway `openssl ca` configuration: its database in the work directory, any subject taken as requested. */
const CA_CONFIG = ['[ca]', 'default_ca = signer', '[signer]', 'database = index.txt', 'serial = serial', 'new_certs_dir = .', 'default_md = sha256', 'policy = any', 'unique_subject = no', '[any]', ''].join('\n');

/** Signs a PEM request valid from `notBefore` to `notAfter`; returns the certificate PEM. Rejects when openssl refuses. */
export async function signWithCa(options: { requestPem: string; parsed: ParsedCertificateRequest; usage: 'client' | 'server'; notBefore: Date; notAfter: Date; caCertFile: string; caKeyFile: string }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'k8ts-csrsigning-'));
  try {
    await writeFile(join(dir, 'req.csr'), options.requestPem);
    await writeFile(join(dir, 'ext.cnf'), issuedExtensions(options.parsed, options.usage));
    await writeFile(join(dir, 'ca.cnf'), CA_CONFIG);
    await writeFile(join(dir, 'index.txt'), '');
    const args = ['ca', '-batch', '-config', 'ca.cnf', '-in', 'req.csr', '-cert', options.caCertFile, '-keyfile', options.caKeyFile, '-startdate', opensslDate(options.notBefore), '-enddate', opensslDate(options.notAfter), '-extfile', 'ext.cnf', '-preserveDN', '-notext', '-rand_serial', '-out', 'out.crt'];
    await run('openssl', args, { cwd: dir });
    return await readFile(join(dir, 'out.crt'), 'utf8');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
