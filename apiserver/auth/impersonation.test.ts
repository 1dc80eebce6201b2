import { describe, expect, it } from 'vitest';
import { impersonatedUser, impersonationChecks, impersonationRequest } from './impersonation.ts';

const admin = { username: 'admin', groups: ['system:masters'] };

describe('impersonation', () => {
  it('reads nothing without headers, and refuses groups without a user', () => {
    expect(impersonationRequest({ accept: 'application/json' })).toBeUndefined();
    expect(impersonationRequest({ 'impersonate-group': ['devs'], 'impersonate-uid': '7' })).toBe('requested groups, uid without impersonating a user');
  });

  it('checks the user, each group, each extra value and the uid', () => {
    const request = impersonationRequest({ 'impersonate-user': 'alice', 'impersonate-group': ['devs', 'ops'], 'impersonate-uid': '42', 'impersonate-extra-scopes': 'view, edit' });
    expect(request).toEqual({ username: 'alice', groups: ['devs', 'ops'], uid: '42', extra: { scopes: ['view', 'edit'] } });
    const checks = impersonationChecks(admin, request as never).map((a) => [a.verb, a.apiGroup, a.resource, a.subresource, a.namespace, a.name]);
    expect(checks).toEqual([
      ['impersonate', '', 'users', '', '', 'alice'],
      ['impersonate', '', 'groups', '', '', 'devs'],
      ['impersonate', '', 'groups', '', '', 'ops'],
      ['impersonate', 'authentication.k8s.io', 'userextras', 'scopes', '', 'view'],
      ['impersonate', 'authentication.k8s.io', 'userextras', 'scopes', '', 'edit'],
      ['impersonate', 'authentication.k8s.io', 'uids', '', '', '42'],
    ]);
    expect(impersonatedUser(request as never)).toEqual({ username: 'alice', uid: '42', groups: ['devs', 'ops', 'system:authenticated'], extra: { scopes: ['view', 'edit'] } });
  });

  it('impersonates a service account through its namespace, with its groups', () => {
    const request = impersonationRequest({ 'impersonate-user': 'system:serviceaccount:team:builder' }) as never;
    expect(impersonationChecks(admin, request).map((a) => [a.resource, a.namespace, a.name])).toEqual([['serviceaccounts', 'team', 'builder']]);
    expect(impersonatedUser(request).groups).toEqual(['system:serviceaccounts', 'system:serviceaccounts:team', 'system:authenticated']);
  });

  it('keeps anonymous unauthenticated', () => {
    expect(impersonatedUser(impersonationRequest({ 'impersonate-user': 'system:anonymous' }) as never).groups).toEqual(['system:unauthenticated']);
  });
});
