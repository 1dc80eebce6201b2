/**
 * Detached JWS (RFC 7515, compact serialization with the payload left out: `header..signature`)
 * with HS256 keyed by a bootstrap token's secret, as upstream's bootstrap signer writes into
 * `cluster-info` (`jws-kubeconfig-<token-id>`) and `kubeadm join` verifies. Pure.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64url');

/** Signs `content` and returns `<header>..<signature>` (header `{"alg":"HS256","kid":<tokenId>}`). Pure. */
export function computeDetachedSignature(content: string, tokenId: string, tokenSecret: string): string {
  const header = b64url(JSON.stringify({ alg: 'HS256', kid: tokenId }));
  const signature = createHmac('sha256', tokenSecret).update(`${header}.${b64url(content)}`).digest();
  return `${header}..${b64url(signature)}`;
}

/**
 * Whether `detached` is a valid HS256 signature of `content` by this token: the header must say
 * HS256 (and, when it names a `kid`, this token id). Never throws. Pure.
 */
export function verifyDetachedSignature(content: string, detached: string, tokenId: string, tokenSecret: string): boolean {
  const parts = detached.split('.');
  if (parts.length !== 3 || parts[1] !== '') return false;
  let header: { alg?: unknown; kid?: unknown };
  try {
    header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8')) as typeof header;
  } catch {
    return false;
  }
  if (header.alg !== 'HS256' || (header.kid !== undefined && header.kid !== tokenId)) return false;
  const expected = createHmac('sha256', tokenSecret).update(`${parts[0]}.${b64url(content)}`).digest();
  const given = Buffer.from(parts[2], 'base64url');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
