import { describe, expect, it } from 'vitest';
import { kubeletRequestAttributes, tokenToReview } from './auth.ts';

const user = { username: 'u', groups: ['g'] };

describe('kubeletRequestAttributes (upstream GetRequestAttributes)', () => {
  it.each([
    ['GET', '/containerLogs/default/p/c', 'get', 'proxy'],
    ['POST', '/exec/default/p/c', 'create', 'proxy'],
    ['GET', '/pods', 'get', 'proxy'],
    ['GET', '/healthz', 'get', 'proxy'],
    ['PUT', '/stats', 'update', 'stats'],
    ['GET', '/stats/summary', 'get', 'stats'],
    ['GET', '/statsx', 'get', 'proxy'],
    ['GET', '/metrics', 'get', 'metrics'],
    ['GET', '/metrics/cadvisor', 'get', 'metrics'],
    ['GET', '/metrics/resource', 'get', 'metrics'],
    ['GET', '/metricsfoo', 'get', 'proxy'],
    ['DELETE', '/logs/', 'delete', 'log'],
    ['PATCH', '/logs/syslog', 'patch', 'log'],
    ['OPTIONS', '/pods', '', 'proxy'],
  ])('%s %s → verb %j, nodes/%s', (method, path, verb, subresource) => {
    expect(kubeletRequestAttributes(user, method, path, 'n1')).toEqual({ user, verb, resource: 'nodes', subresource, name: 'n1' });
  });
});

describe('tokenToReview (which requests the token webhook is asked about)', () => {
  const webhook = { authenticateToken: async () => ({ ok: false as const, reason: 'x' }) };
  const verified = { presented: true, authorized: true, subject: { CN: 'carol' } };
  it.each([
    ['a bearer token without a certificate', webhook, undefined, 'Bearer abc', 'abc'],
    ['a bearer token with an unverified certificate', webhook, { ...verified, authorized: false }, 'Bearer abc', 'abc'],
    ['a bearer token with a verified certificate (x509 decides first)', webhook, verified, 'Bearer abc', undefined],
    ['no token webhook (tokens ignored)', {}, undefined, 'Bearer abc', undefined],
    ['no Authorization header', webhook, undefined, undefined, undefined],
    ['another scheme', webhook, undefined, 'Basic YTpi', undefined],
  ])('%s', (_name, auth, peer, header, token) => expect(tokenToReview(auth, peer, header)).toBe(token));
});
