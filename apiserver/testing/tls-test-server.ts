/**
 * The whole API server as `k8ts apiserver` assembles it (bootstrap objects, admission, RBAC),
 * on memory storage, for tests: {@link assembleTestApiServer} builds it with test defaults, and
 * {@link startTlsTestApiServer} also listens on 127.0.0.1 over TLS with a throw-away CA, so
 * authentication (client certificates, bearer tokens) and authorization apply as in a cluster.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { ensureCa, ensureCert, type CertPair } from '../../cli/up/pki.ts';
import { createBuiltinRegistry } from '../../pkg/api/builtin.ts';
import { MemoryStorage } from '../../pkg/storage/index.ts';
import { assembleApiServer, type AssembleOptions } from '../assemble.ts';
import { readTokenFile } from '../auth/flags.ts';
import type { ApiServer } from '../server.ts';

/** Builds the assembled server on fresh memory storage; `overrides` replace the test defaults. */
export function assembleTestApiServer(overrides: Partial<AssembleOptions> = {}): Promise<ApiServer> {
  return assembleApiServer({
    storage: new MemoryStorage(),
    registry: createBuiltinRegistry(),
    logger: pino({ level: 'silent' }),
    serviceClusterIpRange: '10.96.0.0/24',
    serviceNodePortRange: '30000-32767',
    advertise: { ip: '127.0.0.1', port: 6443 },
    ...overrides,
  });
}

/** A listening TLS test server; `stop()` closes it and removes its files. */
export interface TlsTestApiServer {
  server: ApiServer;
  /** `https://127.0.0.1:<port>`. */
  url: string;
  /** Where the CA, certificates and token file live. */
  dir: string;
  /** The CA's certificate and key files. */
  ca: CertPair;
  /** A client certificate of the CA (user = `commonName`, groups = `organization`). */
  clientCertificate(name: string, commonName: string, organization?: string): Promise<CertPair>;
  stop(): Promise<void>;
}

/** Options of {@link startTlsTestApiServer}. */
export interface TlsTestApiServerOptions {
  /** Lines of a `--token-auth-file` (`token,user,uid,"group1,group2"`). */
  tokenFile?: string;
  /** Passed to {@link assembleTestApiServer} (`auth.tokens` comes from `tokenFile`). */
  assemble?: Partial<AssembleOptions>;
}

/** Starts the assembled server on a TLS listener that asks for (but does not require) client certificates. */
export async function startTlsTestApiServer(options: TlsTestApiServerOptions = {}): Promise<TlsTestApiServer> {
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-tls-api-'));
  try {
    const ca = await ensureCa(dir);
    const serving = await ensureCert(dir, ca, { name: 'apiserver', commonName: 'kube-apiserver', ips: ['127.0.0.1'], usage: 'server' });
    writeFileSync(join(dir, 'tokens.csv'), options.tokenFile ?? '');
    const storage = new MemoryStorage();
    const server = await assembleTestApiServer({ storage, auth: { tokens: readTokenFile(join(dir, 'tokens.csv')) }, ...options.assemble });
    const url = await server.listen({ host: '127.0.0.1', port: 0, tls: { cert: readFileSync(serving.cert), key: readFileSync(serving.key), ca: readFileSync(ca.cert), requestCert: true, rejectUnauthorized: false } });
    return {
      server,
      url,
      dir,
      ca,
      // One at a time per test: openssl's serial file does not tolerate concurrent signing.
      clientCertificate: (name, commonName, organization) => ensureCert(dir, ca, { name, commonName, ...(organization ? { organization } : {}), usage: 'client' }),
      async stop() {
        await server.close();
        await storage.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}
