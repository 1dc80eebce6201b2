import { describe, expect, it } from 'vitest';
import { kubeletRequestAttributes } from './auth.ts';

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
