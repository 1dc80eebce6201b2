/**
 * The kubelet's `--authentication-token-webhook`: a bearer token presented to its API is
 * authenticated by the API server's answer to a TokenReview (upstream's webhook token
 * authenticator behind its token cache). Answers are kept for `--authentication-token-webhook-cache-ttl`
 * (default 2 min) under an HMAC of the token, never the token itself; identical reviews in flight
 * share one call.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { TokenReview } from '../../pkg/api/authentication/v1/token-review.ts';
import type { TokenCheck } from '../../pkg/auth/authenticate.ts';
import type { RestClient } from '../../pkg/client/rest.ts';

/** Upstream's `--authentication-token-webhook-cache-ttl` default (2m0s). */
export const DEFAULT_TOKEN_WEBHOOK_CACHE_TTL_MS = 2 * 60_000;

/** Sends a review to the API server and returns the answered one; throws when there is no answer. */
export type SendTokenReview = (review: TokenReview) => Promise<TokenReview>;

/** Reviews created through the API server `rest` talks to (the kubelet's own identity, which may create them). */
export function sendTokenReviewsTo(rest: Pick<RestClient, 'request'>): SendTokenReview {
  return (review) => rest.request<TokenReview>({ method: 'POST', path: '/apis/authentication.k8s.io/v1/tokenreviews', body: review });
}

/**
 * Authenticates one bearer token. Never rejects: a review that could not be made is an
 * `{ ok: false }` whose reason says why (the request then gets 401, as upstream's).
 */
export type TokenAuthenticator = (token: string) => Promise<TokenCheck>;

/** Cache settings of {@link webhookTokenAuthenticator}. */
export interface WebhookTokenAuthenticatorOptions {
  /** How long an answer is reused, authenticated or not (default 2 min; 0 = not at all). */
  ttlMs?: number;
  /** Answers kept at most (default 4,096; the oldest goes first). */
  maxEntries?: number;
  now?: () => number;
  /** Where failed reviews are reported (default: nowhere). */
  log?: Logger;
}

/** The review asking whose `token` is (no audiences: the API server's own, as upstream's kubelet asks). Pure. */
export function tokenReviewFor(token: string): TokenReview {
  return { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', metadata: {}, spec: { token } };
}

/** What an answered review says, and whether upstream's token cache would keep it. */
export interface TokenReviewOutcome {
  check: TokenCheck;
  /**
   * False when the answer carries `status.error`: upstream's webhook turns that into an error,
   * and its cache keeps no errors. Authenticated answers and plain "not authenticated" are kept.
   */
  cacheable: boolean;
}

/**
 * The verdict of an answered review (upstream's webhook authenticator): `status.authenticated`
 * → `status.user` (username, uid, groups, extra); otherwise not authenticated, because of
 * `status.error` when the API server gave one ("invalid bearer token" when not, as upstream's
 * bearer-token authenticator says). Pure.
 */
export function tokenReviewOutcome(review: TokenReview): TokenReviewOutcome {
  const status = review.status;
  if (status?.authenticated === true) {
    const u = status.user ?? {};
    const user = { username: u.username ?? '', ...(u.uid ? { uid: u.uid } : {}), groups: [...(u.groups ?? [])], ...(u.extra && Object.keys(u.extra).length ? { extra: u.extra } : {}) };
    return { check: { ok: true, user }, cacheable: true };
  }
  if (status?.error) return { check: { ok: false, reason: status.error }, cacheable: false };
  return { check: { ok: false, reason: 'invalid bearer token' }, cacheable: true };
}

/** A keyed HMAC-SHA256 of the token: cache keys that do not give the token away. */
function tokenKeyer(): (token: string) => string {
  const secret = randomBytes(32);
  return (token) => createHmac('sha256', secret).update(token).digest('base64');
}

/** A {@link TokenAuthenticator} asking the API server through `send`, cached as upstream's kubelet caches. */
export function webhookTokenAuthenticator(send: SendTokenReview, options: WebhookTokenAuthenticatorOptions = {}): TokenAuthenticator {
  const { ttlMs = DEFAULT_TOKEN_WEBHOOK_CACHE_TTL_MS, maxEntries = 4096, now = Date.now, log } = options;
  const keyOf = tokenKeyer();
  const answers = new Map<string, { expires: number; check: Promise<TokenCheck> }>();
  const review = async (token: string): Promise<TokenReviewOutcome> => {
    try {
      return tokenReviewOutcome(await send(tokenReviewFor(token)));
    } catch (err) {
      log?.warn({ err }, 'TokenReview failed');
      return { check: { ok: false, reason: `webhook token authenticator: ${(err as Error).message}` }, cacheable: false };
    }
  };
  return (token) => {
    const key = keyOf(token);
    const cached = answers.get(key);
    if (cached && cached.expires > now()) return cached.check;
    answers.delete(key);
    const outcome = review(token);
    // Pending: shared until answered; then kept for the TTL, or dropped when not cacheable.
    const entry = { expires: Number.POSITIVE_INFINITY, check: outcome.then((o) => o.check) };
    answers.set(key, entry);
    if (answers.size > maxEntries) answers.delete(answers.keys().next().value as string);
    void outcome.then((o) => {
      if (o.cacheable && ttlMs > 0) entry.expires = now() + ttlMs;
      else if (answers.get(key) === entry) answers.delete(key);
    });
    return entry.check;
  };
}
