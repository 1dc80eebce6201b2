import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuditPolicyError, loadAuditPolicyFile, parseAuditPolicy } from './policy.ts';

const DOCS_POLICY = join(import.meta.dirname, 'testdata', 'docs-audit-policy.yaml');
const policy = (rules: unknown[], extra: Record<string, unknown> = {}) => ({ apiVersion: 'audit.k8s.io/v1', kind: 'Policy', rules, ...extra });

describe('audit policy file', () => {
  it("loads the Auditing docs' example policy", () => {
    const loaded = loadAuditPolicyFile(DOCS_POLICY);
    expect(loaded.rules).toHaveLength(9);
    expect(loaded.omitStages).toEqual(['RequestReceived']);
    expect(loaded.rules[2]).toMatchObject({ level: 'None', resources: [{ group: '', resources: ['configmaps'], resourceNames: ['controller-leader'] }] });
    expect(loaded.rules[7].resources).toEqual([{ group: '', resources: [], resourceNames: [] }, { group: 'extensions', resources: [], resourceNames: [] }]);
  });

  it.each(['audit.k8s.io/v1', 'audit.k8s.io/v1beta1', 'audit.k8s.io/v1alpha1'])('accepts %s', (apiVersion) => {
    expect(parseAuditPolicy({ ...policy([{ level: 'Metadata' }]), apiVersion }).rules[0].level).toBe('Metadata');
  });

  it.each([
    ['no rules', policy([]), 'loaded illegal policy with 0 rules'],
    ['a rule without level', policy([{ verbs: ['get'] }]), 'rules[0].level: Required value'],
    ['an unknown level', policy([{ level: 'Everything' }]), 'rules[0].level: Unsupported value: "Everything": supported values: "None", "Metadata", "Request", "RequestResponse"'],
    ['a relative URL', policy([{ level: 'None', nonResourceURLs: ['healthz'] }]), `rules[0].nonResourceURLs[0]: Invalid value: "healthz": non-resource URL rules must begin with a '/' character`],
    ['an inner wildcard', policy([{ level: 'None', nonResourceURLs: ['/a*/b'] }]), `rules[0].nonResourceURLs[0]: Invalid value: "/a*/b": non-resource URL wildcards '*' must be the final character of the rule`],
    ['resources and URLs', policy([{ level: 'None', nonResourceURLs: ['/metrics'], namespaces: ['a'] }]), 'rules[0].nonResourceURLs: Invalid value: []string{"/metrics"}: rules cannot apply to both regular resources and non-resource URLs'],
    ['names without resources', policy([{ level: 'None', resources: [{ group: '', resourceNames: ['x'] }] }]), 'rules[0].resources.resourceNames: Invalid value: []string{"x"}: using resourceNames requires at least one resource'],
    ['a versioned group', policy([{ level: 'None', resources: [{ group: 'rbac.authorization.k8s.io/v1' }] }]), 'rules[0].resources.group: Invalid value: "rbac.authorization.k8s.io/v1"'],
    ['an unknown stage', policy([{ level: 'None', omitStages: ['Sometime'] }]), 'rules[0].omitStages[0]: Invalid value: "Sometime": allowed stages are RequestReceived,ResponseStarted,ResponseComplete,Panic'],
    ['a wrong kind', { apiVersion: 'audit.k8s.io/v1', kind: 'Event' }, 'no kind "Event" is registered for version "audit.k8s.io/v1"'],
    ['a missing apiVersion', { kind: 'Policy', rules: [] }, "Object 'apiVersion' is missing"],
  ])('refuses %s', (_name, raw, message) => {
    expect(() => parseAuditPolicy(raw)).toThrow(AuditPolicyError);
    expect(() => parseAuditPolicy(raw)).toThrow(message);
  });

  it('lists every problem of a policy, as upstream aggregates them', () => {
    expect(() => parseAuditPolicy(policy([{}, { level: 'x' }]))).toThrow(/^\[rules\[0\]\.level: Required value, rules\[1\]\.level: Unsupported value/);
  });

  it('names the file in start-up errors', () => {
    const dir = mkdtempSync(join(tmpdir(), 'audit-policy-'));
    const file = join(dir, 'policy.yaml');
    writeFileSync(file, 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules: []\n');
    expect(() => loadAuditPolicyFile(file)).toThrow(`loading audit policy file: loaded illegal policy with 0 rules: from file ${file}`);
    expect(() => loadAuditPolicyFile(join(dir, 'missing.yaml'))).toThrow(/failed to read file path/);
  });
});
