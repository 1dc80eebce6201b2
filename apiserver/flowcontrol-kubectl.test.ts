/**
 * API Priority and Fairness objects through real kubectl (the oldest and newest installed minor,
 * each against its own in-process control plane): the bootstrap FlowSchemas and
 * PriorityLevelConfigurations listed with upstream 1.33's columns and values, `kubectl
 * api-resources`, a user's PriorityLevelConfiguration and FlowSchema created (defaults applied)
 * with its Dangling condition kept current by the API server (MISSINGPL), the X-Kubernetes-PF-*
 * response headers of the admin's requests (flow schema and level `exempt`), and 422s with
 * upstream's messages for an invalid FlowSchema and for a changed mandatory one.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KUBECTL_RANGE_ENDS, installedKubectls, strictKubectlRunner, kubectlTable as table } from '../e2e/harness/kubectl.ts';
import { startTestControlPlane, type TestControlPlane } from '../pkg/testing/control-plane.ts';

const dir = mkdtempSync(join(tmpdir(), 'k8ts-flowcontrol-kubectl-'));
const minors = installedKubectls(KUBECTL_RANGE_ENDS);

const FILES: Record<string, string> = {
  'pl.yaml': `apiVersion: flowcontrol.apiserver.k8s.io/v1
kind: PriorityLevelConfiguration
metadata:
  name: batch-jobs
spec:
  type: Limited
  limited:
    limitResponse:
      type: Queue
      queuing: {}
`,
  'fs.yaml': `apiVersion: flowcontrol.apiserver.k8s.io/v1
kind: FlowSchema
metadata:
  name: batch-users
spec:
  priorityLevelConfiguration:
    name: batch-jobs
  distinguisherMethod:
    type: ByUser
  rules:
  - subjects:
    - kind: Group
      group:
        name: batch-users
    resourceRules:
    - verbs: ["list", "get"]
      apiGroups: ["batch"]
      resources: ["jobs"]
      namespaces: ["*"]
`,
  'bad-fs.yaml': `apiVersion: flowcontrol.apiserver.k8s.io/v1
kind: FlowSchema
metadata:
  name: bad
spec:
  priorityLevelConfiguration:
    name: batch-jobs
  matchingPrecedence: 1
  rules:
  - subjects:
    - kind: User
      user:
        name: bob
    nonResourceRules:
    - verbs: ["get"]
      nonResourceURLs: ["metrics"]
`,
};

beforeAll(() => {
  for (const [name, text] of Object.entries(FILES)) writeFileSync(join(dir, name), text);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!minors.length).each(minors)('kubectl %s and API Priority and Fairness objects', (minor) => {
  let cp: TestControlPlane;
  const { run, ok } = strictKubectlRunner(minor, () => ({ kubeconfig: cp.kubeconfigPath, home: join(dir, minor) }));

  beforeAll(async () => {
    cp = await startTestControlPlane();
  });
  afterAll(async () => {
    await cp?.stop();
  });

  it('lists the bootstrap FlowSchemas with upstream columns, Dangling=False', async () => {
    const out = table(await ok('get', 'flowschemas'));
    expect(out.header).toEqual(['NAME', 'PRIORITYLEVEL', 'MATCHINGPRECEDENCE', 'DISTINGUISHERMETHOD', 'AGE', 'MISSINGPL']);
    const row = (name: string) => {
      const cells = out.row(name);
      return cells && [...cells.slice(0, 4), cells[5]];
    };
    expect(row('exempt')).toEqual(['exempt', 'exempt', '1', '<none>', 'False']);
    expect(row('probes')).toEqual(['probes', 'exempt', '2', '<none>', 'False']);
    expect(row('system-leader-election')).toEqual(['system-leader-election', 'leader-election', '100', 'ByUser', 'False']);
    expect(row('endpoint-controller')).toEqual(['endpoint-controller', 'workload-high', '150', 'ByUser', 'False']);
    expect(row('workload-leader-election')).toEqual(['workload-leader-election', 'leader-election', '200', 'ByUser', 'False']);
    expect(row('system-node-high')).toEqual(['system-node-high', 'node-high', '400', 'ByUser', 'False']);
    expect(row('system-nodes')).toEqual(['system-nodes', 'system', '500', 'ByUser', 'False']);
    expect(row('kube-controller-manager')).toEqual(['kube-controller-manager', 'workload-high', '800', 'ByNamespace', 'False']);
    expect(row('kube-scheduler')).toEqual(['kube-scheduler', 'workload-high', '800', 'ByNamespace', 'False']);
    expect(row('kube-system-service-accounts')).toEqual(['kube-system-service-accounts', 'workload-high', '900', 'ByNamespace', 'False']);
    expect(row('service-accounts')).toEqual(['service-accounts', 'workload-low', '9000', 'ByUser', 'False']);
    expect(row('global-default')).toEqual(['global-default', 'global-default', '9900', 'ByUser', 'False']);
    expect(row('catch-all')).toEqual(['catch-all', 'catch-all', '10000', 'ByUser', 'False']);
    expect(await ok('get', 'flowschema', 'exempt', '-o', 'jsonpath={.metadata.annotations.apf\\.kubernetes\\.io/autoupdate-spec} {.status.conditions[0].reason}')).toBe('true Found');
  });

  it('lists the bootstrap PriorityLevelConfigurations with upstream columns', async () => {
    const out = table(await ok('get', 'prioritylevelconfigurations'));
    expect(out.header).toEqual(['NAME', 'TYPE', 'NOMINALCONCURRENCYSHARES', 'QUEUES', 'HANDSIZE', 'QUEUELENGTHLIMIT', 'AGE']);
    const row = (name: string) => out.row(name)?.slice(0, 6);
    expect(row('catch-all')).toEqual(['catch-all', 'Limited', '5', '<none>', '<none>', '<none>']);
    expect(row('exempt')).toEqual(['exempt', 'Exempt', '<none>', '<none>', '<none>', '<none>']);
    expect(row('global-default')).toEqual(['global-default', 'Limited', '20', '128', '6', '50']);
    expect(row('leader-election')).toEqual(['leader-election', 'Limited', '10', '16', '4', '50']);
    expect(row('node-high')).toEqual(['node-high', 'Limited', '40', '64', '6', '50']);
    expect(row('system')).toEqual(['system', 'Limited', '30', '64', '6', '50']);
    expect(row('workload-high')).toEqual(['workload-high', 'Limited', '40', '128', '6', '50']);
    expect(row('workload-low')).toEqual(['workload-low', 'Limited', '100', '128', '6', '50']);
  });

  it('names the matched FlowSchema and priority level in response headers', async () => {
    const fsUid = await ok('get', 'flowschema', 'exempt', '-o', 'jsonpath={.metadata.uid}');
    const plUid = await ok('get', 'prioritylevelconfiguration', 'exempt', '-o', 'jsonpath={.metadata.uid}');
    const res = await run('get', 'namespace', 'default', '-v=8');
    expect(res.code).toBe(0);
    expect(res.stderr).toMatch(new RegExp(`X-Kubernetes-Pf-Flowschema-Uid: ${fsUid}`, 'i'));
    expect(res.stderr).toMatch(new RegExp(`X-Kubernetes-Pf-Prioritylevel-Uid: ${plUid}`, 'i'));
  });

  it('serves flowcontrol.apiserver.k8s.io/v1 in discovery, cluster-scoped', async () => {
    const out = table(await ok('api-resources', '--api-group=flowcontrol.apiserver.k8s.io'));
    expect(out.row('flowschemas')).toEqual(['flowschemas', '', 'flowcontrol.apiserver.k8s.io/v1', 'false', 'FlowSchema']);
    expect(out.row('prioritylevelconfigurations')).toEqual(['prioritylevelconfigurations', '', 'flowcontrol.apiserver.k8s.io/v1', 'false', 'PriorityLevelConfiguration']);
  });

  it("creates a user's priority level and flow schema with upstream defaults", async () => {
    expect(await ok('create', '-f', join(dir, 'pl.yaml'))).toBe('prioritylevelconfiguration.flowcontrol.apiserver.k8s.io/batch-jobs created\n');
    expect(await ok('apply', '-f', join(dir, 'fs.yaml'))).toBe('flowschema.flowcontrol.apiserver.k8s.io/batch-users created\n');
    expect(table(await ok('get', 'prioritylevelconfiguration', 'batch-jobs')).row('batch-jobs')?.slice(0, 6)).toEqual(['batch-jobs', 'Limited', '30', '64', '8', '50']);
    expect(await ok('get', 'prioritylevelconfiguration', 'batch-jobs', '-o', 'jsonpath={.spec.limited.lendablePercent}')).toBe('0');
    expect(table(await ok('get', 'flowschema', 'batch-users')).row('batch-users')?.slice(0, 4)).toEqual(['batch-users', 'batch-jobs', '1000', 'ByUser']);
    // the API server's config controller writes the Dangling condition (MISSINGPL) shortly after
    const missingPL = async () => (await ok('get', 'flowschema', 'batch-users', '-o', 'jsonpath={.status.conditions[?(@.type=="Dangling")].status}'));
    for (let i = 0; i < 50 && (await missingPL()) !== 'False'; i++) await new Promise((r) => setTimeout(r, 100));
    expect(table(await ok('get', 'flowschema', 'batch-users')).row('batch-users')?.[5]).toBe('False');
    expect(await ok('delete', 'prioritylevelconfiguration', 'batch-jobs')).toBe('prioritylevelconfiguration.flowcontrol.apiserver.k8s.io "batch-jobs" deleted\n');
    for (let i = 0; i < 50 && (await missingPL()) !== 'True'; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await ok('get', 'flowschema', 'batch-users', '-o', 'jsonpath={.status.conditions[0].message}')).toBe('This FlowSchema references the PriorityLevelConfiguration object named "batch-jobs" but there is no such object');
  });

  it('refuses an invalid flow schema and a changed mandatory one with 422', async () => {
    const bad = await run('create', '-f', join(dir, 'bad-fs.yaml'));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe('The FlowSchema "bad" is invalid: \n'
      + "* spec.matchingPrecedence: Invalid value: 1: only the schema named 'exempt' may have matchingPrecedence 1\n"
      + '* spec.rules[0].nonResourceRules[0].nonResourceURLs[0]: Invalid value: "metrics": must start with slash\n');
    const changed = await run('patch', 'flowschema', 'catch-all', '--type=merge', '-p', '{"spec":{"matchingPrecedence":9000}}');
    expect(changed.code).toBe(1);
    expect(changed.stderr).toMatch(/^The FlowSchema "catch-all" is invalid: spec: Invalid value: .*: spec of 'catch-all' must equal the fixed value\n$/);
  });
});
