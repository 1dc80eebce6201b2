import { createPublicKey, verify, type JsonWebKey } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../client/index.ts';
import { startTestControlPlane, type TestControlPlane } from './control-plane.ts';

describe('startTestControlPlane (memory)', () => {
  let cp: TestControlPlane;
  beforeAll(async () => {
    cp = await startTestControlPlane();
  });
  afterAll(() => cp?.stop());

  it('serves the bootstrap objects and accepts writes through its kubeconfig', async () => {
    const fromFile = createClient({ kubeconfig: cp.kubeconfigPath });
    try {
      const ns = await fromFile.namespaces.list();
      expect(ns.items.map((n) => n.metadata.name)).toEqual(expect.arrayContaining(['default', 'kube-system', 'kube-public', 'kube-node-lease']));
      const svc = await fromFile.services.inNamespace('default').get('kubernetes');
      expect(svc.spec?.clusterIP).toBe('10.96.0.1');
      await cp.client.configMaps.inNamespace('default').create({ metadata: { name: 'c' }, data: { a: '1' } });
      expect((await fromFile.configMaps.inNamespace('default').get('c')).data).toEqual({ a: '1' });
    } finally {
      await fromFile.close();
    }
  });

  it('issues service-account tokens that TokenReview accepts', async () => {
    const post = (path: string, body: unknown) => fetch(`${cp.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await post('/api/v1/namespaces/default/serviceaccounts', { metadata: { name: 'robot' } })).status).toBe(201);
    const issued = await post('/api/v1/namespaces/default/serviceaccounts/robot/token', { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: {} });
    expect(issued.status).toBe(201);
    const token = ((await issued.json()) as { status: { token: string } }).status.token;
    const review = await post('/apis/authentication.k8s.io/v1/tokenreviews', { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token } });
    expect(((await review.json()) as { status: unknown }).status).toMatchObject({ authenticated: true, user: { username: 'system:serviceaccount:default:robot' } });
  });

  it('publishes the issuer discovery documents, whose key set verifies the tokens it issues', async () => {
    const config = (await (await fetch(`${cp.url}/.well-known/openid-configuration`)).json()) as { issuer: string; jwks_uri: string };
    expect(config).toMatchObject({ issuer: 'https://kubernetes.default.svc.cluster.local', jwks_uri: 'https://127.0.0.1:6443/openid/v1/jwks' });
    const jwks = await fetch(`${cp.url}/openid/v1/jwks`);
    expect(jwks.headers.get('content-type')).toBe('application/jwk-set+json');
    const { keys } = (await jwks.json()) as { keys: Array<JsonWebKey & { kid: string }> };
    await fetch(`${cp.url}/api/v1/namespaces/default/serviceaccounts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ metadata: { name: 'oidc' } }) });
    const issued = await fetch(`${cp.url}/api/v1/namespaces/default/serviceaccounts/oidc/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: {} }) });
    const token = ((await issued.json()) as { status: { token: string } }).status.token;
    const [h, p, sig] = token.split('.');
    const key = keys.find((k) => k.kid === (JSON.parse(Buffer.from(h, 'base64url').toString()) as { kid: string }).kid);
    expect(key).toBeDefined();
    expect(verify('sha256', Buffer.from(`${h}.${p}`), { key: createPublicKey({ key: key as JsonWebKey, format: 'jwk' }), dsaEncoding: 'ieee-p1363' }, Buffer.from(sig, 'base64url'))).toBe(true);
  });

  it('stop() runs onStop cleanups first and closes the server', async () => {
    const other = await startTestControlPlane();
    const order: string[] = [];
    other.onStop(() => void order.push('controller'));
    await other.stop();
    await other.stop();
    expect(order).toEqual(['controller']);
    await expect(fetch(`${other.url}/healthz`)).rejects.toThrow();
  });
});
