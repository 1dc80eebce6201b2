/**
 * The API server's TLS listener with authentication and authorization on: a throw-away CA and
 * client certificates (openssl, via `k8ts up`'s PKI helpers) for the identities `k8ts up` uses.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { httpsRequest, type HttpsReply } from '../testing/https-request.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBuiltinRegistry } from '../../pkg/api/builtin.ts';
import { MemoryStorage } from '../../pkg/storage/index.ts';
import { ensureCa, ensureCert, type CertPair } from '../../cli/up/pki.ts';
import { createApiServer, type ApiServer } from '../server.ts';
import { readTokenFile } from './flags.ts';
import { clusterInfoConfigMap } from '../../pkg/bootstrap/cluster-info.ts';
import { bootstrapTokenSecret, DEFAULT_NODE_TOKEN_GROUP } from '../../pkg/bootstrap/token.ts';
import { writeKubeconfig } from '../../pkg/client/write-kubeconfig.ts';
import pino from 'pino';
import { assembleApiServer } from '../assemble.ts';
import { ALL_KUBECTL_MINORS, installedKubectls, kubectl } from '../../e2e/harness/kubectl.ts';
import { createClient, type Client } from '../../pkg/client/index.ts';
import { startStubKubeletApi, type StubKubeletApi } from '../../kubelet/testing/stub-kubelet-api.ts';
import { sendAccessReviewsTo, webhookAuthorizer } from '../../kubelet/server/webhook-authorizer.ts';

let dir: string;
let server: ApiServer;
let storage: MemoryStorage;
let url: string;
let ca: Buffer;
let caPath: string;
let serving: CertPair;
let caPair: CertPair;
const certs: Record<string, CertPair> = {};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'k8ts-auth-'));
  caPair = await ensureCa(dir);
  caPath = caPair.cert;
  ca = readFileSync(caPath);
  serving = await ensureCert(dir, caPair, { name: 'apiserver', commonName: 'kube-apiserver', ips: ['127.0.0.1'], usage: 'server' });
  const identities = [
    { name: 'admin', commonName: 'kubernetes-admin', organization: 'system:masters' },
    { name: 'node-a', commonName: 'system:node:a', organization: 'system:nodes' },
    { name: 'scheduler', commonName: 'system:kube-scheduler' },
  ];
  // One at a time: openssl's -CAcreateserial serial file does not tolerate concurrent signing.
  for (const id of identities) certs[id.name] = await ensureCert(dir, caPair, { ...id, usage: 'client' });
  // A certificate from another CA: presented but not verifiable.
  const rogueCa = await ensureCa(join(dir, 'rogue'));
  certs.rogue = await ensureCert(join(dir, 'rogue'), rogueCa, { name: 'rogue', commonName: 'kubernetes-admin', organization: 'system:masters', usage: 'client' });
  writeFileSync(join(dir, 'tokens.csv'), 'admin-token,token-admin,1,"system:masters"\nplain-token,bob,2\n');
  storage = new MemoryStorage();
  server = await createApiServer({ storage, registry: createBuiltinRegistry(), auth: { tokens: readTokenFile(join(dir, 'tokens.csv')) } });
  url = await server.listen({
    host: '127.0.0.1',
    port: 0,
    tls: { cert: readFileSync(serving.cert), key: readFileSync(serving.key), ca, requestCert: true, rejectUnauthorized: false },
  });
}, 60_000);

afterAll(async () => {
  await server?.close();
  await storage?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function call(method: string, path: string, as: { cert?: string; token?: string } = {}, body?: unknown, contentType = 'application/json'): Promise<HttpsReply> {
  const pair = as.cert ? certs[as.cert] : undefined;
  return httpsRequest(`${url}${path}`, method, { ca, cert: pair && readFileSync(pair.cert), key: pair && readFileSync(pair.key), token: as.token, body: body || undefined, contentType });
}


describe('authentication', () => {
  it('refuses anonymous requests as system:anonymous with 403 except on the public-info paths, as upstream', async () => {
    const pods = await call('GET', '/api/v1/pods');
    expect({ code: pods.code, body: pods.body }).toEqual({
      code: 403,
      body: {
        kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'Forbidden', code: 403, details: { kind: 'pods' },
        message: 'pods is forbidden: User "system:anonymous" cannot list resource "pods" in API group "" at the cluster scope',
      },
    });
    expect(await call('GET', '/')).toMatchObject({ code: 403, body: { message: 'forbidden: User "system:anonymous" cannot get path "/"' } });
    expect(await call('GET', '/no/such/path')).toMatchObject({ code: 403 });
    expect((await call('GET', '/healthz')).code).toBe(200);
    expect((await call('GET', '/readyz')).code).toBe(200);
    expect((await call('GET', '/version')).code).toBe(200);
    // A single check is system:monitoring's to read, as upstream's public-info-viewer lists the endpoints only.
    expect(await call('GET', '/readyz/etcd')).toMatchObject({ code: 403, body: { message: 'forbidden: User "system:anonymous" cannot get path "/readyz/etcd"' } });
  });

  it('accepts the admin certificate and a bearer token from the token file', async () => {
    expect((await call('GET', '/api/v1/pods', { cert: 'admin' })).code).toBe(200);
    expect((await call('GET', '/api/v1/pods', { token: 'admin-token' })).code).toBe(200);
  });

  it('refuses a bad token and a certificate from another CA with 401', async () => {
    const refused = await call('GET', '/api/v1/pods', { token: 'wrong' });
    // Audit-Id is answered before authentication, as upstream's outermost WithAuditInit (no audit policy here).
    expect({ code: refused.code, auditId: refused.headers['audit-id'] }).toEqual({ code: 401, auditId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect((await call('GET', '/healthz', { token: 'wrong' })).code).toBe(401);
    expect((await call('GET', '/api/v1/pods', { cert: 'rogue' })).code).toBe(401);
  });

  it('authorizes an authenticated user without grants only for discovery', async () => {
    // Discovery is allowed (this bare server serves none, hence 404 rather than 403); /metrics is not.
    expect((await call('GET', '/api', { token: 'plain-token' })).code).toBe(404);
    expect(await call('GET', '/metrics', { token: 'plain-token' })).toMatchObject({ code: 403, body: { message: 'forbidden: User "bob" cannot get path "/metrics"' } });
    const denied = await call('GET', '/api/v1/namespaces/default/pods', { token: 'plain-token' });
    expect(denied).toMatchObject({ code: 403, body: { reason: 'Forbidden', message: 'pods is forbidden: User "bob" cannot list resource "pods" in API group "" in the namespace "default"' } });
  });
});

describe('authorization of the components k8ts up starts', () => {
  const node = (name: string) => ({ apiVersion: 'v1', kind: 'Node', metadata: { name } });
  const merge = 'application/merge-patch+json';

  it('lets node a patch its own status, not node b\'s (NodeRestriction), nor read node b (Node authorizer)', async () => {
    expect((await call('POST', '/api/v1/nodes', { cert: 'admin' }, node('a'))).code).toBe(201);
    expect((await call('POST', '/api/v1/nodes', { cert: 'admin' }, node('b'))).code).toBe(201);
    const own = await call('PATCH', '/api/v1/nodes/a/status', { cert: 'node-a' }, { status: { phase: 'Running' } }, merge);
    expect(own.code).toBe(200);
    const other = await call('PATCH', '/api/v1/nodes/b/status', { cert: 'node-a' }, { status: { phase: 'Running' } }, merge);
    expect(other).toMatchObject({ code: 403, body: { kind: 'Status', reason: 'Forbidden', code: 403, message: 'nodes "b" is forbidden: node "a" is not allowed to modify node "b"', details: { name: 'b', kind: 'nodes' } } });
    const read = await call('GET', '/api/v1/nodes/b', { cert: 'node-a' });
    expect(read).toMatchObject({ code: 403, body: { message: 'nodes "b" is forbidden: User "system:node:a" cannot get resource "nodes" in API group "" at the cluster scope: node \'a\' cannot read \'b\', only its own Node object' } });
    expect((await call('GET', '/api/v1/pods?fieldSelector=spec.nodeName%3Da', { cert: 'node-a' })).code).toBe(200);
    expect((await call('GET', '/api/v1/pods', { cert: 'node-a' })).code).toBe(403);
  });

  it('lets the scheduler bind pods but not delete a namespace', async () => {
    expect((await call('POST', '/api/v1/namespaces', { cert: 'admin' }, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'work' } })).code).toBe(201);
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } };
    expect((await call('POST', '/api/v1/namespaces/work/pods', { cert: 'admin' }, pod)).code).toBe(201);
    const binding = { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'p' }, target: { apiVersion: 'v1', kind: 'Node', name: 'a' } };
    expect((await call('POST', '/api/v1/namespaces/work/pods/p/binding', { cert: 'scheduler' }, binding)).code).toBe(201);
    const del = await call('DELETE', '/api/v1/namespaces/work', { cert: 'scheduler' });
    expect(del).toMatchObject({ code: 403, body: { reason: 'Forbidden', message: 'namespaces "work" is forbidden: User "system:kube-scheduler" cannot delete resource "namespaces" in API group "" in the namespace "work"' } });
    // Now bound to node a: node a may get it, and update its status.
    expect((await call('GET', '/api/v1/namespaces/work/pods/p', { cert: 'node-a' })).code).toBe(200);
    expect((await call('PATCH', '/api/v1/namespaces/work/pods/p/status', { cert: 'node-a' }, { status: { phase: 'Running' } }, merge)).code).toBe(200);
  });
});

describe('bootstrap tokens, cluster-info and certificate signing requests', () => {
  const csrRequest = (cn: string) =>
    Buffer.from(execFileSync('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', join(dir, `csr-${Math.random()}.key`), '-subj', `/O=system:nodes/CN=${cn}`], { stdio: ['ignore', 'pipe', 'ignore'] })).toString('base64');
  const csr = (name: string, cn: string) => ({ apiVersion: 'certificates.k8s.io/v1', kind: 'CertificateSigningRequest', metadata: { name }, spec: { request: csrRequest(cn), signerName: 'kubernetes.io/kube-apiserver-client-kubelet', usages: ['digital signature', 'client auth'] } });
  const CSRS = '/apis/certificates.k8s.io/v1/certificatesigningrequests';

  beforeAll(async () => {
    const token = (id: string, expiration: Date) => bootstrapTokenSecret({ token: { id, secret: '0123456789abcdef' }, expiration, usages: ['authentication', 'signing'], extraGroups: [DEFAULT_NODE_TOKEN_GROUP] });
    for (const ns of ['kube-system', 'kube-public']) await call('POST', '/api/v1/namespaces', { cert: 'admin' }, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    expect((await call('POST', '/api/v1/namespaces/kube-system/secrets', { cert: 'admin' }, token('abcdef', new Date(Date.now() + 3_600_000)))).code).toBe(201);
    expect((await call('POST', '/api/v1/namespaces/kube-system/secrets', { cert: 'admin' }, token('oldold', new Date(Date.now() - 1000)))).code).toBe(201);
    expect((await call('POST', '/api/v1/namespaces/kube-public/configmaps', { cert: 'admin' }, clusterInfoConfigMap('https://10.0.0.1:6443', ca.toString()))).code).toBe(201);
    expect((await call('POST', '/api/v1/namespaces/kube-public/configmaps', { cert: 'admin' }, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'private' } })).code).toBe(201);
  }, 30_000);

  it('authenticates a bootstrap token as system:bootstrap:<id>, who may create and read CSRs and nothing else', async () => {
    const created = await call('POST', CSRS, { token: 'abcdef.0123456789abcdef' }, csr('boot-1', 'system:node:x'));
    expect(created.code, JSON.stringify(created.body)).toBe(201);
    expect((created.body as { spec: Record<string, unknown> }).spec).toMatchObject({ username: 'system:bootstrap:abcdef', groups: ['system:bootstrappers', DEFAULT_NODE_TOKEN_GROUP, 'system:authenticated'] });
    expect((await call('GET', `${CSRS}/boot-1`, { token: 'abcdef.0123456789abcdef' })).code).toBe(200);
    expect((await call('GET', `${CSRS}?watch=true&timeoutSeconds=1`, { token: 'abcdef.0123456789abcdef' })).code).toBe(200);
    const denied = await call('GET', '/api/v1/namespaces/default/pods', { token: 'abcdef.0123456789abcdef' });
    expect(denied).toMatchObject({ code: 403, body: { message: 'pods is forbidden: User "system:bootstrap:abcdef" cannot list resource "pods" in API group "" in the namespace "default"' } });
    expect((await call('PUT', `${CSRS}/boot-1/approval`, { token: 'abcdef.0123456789abcdef' }, created.body)).code).toBe(403);
  });

  it.each([
    ['an expired token', 'oldold.0123456789abcdef'],
    ['a wrong secret', 'abcdef.0123456789abcdez'],
    ['an unknown id', 'zzzzzz.0123456789abcdef'],
  ])('refuses %s with 401', async (_name, token) => {
    expect(await call('GET', CSRS, { token })).toMatchObject({ code: 401, body: { reason: 'Unauthorized' } });
  });

  it('lets anonymous requests read kube-public/cluster-info and nothing next to it', async () => {
    const info = await call('GET', '/api/v1/namespaces/kube-public/configmaps/cluster-info');
    expect(info.code).toBe(200);
    expect((info.body as { data: Record<string, string> }).data.kubeconfig).toContain('server: https://10.0.0.1:6443');
    expect((await call('GET', '/api/v1/namespaces/kube-public/configmaps/private')).code).toBe(403);
    expect((await call('GET', '/api/v1/namespaces/kube-public/configmaps')).code).toBe(403);
    expect((await call('PUT', '/api/v1/namespaces/kube-public/configmaps/cluster-info', {}, info.body)).code).toBe(403);
    expect((await call('GET', '/api/v1/namespaces/kube-system/configmaps/cluster-info')).code).toBe(403);
  });

  it('lets a node create and read its CSRs, recorded as the node', async () => {
    const created = await call('POST', CSRS, { cert: 'node-a' }, csr('node-a-1', 'system:node:a'));
    expect(created.code).toBe(201);
    expect((created.body as { spec: Record<string, unknown> }).spec).toMatchObject({ username: 'system:node:a', groups: ['system:nodes', 'system:authenticated'] });
    expect((await call('GET', `${CSRS}/node-a-1`, { cert: 'node-a' })).code).toBe(200);
    expect((await call('DELETE', `${CSRS}/node-a-1`, { cert: 'node-a' })).code).toBe(403);
  });
});

describe('SelfSubjectAccessReview and SelfSubjectReview', () => {
  const SSARS = '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews';
  const ssar = (spec: Record<string, unknown>) => ({ apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec });
  const allowed = async (as: { cert?: string; token?: string }, spec: Record<string, unknown>) => {
    const res = await call('POST', SSARS, as, ssar(spec));
    expect(res.code).toBe(201);
    return (res.body.status as { allowed: boolean }).allowed;
  };

  it('answers "may I" for the requester with the server\'s own authorizer', async () => {
    const createPods = { resourceAttributes: { namespace: 'default', verb: 'create', resource: 'pods' } };
    expect(await allowed({ token: 'plain-token' }, createPods)).toBe(false);
    expect(await allowed({ cert: 'admin' }, createPods)).toBe(true);
    expect(await allowed({ token: 'plain-token' }, { resourceAttributes: { verb: 'create', group: 'authorization.k8s.io', resource: 'selfsubjectaccessreviews' } })).toBe(true);
    expect(await allowed({ token: 'plain-token' }, { nonResourceAttributes: { path: '/healthz', verb: 'get' } })).toBe(true);
    expect(await allowed({ cert: 'node-a' }, { resourceAttributes: { namespace: 'default', verb: 'get', resource: 'secrets', name: 'not-for-a-pod' } })).toBe(false);
    const res = await call('POST', SSARS, { token: 'plain-token' }, ssar(createPods));
    expect(res.body).toMatchObject({ kind: 'SelfSubjectAccessReview', apiVersion: 'authorization.k8s.io/v1', spec: createPods, status: { allowed: false } });
  });

  it.each([
    ['neither attribute set', {}, 'spec.resourceAttributes: Invalid value: null: exactly one of nonResourceAttributes or resourceAttributes must be specified'],
    ['both', { resourceAttributes: { verb: 'get' }, nonResourceAttributes: { path: '/', verb: 'get' } }, 'spec.nonResourceAttributes: Invalid value: {"path":"/","verb":"get"}: cannot be specified in combination with resourceAttributes'],
  ])('refuses a review with %s (422)', async (_name, spec, message) => {
    const res = await call('POST', SSARS, { token: 'plain-token' }, ssar(spec));
    expect(res.code).toBe(422);
    expect(res.body.message).toBe(`SelfSubjectAccessReview.authorization.k8s.io "" is invalid: ${message}`);
  });

  it('answers SubjectAccessReview about the user of its spec, for callers allowed to ask (a kubelet authorizing its API)', async () => {
    const SARS = '/apis/authorization.k8s.io/v1/subjectaccessreviews';
    const sar = (spec: Record<string, unknown>) => ({ apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec });
    const nodeProxy = (name: string) => ({ resourceAttributes: { verb: 'get', version: 'v1', resource: 'nodes', subresource: 'proxy', name } });
    const ask = async (spec: Record<string, unknown>) => {
      const res = await call('POST', SARS, { cert: 'node-a' }, sar(spec));
      expect(res.code).toBe(201);
      return res.body.status as { allowed: boolean; reason?: string };
    };
    // The API server's kubelet client (system:masters) may reach any node; another node may not.
    expect(await ask({ user: 'kube-apiserver-kubelet-client', groups: ['system:masters', 'system:authenticated'], ...nodeProxy('a') })).toEqual({ allowed: true });
    expect((await ask({ user: 'system:node:b', groups: ['system:nodes', 'system:authenticated'], ...nodeProxy('a') })).allowed).toBe(false);
    expect((await ask({ user: 'system:anonymous', groups: ['system:unauthenticated'], ...nodeProxy('a') })).allowed).toBe(false);
    // Asked by someone the policy does not let ask.
    const bob = await call('POST', SARS, { token: 'plain-token' }, sar({ user: 'x', ...nodeProxy('a') }));
    expect(bob.code).toBe(403);
    const invalid = await call('POST', SARS, { cert: 'admin' }, sar(nodeProxy('a')));
    expect(invalid.code).toBe(422);
    expect(invalid.body.message).toBe('SubjectAccessReview.authorization.k8s.io "" is invalid: spec.user: Invalid value: "": at least one of user or group must be specified');
  });

  it('answers LocalSubjectAccessReview inside the namespace of its path, and refuses attributes outside it', async () => {
    const LSARS = '/apis/authorization.k8s.io/v1/namespaces/default/localsubjectaccessreviews';
    const lsar = (spec: Record<string, unknown>) => ({ apiVersion: 'authorization.k8s.io/v1', kind: 'LocalSubjectAccessReview', spec });
    const getPods = (namespace: string) => ({ resourceAttributes: { namespace, verb: 'get', version: 'v1', resource: 'pods' } });
    const admin = await call('POST', LSARS, { cert: 'admin' }, lsar({ user: 'someone', groups: ['system:masters'], ...getPods('default') }));
    expect(admin.code).toBe(201);
    expect(admin.body).toMatchObject({ kind: 'LocalSubjectAccessReview', metadata: { namespace: 'default' }, status: { allowed: true } });
    const nobody = await call('POST', LSARS, { cert: 'admin' }, lsar({ user: 'nobody', ...getPods('default') }));
    expect((nobody.body.status as { allowed: boolean }).allowed).toBe(false);
    const elsewhere = await call('POST', LSARS, { cert: 'admin' }, lsar({ user: 'nobody', ...getPods('kube-system') }));
    expect(elsewhere.code).toBe(422);
    expect(elsewhere.body.message).toBe('LocalSubjectAccessReview.authorization.k8s.io "" is invalid: spec.resourceAttributes.namespace: Invalid value: "kube-system": must match metadata.namespace');
    const nonResource = await call('POST', LSARS, { cert: 'admin' }, lsar({ user: 'nobody', nonResourceAttributes: { verb: 'get', path: '/healthz' } }));
    expect(nonResource.code).toBe(422);
    expect(nonResource.body.message).toContain('spec.nonResourceAttributes: Invalid value: ');
    expect(nonResource.body.message).toContain(': disallowed on this kind of request');
    const otherNamespace = await call('POST', LSARS, { cert: 'admin' }, { ...lsar({ user: 'nobody', ...getPods('default') }), metadata: { namespace: 'other' } });
    expect(otherNamespace.code).toBe(400);
    // Only namespaced: no cluster-wide path.
    expect((await call('POST', '/apis/authorization.k8s.io/v1/localsubjectaccessreviews', { cert: 'admin' }, lsar({ user: 'nobody', ...getPods('') }))).code).toBe(404);
  });

  it('lists the rules the policy grants the requester in a namespace; a node\'s are incomplete', async () => {
    const review = (namespace: string) => ({ apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectRulesReview', spec: { namespace } });
    const bob = await call('POST', '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews', { token: 'plain-token' }, review('default'));
    expect(bob.code).toBe(201);
    const status = bob.body.status as { resourceRules: unknown[]; nonResourceRules: Array<{ nonResourceURLs: string[] }>; incomplete: boolean };
    expect(status.incomplete).toBe(false);
    expect(status.resourceRules).toContainEqual({ verbs: ['create'], apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'] });
    expect(status.resourceRules).not.toContainEqual(expect.objectContaining({ resources: expect.arrayContaining(['pods']) }));
    expect(status.nonResourceRules.some((r) => r.nonResourceURLs.includes('/healthz'))).toBe(true);
    const node = await call('POST', '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews', { cert: 'node-a' }, review('default'));
    expect(node.body.status).toMatchObject({ incomplete: true, evaluationError: 'node authorizer does not support user rule resolution' });
    const admin = await call('POST', '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews', { cert: 'admin' }, review('default'));
    expect((admin.body.status as { resourceRules: unknown[] }).resourceRules).toContainEqual({ verbs: ['*'], apiGroups: ['*'], resources: ['*'] });
  });

  it('tells the requester who they are, in v1 and v1beta1', async () => {
    for (const version of ['v1', 'v1beta1']) {
      const review = { apiVersion: `authentication.k8s.io/${version}`, kind: 'SelfSubjectReview' };
      const bob = await call('POST', `/apis/authentication.k8s.io/${version}/selfsubjectreviews`, { token: 'plain-token' }, review);
      expect(bob).toMatchObject({ code: 201, body: { ...review, status: { userInfo: { username: 'bob', uid: '2', groups: ['system:authenticated'] } } } });
    }
    const node = await call('POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', { cert: 'node-a' }, { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' });
    expect((node.body.status as { userInfo: unknown }).userInfo).toEqual({ username: 'system:node:a', groups: ['system:nodes', 'system:authenticated'] });
  });
});

const minors = installedKubectls(ALL_KUBECTL_MINORS);
describe.skipIf(!minors.length)('kubectl auth', () => {
  // The whole server as `k8ts apiserver` assembles it (kubectl needs discovery), with the same TLS and users.
  let whole: ApiServer;
  let wholeUrl: string;
  beforeAll(async () => {
    whole = await assembleApiServer({ storage: new MemoryStorage(), registry: createBuiltinRegistry(), logger: pino({ level: 'silent' }), serviceClusterIpRange: '10.96.0.0/24', serviceNodePortRange: '30000-32767', advertise: { ip: '127.0.0.1', port: 6443 }, auth: { tokens: readTokenFile(join(dir, 'tokens.csv')) } });
    wholeUrl = await whole.listen({ host: '127.0.0.1', port: 0, tls: { cert: readFileSync(serving.cert), key: readFileSync(serving.key), ca, requestCert: true, rejectUnauthorized: false } });
  });
  afterAll(async () => {
    await whole?.close();
  });

  it.each(minors)('kubectl %s: auth can-i and auth whoami answer for the kubeconfig\'s user', async (minor) => {
    const kubeconfig = writeKubeconfig({ server: wholeUrl, certificateAuthority: caPath, token: 'plain-token', path: join(dir, `kubeconfig-${minor}`) });
    const home = mkdtempSync(join(dir, 'home-'));
    const run = (...args: string[]) => kubectl(minor, args, { kubeconfig, home });
    const no = await run('auth', 'can-i', 'create', 'pods');
    expect([no.code, no.stdout.trim()], no.stderr).toEqual([1, 'no']);
    const yes = await run('auth', 'can-i', 'create', 'selfsubjectaccessreviews.authorization.k8s.io');
    expect([yes.code, yes.stdout.trim()], yes.stderr).toEqual([0, 'yes']);
    const list = await run('auth', 'can-i', '--list');
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/^Resources\s+Non-Resource URLs\s+Resource Names\s+Verbs$/m);
    expect(list.stdout).toMatch(/^selfsubjectaccessreviews\.authorization\.k8s\.io\s+\[\]\s+\[\]\s+\[create\]$/m);
    expect(list.stdout).toMatch(/^\s+\[\/healthz\]\s+\[\]\s+\[get\]$/m);
    const who = await run('auth', 'whoami');
    expect(who.code, who.stderr).toBe(0);
    expect(who.stdout).toMatch(/^Username\s+bob$/m);
    expect(who.stdout).toMatch(/^Groups\s+\[system:authenticated\]$/m);
  });
});

describe('a kubelet API that asks this API server (--client-ca-file, --anonymous-auth=false, --authorization-mode Webhook)', () => {
  let kubelet: StubKubeletApi;
  let nodeClient: Client;
  beforeAll(async () => {
    const kubeletServing = await ensureCert(dir, caPair, { name: 'kubelet-a', commonName: 'system:node:a', organization: 'system:nodes', ips: ['127.0.0.1'], usage: 'server' });
    certs['apiserver-kubelet-client'] = await ensureCert(dir, caPair, { name: 'apiserver-kubelet-client', commonName: 'kube-apiserver-kubelet-client', organization: 'system:masters', usage: 'client' });
    // The kubelet asks with its own identity, as `k8ts kubelet` does with its kubeconfig.
    nodeClient = createClient({ kubeconfig: { server: url, ca, cert: readFileSync(certs['node-a']!.cert), key: readFileSync(certs['node-a']!.key), namespace: 'default' }, maxRetries: 0 });
    kubelet = await startStubKubeletApi(
      { cert: readFileSync(kubeletServing.cert), key: readFileSync(kubeletServing.key), clientCa: ca },
      { nodeName: 'a', anonymous: false, authorize: webhookAuthorizer(sendAccessReviewsTo(nodeClient.rest)) },
    );
  }, 30_000);
  afterAll(async () => {
    await kubelet?.close();
    await nodeClient?.close();
  });

  /** A GET (or an exec upgrade) to the kubelet API as the holder of `cert`. */
  function kubeletGet(path: string, cert?: string, upgrade = false): Promise<{ code: number; text: string }> {
    const pair = cert ? certs[cert] : undefined;
    return new Promise((resolve, reject) => {
      const req = request(`https://127.0.0.1:${kubelet.port}${path}`, {
        ca,
        cert: pair ? readFileSync(pair.cert) : undefined,
        key: pair ? readFileSync(pair.key) : undefined,
        headers: upgrade ? { connection: 'Upgrade', upgrade: 'SPDY/3.1' } : {},
        timeout: 10_000,
      });
      req.on('upgrade', (res, socket) => {
        socket.destroy();
        resolve({ code: res.statusCode ?? 0, text: '' });
      });
      req.on('response', (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (c) => (text += c)).on('end', () => resolve({ code: res.statusCode ?? 0, text }));
      });
      req.on('error', reject);
      req.end();
    });
  }

  it('refuses callers without a certificate of the cluster CA with 401, before anything else', async () => {
    expect(await kubeletGet('/containerLogs/default/talker/talk')).toEqual({ code: 401, text: 'Unauthorized' });
    expect(await kubeletGet('/healthz')).toEqual({ code: 401, text: 'Unauthorized' });
    expect(await kubeletGet('/containerLogs/default/talker/talk', 'rogue')).toEqual({ code: 401, text: 'Unauthorized' });
    expect(await kubeletGet('/exec/default/talker/talk?command=sh&stdout=1', undefined, true)).toEqual({ code: 401, text: 'Unauthorized' });
    expect(kubelet.streamed).toEqual([]);
  });

  it('serves the API server\'s kubelet client, whom the API server allows nodes/proxy', async () => {
    expect(await kubeletGet('/containerLogs/default/talker/talk', 'apiserver-kubelet-client')).toEqual({ code: 200, text: 'one\ntwo\n' });
    expect(await kubeletGet('/exec/default/talker/talk?command=sh&stdout=1', 'apiserver-kubelet-client', true)).toEqual({ code: 101, text: '' });
    // nodes/stats and nodes/metrics: what the metrics API reads.
    const summary = await kubeletGet('/stats/summary', 'apiserver-kubelet-client');
    expect(summary.code).toBe(200);
    expect(JSON.parse(summary.text).pods[0].containers[0]).toMatchObject({ name: 'talk', cpu: { usageNanoCores: 500_000_000 } });
    const metrics = await kubeletGet('/metrics/resource', 'apiserver-kubelet-client');
    expect(metrics.code).toBe(200);
    expect(metrics.text).toContain('container_memory_working_set_bytes{container="talk",namespace="default",pod="talker"} 1.048576e+06 1800000000000\n');
  });

  it('forbids authenticated callers the API server does not allow, naming the attributes it asked about', async () => {
    expect(await kubeletGet('/containerLogs/default/talker/talk', 'scheduler')).toEqual({ code: 403, text: 'Forbidden (user=system:kube-scheduler, verb=get, resource=nodes, subresource=proxy)' });
    // A node may not reach kubelets' APIs, its own included (upstream's Node authorizer grants no nodes/proxy).
    expect(await kubeletGet('/pods', 'node-a')).toEqual({ code: 403, text: 'Forbidden (user=system:node:a, verb=get, resource=nodes, subresource=proxy)' });
    expect(await kubeletGet('/stats/summary', 'scheduler')).toEqual({ code: 403, text: 'Forbidden (user=system:kube-scheduler, verb=get, resource=nodes, subresource=stats)' });
    expect(await kubeletGet('/exec/default/talker/talk?command=sh&stdout=1', 'scheduler', true)).toEqual({ code: 403, text: 'Forbidden (user=system:kube-scheduler, verb=get, resource=nodes, subresource=proxy)' });
  });
});
