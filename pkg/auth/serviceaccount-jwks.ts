/**
 * Public JSON Web Keys (RFC 7517) of service-account verification keys, as upstream's
 * pkg/serviceaccount/openidmetadata.go builds them with go-jose: `use: sig`, the key id of
 * {@link keyId} (so it equals the `kid` header of tokens the key signs), the algorithm of
 * {@link algorithmFor}, and go-jose's member order. Pure.
 */
import type { KeyObject } from 'node:crypto';
import { algorithmFor, keyId, publicKeyOf, type JwtAlgorithm } from './serviceaccount-jwt.ts';

/**
 * One public key in go-jose's member order (`use`, `kty`, `kid`, `crv`, `alg`, `x`, `y`, `n`,
 * `e`): RSA keys carry `n`/`e`, ECDSA keys `crv`/`x`/`y` (coordinates padded to the curve size).
 * Never holds private members.
 */
export interface PublicJwk {
  use: 'sig';
  kty: 'RSA' | 'EC';
  kid: string;
  crv?: string;
  alg: JwtAlgorithm;
  x?: string;
  y?: string;
  n?: string;
  e?: string;
}

/** A JSON Web Key Set: what `/openid/v1/jwks` serves. */
export interface PublicJwks {
  keys: PublicJwk[];
}

/** The public JWK of `key` (a private key contributes its public half); throws for key types tokens do not use. Pure. */
export function publicJwk(key: KeyObject): PublicJwk {
  const alg = algorithmFor(key);
  const pub = publicKeyOf(key);
  const raw = pub.export({ format: 'jwk' });
  const kid = keyId(pub);
  if (raw.kty === 'RSA') return { use: 'sig', kty: 'RSA', kid, alg, n: raw.n as string, e: raw.e as string };
  return { use: 'sig', kty: 'EC', kid, crv: raw.crv as string, alg, x: raw.x as string, y: raw.y as string };
}

/** The key set of `keys`, in order, duplicates kept (upstream does not merge them). Pure. */
export function publicJwks(keys: readonly KeyObject[]): PublicJwks {
  return { keys: keys.map(publicJwk) };
}
