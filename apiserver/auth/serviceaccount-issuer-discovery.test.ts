/**
 * Service Account Issuer Discovery through a real TLS API server with authentication and RBAC:
 * a service account reads the OpenID configuration and the key set (the bootstrap binding to
 * `system:serviceaccounts`), a token from TokenRequest verifies against the served JWKS with
 * node:crypto alone, other users (403) and anonymous callers are refused until an admin binds the role, and
 * `kubectl get --raw` reads the documents.
 */
import { createPublicKey, generateKeyPairSync, verify, type JsonWebKey } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { httpsRequest, type HttpsReply } from '../testing/https-request.ts';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { CertPair } from '../../cli/up/pki.ts';
import { installedKubectls, strictKubectlRunner } from '../../e2e/harness/kubectl.ts';
import { writeKubeconfig } from '../../pkg/client/write-kubeconfig.ts';
import { startTlsTestApiServer, type TlsTestApiServer } from '../testing/tls-test-server.ts';
import { serviceAccountTokenConfig } from './serviceaccount-keys.ts';

const ISSUER = 'https://kubernetes.default.svc.cluster.local';
// Two keys verify tokens, one signs: the key set holds both, the token names its own.
const signing = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
const retired = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey;

const OpenIdConfigSchema = z.object({
  issuer: z.string(),
  jwks_uri: z.string(),
  response_types_supported: z.array(z.string()),
  subject_types_supported: z.array(z.string()),
  id_token_signing_alg_values_supported: z.array(z.string()),
});
const JwksSchema = z.object({ keys: z.array(z.object({ use: z.literal('sig'), kty: z.string(), kid: z.string(), alg: z.string() }).passthrough()) });

let tls: TlsTestApiServer;
let ca: Buffer;
let admin: CertPair;

beforeAll(async () => {
  tls = await startTlsTestApiServer({
    tokenFile: 'bob-token,bob,2,"devs"\n',
    assemble: {
      serviceAccountTokens: serviceAccountTokenConfig({ signingKey: signing, publicKeys: [createPublicKey(signing), retired], issuers: [], apiAudiences: [] }),
      advertise: { ip: '127.0.0.1', port: 6443 },
    },
  });
  ca = readFileSync(tls.ca.cert);
  admin = await tls.clientCertificate('admin', 'kubernetes-admin', 'system:masters');
}, 60_000);

afterAll(() => tls?.stop());

function call(method: string, path: string, as: { admin?: boolean; token?: string } = {}, body?: unknown): Promise<HttpsReply> {
  const pair = as.admin ? admin : undefined;
  return httpsRequest(`${tls.url}${path}`, method, { ca, cert: pair && readFileSync(pair.cert), key: pair && readFileSync(pair.key), token: as.token, body: body || undefined });
}

async function serviceAccountToken(namespace: string, name: string): Promise<string> {
  const created = await call('POST', `/api/v1/namespaces/${namespace}/serviceaccounts`, { admin: true }, { metadata: { name } });
  expect(created.code, created.text).toBe(201);
  const reply = await call('POST', `/api/v1/namespaces/${namespace}/serviceaccounts/${name}/token`, { admin: true }, { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: {} });
  expect(reply.code, reply.text).toBe(201);
  return z.object({ status: z.object({ token: z.string() }) }).parse(JSON.parse(reply.text)).status.token;
}

/** Verifies a compact JWS with one JWK using node:crypto only (no k8ts code). */
function verifiesWith(token: string, jwk: JsonWebKey & { alg?: string }): boolean {
  const [h, p, s] = token.split('.');
  const digest = { RS256: 'sha256', ES256: 'sha256', ES384: 'sha384', ES512: 'sha512' }[jwk.alg ?? ''];
  if (!digest) return false;
  return verify(digest, Buffer.from(`${h}.${p}`), { key: createPublicKey({ key: jwk, format: 'jwk' }), dsaEncoding: 'ieee-p1363' }, Buffer.from(s, 'base64url'));
}

