/**
 * CRD validation rules (x-kubernetes-validations) through real kubectl (the oldest and newest
 * installed minor, each against its own in-process control plane): the kubernetes.io "Validation
 * rules" examples — replicas between minReplicas and maxReplicas, an immutable field (transition
 * rule), a messageExpression and a fieldPath — refuse objects with upstream's 422 texts, accept
 * valid ones and updates, and a CRD whose rule does not compile is refused when it is created.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KUBECTL_RANGE_ENDS, installedKubectls, strictKubectlRunner } from '../../e2e/harness/kubectl.ts';
import { startTestControlPlane, type TestControlPlane } from '../../pkg/testing/control-plane.ts';

const dir = mkdtempSync(join(tmpdir(), 'k8ts-crd-rules-kubectl-'));
const minors = installedKubectls(KUBECTL_RANGE_ENDS);

const crd = (rule: string) => `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: crontabs.stable.example.com
spec:
  group: stable.example.com
  scope: Namespaced
  names: { plural: crontabs, singular: crontab, kind: CronTab, shortNames: [ct] }
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            x-kubernetes-validations:
            - rule: "self.minReplicas <= self.replicas"
              message: "replicas should be greater than or equal to minReplicas."
            - rule: "${rule}"
              message: "replicas should be smaller than or equal to maxReplicas."
            properties:
              cronSpec:
                type: string
                x-kubernetes-validations:
                - rule: "self == oldSelf"
                  message: Value is immutable
              image:
                type: string
                x-kubernetes-validations:
                - rule: "self.contains(':')"
                  messageExpression: "'image ' + self + ' has no tag'"
              minReplicas: { type: integer }
              replicas: { type: integer }
              maxReplicas: { type: integer }
              limits:
                type: object
                properties:
                  memory: { type: string }
                x-kubernetes-validations:
                - rule: "!has(self.memory) || isQuantity(self.memory)"
                  message: limits must be quantities
                  fieldPath: ".memory"
                  reason: FieldValueForbidden
            required: [minReplicas, replicas, maxReplicas]
`;

const cronTab = (spec: string) => `apiVersion: stable.example.com/v1
kind: CronTab
metadata:
  name: my-new-cron-object
spec:
${spec}`;

const FILES: Record<string, string> = {
  'crd.yaml': crd('self.replicas <= self.maxReplicas'),
  'bad-crd.yaml': crd('self.replicas <= self.maxReplicas +').replace('crontabs.stable.example.com', 'crontabs.bad.example.com').replace('group: stable.example.com', 'group: bad.example.com'),
  'valid.yaml': cronTab('  cronSpec: "* * * * */5"\n  image: my-awesome-cron-image:1\n  minReplicas: 0\n  replicas: 2\n  maxReplicas: 10\n'),
  'too-many.yaml': cronTab('  cronSpec: "* * * * */5"\n  image: my-awesome-cron-image:1\n  minReplicas: 0\n  replicas: 20\n  maxReplicas: 10\n'),
  'changed-spec.yaml': cronTab('  cronSpec: "* * * * */1"\n  image: my-awesome-cron-image:1\n  minReplicas: 0\n  replicas: 3\n  maxReplicas: 10\n'),
  'scaled.yaml': cronTab('  cronSpec: "* * * * */5"\n  image: my-awesome-cron-image:1\n  minReplicas: 0\n  replicas: 3\n  maxReplicas: 10\n'),
  'typo.yaml': cronTab('  cronSpec: "* * * * */5"\n  image: my-awesome-cron-image:1\n  minReplicas: 0\n  replicas: 1\n  maxReplicas: 1\n  replica: 2\n  limits: { memory: 1Gi, cpu: 1 }\n').replace('my-new-cron-object', 'typo'),
  'untagged.yaml': cronTab('  cronSpec: "x"\n  image: busybox\n  minReplicas: 0\n  replicas: 1\n  maxReplicas: 1\n  limits: { memory: lots }\n').replace('my-new-cron-object', 'untagged'),
};

