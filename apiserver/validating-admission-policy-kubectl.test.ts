/**
 * ValidatingAdmissionPolicy through real kubectl 1.33 against an in-process control plane (no
 * controllers): the kubernetes.io "Validating Admission Policy" getting-started example applied
 * verbatim — `kubectl create deployment --replicas=6` in an environment=test namespace denied
 * with upstream's text, the same policy bound with [Warn] printing `Warning:` — plus
 * UPDATE denied through `kubectl patch` (while `kubectl scale`, the deployments/scale subresource,
 * is not matched), `kubectl get` columns of both kinds, the api-extensions category, and a policy
 * whose expression does not compile refused with 422.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installedKubectls, kubectlTable, strictKubectlRunner } from '../e2e/harness/kubectl.ts';
import { startTestControlPlane, type TestControlPlane } from '../pkg/testing/control-plane.ts';

const dir = mkdtempSync(join(tmpdir(), 'k8ts-vap-kubectl-'));
const minors = installedKubectls(['1.33']);

const FILES: Record<string, string> = {
  // kubernetes.io/docs/reference/access-authn-authz/validating-admission-policy: the policy and the [Deny] binding
  'policy.yaml': `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: "demo-policy.example.com"
spec:
  failurePolicy: Fail
  matchConstraints:
    resourceRules:
    - apiGroups:   ["apps"]
      apiVersions: ["v1"]
      operations:  ["CREATE", "UPDATE"]
      resources:   ["deployments"]
  validations:
    - expression: "object.spec.replicas <= 5"
`,
  'binding.yaml': `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata:
  name: "demo-binding-test.example.com"
spec:
  policyName: "demo-policy.example.com"
  validationActions: [Deny]
  matchResources:
    namespaceSelector:
      matchLabels:
        environment: test
`,
  'binding-warn.yaml': `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata:
  name: "demo-binding-staging.example.com"
spec:
  policyName: "demo-policy.example.com"
  validationActions: [Warn]
  matchResources:
    namespaceSelector:
      matchLabels:
        environment: staging
`,
  'big-deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: big\nspec:\n  replicas: 9\n  selector:\n    matchLabels: {app: big}\n  template:\n    metadata:\n      labels: {app: big}\n    spec:\n      containers:\n      - name: nginx\n        image: nginx\n',
  'bad-policy.yaml': `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: bad.example.com
spec:
  matchConstraints:
    resourceRules:
    - apiGroups: ["apps"]
      apiVersions: ["v1"]
      operations: ["CREATE"]
      resources: ["deployments"]
  validations:
    - expression: "object.spec.replicas <"
`,
};

const DENIAL = "ValidatingAdmissionPolicy 'demo-policy.example.com' with binding 'demo-binding-test.example.com' denied request: failed expression: object.spec.replicas <= 5";

beforeAll(() => {
  for (const [name, text] of Object.entries(FILES)) writeFileSync(join(dir, name), text);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!minors.length).each(minors)('kubectl %s and ValidatingAdmissionPolicy', (minor) => {
  let cp: TestControlPlane;
  const { run, ok } = strictKubectlRunner(minor, () => ({ kubeconfig: cp.kubeconfigPath, home: join(dir, minor) }));

  beforeAll(async () => {
    cp = await startTestControlPlane();
    for (const [ns, env] of [['test', 'test'], ['staging', 'staging'], ['prod', 'prod']]) {
      await ok(...['create', 'namespace', ns]);
      await ok(...['label', 'namespace', ns, `environment=${env}`]);
    }
  }, 60_000);
  afterAll(async () => {
    await cp?.stop();
  });

  it('applies the docs policy and binding', async () => {
    expect(await ok(...['apply', '-f', join(dir, 'policy.yaml')])).toBe('validatingadmissionpolicy.admissionregistration.k8s.io/demo-policy.example.com created\n');
    expect(await ok(...['apply', '-f', join(dir, 'binding.yaml')])).toBe('validatingadmissionpolicybinding.admissionregistration.k8s.io/demo-binding-test.example.com created\n');
    // resourceRules is an atomic list and the server defaulted each rule's scope, so client-side
    // apply sends the list again: "configured", as against an upstream server.
    expect(await ok(...['apply', '-f', join(dir, 'policy.yaml')])).toBe('validatingadmissionpolicy.admissionregistration.k8s.io/demo-policy.example.com configured\n');
  });

  it('denies kubectl create deployment --replicas=6 in the test namespace with upstream text', async () => {
    const denied = await run(...['create', 'deployment', 'nginx', '--image=nginx', '--replicas=6', '--namespace=test']);
    expect(denied.code).toBe(1);
    expect(denied.stderr).toBe(`error: failed to create deployment: deployments.apps "nginx" is forbidden: ${DENIAL}\n`);
    expect(await ok(...['create', 'deployment', 'nginx', '--image=nginx', '--replicas=5', '--namespace=test'])).toBe('deployment.apps/nginx created\n');
    expect(await ok(...['create', 'deployment', 'nginx', '--image=nginx', '--replicas=6', '--namespace=prod'])).toBe('deployment.apps/nginx created\n');
    // UPDATE is matched; deployments/scale is another resource the rule does not name.
    const patched = await run(...['patch', 'deployment', 'nginx', '--namespace=test', '-p', '{"spec":{"replicas":7}}']);
    expect(patched.code).toBe(1);
    expect(patched.stderr).toBe(`The deployments "nginx" is invalid: : ${DENIAL}\n`);
    expect(await ok(...['scale', 'deployment', 'nginx', '--replicas=6', '--namespace=test'])).toBe('deployment.apps/nginx scaled\n');
  });

  it('prints the 422 as kubectl does for an Invalid status with a cause', async () => {
    const applied = await run('create', '--namespace=test', '-f', join(dir, 'big-deployment.yaml'));
    expect(applied.code).toBe(1);
    expect(applied.stderr).toBe(`The deployments "big" is invalid: : ${DENIAL}\n`);
  });

  it('shows Warning: for a [Warn] binding and creates the object', async () => {
    expect(await ok(...['apply', '-f', join(dir, 'binding-warn.yaml')])).toBe('validatingadmissionpolicybinding.admissionregistration.k8s.io/demo-binding-staging.example.com created\n');
    const warned = await run(...['create', 'deployment', 'nginx', '--image=nginx', '--replicas=6', '--namespace=staging']);
    expect(warned.code).toBe(0);
    expect(warned.stdout).toBe('deployment.apps/nginx created\n');
    expect(warned.stderr).toBe("Warning: Validation failed for ValidatingAdmissionPolicy 'demo-policy.example.com' with binding 'demo-binding-staging.example.com': failed expression: object.spec.replicas <= 5\n");
  });

  it('lists policies and bindings with upstream columns', async () => {
    const policies = kubectlTable(await ok(...['get', 'validatingadmissionpolicies']));
    expect(policies.header).toEqual(['NAME', 'VALIDATIONS', 'PARAMKIND', 'AGE']);
    expect(policies.row('demo-policy.example.com')!.slice(0, 3)).toEqual(['demo-policy.example.com', '1', '<unset>']);
    const bindings = kubectlTable(await ok(...['get', 'validatingadmissionpolicybindings']));
    expect(bindings.header).toEqual(['NAME', 'POLICYNAME', 'PARAMREF', 'AGE']);
    expect(bindings.row('demo-binding-test.example.com')!.slice(0, 3)).toEqual(['demo-binding-test.example.com', 'demo-policy.example.com', '<unset>']);
    expect(await ok(...['get', 'api-extensions', '-o', 'name'])).toContain('validatingadmissionpolicy.admissionregistration.k8s.io/demo-policy.example.com\n');
    const yaml = await ok(...['get', 'validatingadmissionpolicy', 'demo-policy.example.com', '-o', 'yaml']);
    expect(yaml).toContain('  failurePolicy: Fail\n  matchConstraints:\n    matchPolicy: Equivalent\n    namespaceSelector: {}\n    objectSelector: {}\n');
    expect(yaml).toContain('  generation: 1\n');
    const described = await ok(...['describe', 'validatingadmissionpolicybinding', 'demo-binding-test.example.com']);
    expect(described).toMatch(/^Name:\s+demo-binding-test.example.com$/m);
    expect(described).toMatch(/Policy Name:\s+demo-policy.example.com/);
    const resources = await ok(...['api-resources', '--api-group=admissionregistration.k8s.io', '--no-headers']);
    expect(resources.split('\n').filter(Boolean).map((l) => l.split(/\s+/)[0])).toEqual(['mutatingwebhookconfigurations', 'validatingadmissionpolicies', 'validatingadmissionpolicybindings', 'validatingwebhookconfigurations']);
  });

  it('refuses a policy whose expression does not compile', async () => {
    const bad = await run(...['apply', '-f', join(dir, 'bad-policy.yaml')]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^The ValidatingAdmissionPolicy "bad.example.com" is invalid: spec.validations\[0\].expression: Invalid value: "object.spec.replicas <": compilation failed: ERROR: <input>:1:\d+: /);
  });
});
