import { describe, expect, it } from 'vitest';
import { requestAttributes } from '../auth/request-attributes.ts';
import { requestAttributesOf, resourcePathOf } from './parsed-request.ts';
import { parseResourcePath } from './path.ts';

const alice = { username: 'alice', groups: [] };
const bob = { username: 'bob', groups: [] };

describe('parsed request', () => {
  it.each([
    ['POST', '/api/v1/namespaces/ns/configmaps'],
    ['GET', '/api/v1/namespaces/ns/pods?watch=1&fieldSelector=metadata.name%3Dp'],
    ['DELETE', '/apis/apps/v1/namespaces/ns/deployments?fieldSelector=a=b?c'],
    ['GET', '/healthz?verbose'],
  ])('%s %s: what requestAttributes and parseResourcePath say', (method, url) => {
    const req = { method, url };
    expect(resourcePathOf(req)).toEqual(parseResourcePath(url.split('?')[0]!));
    expect(requestAttributesOf(req, alice)).toEqual(requestAttributes(alice, method, url));
  });

  it('parses once per request and user, and again when the url changes', () => {
    const req = { method: 'GET', url: '/api/v1/namespaces/ns/pods/p' };
    const path = resourcePathOf(req);
    const attrs = requestAttributesOf(req, alice);
    expect(resourcePathOf(req)).toBe(path);
    expect(requestAttributesOf(req, alice)).toBe(attrs);
    expect(requestAttributesOf(req, bob)).toMatchObject({ user: bob, name: 'p' });
    req.url = '/api/v1/namespaces/ns/pods/q';
    expect(resourcePathOf(req)).toMatchObject({ name: 'q' });
    expect(requestAttributesOf(req, bob)).toMatchObject({ user: bob, name: 'q' });
  });
});
