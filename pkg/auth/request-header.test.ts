import { describe, expect, it } from 'vitest';
import { frontProxyNameError, userFromRequestHeaders } from './request-header.ts';
import { authenticate, requestHeaderVerdict, type PeerCertificateFacts, type RequestHeaderInput } from './authenticate.ts';

const settings = { allowedNames: ['front-proxy-client'], usernameHeaders: ['X-Remote-User', 'X-Other-User'], groupHeaders: ['X-Remote-Group'], extraHeaderPrefixes: ['X-Remote-Extra-'], uidHeaders: ['X-Remote-Uid'] };

describe('userFromRequestHeaders', () => {
  it.each<[string, Record<string, string[]>, unknown]>([
    ['no username header: no opinion', { 'x-remote-group': ['g'] }, undefined],
    ['an empty username header is skipped for the next one', { 'x-remote-user': [''], 'x-other-user': ['bob'] }, { username: 'bob', groups: [] }],
    ['the first value of the first header', { 'x-remote-user': ['alice', 'mallory'], 'x-other-user': ['bob'] }, { username: 'alice', groups: [] }],
    ['every group value, extras by lower-cased unescaped key, the uid', { 'x-remote-user': ['alice'], 'x-remote-group': ['a', 'b'], 'x-remote-extra-acme.com%2fteam': ['x'], 'x-remote-extra-scopes': ['r', 'w'], 'x-remote-uid': ['42'] },
      { username: 'alice', uid: '42', groups: ['a', 'b'], extra: { 'acme.com/team': ['x'], scopes: ['r', 'w'] } }],
    ['a malformed escape is kept as is', { 'x-remote-user': ['alice'], 'x-remote-extra-100%': ['v'] }, { username: 'alice', groups: [], extra: { '100%': ['v'] } }],
  ])('%s', (_name, headers, want) => expect(userFromRequestHeaders(headers, settings)).toEqual(want));

  it('allows any CN of the CA when no names are listed, else only those', () => {
    expect(frontProxyNameError('anything', [])).toBeUndefined();
    expect(frontProxyNameError('front-proxy-client', ['front-proxy-client'])).toBeUndefined();
    expect(frontProxyNameError('other', ['front-proxy-client'])).toBe('x509: subject with cn=other is not in the allowed list');
  });
});

describe('request-header authentication in the union', () => {
  const input = (peer: PeerCertificateFacts | undefined, headers: Record<string, string[]>): RequestHeaderInput & { peer?: PeerCertificateFacts } => ({ peer, settings, headers });
  const proxy: PeerCertificateFacts = { presented: true, authorized: false, frontProxy: true, subject: { CN: 'front-proxy-client' } };
  const user: PeerCertificateFacts = { presented: true, authorized: true, frontProxy: false, subject: { CN: 'kubernetes-admin', O: 'system:masters' } };
  const alice = { 'x-remote-user': ['alice'] };

  it('comes first: a front proxy\'s user wins over anything else', () => {
    const { peer, ...requestHeader } = input(proxy, alice);
    expect(authenticate({ peer, requestHeader, authorization: 'Bearer nope' })).toEqual({ kind: 'user', method: 'requestheader', user: { username: 'alice', groups: ['system:authenticated'] } });
  });

  it('has no say over a user certificate, and fails a front proxy without a user', () => {
    const { peer, ...requestHeader } = input(user, alice);
    expect(authenticate({ peer, requestHeader })).toMatchObject({ kind: 'user', method: 'x509', user: { username: 'kubernetes-admin' } });
    expect(requestHeaderVerdict(proxy, { settings, headers: {} })).toBeUndefined();
    expect(authenticate({ peer: proxy, requestHeader: { settings, headers: {} } })).toMatchObject({ kind: 'failed' });
    expect(requestHeaderVerdict(undefined, { settings, headers: alice })).toBeUndefined();
  });
});