beforeAll(() => {
  for (const [name, text] of Object.entries(FILES)) writeFileSync(join(dir, name), text);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!minors.length).each(minors)('kubectl %s and CRD validation rules', (minor) => {
  let cp: TestControlPlane;
  const { run, ok } = strictKubectlRunner(minor, () => ({ kubeconfig: cp.kubeconfigPath, home: join(dir, minor) }));

  beforeAll(async () => {
    cp = await startTestControlPlane();
    await ok('apply', '-f', join(dir, 'crd.yaml'));
    await ok('wait', '--for=condition=Established', 'crd/crontabs.stable.example.com', '--timeout=20s');
  });
  afterAll(async () => {
    await cp?.stop();
  });

  it('refuses an object breaking a rule with the rule message, accepts a valid one', async () => {
    const refused = await run('apply', '-f', join(dir, 'too-many.yaml'));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('The CronTab "my-new-cron-object" is invalid: spec: Invalid value: "object": replicas should be smaller than or equal to maxReplicas.\n');
    expect(await ok('apply', '-f', join(dir, 'valid.yaml'))).toBe('crontab.stable.example.com/my-new-cron-object created\n');
  });

  it('enforces a transition rule on update and lets other fields change', async () => {
    const refused = await run('apply', '-f', join(dir, 'changed-spec.yaml'));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('The CronTab "my-new-cron-object" is invalid: spec.cronSpec: Invalid value: "string": Value is immutable\n');
    expect(await ok('apply', '-f', join(dir, 'scaled.yaml'))).toBe('crontab.stable.example.com/my-new-cron-object configured\n');
    expect(await ok('get', 'ct', 'my-new-cron-object', '-o', 'jsonpath={.spec.replicas}')).toBe('3');
  });

  it('reports every failed rule: messageExpression text, and fieldPath with a reason', async () => {
    const refused = await run('create', '-f', join(dir, 'untagged.yaml'));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      'The CronTab "untagged" is invalid: \n' +
        '* spec.image: Invalid value: "string": image busybox has no tag\n' +
        '* spec.limits.memory: Forbidden: limits must be quantities\n',
    );
  });

  it('refuses fields the schema does not specify, nested ones too; warns and prunes them with --validate=warn', async () => {
    const refused = await run('apply', '-f', join(dir, 'typo.yaml'));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      `Error from server (BadRequest): error when creating "${join(dir, 'typo.yaml')}": CronTab in version "v1" cannot be handled as a CronTab: strict decoding error: unknown field "spec.limits.cpu", unknown field "spec.replica"\n`,
    );
    expect((await run('get', 'ct', 'typo')).code).toBe(1);
    const warned = await run('apply', '--validate=warn', '-f', join(dir, 'typo.yaml'));
    expect(warned.stderr).toBe('Warning: unknown field "spec.limits.cpu"\nWarning: unknown field "spec.replica"\n');
    expect(await ok('get', 'ct', 'typo', '-o', 'jsonpath={.spec}')).toBe('{"cronSpec":"* * * * */5","image":"my-awesome-cron-image:1","limits":{"memory":"1Gi"},"maxReplicas":1,"minReplicas":0,"replicas":1}');
  });

  it('refuses a CRD whose rule does not compile', async () => {
    const refused = await run('apply', '-f', join(dir, 'bad-crd.yaml'));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      'The CustomResourceDefinition "crontabs.bad.example.com" is invalid: spec.validation.openAPIV3Schema.properties[spec].x-kubernetes-validations[1].rule: Invalid value: apiextensions.ValidationRule{Rule:"self.replicas <= self.maxReplicas +", Message:"replicas should be smaller than or equal to maxReplicas.", MessageExpression:"", Reason:(*apiextensions.FieldValueErrorReason)(nil), FieldPath:"", OptionalOldSelf:(*bool)(nil)}: compilation failed: ERROR: <input>:1:36: unexpected token: EOF\n | self.replicas <= self.maxReplicas +\n | ...................................^\n',
    );
  });
});
