import { describe, expect, it } from 'vitest';
import type { SubjectAccessReview } from '../../pkg/api/authorization/v1/subject-access-review.ts';
import type { KubeletRequestAttributes } from './auth.ts';
import { accessReviewFor, webhookAuthorizer } from './webhook-authorizer.ts';

const attrs = (username: string, subresource = 'proxy'): KubeletRequestAttributes => ({ user: { username, uid: '7', groups: ['system:authenticated'] }, verb: 'get', resource: 'nodes', subresource, name: 'n1' });

/** A fake API server: allows the users in `allowed`, counts reviews; `fail` makes it throw. */
function fakeApi(allowed: Set<string>) {
  const state = { asked: 0, fail: false };
  const send = async (review: SubjectAccessReview): Promise<SubjectAccessReview> => {
    state.asked++;
    if (state.fail) throw new Error('connection refused');
    return { ...review, status: { allowed: allowed.has(review.spec.user ?? '') } };
  };
  return { state, send };
}

describe('accessReviewFor', () => {
  it('asks about nodes/<subresource> of this node for the caller, as upstream\'s kubelet', () => {
    expect(accessReviewFor(attrs('alice', 'stats'))).toEqual({
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SubjectAccessReview',
      metadata: {},
      spec: { resourceAttributes: { namespace: '', verb: 'get', group: '', version: 'v1', resource: 'nodes', subresource: 'stats', name: 'n1' }, user: 'alice', groups: ['system:authenticated'], uid: '7' },
    });
  });
});

describe('webhookAuthorizer', () => {
  it('answers from the review and reuses an allow for 5 minutes, a deny for 30 seconds', async () => {
    let now = 0;
    const api = fakeApi(new Set(['alice']));
    const authorize = webhookAuthorizer(api.send, { now: () => now });
    expect(await authorize(attrs('alice'))).toBe(true);
    expect(await authorize(attrs('bob'))).toBe(false);
    expect(api.state.asked).toBe(2);
    now = 29_999;
    expect([await authorize(attrs('alice')), await authorize(attrs('bob'))]).toEqual([true, false]);
    expect(api.state.asked).toBe(2);
    now = 30_000;
    expect(await authorize(attrs('bob'))).toBe(false);
    expect(api.state.asked).toBe(3);
    now = 300_000;
    expect(await authorize(attrs('alice'))).toBe(true);
    expect(api.state.asked).toBe(4);
    // Another subresource is another question.
    expect(await authorize(attrs('alice', 'stats'))).toBe(true);
    expect(api.state.asked).toBe(5);
  });

  it('shares one review between identical questions in flight', async () => {
    const api = fakeApi(new Set(['alice']));
    const authorize = webhookAuthorizer(api.send);
    expect(await Promise.all([authorize(attrs('alice')), authorize(attrs('alice')), authorize(attrs('alice'))])).toEqual([true, true, true]);
    expect(api.state.asked).toBe(1);
  });

  it('throws when the API server does not answer, and asks again next time', async () => {
    const api = fakeApi(new Set(['alice']));
    const authorize = webhookAuthorizer(api.send);
    api.state.fail = true;
    await expect(authorize(attrs('alice'))).rejects.toThrow('connection refused');
    api.state.fail = false;
    expect(await authorize(attrs('alice'))).toBe(true);
    expect(api.state.asked).toBe(2);
  });

  it('keeps at most maxEntries answers, dropping the oldest', async () => {
    const api = fakeApi(new Set(['a', 'b', 'c']));
    const authorize = webhookAuthorizer(api.send, { maxEntries: 2 });
    for (const u of ['a', 'b', 'c']) await authorize(attrs(u));
    await authorize(attrs('c'));
    await authorize(attrs('b'));
    expect(api.state.asked).toBe(3);
    await authorize(attrs('a'));
    expect(api.state.asked).toBe(4);
  });
});

describe('accessReviewFor a token user', () => {
  it('passes the user\'s extra on, as upstream\'s kubelet does', () => {
    const extra = { 'authentication.kubernetes.io/pod-name': ['web-0'] };
    const review = accessReviewFor({ ...attrs('system:serviceaccount:ns:sa', 'metrics'), user: { username: 'system:serviceaccount:ns:sa', groups: ['system:serviceaccounts'], extra } });
    expect(review.spec).toMatchObject({ user: 'system:serviceaccount:ns:sa', groups: ['system:serviceaccounts'], extra });
    expect(accessReviewFor(attrs('alice')).spec).not.toHaveProperty('extra');
  });
});
