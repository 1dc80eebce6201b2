/**
 * Request-header (front proxy) authentication on the API server's TLS listener: a certificate of
 * the front-proxy CA with an allowed CN vouches for the user in `X-Remote-User` / `X-Remote-Group`
 * / `X-Remote-Extra-*`; any other certificate or a missing username header vouches for nobody,
 * and the headers mean nothing on a request without the front proxy's certificate.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBuiltinRegistry } from '../../pkg/api/builtin.ts';
import { MemoryStorage } from '../../pkg/storage/index.ts';
import { ensureCa, ensureCert, type CertPair } from '../../cli/up/pki.ts';
import { createApiServer, type ApiServer } from '../server.ts';
import { httpsRequest, type HttpsReply } from '../testing/https-request.ts';

let dir: string;
let server: ApiServer;
let url: string;
let serverCa: Buffer;
const certs: Record<string, CertPair> = {};

const HEADERS = { 'X-Remote-User': 'alice', 'X-Remote-Group': ['team-a', 'team-b'], 'X-Remote-Extra-Scopes': ['read', 'write'], 'X-Remote-Extra-Acme.com%2Fproject': 'p1' };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'k8ts-requestheader-'));
  const ca = await ensureCa(dir);
  const frontCa = await ensureCa(dir, { name: 'front-proxy-ca', commonName: 'front-proxy-ca' });
  const serving = await ensureCert(dir, ca, { name: 'apiserver', commonName: 'kube-apiserver', ips: ['127.0.0.1'], usage: 'server' });
  certs.proxy = await ensureCert(dir, frontCa, { name: 'front-proxy-client', commonName: 'front-proxy-client', usage: 'client' });
  certs.otherProxy = await ensureCert(dir, frontCa, { name: 'other-proxy', commonName: 'other-proxy', usage: 'client' });
  certs.admin = await ensureCert(dir, ca, { name: 'admin', commonName: 'kubernetes-admin', organization: 'system:masters', usage: 'client' });
  // A front proxy's CN signed by the cluster CA: a user certificate, not a front proxy.
  certs.proxyNamedUser = await ensureCert(dir, ca, { name: 'proxy-named-user', commonName: 'front-proxy-client', usage: 'client' });
  serverCa = readFileSync(ca.cert);
  const clientCa = readFileSync(ca.cert, 'utf8');
  const frontProxyCa = readFileSync(frontCa.cert, 'utf8');
  server = await createApiServer({
    storage: new MemoryStorage(),
    registry: createBuiltinRegistry(),
    auth: {
      frontProxy: {
        clientCa,
        settings: { clientCa: frontProxyCa, allowedNames: ['front-proxy-client'], usernameHeaders: ['X-Remote-User'], groupHeaders: ['X-Remote-Group'], extraHeaderPrefixes: ['X-Remote-Extra-'] },
      },
    },
  });
  url = await server.listen({ host: '127.0.0.1', port: 0, tls: { cert: readFileSync(serving.cert), key: readFileSync(serving.key), ca: [clientCa, frontProxyCa], requestCert: true, rejectUnauthorized: false } });
}, 60_000);

afterAll(async () => {
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function whoAmI(as: string | undefined, headers: Record<string, string | string[]> = HEADERS): Promise<HttpsReply> {
  const pair = as ? certs[as] : undefined;
  return httpsRequest(`${url}/apis/authentication.k8s.io/v1/selfsubjectreviews`, 'POST', {
    ca: serverCa,
    ...(pair ? { cert: readFileSync(pair.cert), key: readFileSync(pair.key) } : {}),
    headers,
    body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
  });
}

describe('request-header authentication', () => {
  it('takes the user, groups and extras from the headers of an allowed front proxy', async () => {
    const reply = await whoAmI('proxy');
    expect(reply.code).toBe(201);
    expect(reply.body.status.userInfo).toEqual({ username: 'alice', groups: ['team-a', 'team-b', 'system:authenticated'], extra: { scopes: ['read', 'write'], 'acme.com/project': ['p1'] } });
  });

  it('refuses a front proxy without a username header, or whose CN is not allowed (401)', async () => {
    expect((await whoAmI('proxy', { 'X-Remote-Group': 'system:masters' })).code).toBe(401);
    expect((await whoAmI('otherProxy')).code).toBe(401);
  });

  it('ignores the headers of any other caller: a user certificate names its own user, none is anonymous', async () => {
    expect((await whoAmI('admin')).body.status.userInfo).toMatchObject({ username: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] });
    expect((await whoAmI('proxyNamedUser')).body.status.userInfo).toMatchObject({ username: 'front-proxy-client' });
    const anonymous = await whoAmI(undefined);
    expect(anonymous.code).toBe(403);
    expect(anonymous.body.message).toContain('User "system:anonymous" cannot create resource "selfsubjectreviews"');
  });

  it('does not take the front proxy\'s certificate for a user certificate', async () => {
    // Without headers the front proxy's certificate names nobody: x509 does not accept its CA.
    const reply = await whoAmI('proxy', {});
    expect(reply.code).toBe(401);
  });
});
