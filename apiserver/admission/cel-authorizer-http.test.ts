/**
 * The CEL `authorizer` end to end through the assembled API server over TLS with bearer tokens
 * and Node,RBAC (`inject()` would be the unsecured, all-powerful user): a ValidatingAdmissionPolicy admits a user the cluster's
 * RBAC lets list pods and denies one it does not, with upstream's message; the docs' breakglass
 * matchCondition skips a webhook for a privileged user and calls it for others.
 */
import { readFileSync } from 'node:fs';
import { httpsRequest } from '../testing/https-request.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTlsTestApiServer, type TlsTestApiServer } from '../testing/tls-test-server.ts';
import { makeSelfSignedCert, startWebhookServer, type TestWebhookServer } from './webhook/webhook-test-server.ts';

const AR = '/apis/admissionregistration.k8s.io/v1';
const RBAC = '/apis/rbac.authorization.k8s.io/v1';
const TOKEN_FILE = 'admin-token,admin,1,"system:masters"\nalice-token,alice,2,"devs"\nbob-token,bob,3\n';

let tls: TlsTestApiServer;
let ca: Buffer;
let hook: TestWebhookServer;
const cert = makeSelfSignedCert();

/** One JSON request as `user` (its token from the token file). */
async function call(user: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const reply = await httpsRequest(`${tls.url}${path}`, method, { ca, token: `${user}-token`, body });
  return { status: reply.code, body: reply.body };
}

async function created(user: string, url: string, body: unknown): Promise<void> {
  const res = await call(user, 'POST', url, body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
}

const configMap = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { k: 'v' } });
const createConfigMap = (user: string, ns: string, name: string) => call(user, 'POST', `/api/v1/namespaces/${ns}/configmaps`, configMap(name));
const configMapRules = [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['configmaps'] }];
const inNamespace = (name: string) => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name } } });

beforeAll(async () => {
  tls = await startTlsTestApiServer({ tokenFile: TOKEN_FILE });
  ca = readFileSync(tls.ca.cert);
  hook = await startWebhookServer(cert, (_path, req) => (req.name.startsWith('forbidden-') ? { allowed: false, status: { code: 403, reason: 'Forbidden', message: 'names "forbidden-*" are reserved' } } : { allowed: true }));
  for (const ns of ['policed', 'hooked']) await created('admin', '/api/v1/namespaces', { metadata: { name: ns } });
  // Alice and Bob may create ConfigMaps everywhere; only Alice may list pods.
  await created('admin', `${RBAC}/clusterroles`, { metadata: { name: 'configmap-writer' }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['create'] }] });
  await created('admin', `${RBAC}/clusterroles`, { metadata: { name: 'pod-lister' }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['list'] }] });
  const bind = (name: string, role: string, subjects: unknown[]) => created('admin', `${RBAC}/clusterrolebindings`, { metadata: { name }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role }, subjects });
  await bind('writers', 'configmap-writer', [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'alice' }, { kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'bob' }]);
  await bind('listers', 'pod-lister', [{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'devs' }]);
}, 30_000);

afterAll(async () => {
  await hook?.close();
  await tls?.stop();
});

describe('CEL authorizer in admission', () => {
  it('a ValidatingAdmissionPolicy checks the requesting user against RBAC', async () => {
    const expression = "authorizer.group('').resource('pods').check('list').allowed()";
    await created('admin', `${AR}/validatingadmissionpolicies`, {
      metadata: { name: 'listers-only.example.com' },
      spec: { failurePolicy: 'Fail', matchConstraints: { resourceRules: configMapRules }, validations: [{ expression }] },
    });
    await created('admin', `${AR}/validatingadmissionpolicybindings`, { metadata: { name: 'listers-only-binding' }, spec: { policyName: 'listers-only.example.com', validationActions: ['Deny'], matchResources: inNamespace('policed') } });

    const allowed = await createConfigMap('alice', 'policed', 'by-alice');
    expect(allowed.status, JSON.stringify(allowed.body)).toBe(201);
    const denied = await createConfigMap('bob', 'policed', 'by-bob');
    const message = `ValidatingAdmissionPolicy 'listers-only.example.com' with binding 'listers-only-binding' denied request: failed expression: ${expression}`;
    expect(denied.status).toBe(422);
    expect(denied.body).toMatchObject({ reason: 'Invalid', message: `configmaps "by-bob" is forbidden: ${message}`, details: { causes: [{ message }] } });
  });

  it('accepts authorizer in policy expressions where upstream declares it, and refuses it in messageExpression', async () => {
    const ok = await call('admin', 'POST', `${AR}/validatingadmissionpolicies`, {
      metadata: { name: 'declared.example.com' },
      spec: {
        matchConstraints: { resourceRules: configMapRules },
        matchConditions: [{ name: 'not-admin', expression: "!authorizer.group('').resource('pods').check('delete').allowed()" }],
        variables: [{ name: 'mayScale', expression: "authorizer.requestResource.subresource('scale').check('update').allowed()" }],
        validations: [{ expression: 'variables.mayScale || true' }],
        auditAnnotations: [{ key: 'reason', valueExpression: "authorizer.path('/healthz').check('get').reason()" }],
      },
    });
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    const refused = await call('admin', 'POST', `${AR}/validatingadmissionpolicies`, {
      metadata: { name: 'message-authorizer.example.com' },
      spec: { matchConstraints: { resourceRules: configMapRules }, validations: [{ expression: 'true', messageExpression: "authorizer.path('/x').check('get').reason()" }] },
    });
    expect(refused.status).toBe(422);
    expect(refused.body.details.causes[0].message).toContain("undeclared reference to 'authorizer'");
  });

  it("the docs' breakglass matchCondition skips the webhook for a privileged user", async () => {
    const breakglass = "!authorizer.group('admissionregistration.k8s.io').resource('validatingwebhookconfigurations').name('my-webhook.example.com').check('breakglass').allowed()";
    await created('admin', `${AR}/validatingwebhookconfigurations`, {
      metadata: { name: 'my-webhook' },
      webhooks: [{ name: 'my-webhook.example.com', clientConfig: { url: hook.url('/validate'), caBundle: cert.caBundle }, rules: configMapRules, ...inNamespace('hooked'), sideEffects: 'None', admissionReviewVersions: ['v1'], matchConditions: [{ name: 'breakglass', expression: breakglass }] }],
    });
    const before = hook.received.length;
    const byAdmin = await createConfigMap('admin', 'hooked', 'forbidden-admin');
    expect(byAdmin.status, JSON.stringify(byAdmin.body)).toBe(201);
    expect(hook.received.length).toBe(before);
    const byAlice = await createConfigMap('alice', 'hooked', 'forbidden-alice');
    expect([byAlice.status, byAlice.body.message]).toEqual([403, 'admission webhook "my-webhook.example.com" denied the request: names "forbidden-*" are reserved']);
    expect(hook.received.map((r) => r.request.name)).toEqual(['forbidden-alice']);
  });
});
