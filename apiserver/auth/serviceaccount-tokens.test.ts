/**
 * Service-account tokens through a real TLS API server: TokenRequest issues them, bearer requests
 * authenticate with them until their ServiceAccount or bound object goes away, TokenReview
 * answers for them, discovery lists `serviceaccounts/token`, and `kubectl create token` works.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { httpsRequest, type HttpsReply } from '../testing/https-request.ts';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CertPair } from '../../cli/up/pki.ts';
import { installedKubectls, kubectl } from '../../e2e/harness/kubectl.ts';
import { decodeJwt, keyId } from '../../pkg/auth/serviceaccount-jwt.ts';
import { legacyTokenClaims } from '../../pkg/auth/serviceaccount-claims.ts';
import { signJwt } from '../../pkg/auth/serviceaccount-jwt.ts';
import { writeKubeconfig } from '../../pkg/client/write-kubeconfig.ts';
import { startTlsTestApiServer, type TlsTestApiServer } from '../testing/tls-test-server.ts';
import { serviceAccountTokenConfig } from './serviceaccount-keys.ts';

const ISSUER = 'https://kubernetes.default.svc.cluster.local';
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });

let tls: TlsTestApiServer;
let url: string;
let ca: Buffer;
let caPath: string;
let dir: string;
let admin: CertPair;
let nodeA: CertPair;

beforeAll(async () => {
  tls = await startTlsTestApiServer({
    tokenFile: 'static-token,bob,2,"devs"\n',
    assemble: { serviceAccountTokens: serviceAccountTokenConfig({ signingKey: privateKey, publicKeys: [], issuers: [], apiAudiences: [] }) },
  });
  ({ url, dir } = tls);
  caPath = tls.ca.cert;
  ca = readFileSync(caPath);
  admin = await tls.clientCertificate('admin', 'kubernetes-admin', 'system:masters');
  nodeA = await tls.clientCertificate('node-a', 'system:node:a', 'system:nodes');
}, 60_000);

afterAll(() => tls?.stop());

function call(method: string, path: string, as: { admin?: boolean; node?: boolean; token?: string } = {}, body?: unknown): Promise<HttpsReply> {
  const pair = as.admin ? admin : as.node ? nodeA : undefined;
  return httpsRequest(`${url}${path}`, method, { ca, cert: pair && readFileSync(pair.cert), key: pair && readFileSync(pair.key), token: as.token, body: body || undefined });
}

const asAdmin = { admin: true };

async function createServiceAccount(namespace: string, name: string): Promise<string> {
  const reply = await call('POST', `/api/v1/namespaces/${namespace}/serviceaccounts`, asAdmin, { metadata: { name } });
  expect(reply.code, JSON.stringify(reply.body)).toBe(201);
  return reply.body.metadata.uid as string;
}

async function requestToken(namespace: string, name: string, spec: Record<string, unknown> = {}): Promise<HttpsReply> {
  return call('POST', `/api/v1/namespaces/${namespace}/serviceaccounts/${name}/token`, asAdmin, { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec });
}

async function whoami(token: string): Promise<HttpsReply> {
  return call('POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', { token }, { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' });
}

describe('TokenRequest', () => {
  it('issues a token the API server accepts as the service account', async () => {
    const uid = await createServiceAccount('default', 'builder');
    const before = Math.floor(Date.now() / 1000);
    const reply = await requestToken('default', 'builder');
    expect(reply.code, JSON.stringify(reply.body)).toBe(201);
    expect(reply.body).toMatchObject({
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      metadata: { name: 'builder', namespace: 'default' },
      spec: { audiences: [ISSUER], expirationSeconds: 3600 },
      status: { token: expect.any(String), expirationTimestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/) },
    });
    const token = reply.body.status.token as string;
    const decoded = decodeJwt(token)!;
    expect(decoded.header).toEqual({ alg: 'RS256', kid: keyId(privateKey) });
    expect(decoded.payload).toMatchObject({
      iss: ISSUER,
      sub: 'system:serviceaccount:default:builder',
      aud: [ISSUER],
      jti: expect.stringMatching(/^[0-9a-f-]{36}$/),
      'kubernetes.io': { namespace: 'default', serviceaccount: { name: 'builder', uid } },
    });
    expect((decoded.payload.exp as number) - (decoded.payload.iat as number)).toBe(3600);
    expect(decoded.payload.iat).toBeGreaterThanOrEqual(before - 1);
    expect(Date.parse(reply.body.status.expirationTimestamp) / 1000).toBe(decoded.payload.exp);

    const me = await whoami(token);
    expect(me.code, JSON.stringify(me.body)).toBe(201);
    expect(me.body.status.userInfo).toEqual({
      username: 'system:serviceaccount:default:builder',
      uid,
      groups: ['system:serviceaccounts', 'system:serviceaccounts:default', 'system:authenticated'],
      extra: { 'authentication.kubernetes.io/credential-id': [`JTI=${decoded.payload.jti}`] },
    });
    // Authenticated but without grants (no RBAC objects yet): 403 as the service account, not 401.
    const pods = await call('GET', '/api/v1/namespaces/default/pods', { token });
    expect(pods.code).toBe(403);
    expect(pods.body.message).toContain('User "system:serviceaccount:default:builder" cannot list resource "pods"');

    await call('DELETE', '/api/v1/namespaces/default/serviceaccounts/builder', asAdmin);
    expect((await whoami(token)).code).toBe(401);
    // A new ServiceAccount of the same name has another uid: the old token stays dead.
    await createServiceAccount('default', 'builder');
    expect((await whoami(token)).code).toBe(401);
  });

  it('binds a token to a pod: the pod is in extra, deleting it revokes the token', async () => {
    await createServiceAccount('default', 'runner');
    const pod = await call('POST', '/api/v1/namespaces/default/pods', asAdmin, { metadata: { name: 'job' }, spec: { serviceAccountName: 'runner', containers: [{ name: 'c', image: 'busybox' }] } });
    expect(pod.code, JSON.stringify(pod.body)).toBe(201);
    const podUid = pod.body.metadata.uid as string;
    const reply = await requestToken('default', 'runner', { boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'job', uid: podUid }, expirationSeconds: 600 });
    expect(reply.code, JSON.stringify(reply.body)).toBe(201);
    const token = reply.body.status.token as string;
    expect(decodeJwt(token)!.payload['kubernetes.io']).toMatchObject({ pod: { name: 'job', uid: podUid } });
    const me = await whoami(token);
    expect(me.body.status.userInfo.extra).toMatchObject({ 'authentication.kubernetes.io/pod-name': ['job'], 'authentication.kubernetes.io/pod-uid': [podUid] });

    await call('DELETE', '/api/v1/namespaces/default/pods/job?gracePeriodSeconds=0', asAdmin);
    expect((await call('GET', '/api/v1/namespaces/default/pods/job', asAdmin)).code).toBe(404);
    expect((await whoami(token)).code).toBe(401);
  });

  it('gives a node tokens only bound to its own pods (Node authorizer, then NodeRestriction)', async () => {
    await createServiceAccount('default', 'agent');
    const pod = async (name: string, nodeName: string) => {
      const created = await call('POST', '/api/v1/namespaces/default/pods', asAdmin, { metadata: { name }, spec: { serviceAccountName: 'agent', nodeName, containers: [{ name: 'c', image: 'busybox' }] } });
      expect(created.code, JSON.stringify(created.body)).toBe(201);
      return created.body.metadata.uid as string;
    };
    const onA = await pod('agent-a', 'a');
    const onB = await pod('agent-b', 'b');
    const asNode = (spec: Record<string, unknown>) => call('POST', '/api/v1/namespaces/default/serviceaccounts/agent/token', { node: true }, { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec });
    const own = await asNode({ boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'agent-a', uid: onA } });
    expect(own.code, JSON.stringify(own.body)).toBe(201);
    const other = await asNode({ boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'agent-b', uid: onB } });
    expect([other.code, other.body.message]).toEqual([403, 'serviceaccounts "agent" is forbidden: node requested token bound to a pod scheduled on a different node']);
    const unbound = await asNode({});
    expect([unbound.code, unbound.body.message]).toEqual([403, 'serviceaccounts "agent" is forbidden: node requested token not bound to a pod']);
    const foreign = await call('POST', '/api/v1/namespaces/default/serviceaccounts/builder/token', { node: true }, { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: {} });
    expect(foreign.code).toBe(403);
  });

  it('refuses bad requests with upstream codes and messages', async () => {
    await createServiceAccount('default', 'checker');
    const short = await requestToken('default', 'checker', { expirationSeconds: 60 });
    expect(short.code).toBe(422);
    expect(short.body.message).toBe('TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes');
    const long = await requestToken('default', 'checker', { expirationSeconds: 2 ** 32 + 1 });
    expect(long.body.message).toContain('may not specify a duration larger than 2^32 seconds');
    const unknown = await requestToken('default', 'nobody');
    expect([unknown.code, unknown.body.message]).toEqual([404, 'serviceaccounts "nobody" not found']);
    const noPod = await requestToken('default', 'checker', { boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'ghost' } });
    expect([noPod.code, noPod.body.message]).toEqual([404, 'pods "ghost" not found']);
    const badKind = await requestToken('default', 'checker', { boundObjectRef: { kind: 'ConfigMap', apiVersion: 'v1', name: 'x' } });
    expect([badKind.code, badKind.body.message]).toEqual([400, 'cannot bind token to object of type /v1, Kind=ConfigMap']);
    const secret = await call('POST', '/api/v1/namespaces/default/secrets', asAdmin, { metadata: { name: 's' } });
    const wrongUid = await requestToken('default', 'checker', { boundObjectRef: { kind: 'Secret', apiVersion: 'v1', name: 's', uid: 'not-it' } });
    expect(wrongUid.code).toBe(409);
    expect(wrongUid.body.message).toBe(
      'Operation cannot be fulfilled on Secret "s": the UID in the bound object reference (not-it) does not match the UID in record. The object might have been deleted and then recreated',
    );
    const bound = await requestToken('default', 'checker', { boundObjectRef: { kind: 'Secret', apiVersion: 'v1', name: 's', uid: secret.body.metadata.uid } });
    expect(bound.code).toBe(201);
    const otherSa = await call('POST', '/api/v1/namespaces/default/pods', asAdmin, { metadata: { name: 'other' }, spec: { serviceAccountName: 'someone', containers: [{ name: 'c', image: 'busybox' }] } });
    expect(otherSa.code).toBe(201);
    const mismatch = await requestToken('default', 'checker', { boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'other' } });
    expect([mismatch.code, mismatch.body.message]).toEqual([400, 'cannot bind token for serviceaccount "checker" to pod running with different serviceaccount name.']);
    const nameMismatch = await call('POST', '/api/v1/namespaces/default/serviceaccounts/checker/token', asAdmin, { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', metadata: { name: 'other' } });
    expect(nameMismatch.code).toBe(422);
    expect(nameMismatch.body.message).toContain('metadata.name: Invalid value: "other": must match the service account name if specified');
  });

  it('refuses tokens for other audiences and tampered tokens with 401', async () => {
    await createServiceAccount('default', 'aud');
    const vault = await requestToken('default', 'aud', { audiences: ['vault'] });
    expect(vault.code).toBe(201);
    expect((await whoami(vault.body.status.token)).code).toBe(401);
    const good = (await requestToken('default', 'aud')).body.status.token as string;
    const [h, p, s] = good.split('.');
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString());
    const tampered = `${h}.${Buffer.from(JSON.stringify({ ...payload, sub: 'system:serviceaccount:kube-system:admin' })).toString('base64url')}.${s}`;
    expect((await whoami(tampered)).code).toBe(401);
    expect((await whoami(good)).code).toBe(201);
  });

  it('accepts legacy Secret tokens while the Secret holds them', async () => {
    const uid = await createServiceAccount('default', 'legacy');
    const token = signJwt(legacyTokenClaims({ namespace: 'default', name: 'legacy', uid }, 'legacy-token'), privateKey);
    expect((await whoami(token)).code).toBe(401);
    const secret = await call('POST', '/api/v1/namespaces/default/secrets', asAdmin, {
      metadata: { name: 'legacy-token', annotations: { 'kubernetes.io/service-account.name': 'legacy' } },
      data: { token: Buffer.from(token).toString('base64') },
    });
    expect(secret.code, JSON.stringify(secret.body)).toBe(201);
    const me = await whoami(token);
    expect(me.code).toBe(201);
    expect(me.body.status.userInfo).toEqual({ username: 'system:serviceaccount:default:legacy', uid, groups: ['system:serviceaccounts', 'system:serviceaccounts:default', 'system:authenticated'] });
    await call('DELETE', '/api/v1/namespaces/default/secrets/legacy-token', asAdmin);
    expect((await whoami(token)).code).toBe(401);
  });
});

describe('TokenReview', () => {
  const review = (spec: Record<string, unknown>) => call('POST', '/apis/authentication.k8s.io/v1/tokenreviews', asAdmin, { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec });

  it('answers for service-account, static and bad tokens', async () => {
    const uid = await createServiceAccount('default', 'reviewed');
    const token = (await requestToken('default', 'reviewed')).body.status.token as string;
    const ok = await review({ token });
    expect(ok.code).toBe(201);
    expect(ok.body.status).toMatchObject({
      authenticated: true,
      user: { username: 'system:serviceaccount:default:reviewed', uid, groups: ['system:serviceaccounts', 'system:serviceaccounts:default', 'system:authenticated'] },
      audiences: [ISSUER],
    });
    expect((await review({ token: 'static-token' })).body.status).toEqual({ authenticated: true, user: { username: 'bob', uid: '2', groups: ['devs', 'system:authenticated'] }, audiences: [ISSUER] });
    expect((await review({ token: 'static-token', audiences: ['vault'] })).body.status).toEqual({ authenticated: false, error: 'invalid bearer token' });
    expect((await review({ token: 'nope' })).body.status).toEqual({ authenticated: false, error: 'invalid bearer token' });
    const vault = (await requestToken('default', 'reviewed', { audiences: ['vault'] })).body.status.token as string;
    expect((await review({ token: vault, audiences: ['vault'] })).body.status).toMatchObject({ authenticated: true, audiences: ['vault'] });
    expect((await review({ token: vault })).body.status).toEqual({ authenticated: false, error: `token audiences ["vault"] is invalid for the target audiences ["${ISSUER}"]` });
    await call('DELETE', '/api/v1/namespaces/default/serviceaccounts/reviewed', asAdmin);
    expect((await review({ token })).body.status).toEqual({ authenticated: false, error: 'serviceaccounts "reviewed" not found' });
  });

  it('needs a token (400 as upstream) and the create tokenreviews permission', async () => {
    const empty = await review({});
    expect([empty.code, empty.body.message]).toEqual([400, 'token is required for TokenReview in authentication']);
    const denied = await call('POST', '/apis/authentication.k8s.io/v1/tokenreviews', { token: 'static-token' }, { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token: 'x' } });
    expect(denied.code).toBe(403);
  });
});

describe('discovery', () => {
  it('lists serviceaccounts/token as upstream', async () => {
    const list = await call('GET', '/api/v1', asAdmin);
    expect(list.body.resources.find((r: { name: string }) => r.name === 'serviceaccounts/token')).toEqual({
      name: 'serviceaccounts/token',
      singularName: '',
      namespaced: true,
      group: 'authentication.k8s.io',
      version: 'v1',
      kind: 'TokenRequest',
      verbs: ['create'],
    });
    const groups = await call('GET', '/apis/authentication.k8s.io/v1', asAdmin);
    expect(groups.body.resources.map((r: { name: string }) => r.name)).toContain('tokenreviews');
  });
});

const minors = installedKubectls(['1.27', '1.33']);
describe.skipIf(minors.length === 0)('kubectl create token', () => {
  it.each(minors)('kubectl %s: the token authenticates as the service account', async (minor) => {
    await createServiceAccount('default', `k${minor.replace('.', '')}`).catch(() => undefined);
    const kubeconfig = writeKubeconfig({ server: url, certificateAuthority: caPath, clientCertificate: admin.cert, clientKey: admin.key, path: join(dir, `kubeconfig-${minor}`) });
    const home = mkdtempSync(join(dir, 'home-'));
    const out = await kubectl(minor, ['create', 'token', `k${minor.replace('.', '')}`, '--duration', '20m'], { kubeconfig, home });
    expect(out.code, out.stderr).toBe(0);
    const token = out.stdout.trim();
    const decoded = decodeJwt(token)!;
    expect((decoded.payload.exp as number) - (decoded.payload.iat as number)).toBe(1200);
    const me = await whoami(token);
    expect(me.body.status.userInfo.username).toBe(`system:serviceaccount:default:k${minor.replace('.', '')}`);
    // And kubectl itself with that token: `auth whoami` (1.27 asks v1beta1, 1.28+ v1).
    const tokenConfig = writeKubeconfig({ server: url, certificateAuthority: caPath, token, path: join(dir, `kubeconfig-token-${minor}`) });
    const who = await kubectl(minor, ['auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}'], { kubeconfig: tokenConfig, home });
    expect([who.code, who.stdout.trim()], who.stderr).toEqual([0, `system:serviceaccount:default:k${minor.replace('.', '')}`]);
  }, 60_000);
});
