/**
 * The TokenRequest subresource through `inject()` (no TLS needed to issue): served only with a
 * signing key, the maximum expiration, and the node of a pod-bound token.
 */
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJwt } from '../../pkg/auth/serviceaccount-jwt.ts';
import { serviceAccountTokenConfig } from '../auth/serviceaccount-keys.ts';
import type { ApiServer } from '../server.ts';
import { assembleTestApiServer } from '../testing/tls-test-server.ts';
import { injectJson } from './test-inject.ts';

const servers: ApiServer[] = [];

async function start(withKey: boolean): Promise<ApiServer> {
  const server = await assembleTestApiServer({
    serviceAccountTokens: withKey
      ? serviceAccountTokenConfig({ signingKey: generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey, publicKeys: [], issuers: ['https://issuer.example'], apiAudiences: [], maxTokenExpirationSeconds: 7200 })
      : undefined,
  });
  servers.push(server);
  return server;
}

let issuing: ApiServer;
let plain: ApiServer;
beforeAll(async () => {
  [issuing, plain] = await Promise.all([start(true), start(false)]);
  for (const server of [issuing, plain]) await injectJson(server, 'POST', '/api/v1/namespaces/default/serviceaccounts', { metadata: { name: 'sa' } });
});
afterAll(async () => {
  for (const server of servers) await server.close();
});

const tokenRequest = (spec: Record<string, unknown> = {}) => ({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec });

describe('serviceaccounts/token', () => {
  it('is absent (404, not in discovery) without a signing key', async () => {
    expect((await injectJson(plain, 'POST', '/api/v1/namespaces/default/serviceaccounts/sa/token', tokenRequest())).status).toBe(404);
    const names = (await injectJson(plain, 'GET', '/api/v1')).body.resources.map((r: { name: string }) => r.name);
    expect(names).toContain('serviceaccounts');
    expect(names).not.toContain('serviceaccounts/token');
    expect((await injectJson(issuing, 'GET', '/api/v1')).body.resources.map((r: { name: string }) => r.name)).toContain('serviceaccounts/token');
  });

  it('answers only POST', async () => {
    expect((await injectJson(issuing, 'GET', '/api/v1/namespaces/default/serviceaccounts/sa/token')).status).toBe(405);
  });

  it('shortens a lifetime beyond --service-account-max-token-expiration, with upstream\'s warning', async () => {
    const res = await issuing.app.inject({ method: 'POST', url: '/api/v1/namespaces/default/serviceaccounts/sa/token', payload: JSON.stringify(tokenRequest({ expirationSeconds: 86_400 })), headers: { 'content-type': 'application/json' } });
    expect(res.statusCode).toBe(201);
    expect(String(res.headers.warning)).toContain('requested expiration of 86400 seconds shortened to 7200 seconds');
    const body = JSON.parse(res.body);
    expect(body.spec.expirationSeconds).toBe(7200);
    const payload = decodeJwt(body.status.token)!.payload;
    expect(payload.iss).toBe('https://issuer.example');
    expect((payload.exp as number) - (payload.iat as number)).toBe(7200);
  });

  it('puts the node of a pod-bound token into its claims (its name alone when the node is not found)', async () => {
    const node = await injectJson(issuing, 'POST', '/api/v1/nodes', { metadata: { name: 'n1' } });
    for (const [name, nodeName] of [['on-n1', 'n1'], ['on-ghost', 'ghost']]) {
      const pod = await injectJson(issuing, 'POST', '/api/v1/namespaces/default/pods', { metadata: { name }, spec: { serviceAccountName: 'sa', nodeName, containers: [{ name: 'c', image: 'busybox' }] } });
      expect(pod.status, JSON.stringify(pod.body)).toBe(201);
    }
    const claimsOf = async (pod: string) => {
      const res = await injectJson(issuing, 'POST', '/api/v1/namespaces/default/serviceaccounts/sa/token', tokenRequest({ boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: pod } }));
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return decodeJwt(res.body.status.token)!.payload['kubernetes.io'] as Record<string, unknown>;
    };
    expect((await claimsOf('on-n1')).node).toEqual({ name: 'n1', uid: node.body.metadata.uid });
    expect((await claimsOf('on-ghost')).node).toEqual({ name: 'ghost' });
  });
});
