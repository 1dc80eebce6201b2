import { describe, expect, it } from 'vitest';
import { auditDecision, ruleMatches, type AuditRequestFacts } from './policy-check.ts';
import { parseAuditPolicy, type PolicyRule } from './policy.ts';

const tim = { username: 'tim', groups: ['humans', 'developers'] };
const resource = (over: Partial<AuditRequestFacts>): AuditRequestFacts => ({ user: tim, verb: 'get', resourceRequest: true, path: '', apiGroup: '', resource: 'pods', subresource: '', namespace: 'default', name: 'busybox', ...over });
const nonResource = (path: string, over: Partial<AuditRequestFacts> = {}): AuditRequestFacts => ({ user: tim, verb: 'get', resourceRequest: false, path, apiGroup: '', resource: '', subresource: '', namespace: '', name: '', ...over });

/** Rules in the spirit of upstream's checker_test.go. */
const RULES: Record<string, Partial<PolicyRule>> = {
  default: {},
  create: { verbs: ['create'] },
  tims: { users: ['tim'] },
  humans: { userGroups: ['humans'] },
  serviceAccounts: { userGroups: ['system:serviceaccounts'] },
  getPods: { verbs: ['get'], resources: [{ group: '', resources: ['pods'], resourceNames: [] }] },
  getPodLogs: { verbs: ['get'], resources: [{ group: '', resources: ['pods/log'], resourceNames: [] }] },
  getPodWildcardMatching: { verbs: ['get'], resources: [{ group: '', resources: ['*'], resourceNames: [] }] },
  getPodResourceWildcardMatching: { verbs: ['get'], resources: [{ group: '', resources: ['*/log'], resourceNames: [] }] },
  getPodSubResourceWildcardMatching: { verbs: ['get'], resources: [{ group: '', resources: ['pods/*'], resourceNames: [] }] },
  getClusterRoles: { verbs: ['get'], resources: [{ group: 'rbac.authorization.k8s.io', resources: ['clusterroles'], resourceNames: [] }], namespaces: [''] },
  getLogs: { verbs: ['get'], nonResourceURLs: ['/logs*'] },
  getMetrics: { verbs: ['get'], nonResourceURLs: ['/metrics'] },
  anyUrl: { nonResourceURLs: ['*'] },
  clusterRoleEdit: { resources: [{ group: 'rbac.authorization.k8s.io', resources: ['clusterroles'], resourceNames: ['edit'] }] },
  coreGroup: { resources: [{ group: '', resources: [], resourceNames: [] }] },
  kubeSystem: { namespaces: ['kube-system'] },
  clusterScoped: { namespaces: [''] },
};
const rule = (r: Partial<PolicyRule>): PolicyRule => ({ level: 'Metadata', users: [], userGroups: [], verbs: [], resources: [], namespaces: [], nonResourceURLs: [], omitStages: [], ...r });
const matching = (facts: AuditRequestFacts) => Object.entries(RULES).filter(([, r]) => ruleMatches(rule(r), facts)).map(([name]) => name);

describe('audit rule matching', () => {
  it.each<[string, AuditRequestFacts, string[]]>([
    // `pods/*` also matches the pod itself, `*` its subresources too (upstream).
    ['tim gets a pod', resource({}), ['default', 'tims', 'humans', 'getPods', 'getPodWildcardMatching', 'getPodSubResourceWildcardMatching', 'coreGroup']],
    ['tim creates a pod', resource({ verb: 'create' }), ['default', 'create', 'tims', 'humans', 'coreGroup']],
    ['tim gets pod logs', resource({ subresource: 'log' }), ['default', 'tims', 'humans', 'getPodLogs', 'getPodWildcardMatching', 'getPodResourceWildcardMatching', 'getPodSubResourceWildcardMatching', 'coreGroup']],
    ['tim gets pod status', resource({ subresource: 'status' }), ['default', 'tims', 'humans', 'getPodWildcardMatching', 'getPodSubResourceWildcardMatching', 'coreGroup']],
    ['a service account lists kube-system pods', resource({ user: { username: 'system:serviceaccount:kube-system:default', groups: ['system:serviceaccounts'] }, verb: 'list', namespace: 'kube-system', name: '' }), ['default', 'serviceAccounts', 'coreGroup', 'kubeSystem']],
    ['tim gets the edit clusterrole', resource({ apiGroup: 'rbac.authorization.k8s.io', resource: 'clusterroles', namespace: '', name: 'edit' }), ['default', 'tims', 'humans', 'getClusterRoles', 'clusterRoleEdit', 'clusterScoped']],
    ['tim gets the view clusterrole', resource({ apiGroup: 'rbac.authorization.k8s.io', resource: 'clusterroles', namespace: '', name: 'view' }), ['default', 'tims', 'humans', 'getClusterRoles', 'clusterScoped']],
    ['tim gets /logs/kubelet.log', nonResource('/logs/kubelet.log'), ['default', 'tims', 'humans', 'getLogs', 'anyUrl']],
    ['tim gets /metrics', nonResource('/metrics'), ['default', 'tims', 'humans', 'getMetrics', 'anyUrl']],
    ['tim posts /metrics', nonResource('/metrics', { verb: 'post' }), ['default', 'tims', 'humans', 'anyUrl']],
    ['an unauthenticated /healthz', nonResource('/healthz', { user: undefined }), ['default', 'anyUrl']],
  ])('%s', (_name, facts, expected) => {
    expect(matching(facts)).toEqual(expected);
  });
});

describe('audit policy decision', () => {
  const policy = parseAuditPolicy({
    apiVersion: 'audit.k8s.io/v1',
    kind: 'Policy',
    omitStages: ['RequestReceived'],
    omitManagedFields: true,
    rules: [
      { level: 'None', users: ['system:kube-proxy'] },
      { level: 'RequestResponse', resources: [{ group: '', resources: ['pods'] }], omitStages: ['ResponseStarted'], omitManagedFields: false },
      { level: 'Metadata', resources: [{ group: '', resources: ['secrets'] }] },
    ],
  });

  it('takes the first matching rule, joining omitted stages and preferring the rule’s managed-fields setting', () => {
    expect(auditDecision(policy, resource({}))).toEqual({ level: 'RequestResponse', omitStages: ['RequestReceived', 'ResponseStarted'], omitManagedFields: false });
    expect(auditDecision(policy, resource({ user: { username: 'system:kube-proxy', groups: [] } })).level).toBe('None');
    expect(auditDecision(policy, resource({ resource: 'secrets' }))).toEqual({ level: 'Metadata', omitStages: ['RequestReceived'], omitManagedFields: true });
  });

  it('is None when no rule matches', () => {
    expect(auditDecision(policy, nonResource('/healthz')).level).toBe('None');
  });
});
