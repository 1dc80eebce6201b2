/**
 * The kubelet API with `--authentication-token-webhook`, `--anonymous-auth=false` and
 * `--authorization-mode Webhook` against a real in-process API server: a ServiceAccount token (as
 * Prometheus or metrics-server present it) is authenticated by a TokenReview and authorized by a
 * SubjectAccessReview for `nodes/metrics` / `nodes/stats`; bad tokens and no credentials get 401;
 * a client certificate still decides first; without the webhook tokens are ignored.
 */
import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TokenReview } from '../../pkg/api/authentication/v1/token-review.ts';
import { startTestControlPlane, type TestControlPlane } from '../../pkg/testing/control-plane.ts';
import { waitFor } from '../../pkg/testing/wait.ts';
import { createTestPki, type TestPki } from '../testing/test-pki.ts';
import { startStubKubeletApi, type StubKubeletApi } from '../testing/stub-kubelet-api.ts';
import { sendAccessReviewsTo, webhookAuthorizer } from './webhook-authorizer.ts';
import { sendTokenReviewsTo, webhookTokenAuthenticator } from './webhook-token-authenticator.ts';

const NODE = 'n1';
let cp: TestControlPlane;
let pki: TestPki;
let kubelet: StubKubeletApi;
let ignoring: StubKubeletApi;
const reviewed: string[] = [];

/** A JSON request to the API server (plain HTTP: acts as system:unsecured, which may do anything). */
async function api(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${cp.url}${path}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
}

async function serviceAccountToken(namespace: string, name: string): Promise<string> {
  expect((await api('POST', `/api/v1/namespaces/${namespace}/serviceaccounts`, { metadata: { name } })).status).toBe(201);
  const issued = await api('POST', `/api/v1/namespaces/${namespace}/serviceaccounts/${name}/token`, { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: {} });
  expect(issued.status).toBe(201);
  return issued.body.status.token as string;
}

beforeAll(async () => {
  // auth: the API server authorizes with Node,RBAC (as `k8ts apiserver`), so SubjectAccessReviews mean something.
  cp = await startTestControlPlane({ auth: {} });
  pki = await createTestPki(NODE);
  const send = sendTokenReviewsTo(cp.client.rest);
  const counted = async (review: TokenReview) => {
    reviewed.push(review.spec.token ?? '');
    return send(review);
  };
  const tls = { cert: pki.kubeletServing.cert, key: pki.kubeletServing.key, clientCa: pki.ca.cert };
  // A "not allowed" is not reused (deniedTtlMs 0): the test grants access midway.
  const authorize = webhookAuthorizer(sendAccessReviewsTo(cp.client.rest), { deniedTtlMs: 0 });
  kubelet = await startStubKubeletApi(tls, { nodeName: NODE, anonymous: false, authenticateToken: webhookTokenAuthenticator(counted), authorize });
  ignoring = await startStubKubeletApi(tls, { nodeName: NODE, anonymous: false, authorize });
}, 60_000);

afterAll(async () => {
  await kubelet?.close();
  await ignoring?.close();
  await cp?.stop();
  pki?.remove();
});

