import { describe, expect, it } from 'vitest';
import { parseFieldSelector, requestAttributes } from './request-attributes.ts';

const user = { username: 'u', groups: [] };

describe('requestAttributes', () => {
  it.each([
    ['GET', '/api/v1/namespaces/ns/pods', { verb: 'list', resource: 'pods', namespace: 'ns', name: '' }],
    ['GET', '/api/v1/namespaces/ns/pods?watch=true', { verb: 'watch', resource: 'pods', namespace: 'ns' }],
    ['GET', '/api/v1/watch/namespaces/ns/pods/p', { verb: 'watch', resource: 'pods', name: 'p' }],
    ['GET', '/api/v1/namespaces/ns/pods/p', { verb: 'get', name: 'p' }],
    ['GET', '/api/v1/namespaces/ns/pods/p/log', { verb: 'get', subresource: 'log' }],
    ['POST', '/api/v1/namespaces/ns/pods/p/exec', { verb: 'create', subresource: 'exec' }],
    ['POST', '/api/v1/namespaces/ns/bindings', { verb: 'create', resource: 'bindings', namespace: 'ns' }],
    ['POST', '/api/v1/namespaces/ns/pods/p/binding', { verb: 'create', resource: 'pods', subresource: 'binding' }],
    ['PATCH', '/api/v1/nodes/a/status', { verb: 'patch', resource: 'nodes', subresource: 'status', name: 'a', namespace: '' }],
    ['PUT', '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/a', { verb: 'update', apiGroup: 'coordination.k8s.io', apiVersion: 'v1', resource: 'leases' }],
    ['DELETE', '/api/v1/namespaces/ns/pods', { verb: 'deletecollection' }],
    ['DELETE', '/api/v1/namespaces/foo', { verb: 'delete', resource: 'namespaces', name: 'foo', namespace: 'foo' }],
    ['GET', '/api/v1/namespaces/ns/secrets?fieldSelector=metadata.name%3Dtoken', { verb: 'list', resource: 'secrets', name: 'token' }],
    ['GET', '/api/v1/pods?fieldSelector=spec.nodeName%3Da&watch=1', { verb: 'watch', fieldSelector: [{ field: 'spec.nodeName', operator: '=', value: 'a' }] }],
  ])('%s %s', (method, url, expected) => {
    const attrs = requestAttributes(user, method, url);
    expect(attrs.resourceRequest).toBe(true);
    expect(attrs).toMatchObject(expected);
  });

  it.each([
    ['GET', '/healthz', 'get'],
    ['GET', '/api', 'get'],
    ['GET', '/apis/apps/v1', 'get'],
    ['POST', '/metrics', 'post'],
  ])('non-resource %s %s', (method, url, verb) => {
    expect(requestAttributes(user, method, url)).toMatchObject({ resourceRequest: false, verb, path: url });
  });
});

describe('parseFieldSelector', () => {
  it.each([
    ['', []],
    ['a=b', [{ field: 'a', operator: '=', value: 'b' }]],
    ['a==b,c!=d', [{ field: 'a', operator: '=', value: 'b' }, { field: 'c', operator: '!=', value: 'd' }]],
  ])('%s', (s, expected) => expect(parseFieldSelector(s)).toEqual(expected));
});
