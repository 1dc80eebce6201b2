/**
 * RuntimeClass through real kubectl (the oldest and newest installed minor, each against its own
 * in-process control plane without controllers): the kubernetes.io "Runtime Class" and "Pod
 * Overhead" manifests applied verbatim, `kubectl get runtimeclass` columns as upstream 1.33 prints
 * them, the overhead the RuntimeClass admission plugin sets on a pod, `kubectl api-resources`, the
 * 403 of a pod naming a missing class, and 422s with upstream's messages (a handler that is no DNS
 * label, a changed handler).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KUBECTL_RANGE_ENDS, installedKubectls, strictKubectlRunner, kubectlTable as table } from '../e2e/harness/kubectl.ts';
import { startTestControlPlane, type TestControlPlane } from '../pkg/testing/control-plane.ts';

const dir = mkdtempSync(join(tmpdir(), 'k8ts-runtimeclass-kubectl-'));
const minors = installedKubectls(KUBECTL_RANGE_ENDS);

const FILES: Record<string, string> = {
  // kubernetes.io/docs/concepts/containers/runtime-class/
  'runtimeclass.yaml': `# RuntimeClass is defined in the node.k8s.io API group
apiVersion: node.k8s.io/v1
kind: RuntimeClass
metadata:
  # The name the RuntimeClass will be referenced by.
  # RuntimeClass is a non-namespaced resource.
  name: myclass
# The name of the corresponding CRI configuration
handler: myconfiguration
`,
  // kubernetes.io/docs/concepts/scheduling-eviction/pod-overhead/
  'kata-fc.yaml': `apiVersion: node.k8s.io/v1
kind: RuntimeClass
metadata:
  name: kata-fc
handler: kata-fc
overhead:
  podFixed:
    memory: "120Mi"
    cpu: "250m"
`,
  'test-pod.yaml': `apiVersion: v1
kind: Pod
metadata:
  name: test-pod
spec:
  runtimeClassName: kata-fc
  containers:
  - name: busybox-ctr
    image: busybox:1.28
    stdin: true
    tty: true
    resources:
      limits:
        cpu: 500m
        memory: 100Mi
  - name: nginx-ctr
    image: nginx
    resources:
      limits:
        cpu: 1500m
        memory: 100Mi
`,
  'missing-class-pod.yaml': `apiVersion: v1
kind: Pod
metadata:
  name: mypod
spec:
  runtimeClassName: gvisor
  containers:
  - name: app
    image: nginx
`,
  'typo.yaml': `apiVersion: node.k8s.io/v1
kind: RuntimeClass
metadata:
  name: typo
handler: runc
scheduling:
  nodeSelektor:
    runtime: runc
`,
  'bad-handler.yaml': `apiVersion: node.k8s.io/v1
kind: RuntimeClass
metadata:
  name: bad-handler
handler: Kata_FC
`,
};

beforeAll(() => {
  for (const [name, text] of Object.entries(FILES)) writeFileSync(join(dir, name), text);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!minors.length).each(minors)('kubectl %s and RuntimeClass', (minor) => {
  let cp: TestControlPlane;
  const { run, ok } = strictKubectlRunner(minor, () => ({ kubeconfig: cp.kubeconfigPath, home: join(dir, minor) }));

  beforeAll(async () => {
    cp = await startTestControlPlane();
  });
  afterAll(async () => {
    await cp?.stop();
  });

  it('applies the documented RuntimeClass and lists it with NAME, HANDLER and AGE', async () => {
    expect(await ok('apply', '-f', join(dir, 'runtimeclass.yaml'))).toBe('runtimeclass.node.k8s.io/myclass created\n');
    const out = table(await ok('get', 'runtimeclass'));
    expect(out.header).toEqual(['NAME', 'HANDLER', 'AGE']);
    expect(out.row('myclass')?.slice(0, 2)).toEqual(['myclass', 'myconfiguration']);
    expect(await ok('get', 'runtimeclasses.node.k8s.io', 'myclass', '-o', 'jsonpath={.handler}')).toBe('myconfiguration');
    expect(await ok('apply', '-f', join(dir, 'runtimeclass.yaml'))).toBe('runtimeclass.node.k8s.io/myclass unchanged\n');
  });

  it('serves node.k8s.io/v1 runtimeclasses, cluster-scoped, in discovery', async () => {
    const out = table(await ok('api-resources', '--api-group=node.k8s.io'));
    expect(out.row('runtimeclasses')).toEqual(['runtimeclasses', '', 'node.k8s.io/v1', 'false', 'RuntimeClass']);
    expect((await ok('api-versions')).split('\n')).toContain('node.k8s.io/v1');
  });

  it("gives the Pod Overhead page's pod its class's overhead", async () => {
    expect(await ok('apply', '-f', join(dir, 'kata-fc.yaml'))).toBe('runtimeclass.node.k8s.io/kata-fc created\n');
    expect(await ok('apply', '-f', join(dir, 'test-pod.yaml'))).toBe('pod/test-pod created\n');
    expect(await ok('get', 'pod', 'test-pod', '-o', 'jsonpath={.spec.overhead}')).toBe('{"cpu":"250m","memory":"120Mi"}');
    expect(await ok('get', 'pod', 'test-pod', '-o', 'jsonpath={.spec.runtimeClassName}')).toBe('kata-fc');
  });

  it('refuses a pod naming a missing class with upstream 403', async () => {
    const res = await run('apply', '-f', join(dir, 'missing-class-pod.yaml'));
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('Error from server (Forbidden): error when creating "');
    expect(res.stderr).toContain('pods "mypod" is forbidden: pod rejected: RuntimeClass "gvisor" not found\n');
  });

  it('refuses a handler that is no DNS label and a changed handler with 422', async () => {
    const bad = await run('create', '-f', join(dir, 'bad-handler.yaml'));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe('The RuntimeClass "bad-handler" is invalid: handler: Invalid value: "Kata_FC": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or \'-\', and must start and end with an alphanumeric character (e.g. \'my-name\',  or \'123-abc\', regex used for validation is \'[a-z0-9]([-a-z0-9]*[a-z0-9])?\')\n');
    const changed = await run('patch', 'runtimeclass', 'myclass', '--type=merge', '-p', '{"handler":"runsc"}');
    expect(changed.code).toBe(1);
    expect(changed.stderr).toBe('The RuntimeClass "myclass" is invalid: handler: Invalid value: "runsc": field is immutable\n');
  });

  it('validates fields strictly and explains the kind', async () => {
    const typo = await run('apply', '-f', join(dir, 'typo.yaml'));
    expect(typo.code).toBe(1);
    expect(typo.stderr).toContain('strict decoding error: unknown field "scheduling.nodeSelektor"');
    const explained = await ok('explain', 'runtimeclass.scheduling');
    expect(explained).toMatch(/KIND:\s+RuntimeClass/);
    expect(explained).toMatch(/nodeSelector\s+<map\[string\]string>/);
    expect(explained).toMatch(/tolerations\s+<\[\]Toleration>/);
  });

  it('deletes a class', async () => {
    expect(await ok('delete', 'runtimeclass', 'myclass')).toBe('runtimeclass.node.k8s.io "myclass" deleted\n');
    expect(await ok('get', 'runtimeclass', '-o', 'name')).toBe('runtimeclass.node.k8s.io/kata-fc\n');
  });
});
