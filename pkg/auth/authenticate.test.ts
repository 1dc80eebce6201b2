import { describe, expect, it } from 'vitest';
import { authenticate, bearerToken, userFromCertificate, verifiedCertificateUser, type AuthenticationInput, type AuthenticationResult } from './authenticate.ts';

const tokens = new Map([['s3cret', { username: 'alice', uid: '1', groups: ['devs'] }]]);
const cert = (subject: { CN?: string | string[]; O?: string | string[] }, authorized = true) => ({ presented: true, authorized, subject });

describe('authenticate', () => {
  const cases: Array<[string, AuthenticationInput, AuthenticationResult]> = [
    ['nothing → anonymous', {}, { kind: 'anonymous', user: { username: 'system:anonymous', groups: ['system:unauthenticated'] } }],
    ['no cert presented → anonymous', { peer: { presented: false, authorized: false } }, { kind: 'anonymous', user: { username: 'system:anonymous', groups: ['system:unauthenticated'] } }],
    ['verified cert → CN/O', { peer: cert({ CN: 'system:node:a', O: 'system:nodes' }) }, { kind: 'user', method: 'x509', user: { username: 'system:node:a', groups: ['system:nodes', 'system:authenticated'] } }],
    ['several O values', { peer: cert({ CN: 'bob', O: ['a', 'b'] }) }, { kind: 'user', method: 'x509', user: { username: 'bob', groups: ['a', 'b', 'system:authenticated'] } }],
    ['no O', { peer: cert({ CN: 'system:kube-scheduler' }) }, { kind: 'user', method: 'x509', user: { username: 'system:kube-scheduler', groups: ['system:authenticated'] } }],
    ['unverified cert → failed', { peer: { presented: true, authorized: false, authorizationError: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', subject: { CN: 'x' } } }, { kind: 'failed', reasons: ['verifying certificate: UNABLE_TO_VERIFY_LEAF_SIGNATURE'] }],
    ['unverified cert but good token → token user', { peer: cert({ CN: 'x' }, false), authorization: 'Bearer s3cret', tokens }, { kind: 'user', method: 'token', user: { username: 'alice', uid: '1', groups: ['devs', 'system:authenticated'] } }],
    ['good token', { authorization: 'Bearer s3cret', tokens }, { kind: 'user', method: 'token', user: { username: 'alice', uid: '1', groups: ['devs', 'system:authenticated'] } }],
    ['bad token → failed', { authorization: 'Bearer nope', tokens }, { kind: 'failed', reasons: ['invalid bearer token'] }],
    ['cert wins over token', { peer: cert({ CN: 'carol' }), authorization: 'Bearer s3cret', tokens }, { kind: 'user', method: 'x509', user: { username: 'carol', groups: ['system:authenticated'] } }],
    [
      'service-account verdict ok → the service account',
      { authorization: 'Bearer a.b.c', tokens, serviceAccount: { ok: true, audiences: ['api'], user: { username: 'system:serviceaccount:ns:sa', uid: 'u', groups: ['system:serviceaccounts', 'system:serviceaccounts:ns'] } } },
      { kind: 'user', method: 'serviceaccount-token', user: { username: 'system:serviceaccount:ns:sa', uid: 'u', groups: ['system:serviceaccounts', 'system:serviceaccounts:ns', 'system:authenticated'] } },
    ],
    ['service-account verdict failed → its reason', { authorization: 'Bearer a.b.c', tokens, serviceAccount: { ok: false, reason: 'service account token has expired' } }, { kind: 'failed', reasons: ['service account token has expired'] }],
    [
      'token webhook verdict ok → its user, system:authenticated added',
      { authorization: 'Bearer t', webhook: { ok: true, user: { username: 'system:serviceaccount:ns:sa', uid: 'u', groups: ['system:serviceaccounts'], extra: { k: ['v'] } } } },
      { kind: 'user', method: 'webhook-token', user: { username: 'system:serviceaccount:ns:sa', uid: 'u', groups: ['system:serviceaccounts', 'system:authenticated'], extra: { k: ['v'] } } },
    ],
    ['token webhook verdict failed → its reason', { authorization: 'Bearer t', webhook: { ok: false, reason: 'invalid bearer token' } }, { kind: 'failed', reasons: ['invalid bearer token'] }],
    ['cert wins over the token webhook', { peer: cert({ CN: 'carol' }), authorization: 'Bearer t', webhook: { ok: true, user: { username: 'dave', groups: [] } } }, { kind: 'user', method: 'x509', user: { username: 'carol', groups: ['system:authenticated'] } }],
    ['basic auth is not ours → anonymous', { authorization: 'Basic YTpi', tokens }, { kind: 'anonymous', user: { username: 'system:anonymous', groups: ['system:unauthenticated'] } }],
  ];
  it.each(cases)('%s', (_name, input, expected) => expect(authenticate(input)).toEqual(expected));
});

describe('bearerToken', () => {
  it.each([
    ['Bearer abc', 'abc'],
    ['bearer abc', 'abc'],
    ['Bearer ', undefined],
    ['Basic abc', undefined],
    [undefined, undefined],
  ])('%s', (header, token) => expect(bearerToken(header)).toBe(token));
});

describe('userFromCertificate', () => {
  it('has no opinion without a CN', () => expect(userFromCertificate({ O: 'system:masters' })).toBeUndefined());
});

describe('verifiedCertificateUser', () => {
  it.each([
    ['none', undefined, undefined],
    ['not presented', { presented: false, authorized: false }, undefined],
    ['unverified', cert({ CN: 'x' }, false), undefined],
    ['verified without CN', cert({ O: 'g' }), undefined],
    ['verified', cert({ CN: 'x', O: 'g' }), { username: 'x', groups: ['g'] }],
  ])('%s', (_name, peer, user) => expect(verifiedCertificateUser(peer)).toEqual(user));
});
