import { describe, expect, it } from 'vitest';
import type { RuleWithOperations } from '../../../pkg/api/admissionregistration/v1/webhook-types.ts';
import { isExemptResource, ruleMatches, type RuleRequest } from './rules.ts';
import { namespaceSelectorMatches, needsNamespaceLabels, objectSelectorMatches } from './selectors.ts';
import { webhooksToReinvoke } from './mutating-plugin.ts';

const req = (over: Partial<RuleRequest> = {}): RuleRequest => ({ operation: 'CREATE', group: '', version: 'v1', resource: 'pods', subresource: '', namespace: 'default', ...over });
const rule = (over: Partial<RuleWithOperations> = {}): RuleWithOperations => ({ operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'], scope: '*', ...over });

describe('ruleMatches', () => {
  it.each<[string, Partial<RuleWithOperations>, Partial<RuleRequest>, boolean]>([
    ['exact', {}, {}, true],
    ['other operation', {}, { operation: 'UPDATE' }, false],
    ['operation *', { operations: ['*'] }, { operation: 'DELETE' }, true],
    ['CONNECT listed', { operations: ['CONNECT'] }, { operation: 'CONNECT' }, true],
    ['other group', {}, { group: 'apps' }, false],
    ['group *', { apiGroups: ['*'] }, { group: 'apps', resource: 'pods' }, true],
    ['other version', {}, { version: 'v2' }, false],
    ['resources * matches main resources', { resources: ['*'] }, { resource: 'configmaps' }, true],
    ['resources * does not match subresources', { resources: ['*'] }, { subresource: 'status' }, false],
    ['pods does not match pods/status', {}, { subresource: 'status' }, false],
    ['pods/* matches pods/status', { resources: ['pods/*'] }, { subresource: 'status' }, true],
    ['pods/* matches pods too (sub * matches no subresource)', { resources: ['pods/*'] }, {}, true],
    ['*/status matches pods/status', { resources: ['*/status'] }, { subresource: 'status' }, true],
    ['*/status does not match pods/exec', { resources: ['*/status'] }, { subresource: 'exec' }, false],
    ['*/* matches everything', { resources: ['*/*'] }, { subresource: 'exec' }, true],
    ['*/* matches main resources', { resources: ['*/*'] }, {}, true],
    ['scope Namespaced, namespaced request', { scope: 'Namespaced' }, {}, true],
    ['scope Namespaced, cluster request', { scope: 'Namespaced', resources: ['nodes'] }, { resource: 'nodes', namespace: '' }, false],
    ['scope Namespaced, namespace object', { scope: 'Namespaced', resources: ['namespaces'] }, { resource: 'namespaces', namespace: 'ns1' }, false],
    ['scope Cluster, namespace object', { scope: 'Cluster', resources: ['namespaces'] }, { resource: 'namespaces', namespace: 'ns1' }, true],
    ['scope Cluster, namespaced request', { scope: 'Cluster' }, {}, false],
    ['no operations', { operations: [] }, {}, false],
  ])('%s', (_name, r, q, expected) => {
    expect(ruleMatches(rule(r), req(q))).toBe(expected);
  });

  it('webhook configurations are exempt', () => {
    expect(isExemptResource({ group: 'admissionregistration.k8s.io', resource: 'mutatingwebhookconfigurations' })).toBe(true);
    expect(isExemptResource({ group: '', resource: 'pods' })).toBe(false);
  });
});

describe('selectors', () => {
  const sel = { matchLabels: { 'istio-injection': 'enabled' } };
  it.each<[string, Partial<RuleRequest>, typeof sel | {}, boolean]>([
    ['empty selector', {}, {}, false],
    ['namespaced request', {}, sel, true],
    ['cluster-scoped request', { resource: 'nodes', namespace: '' }, sel, false],
    ['namespace request', { resource: 'namespaces', namespace: 'mesh' }, sel, true],
  ])('needsNamespaceLabels: %s', (_n, q, s, expected) => {
    expect(needsNamespaceLabels(s, req(q))).toBe(expected);
  });

  it.each<[Record<string, string> | undefined, boolean]>([
    [{ 'istio-injection': 'enabled' }, true],
    [{ 'istio-injection': 'disabled' }, false],
    [undefined, false],
  ])('namespace labels %j → %s', (labels, expected) => {
    expect(namespaceSelectorMatches(sel, labels)).toBe(expected);
  });

  const obj = (labels?: Record<string, string>) => ({ metadata: { name: 'x', labels } });
  it.each<[string, ReturnType<typeof obj> | undefined, ReturnType<typeof obj> | undefined, boolean]>([
    ['object matches', obj({ app: 'a' }), undefined, true],
    ['old object matches', obj({}), obj({ app: 'a' }), true],
    ['neither', obj({ app: 'b' }), obj(), false],
    ['no objects', undefined, undefined, false],
  ])('objectSelector: %s', (_n, o, old, expected) => {
    expect(objectSelectorMatches({ matchLabels: { app: 'a' } }, o, old)).toBe(expected);
    expect(objectSelectorMatches({}, o, old)).toBe(true);
  });
});

describe('webhooksToReinvoke', () => {
  const inv = (name: string, policy = 'Never') => ({ name, hook: { reinvocationPolicy: policy } });
  const order = [inv('a', 'IfNeeded'), inv('b', 'IfNeeded'), inv('c'), inv('d', 'IfNeeded')];
  it.each<[number[], string[]]>([
    [[], []],
    [[2], ['a', 'b']],
    [[0], []],
    [[1], ['a']],
    [[3], ['a', 'b']],
  ])('changed at %j → %j', (changedAt, names) => {
    expect(webhooksToReinvoke(order, changedAt).map((i) => i.name)).toEqual(names);
  });
});
