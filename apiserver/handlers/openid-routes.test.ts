import { generateKeyPairSync } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyId } from '../../pkg/auth/serviceaccount-jwt.ts';
import { serviceAccountTokenConfig } from '../auth/serviceaccount-keys.ts';
import type { ApiServer } from '../server.ts';
import { assembleTestApiServer } from '../testing/tls-test-server.ts';
import { openIdDiscoveryMetadata } from './openid-routes.ts';

const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const tokens = (issuers: string[]) => serviceAccountTokenConfig({ signingKey: privateKey, publicKeys: [], issuers, apiAudiences: [] });

describe('the issuer discovery routes', () => {
  let server: ApiServer;
  beforeAll(async () => {
    server = await assembleTestApiServer({ serviceAccountTokens: tokens(['https://issuer.example.com', 'https://old.example.com']), advertise: { ip: '10.1.2.3', port: 6443 } });
  });
  afterAll(() => server?.close());

  it('serves the OpenID configuration as application/json, cacheable for an hour, for the first issuer', async () => {
    for (const url of ['/.well-known/openid-configuration', '/.well-known/openid-configuration/']) {
      const res = await server.app.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('application/json');
      expect(res.headers['cache-control']).toBe('public, max-age=3600');
      expect(res.json()).toEqual({
        issuer: 'https://issuer.example.com',
        jwks_uri: 'https://10.1.2.3:6443/openid/v1/jwks',
        response_types_supported: ['id_token'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['ES256'],
      });
    }
  });

  it('serves the key set as application/jwk-set+json', async () => {
    for (const url of ['/openid/v1/jwks', '/openid/v1/jwks/']) {
      const res = await server.app.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('application/jwk-set+json');
      expect(res.headers['cache-control']).toBe('public, max-age=3600');
      expect(res.json()).toEqual({ keys: [expect.objectContaining({ use: 'sig', kty: 'EC', crv: 'P-256', alg: 'ES256', kid: keyId(privateKey) })] });
    }
  });

  it('uses --service-account-jwks-uri when given', async () => {
    const other = await assembleTestApiServer({ serviceAccountTokens: tokens([]), serviceAccountJwksUri: 'https://keys.example.com/jwks' });
    try {
      const res = await other.app.inject({ method: 'GET', url: '/.well-known/openid-configuration' });
      expect(res.json()).toMatchObject({ issuer: 'https://kubernetes.default.svc.cluster.local', jwks_uri: 'https://keys.example.com/jwks' });
    } finally {
      await other.close();
    }
  });

  it.each([
    ['the issuer is not a URL', { serviceAccountTokens: tokens(['kubernetes/serviceaccount']) }],
    ['the issuer is http', { serviceAccountTokens: tokens(['http://issuer.example.com']) }],
    ['there are no service-account tokens', {}],
  ])('answers 404 when %s, as upstream (which does not install the routes)', async (_case, overrides) => {
    const other = await assembleTestApiServer(overrides);
    try {
      for (const url of ['/.well-known/openid-configuration', '/openid/v1/jwks']) {
        const res = await other.app.inject({ method: 'GET', url });
        expect(res.statusCode).toBe(404);
        expect(res.json()).toMatchObject({ kind: 'Status', reason: 'NotFound', code: 404 });
      }
    } finally {
      await other.close();
    }
  });
});

describe('openIdDiscoveryMetadata', () => {
  function captured() {
    const lines: Array<Record<string, unknown>> = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
    return { lines, logger };
  }

  it('logs an error naming the reason when an issuer is configured but cannot be published', () => {
    const { lines, logger } = captured();
    expect(openIdDiscoveryMetadata({ serviceAccountTokens: tokens(['kubernetes/serviceaccount']), advertise: { ip: '127.0.0.1', port: 6443 }, logger })).toBeUndefined();
    expect(lines).toEqual([expect.objectContaining({ level: 50, component: 'serviceaccount-issuer-discovery', issuer: 'kubernetes/serviceaccount', reason: 'issuer URL must use https scheme, got: kubernetes/serviceaccount', msg: 'service account issuer discovery endpoints not enabled' })]);
  });

  it('only informs when there are no service-account tokens at all', () => {
    const { lines, logger } = captured();
    expect(openIdDiscoveryMetadata({ advertise: { ip: '127.0.0.1', port: 6443 }, logger })).toBeUndefined();
    expect(lines).toEqual([expect.objectContaining({ level: 30, reason: 'empty issuer URL' })]);
  });

});
