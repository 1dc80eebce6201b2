/**
 * TokenReview answers (upstream's TokenReview REST): the server's token authenticators — static
 * tokens, bootstrap tokens, service-account tokens; never certificates — run on the spec's token
 * for the spec's audiences (default: the API audiences). The static and bootstrap authenticators
 * know no audiences: they apply only when the asked audiences include an API audience (upstream
 * `WrapAudienceAgnosticToken`) and then answer with those.
 */
import { authenticate } from '../../pkg/auth/authenticate.ts';
import type { TokenReviewStatus } from '../../pkg/api/authentication/v1/token-review.ts';
import { bootstrapCheck, serviceAccountCheck, type RequestAuthConfig } from './request-guard.ts';

/** Reviews one token for `audiences` (empty or absent: the API audiences). */
export type TokenReviewer = (token: string, audiences: readonly string[] | undefined) => Promise<TokenReviewStatus>;

/** Go's aggregate error text: the one message, or `[a, b]`. Pure. */
export function aggregateError(messages: readonly string[]): string {
  return messages.length === 1 ? messages[0] : `[${messages.join(', ')}]`;
}

/** The API audiences among the asked ones (undefined: nothing asked, no audience check). Pure. */
export function audienceAgnosticAudiences(apiAudiences: readonly string[], asked: readonly string[]): string[] | undefined {
  if (asked.length === 0) return undefined;
  return apiAudiences.filter((a, i) => asked.includes(a) && apiAudiences.indexOf(a) === i);
}

/** A reviewer over the server's authenticators. */
export function createTokenReviewer(config: Omit<RequestAuthConfig, 'authorizer'>): TokenReviewer {
  const apiAudiences = config.serviceAccountTokens?.settings.apiAudiences ?? [];
  return async (token, specAudiences) => {
    const asked = specAudiences?.length ? [...specAudiences] : [...apiAudiences];
    const agnostic = audienceAgnosticAudiences(apiAudiences, asked);
    const agnosticApplies = agnostic === undefined || agnostic.length > 0;
    const header = `Bearer ${token}`;
    const tokens = agnosticApplies ? config.tokens : undefined;
    const [bootstrap, serviceAccount] = await Promise.all([
      agnosticApplies ? bootstrapCheck(config, header) : undefined,
      tokens?.has(token) ? undefined : serviceAccountCheck(config, token, asked.length ? asked : undefined),
    ]);
    const result = authenticate({ authorization: header, tokens, bootstrap, serviceAccount });
    if (result.kind === 'failed') return { authenticated: false, error: aggregateError(result.reasons) };
    if (result.kind !== 'user') return { authenticated: false };
    const { user } = result;
    const audiences = result.method === 'serviceaccount-token' && serviceAccount?.ok ? serviceAccount.audiences : agnostic;
    return {
      authenticated: true,
      user: { username: user.username, ...(user.uid ? { uid: user.uid } : {}), groups: user.groups, ...(user.extra && Object.keys(user.extra).length ? { extra: user.extra } : {}) },
      ...(audiences ? { audiences } : {}),
    };
  };
}
