import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { keyId } from '../../pkg/auth/serviceaccount-jwt.ts';
import { buildOpenIdMetadata, goJsonStringify, jwksUriFlagProblem, type OpenIdMetadataInput } from './openid-metadata.ts';

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
const p256 = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey;
const p384 = generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).publicKey;
const base: OpenIdMetadataInput = { issuer: 'https://kubernetes.default.svc.cluster.local', externalAddress: '10.0.0.1:6443', publicKeys: [rsa] };

function built(input: OpenIdMetadataInput) {
  const result = buildOpenIdMetadata(input);
  if (!result.ok) throw new Error(result.reason);
  return result.metadata;
}

describe('buildOpenIdMetadata', () => {
  it('renders upstream\'s document: issuer, jwks_uri from the external address, the fixed types, sorted unique algorithms', () => {
    const metadata = built({ ...base, publicKeys: [p384, rsa, p256, createPublicKey(rsa)] });
    expect(metadata.configJson).toBe(
      '{"issuer":"https://kubernetes.default.svc.cluster.local","jwks_uri":"https://10.0.0.1:6443/openid/v1/jwks",' +
        '"response_types_supported":["id_token"],"subject_types_supported":["public"],"id_token_signing_alg_values_supported":["ES256","ES384","RS256"]}',
    );
    expect(metadata.maxAgeSeconds).toBe(3600);
    const keys = JSON.parse(metadata.keysetJson).keys as Array<{ kid: string; alg: string; use: string }>;
    expect(keys.map((k) => [k.kid, k.alg, k.use])).toEqual([
      [keyId(p384), 'ES384', 'sig'],
      [keyId(rsa), 'RS256', 'sig'],
      [keyId(p256), 'ES256', 'sig'],
      [keyId(rsa), 'RS256', 'sig'],
    ]);
    expect(metadata.keysetJson).not.toMatch(/"d"|"p"|"q"|"dp"|"dq"|"qi"/);
  });

  it.each([
    ['an explicit --service-account-jwks-uri', { jwksUri: 'https://issuer.example.com/keys?x=1&y=2' }, 'https://issuer.example.com/keys?x=1\\u0026y=2'],
    ['an IPv6 external address', { externalAddress: '[fd00::1]:6443' }, 'https://[fd00::1]:6443/openid/v1/jwks'],
    ['a host name external address', { externalAddress: 'api.example.com:443' }, 'https://api.example.com:443/openid/v1/jwks'],
  ])('takes jwks_uri from %s', (_case, override, uri) => {
    expect(built({ ...base, ...override }).configJson).toContain(`"jwks_uri":"${uri}"`);
  });

  it.each([
    ['no issuer', { issuer: undefined }, 'empty issuer URL'],
    ['neither a jwks uri nor an external address', { externalAddress: '' }, 'either the JWKS URI or the default external address, or both, must be set'],
    ['an issuer that is not a URL', { issuer: 'kubernetes/serviceaccount' }, 'issuer URL must use https scheme, got: kubernetes/serviceaccount'],
    ['an http issuer', { issuer: 'http://issuer.example.com' }, 'issuer URL must use https scheme, got: http://issuer.example.com'],
    ['an http issuer even with a jwks uri', { issuer: 'http://issuer.example.com', jwksUri: 'https://issuer.example.com/keys' }, 'issuer URL must use https scheme, got: http://issuer.example.com'],
    ['an issuer with a query', { issuer: 'https://issuer.example.com/?a=b' }, 'issuer URL may not include a query, got: https://issuer.example.com/?a=b'],
    ['an issuer with a fragment', { issuer: 'https://issuer.example.com/#top' }, 'issuer URL may not include a fragment, got: https://issuer.example.com/#top'],
    ['an http jwks uri', { jwksUri: 'http://keys.example.com' }, 'jwksURI requires https scheme, parsed as: http://keys.example.com'],
    ['an external address that is a URL', { externalAddress: 'https://10.0.0.1' }, /^attempted to build jwks_uri from external address https:\/\/10\.0\.0\.1, but could not construct a valid URL\. Error: got /],
    ['no keys', { publicKeys: [] }, 'no keys provided for validating keyset'],
  ])('publishes nothing for %s', (_case, override, reason) => {
    const result = buildOpenIdMetadata({ ...base, ...override } as OpenIdMetadataInput);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason instanceof RegExp ? reason : new RegExp(`^${reason.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`));
  });

  it('accepts an issuer with a path, an empty query or fragment marker, and an upper-case scheme', () => {
    for (const issuer of ['https://issuer.example.com/cluster/a', 'https://issuer.example.com/?', 'HTTPS://issuer.example.com']) {
      expect(JSON.parse(built({ ...base, issuer }).configJson).issuer).toBe(issuer);
    }
  });
});

describe('jwksUriFlagProblem', () => {
  it.each([
    ['https://baz.com', undefined],
    ['https://baz.com/openid/v1/jwks', undefined],
    ['http://baz.com', 'service-account-jwks-uri requires https scheme, parsed as: http://baz.com'],
    ['https://host:port', 'service-account-jwks-uri must be a valid URL: parse "https://host:port": invalid URL'],
    ['not a url', 'service-account-jwks-uri must be a valid URL: parse "not a url": invalid URL'],
  ])('%s → %s', (uri, problem) => {
    expect(jwksUriFlagProblem(uri)).toBe(problem);
  });
});

describe('goJsonStringify', () => {
  it('escapes what Go\'s encoding/json escapes', () => {
    expect(goJsonStringify({ a: '<b>&\u2028\u2029' })).toBe('{"a":"\\u003cb\\u003e\\u0026\\u2028\\u2029"}');
  });
});
