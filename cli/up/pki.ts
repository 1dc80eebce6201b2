/**
 * The cluster PKI `k8ts up` generates with the system `openssl`: a CA, the API server's serving
 * certificate (SANs: kubernetes, kubernetes.default(.svc(.cluster.local)), localhost, the
 * Service IP and every node address), and client certificates whose subject carries the
 * identity Kubernetes authenticates (`CN=kubernetes-admin,O=system:masters`,
 * `CN=system:kube-controller-manager`, `CN=system:node:<name>,O=system:nodes`, …).
 * Beside them, kubeadm's service-account key pair `sa.key`/`sa.pub` (RSA 2048), which signs and
 * verifies service-account tokens. Existing files are kept, so re-running `up` never rotates
 * anything by surprise.
 */
import { execFile } from 'node:child_process';
import { generateKeyPair, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A certificate and key on disk. */
export interface CertPair {
  cert: string;
  key: string;
}

/** One certificate to issue. */
export interface CertRequest {
  /** File stem, e.g. `apiserver` → `apiserver.crt` / `apiserver.key`. */
  name: string;
  commonName: string;
  organization?: string;
  /** DNS names and IP addresses for serving certificates. */
  dnsNames?: readonly string[];
  ips?: readonly string[];
  usage: 'server' | 'client' | 'both';
}

/** The `-subj` value of a request. */
export function subject(req: Pick<CertRequest, 'commonName' | 'organization'>): string {
  return `${req.organization ? `/O=${req.organization}` : ''}/CN=${req.commonName}`;
}

/** The OpenSSL extension file content for a request. Pure. */
export function extensionConfig(req: CertRequest): string {
  const usage = { server: 'serverAuth', client: 'clientAuth', both: 'serverAuth,clientAuth' }[req.usage];
  const alt = [...(req.dnsNames ?? []).map((d) => `DNS:${d}`), ...(req.ips ?? []).map((ip) => `IP:${ip}`)];
  return ['basicConstraints=critical,CA:FALSE', 'keyUsage=critical,digitalSignature,keyEncipherment', `extendedKeyUsage=${usage}`, ...(alt.length ? [`subjectAltName=${alt.join(',')}`] : [])].join('\n') + '\n';
}

/** The service-account token key pair on disk (kubeadm's `sa.key` / `sa.pub`). */
export interface ServiceAccountKeyPair {
  /** PEM RSA private key (PKCS#1, as kubeadm writes it): `--service-account-signing-key-file`. */
  key: string;
  /** PEM public key (PKIX): `--service-account-key-file`. */
  pub: string;
}

/** Creates `sa.key`/`sa.pub` (RSA 2048, as kubeadm) in `dir` unless both are present. */
export async function ensureServiceAccountKeyPair(dir: string): Promise<ServiceAccountKeyPair> {
  const pair = { key: join(dir, 'sa.key'), pub: join(dir, 'sa.pub') };
  if (existsSync(pair.key) && existsSync(pair.pub)) return pair;
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const { privateKey, publicKey } = await promisify(generateKeyPair)('rsa', { modulusLength: 2048 });
  // The public key first, the private key last and by rename: a half-written pair is never kept.
  await writeFile(pair.pub, publicKey.export({ type: 'spki', format: 'pem' }), { mode: 0o644 });
  await writeFile(`${pair.key}.tmp`, privateKey.export({ type: 'pkcs1', format: 'pem' }), { mode: 0o600 });
  await rename(`${pair.key}.tmp`, pair.key);
  return pair;
}

/** Which CA {@link ensureCa} creates: file stem (`<name>.crt`/`<name>.key`), subject CN, validity. */
export interface CaOptions {
  name?: string;
  commonName?: string;
  validityDays?: number;
}

/** Creates a CA in `dir` unless present (default the cluster CA: `ca.crt`/`ca.key`, CN `k8ts-ca`, ten years). */
export async function ensureCa(dir: string, { name = 'ca', commonName = 'k8ts-ca', validityDays = 3650 }: CaOptions = {}): Promise<CertPair> {
  const pair = { cert: join(dir, `${name}.crt`), key: join(dir, `${name}.key`) };
  if (existsSync(pair.cert) && existsSync(pair.key)) return pair;
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await run('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', pair.key, '-out', pair.cert, '-days', String(validityDays), '-subj', `/CN=${commonName}`, '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign,digitalSignature']);
  return pair;
}

/** Issues `req` signed by the CA unless the files exist. */
export async function ensureCert(dir: string, ca: CertPair, req: CertRequest, validityDays = 365): Promise<CertPair> {
  const pair = { cert: join(dir, `${req.name}.crt`), key: join(dir, `${req.name}.key`) };
  if (existsSync(pair.cert) && existsSync(pair.key)) return pair;
  const csr = join(dir, `${req.name}.csr`);
  const ext = join(dir, `${req.name}.ext`);
  await writeFile(ext, extensionConfig(req));
  await run('openssl', ['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', pair.key, '-out', csr, '-subj', subject(req)]);
  // A random serial (as RFC 5280 recommends) rather than a shared serial file, so certificates can be issued in parallel.
  const serial = `0x${randomBytes(16).toString('hex').replace(/^./, (d) => (Number.parseInt(d, 16) & 7).toString(16))}`;
  await run('openssl', ['x509', '-req', '-in', csr, '-CA', ca.cert, '-CAkey', ca.key, '-set_serial', serial, '-out', pair.cert, '-days', String(validityDays), '-extfile', ext]);
  return pair;
}
