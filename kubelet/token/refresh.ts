/**
 * When the kubelet asks for a new service-account token (upstream
 * pkg/kubelet/token/token_manager.go `requiresRefresh`, `expired`, `keyFunc`). Pure.
 */
import type { TokenRequest } from '../../pkg/client/create-token.ts';

/** Upstream `maxTTL`: no token is used for more than a day, whatever its lifetime. */
export const MAX_TTL_MS = 24 * 3_600_000;
/** Upstream `maxJitter`: refreshes spread over up to ten seconds. */
export const MAX_JITTER_MS = 10_000;

/** A cached token with the facts refreshing needs (times in ms since the epoch). */
export interface CachedToken {
  request: TokenRequest;
  token: string;
  /** `status.expirationTimestamp`. */
  expiresAt: number;
  /** The lifetime the token was issued for (`spec.expirationSeconds` of the answer, else of the request). */
  expirationSeconds: number | undefined;
  /** The pod the token is bound to (`boundObjectRef.uid`), for eviction. */
  podUid: string | undefined;
}

/** Whether the token's expiration time has passed. */
export function expired(token: CachedToken, now: number): boolean {
  return now > token.expiresAt;
}

/**
 * Whether a cached token must be replaced: older than 80 % of its lifetime or than 24 h (each
 * less `jitterMs`), or issued in the future (the clock leapt back). Without a known lifetime it
 * is kept (upstream logs and keeps it).
 */
export function requiresRefresh(token: CachedToken, now: number, jitterMs: number): boolean {
  if (token.expirationSeconds === undefined) return false;
  const ttlMs = token.expirationSeconds * 1000;
  const issuedAt = token.expiresAt - ttlMs;
  if (now > issuedAt + MAX_TTL_MS - jitterMs) return true;
  if (now > token.expiresAt - Math.floor((token.expirationSeconds * 20) / 100) * 1000 - jitterMs) return true;
  return now < issuedAt;
}

/**
 * The cache key: service account, namespace, audiences, lifetime and bound object (upstream
 * `keyFunc`), so each pod (by uid) and each projection shape has its own token. Nonconfidential.
 */
export function tokenCacheKey(namespace: string, name: string, request: TokenRequest): string {
  const { audiences = [], expirationSeconds = 0, boundObjectRef } = request.spec;
  return JSON.stringify([name, namespace, audiences, expirationSeconds, boundObjectRef ? [boundObjectRef.kind, boundObjectRef.apiVersion, boundObjectRef.name, boundObjectRef.uid] : null]);
}
