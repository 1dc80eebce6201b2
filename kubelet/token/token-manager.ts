/**
 * The kubelet's service-account token manager (upstream pkg/kubelet/token `Manager`): hands out
 * TokenRequest tokens for pods' projected `serviceAccountToken` volumes from a cache, asks the
 * API server again when {@link requiresRefresh} says so, keeps serving a still valid token when
 * a refresh fails, drops a pod's tokens when the pod goes away and expired tokens on
 * {@link TokenManager.cleanup} (the kubelet calls it every minute).
 */
import type { Logger } from 'pino';
import type { TokenRequest } from '../../pkg/client/create-token.ts';
import type { Clock } from '../../pkg/workqueue/index.ts';
import { expired, MAX_JITTER_MS, requiresRefresh, tokenCacheKey, type CachedToken } from './refresh.ts';

/** The TokenRequest call: `POST …/serviceaccounts/{name}/token` in `namespace`. */
export type GetToken = (namespace: string, name: string, request: TokenRequest) => Promise<TokenRequest>;

/** What {@link TokenManager} is built from. */
export interface TokenManagerOptions {
  getToken: GetToken;
  clock: Pick<Clock, 'now'>;
  log?: Pick<Logger, 'error'>;
  /** A jitter in [0, {@link MAX_JITTER_MS}) ms for each refresh decision (default random). */
  jitter?: () => number;
}

/** See the module comment. */
export class TokenManager {
  private readonly cache = new Map<string, CachedToken>();
  private readonly jitter: () => number;

  constructor(private readonly options: TokenManagerOptions) {
    this.jitter = options.jitter ?? (() => Math.floor(Math.random() * (MAX_JITTER_MS / 1000)) * 1000);
  }

  /**
   * A token for service account `name` in `namespace` as `request` asks: the cached one unless it
   * needs a refresh; on a failed refresh the cached one while it has not expired. Rejects with
   * upstream's `failed to fetch token: …` or `token … expired and refresh failed: …`.
   */
  async getServiceAccountToken(namespace: string, name: string, request: TokenRequest): Promise<CachedToken> {
    const key = tokenCacheKey(namespace, name, request);
    const cached = this.cache.get(key);
    const now = this.options.clock.now();
    if (cached && !requiresRefresh(cached, now, this.jitter())) return cached;
    let answer: TokenRequest;
    try {
      answer = await this.options.getToken(namespace, name, request);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (!cached) throw new Error(`failed to fetch token: ${message}`);
      if (expired(cached, this.options.clock.now())) throw new Error(`token ${key} expired and refresh failed: ${message}`);
      this.options.log?.error({ err, cacheKey: key }, "Couldn't update token");
      return cached;
    }
    const fresh = toCached(request, answer);
    this.cache.set(key, fresh);
    return fresh;
  }

  /** Forgets every token bound to the pod (upstream `DeleteServiceAccountToken`). */
  deleteServiceAccountToken(podUid: string): void {
    for (const [key, token] of this.cache) if (token.podUid === podUid) this.cache.delete(key);
  }

  /** Forgets expired tokens. */
  cleanup(): void {
    const now = this.options.clock.now();
    for (const [key, token] of this.cache) if (expired(token, now)) this.cache.delete(key);
  }

  /** How many tokens are cached (for tests and metrics). */
  get size(): number {
    return this.cache.size;
  }
}

function toCached(request: TokenRequest, answer: TokenRequest): CachedToken {
  const token = answer.status?.token;
  const expiresAt = Date.parse(answer.status?.expirationTimestamp ?? '');
  if (!token || Number.isNaN(expiresAt)) throw new Error('failed to fetch token: the TokenRequest answer has no token or expiration timestamp');
  return {
    request,
    token,
    expiresAt,
    expirationSeconds: answer.spec?.expirationSeconds ?? request.spec.expirationSeconds,
    podUid: answer.spec?.boundObjectRef?.uid ?? request.spec.boundObjectRef?.uid,
  };
}
