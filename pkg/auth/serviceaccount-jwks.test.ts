import { createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { decodeJwt, keyId, signJwt } from './serviceaccount-jwt.ts';
import { publicJwk, publicJwks } from './serviceaccount-jwks.ts';

// Upstream's test vectors (pkg/serviceaccount/jwt_test.go): public keys and the key ids upstream computes for them.
const UPSTREAM_RSA_PUBLIC = `-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA249XwEo9k4tM8fMxV7zx
OhcrP+WvXn917koM5Qr2ZXs4vo26e4ytdlrV0bQ9SlcLpQVSYjIxNfhTZdDt+ecI
zshKuv1gKIxbbLQMOuK1eA/4HALyEkFgmS/tleLJrhc65tKPMGD+pKQ/xhmzRuCG
51RoiMgbQxaCyYxGfNLpLAZK9L0Tctv9a0mJmGIYnIOQM4kC1A1I1n3EsXMWmeJU
j7OTh/AjjCnMnkgvKT2tpKxYQ59PgDgU8Ssc7RDSmSkLxnrv+OrN80j6xrw0OjEi
B4Ycr0PqfzZcvy8efTtFQ/Jnc4Bp1zUtFXt7+QeevePtQ2EcyELXE0i63T1CujRM
WwIDAQAB
-----END PUBLIC KEY-----
`;
const UPSTREAM_RSA_KID = 'JHJehTTTZlsspKHT-GaJxK7Kd1NQgZJu3fyK6K_QDYU';
const UPSTREAM_ECDSA_PUBLIC = `-----BEGIN PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEH6cuzP8XuD5wal6wf9M6xDljTOPL
X2i8uIp/C/ASqiIGUeeKQtX0/IR3qCXyThP/dbCiHrF3v1cuhBOHY8CLVg==
-----END PUBLIC KEY-----
`;
const UPSTREAM_ECDSA_KID = 'SoABiieYuNx4UdqYvZRVeuC6SihxgLrhLy9peHMHpTc';

/** What a relying party accepts as a public signing JWK (no private members). */
const PublicJwkSchema = z
  .object({ use: z.literal('sig'), kty: z.enum(['RSA', 'EC']), kid: z.string().min(1), alg: z.string(), crv: z.string().optional(), x: z.string().optional(), y: z.string().optional(), n: z.string().optional(), e: z.string().optional() })
  .strict();

describe('publicJwk', () => {
  it.each([
    ['RSA', UPSTREAM_RSA_PUBLIC, UPSTREAM_RSA_KID],
    ['ECDSA P-256', UPSTREAM_ECDSA_PUBLIC, UPSTREAM_ECDSA_KID],
  ])('gives %s keys the key id upstream computes', (_kind, pem, kid) => {
    const key = createPublicKey(pem);
    expect(keyId(key)).toBe(kid);
    expect(publicJwk(key).kid).toBe(kid);
  });

  it('writes go-jose\'s members in go-jose\'s order: RSA', () => {
    const jwk = publicJwk(createPublicKey(UPSTREAM_RSA_PUBLIC));
    expect(Object.keys(jwk)).toEqual(['use', 'kty', 'kid', 'alg', 'n', 'e']);
    expect(jwk).toMatchObject({ use: 'sig', kty: 'RSA', alg: 'RS256', e: 'AQAB' });
    expect(Buffer.from(jwk.n as string, 'base64url')).toHaveLength(256);
  });

  it.each([
    ['prime256v1', 'P-256', 'ES256', 32],
    ['secp384r1', 'P-384', 'ES384', 48],
    ['secp521r1', 'P-521', 'ES512', 66],
  ])('writes %s keys as %s / %s with coordinates of the full curve size', (namedCurve, crv, alg, bytes) => {
    for (let i = 0; i < 4; i++) {
      const { privateKey } = generateKeyPairSync('ec', { namedCurve });
      const jwk = publicJwk(privateKey);
      expect(Object.keys(jwk)).toEqual(['use', 'kty', 'kid', 'crv', 'alg', 'x', 'y']);
      expect(jwk).toMatchObject({ use: 'sig', kty: 'EC', crv, alg, kid: keyId(privateKey) });
      expect(Buffer.from(jwk.x as string, 'base64url')).toHaveLength(bytes);
      expect(Buffer.from(jwk.y as string, 'base64url')).toHaveLength(bytes);
    }
  });

  it.each([
    ['rsa', () => generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey],
    ['ec', () => generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey],
  ])('publishes only the public half of a %s private key, and it verifies tokens the key signs (kid = token kid)', (_kind, make) => {
    const privateKey = make();
    const jwk = PublicJwkSchema.parse(publicJwk(privateKey));
    const token = signJwt({ sub: 'x' }, privateKey);
    const decoded = decodeJwt(token)!;
    expect(decoded.header.kid).toBe(jwk.kid);
    expect(decoded.header.alg).toBe(jwk.alg);
    const verifier = createPublicKey({ key: jwk, format: 'jwk' });
    expect(verify('sha256', Buffer.from(decoded.signingInput), { key: verifier, dsaEncoding: 'ieee-p1363' }, decoded.signature)).toBe(true);
  });

  it('refuses key types tokens are not signed with', () => {
    expect(() => publicJwk(generateKeyPairSync('ed25519').publicKey)).toThrow(/unsupported key type/);
  });
});

describe('publicJwks', () => {
  it('keeps every key, in order, duplicates included (as upstream)', () => {
    const rsa = createPublicKey(UPSTREAM_RSA_PUBLIC);
    const ec = createPublicKey(UPSTREAM_ECDSA_PUBLIC);
    expect(publicJwks([rsa, ec, rsa]).keys.map((k) => k.kid)).toEqual([UPSTREAM_RSA_KID, UPSTREAM_ECDSA_KID, UPSTREAM_RSA_KID]);
    expect(publicJwks([])).toEqual({ keys: [] });
  });
});
