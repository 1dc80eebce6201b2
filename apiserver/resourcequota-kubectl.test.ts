/**
 * ResourceQuota through real kubectl (the oldest and newest installed minor, `KUBECTL_RANGE_ENDS`,
 * each against its own in-process control plane running the resourcequota controller): the
 * kubernetes.io "Configure Memory and CPU Quotas for a Namespace" manifests from STDIN, `kubectl
 * get quota` columns with upstream's `used/hard` cells, `kubectl describe quota`, the second pod
 * refused with upstream's text as kubectl prints it, `kubectl create quota`, and a 422 for a
 * resource quota does not know.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResourceQuota } from '../pkg/api/core/v1/resourcequota.ts';
import { BUILTIN_COORDINATES as C } from '../pkg/client/index.ts';
import { KUBECTL_RANGE_ENDS, installedKubectls, kubectl, kubectlTable as table } from '../e2e/harness/kubectl.ts';
import { startTestControlPlane, type TestControlPlane } from '../pkg/testing/control-plane.ts';
import { waitFor } from '../pkg/testing/wait.ts';

const dir = mkdtempSync(join(tmpdir(), 'k8ts-quota-kubectl-'));
const minors = installedKubectls(KUBECTL_RANGE_ENDS);
const NS = 'quota-mem-cpu-example';

const QUOTA = `apiVersion: v1
kind: ResourceQuota
metadata:
  name: mem-cpu-demo
spec:
  hard:
    requests.cpu: "1"
    requests.memory: 1Gi
    limits.cpu: "2"
    limits.memory: 2Gi
`;

const POD = `apiVersion: v1
kind: Pod
metadata:
  name: quota-mem-cpu-demo
spec:
  containers:
  - name: quota-mem-cpu-demo-ctr
    image: nginx
    resources:
      limits:
        memory: "800Mi"
        cpu: "800m"
      requests:
        memory: "600Mi"
        cpu: "400m"
`;

const POD_2 = `apiVersion: v1
kind: Pod
metadata:
  name: quota-mem-cpu-demo-2
spec:
  containers:
  - name: quota-mem-cpu-demo-2-ctr
    image: redis
    resources:
      limits:
        memory: "1Gi"
        cpu: "800m"
      requests:
        memory: "700Mi"
        cpu: "400m"
`;

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!minors.length).each(minors)('kubectl %s and ResourceQuota', (minor) => {
  let cp: TestControlPlane;
  const run = (args: string[], stdin?: string) => kubectl(minor, ['-n', NS, ...args], { kubeconfig: cp.kubeconfigPath, home: join(dir, minor), stdin });
  const ok = async (args: string[], stdin?: string) => {
    const res = await run(args, stdin);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    return res.stdout;
  };
  const observed = (name: string, used: string) => waitFor(`${name} used ${used}`, async () => {
    const q = await cp.client.resource<ResourceQuota>(C.resourceQuotas).inNamespace(NS).get(name);
    return q.status?.used?.['requests.memory'] === used ? q : undefined;
  });

  beforeAll(async () => {
    cp = await startTestControlPlane({ controllers: ['resourcequota'] });
    await cp.client.namespaces.create({ metadata: { name: NS } });
  });
  afterAll(async () => {
    await cp?.stop();
  });

  it('applies the tutorial quota and prints upstream\'s columns', async () => {
    expect(await ok(['apply', '-f', '-'], QUOTA)).toBe('resourcequota/mem-cpu-demo created\n');
    await observed('mem-cpu-demo', '0');
    const t = table(await ok(['get', 'quota']));
    expect(t.header).toEqual(['NAME', 'AGE', 'REQUEST', 'LIMIT']);
    expect(t.row('mem-cpu-demo')?.slice(2)).toEqual(['requests.cpu: 0/1, requests.memory: 0/1Gi', 'limits.cpu: 0/2, limits.memory: 0/2Gi']);
  });

  it('charges the first pod and refuses the second with upstream\'s message', async () => {
    expect(await ok(['apply', '-f', '-'], POD)).toBe('pod/quota-mem-cpu-demo created\n');
    await observed('mem-cpu-demo', '600Mi');
    const described = await ok(['describe', 'quota', 'mem-cpu-demo']);
    expect(described).toMatch(/^Name:\s+mem-cpu-demo\nNamespace:\s+quota-mem-cpu-example\nResource\s+Used\s+Hard\n-+\s+-+\s+-+\n/);
    expect(described).toMatch(/\nlimits\.cpu\s+800m\s+2\nlimits\.memory\s+800Mi\s+2Gi\nrequests\.cpu\s+400m\s+1\nrequests\.memory\s+600Mi\s+1Gi\n$/);
    expect(table(await ok(['get', 'resourcequota', 'mem-cpu-demo'])).row('mem-cpu-demo')?.slice(2)).toEqual(['requests.cpu: 400m/1, requests.memory: 600Mi/1Gi', 'limits.cpu: 800m/2, limits.memory: 800Mi/2Gi']);
    const refused = await run(['apply', '-f', '-'], POD_2);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe('Error from server (Forbidden): error when creating "STDIN": pods "quota-mem-cpu-demo-2" is forbidden: exceeded quota: mem-cpu-demo, requested: requests.memory=700Mi, used: requests.memory=600Mi, limited: requests.memory=1Gi\n');
  });

  it('creates a quota with kubectl create quota and refuses an unknown resource with 422', async () => {
    expect(await ok(['create', 'quota', 'my-quota', '--hard=cpu=1,memory=1G,pods=2'])).toBe('resourcequota/my-quota created\n');
    expect(await ok(['get', 'quota', 'my-quota', '-o', 'jsonpath={.spec.hard}'])).toBe('{"cpu":"1","memory":"1G","pods":"2"}');
    const bad = await run(['create', 'quota', 'bad', '--hard=foo=1']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe('error: failed to create quota: ResourceQuota "bad" is invalid: [spec.hard[foo]: Invalid value: "foo": must be a standard resource type or fully qualified, spec.hard[foo]: Invalid value: "foo": must be a standard resource for quota]\n');
  });
});
