import { describe, expect, it } from 'vitest';
import { compactRules, compactString, uncoveredRules } from './covers.ts';
import type { PolicyRule } from '../rules.ts';

const r = (verbs: string[], apiGroups: string[], resources: string[], resourceNames?: string[]): PolicyRule => ({ verbs, apiGroups, resources, ...(resourceNames ? { resourceNames } : {}) });

describe('uncoveredRules', () => {
  it('covers what the owner holds, verb by verb and resource by resource', () => {
    const owner = [r(['get', 'list'], [''], ['pods', 'services']), r(['create'], ['apps'], ['deployments'])];
    expect(uncoveredRules(owner, [r(['get'], [''], ['pods'])])).toEqual([]);
    expect(uncoveredRules(owner, [r(['get', 'delete'], [''], ['pods', 'services'])])).toEqual([r(['delete'], [''], ['pods']), r(['delete'], [''], ['services'])]);
    expect(uncoveredRules(owner, [r(['create'], ['apps', 'extensions'], ['deployments'])])).toEqual([r(['create'], ['extensions'], ['deployments'])]);
  });

  it('treats a requested wildcard as a literal only a wildcard covers', () => {
    expect(uncoveredRules([r(['get'], [''], ['pods'])], [r(['*'], [''], ['pods'])])).toEqual([r(['*'], [''], ['pods'])]);
    expect(uncoveredRules([r(['*'], ['*'], ['*'])], [r(['*'], ['x'], ['*'])])).toEqual([]);
  });

  it('covers subresources by resource/* and */subresource, names by an unnamed rule', () => {
    expect(uncoveredRules([r(['get'], [''], ['pods/*'])], [r(['get'], [''], ['pods/log', 'pods/exec'])])).toEqual([]);
    expect(uncoveredRules([r(['update'], ['apps'], ['*/scale'])], [r(['update'], ['apps'], ['deployments/scale'])])).toEqual([]);
    expect(uncoveredRules([r(['get'], [''], ['pods/*'])], [r(['get'], [''], ['pods'])])).toHaveLength(1);
    expect(uncoveredRules([r(['get'], [''], ['configmaps'])], [r(['get'], [''], ['configmaps'], ['a'])])).toEqual([]);
    expect(uncoveredRules([r(['get'], [''], ['configmaps'], ['a'])], [r(['get'], [''], ['configmaps'], ['a', 'b'])])).toEqual([r(['get'], [''], ['configmaps'], ['b'])]);
    expect(uncoveredRules([r(['get'], [''], ['configmaps'], ['a'])], [r(['get'], [''], ['configmaps'])])).toHaveLength(1);
  });

  it('covers URLs exactly or by a trailing *', () => {
    const owner: PolicyRule[] = [{ verbs: ['get'], nonResourceURLs: ['/healthz/*', '/version'] }, r(['*'], ['*'], ['*'])];
    expect(uncoveredRules(owner, [{ verbs: ['get'], nonResourceURLs: ['/healthz/etcd', '/version'] }])).toEqual([]);
    expect(uncoveredRules(owner, [{ verbs: ['get'], nonResourceURLs: ['/metrics'] }])).toEqual([{ verbs: ['get'], nonResourceURLs: ['/metrics'] }]);
  });
});

describe('compactString', () => {
  it("prints upstream's form, merging verbs of the same target", () => {
    const missing = compactRules([r(['get'], [''], ['pods']), r(['list'], [''], ['pods']), { verbs: ['get'], nonResourceURLs: ['/metrics'] }]);
    expect(missing.map(compactString)).toEqual(['{APIGroups:[""], Resources:["pods"], Verbs:["get", "list"]}', '{NonResourceURLs:["/metrics"], Verbs:["get"]}']);
  });
});
