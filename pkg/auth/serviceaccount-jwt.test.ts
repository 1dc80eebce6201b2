import { createHash, createHmac, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { algorithmFor, decodeJwt, keyId, looksLikeJwt, parsePublicKeysPem, signJwt, verifyJwt } from './serviceaccount-jwt.ts';

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
const claims = { iss: 'https://issuer', sub: 'system:serviceaccount:default:x', aud: ['api'], exp: 2_000_000_000 };

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

describe('service-account JWTs', () => {
  it('signs RSA keys with RS256 and P-256 keys with ES256, with upstream key ids', () => {
    expect(algorithmFor(rsa.privateKey)).toBe('RS256');
    expect(algorithmFor(ec.privateKey)).toBe('ES256');
    const der = rsa.publicKey.export({ type: 'spki', format: 'der' });
    expect(keyId(rsa.privateKey)).toBe(createHash('sha256').update(der).digest('base64url'));
    expect(keyId(rsa.privateKey)).not.toMatch(/=/);
    const token = signJwt(claims, ec.privateKey);
    expect(looksLikeJwt(token)).toBe(true);
    expect(decodeJwt(token)?.header).toEqual({ alg: 'ES256', kid: keyId(ec.publicKey) });
    // ES256 signatures are raw r||s (64 bytes), as JWS requires.
    expect(decodeJwt(token)?.signature.length).toBe(64);
  });

  it('verifies with the right key and returns the payload', () => {
    for (const pair of [rsa, ec]) {
      const v = verifyJwt(signJwt(claims, pair.privateKey), [other.publicKey, pair.publicKey]);
      expect(v).toEqual({ ok: true, header: expect.objectContaining({ kid: keyId(pair.publicKey) }), payload: claims });
    }
    // A private key verifies too (its public half).
    expect(verifyJwt(signJwt(claims, rsa.privateKey), [rsa.privateKey]).ok).toBe(true);
  });

  it('rejects a wrong key, a tampered payload, alg none and HMAC', () => {
    const token = signJwt(claims, rsa.privateKey);
    // A kid names the key to use: another key is not even tried.
    expect(verifyJwt(token, [other.publicKey])).toEqual({ ok: false, reason: 'invalid signature, no keys found' });
    const [h, p, s] = token.split('.');
    // Without a kid every key is tried.
    const noKid = `${b64({ alg: 'RS256' })}.${p}`;
    const otherSigned = signJwt(claims, other.privateKey).split('.')[2];
    expect(verifyJwt(`${noKid}.${otherSigned}`, [rsa.publicKey, ec.publicKey])).toEqual({ ok: false, reason: '[go-jose/go-jose: error in cryptographic primitive, go-jose/go-jose: error in cryptographic primitive]' });
    // A forged kid naming our key does not help a signature by another key.
    expect(verifyJwt(`${h}.${p}.${otherSigned}`, [rsa.publicKey])).toEqual({ ok: false, reason: 'go-jose/go-jose: error in cryptographic primitive' });
    expect(verifyJwt(`${h}.${b64({ ...claims, sub: 'system:serviceaccount:kube-system:admin' })}.${s}`, [rsa.publicKey]).ok).toBe(false);
    expect(verifyJwt(`${b64({ alg: 'none' })}.${b64(claims)}.`, [rsa.publicKey])).toEqual({ ok: false, reason: 'unexpected signature algorithm "none"' });
    // HS256 keyed with the public key's PEM (the classic confusion attack).
    const hs = `${b64({ alg: 'HS256' })}.${b64(claims)}`;
    const mac = createHmac('sha256', rsa.publicKey.export({ type: 'spki', format: 'pem' })).update(hs).digest('base64url');
    expect(verifyJwt(`${hs}.${mac}`, [rsa.publicKey]).ok).toBe(false);
    // An RS256 header on an EC signature.
    const ecToken = signJwt(claims, ec.privateKey).split('.');
    expect(verifyJwt(`${b64({ alg: 'RS256' })}.${ecToken[1]}.${ecToken[2]}`, [ec.publicKey, rsa.publicKey]).ok).toBe(false);
    expect(verifyJwt('not-a-jwt', [rsa.publicKey]).ok).toBe(false);
  });

  it('reads public keys, certificates and private keys from PEM bundles', () => {
    const pem = `${rsa.publicKey.export({ type: 'spki', format: 'pem' })}${ec.privateKey.export({ type: 'sec1', format: 'pem' })}`;
    const keys = parsePublicKeysPem(pem);
    expect(keys.map((k) => keyId(k))).toEqual([keyId(rsa.publicKey), keyId(ec.publicKey)]);
    expect(() => parsePublicKeysPem('nothing here')).toThrow('data does not contain any valid RSA or ECDSA public keys');
  });
});
