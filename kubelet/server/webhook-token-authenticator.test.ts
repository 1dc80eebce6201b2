import { describe, expect, it } from 'vitest';
import type { TokenReview, TokenReviewStatus } from '../../pkg/api/authentication/v1/token-review.ts';
import { tokenReviewFor, tokenReviewOutcome, webhookTokenAuthenticator } from './webhook-token-authenticator.ts';

const answered = (status: TokenReviewStatus): TokenReview => ({ ...tokenReviewFor('t'), status });

/** A fake API server: knows the tokens in `users`, refuses others (with `error` when set); counts reviews; `fail` makes it throw. */
function fakeApi(users: Record<string, string>, error?: string) {
  const state = { asked: [] as string[], fail: false };
  const send = async (review: TokenReview): Promise<TokenReview> => {
    state.asked.push(review.spec.token ?? '');
    if (state.fail) throw new Error('connection refused');
    const username = users[review.spec.token ?? ''];
    return { ...review, status: username ? { authenticated: true, user: { username, uid: `uid-${username}`, groups: ['system:serviceaccounts', 'system:authenticated'] } } : { authenticated: false, ...(error ? { error } : {}) } };
  };
  return { state, send };
}

describe('tokenReviewFor', () => {
  it('asks whose the token is, with no audiences (the API server\'s own), as upstream\'s kubelet', () => {
    expect(tokenReviewFor('abc')).toEqual({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', metadata: {}, spec: { token: 'abc' } });
  });
});

describe('tokenReviewOutcome', () => {
  it.each([
    [
      'authenticated → status.user, extra kept',
      { authenticated: true, user: { username: 'system:serviceaccount:ns:sa', uid: 'u1', groups: ['system:serviceaccounts'], extra: { 'authentication.kubernetes.io/pod-name': ['p'] } } },
      { check: { ok: true, user: { username: 'system:serviceaccount:ns:sa', uid: 'u1', groups: ['system:serviceaccounts'], extra: { 'authentication.kubernetes.io/pod-name': ['p'] } } }, cacheable: true },
    ],
    ['authenticated without groups or uid', { authenticated: true, user: { username: 'bob' } }, { check: { ok: true, user: { username: 'bob', groups: [] } }, cacheable: true }],
    ['not authenticated → upstream\'s "invalid bearer token", kept', { authenticated: false }, { check: { ok: false, reason: 'invalid bearer token' }, cacheable: true }],
    ['no status → not authenticated', undefined, { check: { ok: false, reason: 'invalid bearer token' }, cacheable: true }],
    ['status.error → that reason, an error upstream\'s cache does not keep', { authenticated: false, error: 'service account token has expired' }, { check: { ok: false, reason: 'service account token has expired' }, cacheable: false }],
  ])('%s', (_name, status, outcome) => expect(tokenReviewOutcome(answered(status as TokenReviewStatus))).toEqual(outcome));
});

describe('webhookTokenAuthenticator', () => {
  it('reuses both authenticated and unauthenticated answers for the TTL (default 2 minutes)', async () => {
    let now = 0;
    const api = fakeApi({ good: 'alice' });
    const authenticate = webhookTokenAuthenticator(api.send, { now: () => now });
    expect(await authenticate('good')).toEqual({ ok: true, user: { username: 'alice', uid: 'uid-alice', groups: ['system:serviceaccounts', 'system:authenticated'] } });
    expect(await authenticate('bad')).toEqual({ ok: false, reason: 'invalid bearer token' });
    now = 119_999;
    expect((await authenticate('good')).ok).toBe(true);
    expect((await authenticate('bad')).ok).toBe(false);
    expect(api.state.asked).toEqual(['good', 'bad']);
    now = 120_000;
    expect((await authenticate('good')).ok).toBe(true);
    expect((await authenticate('bad')).ok).toBe(false);
    expect(api.state.asked).toEqual(['good', 'bad', 'good', 'bad']);
  });

  it('takes the TTL from the options; 0 reuses nothing', async () => {
    let now = 0;
    const api = fakeApi({ good: 'alice' });
    const short = webhookTokenAuthenticator(api.send, { now: () => now, ttlMs: 10_000 });
    await short('good');
    now = 9_999;
    await short('good');
    expect(api.state.asked).toHaveLength(1);
    now = 10_000;
    await short('good');
    expect(api.state.asked).toHaveLength(2);
    const none = webhookTokenAuthenticator(api.send, { now: () => now, ttlMs: 0 });
    await none('good');
    await none('good');
    expect(api.state.asked).toHaveLength(4);
  });

  it('shares one review between identical tokens in flight, not between different ones', async () => {
    const api = fakeApi({ good: 'alice' });
    const authenticate = webhookTokenAuthenticator(api.send);
    const checks = await Promise.all([authenticate('good'), authenticate('good'), authenticate('good'), authenticate('bad')]);
    expect(checks.map((c) => c.ok)).toEqual([true, true, true, false]);
    expect(api.state.asked).toEqual(['good', 'bad']);
  });

  it('a review without an answer is "not authenticated" with the cause, and is asked again next time', async () => {
    const api = fakeApi({ good: 'alice' });
    const authenticate = webhookTokenAuthenticator(api.send);
    api.state.fail = true;
    expect(await authenticate('good')).toEqual({ ok: false, reason: 'webhook token authenticator: connection refused' });
    api.state.fail = false;
    expect((await authenticate('good')).ok).toBe(true);
    expect(api.state.asked).toEqual(['good', 'good']);
  });

  it('does not keep answers that carry status.error (upstream caches no errors)', async () => {
    const api = fakeApi({}, 'invalid bearer token');
    const authenticate = webhookTokenAuthenticator(api.send);
    expect(await authenticate('bad')).toEqual({ ok: false, reason: 'invalid bearer token' });
    expect(await authenticate('bad')).toEqual({ ok: false, reason: 'invalid bearer token' });
    expect(api.state.asked).toEqual(['bad', 'bad']);
  });

  it('keeps at most maxEntries answers, dropping the oldest', async () => {
    const api = fakeApi({ a: 'a', b: 'b', c: 'c' });
    const authenticate = webhookTokenAuthenticator(api.send, { maxEntries: 2 });
    for (const t of ['a', 'b', 'c']) await authenticate(t);
    await authenticate('c');
    await authenticate('b');
    expect(api.state.asked).toHaveLength(3);
    await authenticate('a');
    expect(api.state.asked).toHaveLength(4);
  });
});
