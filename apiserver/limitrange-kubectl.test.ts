/**
 * LimitRange and the LimitRanger admission plugin through real kubectl (the oldest and newest
 * installed minor, `KUBECTL_RANGE_ENDS`, each against its own in-process control plane without
 * controllers): the kubernetes.io tasks "Configure Default Memory Requests and Limits for a
 * Namespace" and "Configure Minimum and Maximum CPU Constraints for a Namespace" applied verbatim
 * — the defaulted range, a bare pod filled in and annotated, a pod over the max refused with
 * upstream's 403 — `kubectl get limits` columns, `kubectl describe limits` (client-side), and 422s
 * with upstream's messages.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KUBECTL_RANGE_ENDS, installedKubectls, strictKubectlRunner } from '../e2e/harness/kubectl.ts';
import { startTestControlPlane, type TestControlPlane } from '../pkg/testing/control-plane.ts';

const dir = mkdtempSync(join(tmpdir(), 'k8ts-limitrange-kubectl-'));
const minors = installedKubectls(KUBECTL_RANGE_ENDS);

const FILES: Record<string, string> = {
  // kubernetes.io/examples/admin/resource/memory-defaults.yaml and memory-defaults-pod.yaml
  'memory-defaults.yaml': `apiVersion: v1
kind: LimitRange
metadata:
  name: mem-limit-range
spec:
  limits:
  - default:
      memory: 512Mi
    defaultRequest:
      memory: 256Mi
    type: Container
`,
  'memory-defaults-pod.yaml': `apiVersion: v1
kind: Pod
metadata:
  name: default-mem-demo
spec:
  containers:
  - name: default-mem-demo-ctr
    image: nginx
`,
  // kubernetes.io/examples/admin/resource/cpu-constraints.yaml and cpu-constraints-pod-2.yaml
  'cpu-constraints.yaml': `apiVersion: v1
kind: LimitRange
metadata:
  name: cpu-min-max-demo-lr
spec:
  limits:
  - max:
      cpu: "800m"
    min:
      cpu: "200m"
    type: Container
`,
  'cpu-constraints-pod-2.yaml': `apiVersion: v1
kind: Pod
metadata:
  name: constraints-cpu-demo-2
spec:
  containers:
  - name: constraints-cpu-demo-2-ctr
    image: nginx
    resources:
      limits:
        cpu: "1.5"
      requests:
        cpu: "500m"
`,
  'bad-min-max.yaml': `apiVersion: v1
kind: LimitRange
metadata:
  name: bad-min-max
spec:
  limits:
  - type: Pod
    min:
      cpu: "2"
    max:
      cpu: "1"
`,
  'bad-type.yaml': `apiVersion: v1
kind: LimitRange
metadata:
  name: bad-type
spec:
  limits:
  - type: Node
    max:
      cpu: "1"
`,
};

beforeAll(() => {
  for (const [name, text] of Object.entries(FILES)) writeFileSync(join(dir, name), text);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!minors.length).each(minors)('kubectl %s and LimitRange', (minor) => {
  let cp: TestControlPlane;
  const { run, ok } = strictKubectlRunner(minor, () => ({ kubeconfig: cp.kubeconfigPath, home: join(dir, minor) }));

  beforeAll(async () => {
    cp = await startTestControlPlane();
    await ok('create', 'namespace', 'default-mem-example');
    await ok('create', 'namespace', 'constraints-cpu-example');
  });
  afterAll(async () => {
    await cp?.stop();
  });

  it('applies the memory-defaults range and fills a bare pod, with the limit-ranger annotation', async () => {
    const ns = ['--namespace=default-mem-example'];
    expect(await ok('apply', '-f', join(dir, 'memory-defaults.yaml'), ...ns)).toBe('limitrange/mem-limit-range created\n');
    expect(await ok('apply', '-f', join(dir, 'memory-defaults-pod.yaml'), ...ns)).toBe('pod/default-mem-demo created\n');
    const yaml = await ok('get', 'pod', 'default-mem-demo', '--output=yaml', ...ns);
    expect(yaml).toMatch(/ {4}resources:\n {6}limits:\n {8}memory: 512Mi\n {6}requests:\n {8}memory: 256Mi\n/);
    expect(yaml).toContain("kubernetes.io/limit-ranger: 'LimitRanger plugin set: memory request for container\n");
    expect(await ok('get', 'pod', 'default-mem-demo', '-o', 'jsonpath={.metadata.annotations.kubernetes\\.io/limit-ranger}', ...ns)).toBe('LimitRanger plugin set: memory request for container default-mem-demo-ctr; memory limit for container default-mem-demo-ctr');
    expect(await ok('apply', '-f', join(dir, 'memory-defaults.yaml'), ...ns)).toBe('limitrange/mem-limit-range unchanged\n');
  });

  it('applies the cpu constraints, shows the defaulted range and refuses a pod over the max with 403', async () => {
    const ns = ['--namespace=constraints-cpu-example'];
    expect(await ok('apply', '-f', join(dir, 'cpu-constraints.yaml'), ...ns)).toBe('limitrange/cpu-min-max-demo-lr created\n');
    const lr = await ok('get', 'limitrange', 'cpu-min-max-demo-lr', '--output=yaml', ...ns);
    expect(lr).toContain('  limits:\n  - default:\n      cpu: 800m\n    defaultRequest:\n      cpu: 800m\n    max:\n      cpu: 800m\n    min:\n      cpu: 200m\n    type: Container\n');
    const refused = await run('apply', '-f', join(dir, 'cpu-constraints-pod-2.yaml'), ...ns);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('Error from server (Forbidden): error when creating "');
    expect(refused.stderr).toContain('pods "constraints-cpu-demo-2" is forbidden: maximum cpu usage per Container is 800m, but limit is 1500m\n');
  });

  it('lists LimitRanges as upstream prints them and describes them client-side', async () => {
    const out = await ok('get', 'limits', '--namespace=default-mem-example');
    const [header, row] = out.split('\n');
    expect(header!.split(/\s{2,}/)).toEqual(['NAME', 'CREATED AT']);
    expect(row).toMatch(/^mem-limit-range\s+\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(await ok('get', 'limitranges', '-A', '-o', 'name')).toBe('limitrange/cpu-min-max-demo-lr\nlimitrange/mem-limit-range\n');
    const mem = await ok('describe', 'limits', 'mem-limit-range', '--namespace=default-mem-example');
    expect(mem).toMatch(/^Name:\s+mem-limit-range$/m);
    expect(mem).toMatch(/^Namespace:\s+default-mem-example$/m);
    expect(mem).toMatch(/^Type\s+Resource\s+Min\s+Max\s+Default Request\s+Default Limit\s+Max Limit\/Request Ratio$/m);
    expect(mem).toMatch(/^Container\s+memory\s+-\s+-\s+256Mi\s+512Mi\s+-$/m);
    const cpu = await ok('describe', 'limitrange', '--namespace=constraints-cpu-example');
    expect(cpu).toMatch(/^Container\s+cpu\s+200m\s+800m\s+800m\s+800m\s+-$/m);
  });

  it('refuses invalid LimitRanges with 422 and upstream messages', async () => {
    const minMax = await run('apply', '-f', join(dir, 'bad-min-max.yaml'));
    expect(minMax.code).toBe(1);
    expect(minMax.stderr).toContain('The LimitRange "bad-min-max" is invalid: spec.limits[0].min[cpu]: Invalid value: resource.Quantity{i:resource.int64Amount{value:2, scale:0}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:"2", Format:"DecimalSI"}: min value 2 is greater than max value 1\n');
    const type = await run('create', '-f', join(dir, 'bad-type.yaml'));
    expect(type.code).toBe(1);
    expect(type.stderr).toBe('The LimitRange "bad-type" is invalid: spec.limits[0].type: Invalid value: "Node": must be a standard limit type or fully qualified\n');
  });
});