describe('service account issuer discovery', () => {
  let token: string;
  beforeAll(async () => {
    token = await serviceAccountToken('default', 'relying-party');
  });

  it('serves the OpenID configuration to a service account', async () => {
    const reply = await call('GET', '/.well-known/openid-configuration', { token });
    expect(reply.code, reply.text).toBe(200);
    expect(reply.headers['content-type']).toBe('application/json');
    expect(reply.headers['cache-control']).toBe('public, max-age=3600');
    expect(OpenIdConfigSchema.parse(JSON.parse(reply.text))).toEqual({
      issuer: ISSUER,
      jwks_uri: 'https://127.0.0.1:6443/openid/v1/jwks',
      response_types_supported: ['id_token'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['ES256', 'RS256'],
    });
  });

  it('serves a key set a TokenRequest token verifies against with node:crypto, chosen by its kid', async () => {
    const reply = await call('GET', '/openid/v1/jwks', { token });
    expect(reply.code, reply.text).toBe(200);
    expect(reply.headers['content-type']).toBe('application/jwk-set+json');
    expect(reply.headers['cache-control']).toBe('public, max-age=3600');
    const { keys } = JwksSchema.parse(JSON.parse(reply.text));
    expect(keys.map((k) => [k.kty, k.alg])).toEqual([['RSA', 'RS256'], ['EC', 'ES256']]);
    const header = JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString()) as { kid: string; alg: string };
    const payload = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as { iss: string };
    const named = keys.filter((k) => k.kid === header.kid);
    expect(named).toHaveLength(1);
    expect(named[0].alg).toBe(header.alg);
    expect(verifiesWith(token, named[0] as JsonWebKey)).toBe(true);
    expect(verifiesWith(token, keys[1] as JsonWebKey)).toBe(false);
    expect(payload.iss).toBe(ISSUER);
  });

  it('refuses a user who is no service account with 403, as upstream\'s default policy', async () => {
    for (const path of ['/.well-known/openid-configuration', '/openid/v1/jwks']) {
      const reply = await call('GET', path, { token: 'bob-token' });
      expect(reply.code, reply.text).toBe(403);
      expect(JSON.parse(reply.text)).toMatchObject({ kind: 'Status', reason: 'Forbidden', message: `forbidden: User "bob" cannot get path "${path}"` });
    }
  });

  it('refuses anonymous callers with 403, as upstream', async () => {
    for (const path of ['/.well-known/openid-configuration', '/openid/v1/jwks']) {
      const reply = await call('GET', path);
      expect(reply.code, reply.text).toBe(403);
      expect(JSON.parse(reply.text)).toMatchObject({ kind: 'Status', reason: 'Forbidden', message: `forbidden: User "system:anonymous" cannot get path "${path}"` });
    }
  });

  it('serves anonymous callers once an admin binds the role to system:unauthenticated (the documented opt-in)', async () => {
    const binding = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'oidc-reviewer' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:service-account-issuer-discovery' }, subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'system:unauthenticated' }] };
    const created = await call('POST', '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', { admin: true }, binding);
    expect(created.code, created.text).toBe(201);
    try {
      expect((await call('GET', '/openid/v1/jwks')).code).toBe(200);
    } finally {
      await call('DELETE', '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/oidc-reviewer', { admin: true });
    }
  });
});

const minors = installedKubectls(['1.33']);
describe.skipIf(minors.length === 0)('kubectl get --raw', () => {
  it.each(minors)('kubectl %s reads both documents as a service account', async (minor) => {
    const token = await serviceAccountToken('default', `kubectl-${minor.replace('.', '')}`);
    const kubeconfig = writeKubeconfig({ server: tls.url, certificateAuthority: tls.ca.cert, token, path: join(tls.dir, `kubeconfig-oidc-${minor}`) });
    const home = mkdtempSync(join(tls.dir, 'home-'));
    const { ok } = strictKubectlRunner(minor, () => ({ kubeconfig, home }));
    expect(OpenIdConfigSchema.parse(JSON.parse(await ok('get', '--raw', '/.well-known/openid-configuration')))).toMatchObject({ issuer: ISSUER, jwks_uri: 'https://127.0.0.1:6443/openid/v1/jwks' });
    expect(JwksSchema.parse(JSON.parse(await ok('get', '--raw', '/openid/v1/jwks'))).keys).toHaveLength(2);
  }, 60_000);
});