/** A GET to a kubelet API over HTTPS, with a bearer token and/or the API server's kubelet client certificate. */
function kubeletGet(target: StubKubeletApi, path: string, as: { token?: string; cert?: boolean } = {}): Promise<{ code: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`https://127.0.0.1:${target.port}${path}`, {
      ca: pki.ca.cert,
      ...(as.cert ? { cert: pki.kubeletClient.cert, key: pki.kubeletClient.key } : {}),
      headers: as.token === undefined ? {} : { authorization: `Bearer ${as.token}` },
      timeout: 10_000,
    });
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (c) => (text += c)).on('end', () => resolve({ code: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('kubelet API bearer tokens (--authentication-token-webhook)', () => {
  it('the kubelet\'s identity may create the reviews it sends (upstream system:node rules, Node authorizer)', async () => {
    for (const [group, resource] of [['authentication.k8s.io', 'tokenreviews'], ['authorization.k8s.io', 'subjectaccessreviews']] as const) {
      const answer = await api('POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SubjectAccessReview',
        spec: { user: `system:node:${NODE}`, groups: ['system:nodes', 'system:authenticated'], resourceAttributes: { verb: 'create', group, resource } },
      });
      expect(answer.body.status, resource).toMatchObject({ allowed: true });
    }
  });

  it('a ServiceAccount token: 403 naming the account until it may get nodes/metrics and nodes/stats, then 200', async () => {
    expect((await api('POST', '/api/v1/namespaces', { metadata: { name: 'monitoring' } })).status).toBe(201);
    const token = await serviceAccountToken('monitoring', 'prometheus');
    expect(await kubeletGet(kubelet, '/metrics/resource', { token })).toEqual({ code: 403, text: 'Forbidden (user=system:serviceaccount:monitoring:prometheus, verb=get, resource=nodes, subresource=metrics)' });
    expect(await kubeletGet(kubelet, '/stats/summary', { token })).toEqual({ code: 403, text: 'Forbidden (user=system:serviceaccount:monitoring:prometheus, verb=get, resource=nodes, subresource=stats)' });

    const rbac = '/apis/rbac.authorization.k8s.io/v1';
    expect((await api('POST', `${rbac}/clusterroles`, { metadata: { name: 'kubelet-metrics-reader' }, rules: [{ apiGroups: [''], resources: ['nodes/metrics', 'nodes/stats'], verbs: ['get'] }] })).status).toBe(201);
    expect((await api('POST', `${rbac}/clusterrolebindings`, {
      metadata: { name: 'prometheus-kubelet-metrics' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'kubelet-metrics-reader' },
      subjects: [{ kind: 'ServiceAccount', name: 'prometheus', namespace: 'monitoring' }],
    })).status).toBe(201);

    const metrics = await waitFor('the binding to take effect', async () => {
      const res = await kubeletGet(kubelet, '/metrics/resource', { token });
      return res.code === 403 ? undefined : res;
    });
    expect(metrics.code).toBe(200);
    expect(metrics.text).toContain('container_memory_working_set_bytes{container="talk",namespace="default",pod="talker"} 1.048576e+06 1800000000000\n');
    const summary = await kubeletGet(kubelet, '/stats/summary', { token });
    expect(summary.code).toBe(200);
    expect(JSON.parse(summary.text).pods[0].podRef).toMatchObject({ name: 'talker', namespace: 'default' });
    // nodes/metrics and nodes/stats only: the logs, pods and exec (nodes/proxy) stay closed.
    expect(await kubeletGet(kubelet, '/pods', { token })).toEqual({ code: 403, text: 'Forbidden (user=system:serviceaccount:monitoring:prometheus, verb=get, resource=nodes, subresource=proxy)' });
    // Every request above authenticated the token with one TokenReview: the answer is cached.
    expect(reviewed.filter((t) => t === token)).toHaveLength(1);
  });

  it('a garbage token gets 401, and so does a request without credentials (--anonymous-auth=false)', async () => {
    expect(await kubeletGet(kubelet, '/metrics/resource', { token: 'not-a-token' })).toEqual({ code: 401, text: 'Unauthorized' });
    expect(await kubeletGet(kubelet, '/healthz', { token: 'not-a-token' })).toEqual({ code: 401, text: 'Unauthorized' });
    expect(reviewed).toContain('not-a-token');
    expect(await kubeletGet(kubelet, '/metrics/resource')).toEqual({ code: 401, text: 'Unauthorized' });
  });

  it('a verified client certificate decides first: the token next to it is not reviewed', async () => {
    const before = reviewed.length;
    const res = await kubeletGet(kubelet, '/stats/summary', { cert: true, token: 'ignored-next-to-a-certificate' });
    expect(res.code).toBe(200);
    expect(reviewed).toHaveLength(before);
  });

  it('without --authentication-token-webhook a valid token is ignored (401 without anonymous access)', async () => {
    const token = await serviceAccountToken('monitoring', 'ignored');
    const before = reviewed.length;
    expect(await kubeletGet(ignoring, '/metrics/resource', { token })).toEqual({ code: 401, text: 'Unauthorized' });
    expect(reviewed).toHaveLength(before);
  });
});
