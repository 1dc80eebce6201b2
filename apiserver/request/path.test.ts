import { describe, expect, it } from 'vitest';
import { parseResourcePath } from './path.ts';

describe('parseResourcePath', () => {
  it.each([
    ['/api/v1/pods', { group: '', version: 'v1', plural: 'pods' }],
    ['/api/v1/namespaces/default/pods', { group: '', version: 'v1', plural: 'pods', namespace: 'default' }],
    ['/api/v1/namespaces/default/pods/p1', { group: '', version: 'v1', plural: 'pods', namespace: 'default', name: 'p1' }],
    ['/api/v1/namespaces/default/pods/p1/status', { group: '', version: 'v1', plural: 'pods', namespace: 'default', name: 'p1', subresource: 'status' }],
    ['/apis/apps/v1/namespaces/ns/deployments/d/scale', { group: 'apps', version: 'v1', plural: 'deployments', namespace: 'ns', name: 'd', subresource: 'scale' }],
    ['/api/v1/namespaces', { group: '', version: 'v1', plural: 'namespaces' }],
    ['/api/v1/namespaces/kube-system', { group: '', version: 'v1', plural: 'namespaces', name: 'kube-system' }],
    ['/api/v1/namespaces/kube-system/status', { group: '', version: 'v1', plural: 'namespaces', name: 'kube-system', subresource: 'status' }],
    ['/api/v1/namespaces/kube-system/finalize', { group: '', version: 'v1', plural: 'namespaces', name: 'kube-system', subresource: 'finalize' }],
    ['/apis/rbac.authorization.k8s.io/v1/clusterroles/admin', { group: 'rbac.authorization.k8s.io', version: 'v1', plural: 'clusterroles', name: 'admin' }],
    ['/api/v1/namespaces/default/bindings', { group: '', version: 'v1', plural: 'bindings', namespace: 'default' }],
  ])('%s', (path, expected) => {
    const parsed = parseResourcePath(path);
    expect(parsed).toBeDefined();
    const { legacyWatch, ...rest } = parsed!;
    expect(legacyWatch).toBe(false);
    const clean = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
    expect(clean).toEqual(expected);
  });

  it('recognises the legacy watch prefix', () => {
    expect(parseResourcePath('/api/v1/watch/namespaces/default/pods')).toMatchObject({ plural: 'pods', namespace: 'default', legacyWatch: true });
  });

  it.each(['/api', '/api/v1', '/apis/apps', '/apis/apps/v1', '/healthz', '/api/v1/namespaces/a/pods/b/c/d', '/api/v1/pods/%E0%A4%A'])('%s names no resource', (path) => {
    expect(parseResourcePath(path)).toBeUndefined();
  });
});
