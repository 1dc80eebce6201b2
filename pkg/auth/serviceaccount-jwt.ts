/**
 * Compact JWS (RFC 7515) signing and verification of service-account JWTs with node:crypto, as
 * upstream's pkg/serviceaccount/jwt.go does with go-jose: RS256 for RSA keys, ES256/ES384/ES512
 * for the P-256/P-384/P-521 curves, and a `kid` header of upstream's key id. Symmetric and `none`
 * algorithms are never accepted. Pure (apart from the randomness of ECDSA signatures).
 */
import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

/** The signing algorithms service-account tokens use. */
export type JwtAlgorithm = 'RS256' | 'ES256' | 'ES384' | 'ES512';

const CURVE_ALGORITHMS: Readonly<Record<string, JwtAlgorithm>> = { prime256v1: 'ES256', secp384r1: 'ES384', secp521r1: 'ES512' };
const DIGESTS: Readonly<Record<JwtAlgorithm, string>> = { RS256: 'sha256', ES256: 'sha256', ES384: 'sha384', ES512: 'sha512' };

/** The JOSE header of a service-account token. */
export interface JwtHeader {
  alg: string;
  kid?: string;
  typ?: string;
}

/** A token split and decoded, its signature not yet checked. */
export interface DecodedJwt {
  header: JwtHeader;
  payload: Record<string, unknown>;
  /** `<header>.<payload>`, the bytes the signature covers. */
  signingInput: string;
  signature: Buffer;
}

/** The outcome of {@link verifyJwt}: the verified payload, or why not. */
export type JwtVerification = { ok: true; header: JwtHeader; payload: Record<string, unknown> } | { ok: false; reason: string };

/** The algorithm a key signs with; throws for key types service-account tokens do not use. Pure. */
export function algorithmFor(key: KeyObject): JwtAlgorithm {
  if (key.asymmetricKeyType === 'rsa') return 'RS256';
  if (key.asymmetricKeyType === 'ec') {
    const alg = CURVE_ALGORITHMS[key.asymmetricKeyDetails?.namedCurve ?? ''];
    if (alg) return alg;
    throw new Error(`unsupported elliptic curve ${key.asymmetricKeyDetails?.namedCurve ?? '(unknown)'}`);
  }
  throw new Error(`unsupported key type ${key.asymmetricKeyType ?? key.type}: service-account keys are RSA or ECDSA`);
}

/** The public half of a key (a public key is returned as it is). Pure. */
export function publicKeyOf(key: KeyObject): KeyObject {
  return key.type === 'private' ? createPublicKey(key) : key;
}

/** Upstream's key id (`keyIDFromPublicKey`): unpadded base64url of the SHA-256 of the PKIX DER public key. Pure. */
export function keyId(key: KeyObject): string {
  const der = publicKeyOf(key).export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('base64url');
}

/** Whether a bearer token has the shape of a JWT (three dot-separated base64url parts). Pure. */
export function looksLikeJwt(token: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(token);
}

function parseJsonPart(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Splits and decodes a compact JWS without checking the signature; undefined when it is not one. Pure. */
export function decodeJwt(token: string): DecodedJwt | undefined {
  if (!looksLikeJwt(token)) return undefined;
  const [h, p, s] = token.split('.');
  const header = parseJsonPart(h);
  const payload = parseJsonPart(p);
  if (!header || !payload || typeof header.alg !== 'string') return undefined;
  return { header: header as unknown as JwtHeader, payload, signingInput: `${h}.${p}`, signature: Buffer.from(s, 'base64url') };
}

/** Signs `claims` with `privateKey` into a compact JWS whose header carries the algorithm and key id. */
export function signJwt(claims: Record<string, unknown>, privateKey: KeyObject): string {
  if (privateKey.type !== 'private') throw new Error('signing needs a private key');
  const alg = algorithmFor(privateKey);
  const header = Buffer.from(JSON.stringify({ alg, kid: keyId(privateKey) })).toString('base64url');
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  const signature = sign(DIGESTS[alg], Buffer.from(`${header}.${payload}`), { key: privateKey, dsaEncoding: 'ieee-p1363' });
  return `${header}.${payload}.${signature.toString('base64url')}`;
}

function verifiesWith(decoded: DecodedJwt, key: KeyObject): boolean {
  let alg: JwtAlgorithm;
  try {
    alg = algorithmFor(key);
  } catch {
    return false;
  }
  if (decoded.header.alg !== alg) return false;
  try {
    return verify(DIGESTS[alg], Buffer.from(decoded.signingInput), { key: publicKeyOf(key), dsaEncoding: 'ieee-p1363' }, decoded.signature);
  } catch {
    return false;
  }
}

/**
 * Verifies a compact JWS against `publicKeys` (public or private keys): the header's algorithm
 * must be the one of the key that verifies it (so `none` and HMAC never pass). A token with a
 * `kid` is tried only against the keys of that id, one without against all (upstream's
 * `StaticPublicKeysGetter`); the failure reads as upstream's aggregate of go-jose errors. Never
 * throws. Pure.
 */
export function verifyJwt(token: string, publicKeys: readonly KeyObject[]): JwtVerification {
  const decoded = decodeJwt(token);
  if (!decoded) return { ok: false, reason: 'token is not a JWT' };
  if (!(decoded.header.alg in DIGESTS)) return { ok: false, reason: `unexpected signature algorithm "${decoded.header.alg}"` };
  const kid = decoded.header.kid;
  const candidates = kid ? publicKeys.filter((k) => keyId(k) === kid) : publicKeys;
  if (candidates.length === 0) return { ok: false, reason: 'invalid signature, no keys found' };
  for (const key of candidates) {
    if (verifiesWith(decoded, key)) return { ok: true, header: decoded.header, payload: decoded.payload };
  }
  // go-jose's message for a signature a key does not verify, one per key tried (Go's aggregate).
  const failure = 'go-jose/go-jose: error in cryptographic primitive';
  return { ok: false, reason: candidates.length === 1 ? failure : `[${candidates.map(() => failure).join(', ')}]` };
}

/** Reads a PEM private key (PKCS#1, PKCS#8 or SEC1). */
export function parsePrivateKeyPem(pem: string | Buffer): KeyObject {
  return createPrivateKey(pem);
}

/**
 * Reads every key of a PEM bundle that can verify: public keys, certificates' keys and private
 * keys (their public halves), as upstream's `keyutil.ParsePublicKeysPEM`. Throws when there is none.
 */
export function parsePublicKeysPem(pem: string | Buffer): KeyObject[] {
  const text = pem.toString();
  const blocks = text.match(/-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g) ?? [];
  const keys: KeyObject[] = [];
  for (const block of blocks) {
    const type = /-----BEGIN ([A-Z0-9 ]+)-----/.exec(block)?.[1] ?? '';
    if (type === 'EC PARAMETERS') continue;
    const key = type.includes('PRIVATE KEY') ? createPublicKey(createPrivateKey(block)) : createPublicKey(block);
    algorithmFor(key);
    keys.push(key);
  }
  if (keys.length === 0) throw new Error('data does not contain any valid RSA or ECDSA public keys');
  return keys;
}
