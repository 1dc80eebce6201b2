/**
 * Values Go's decoder refuses, as users meet them in tutorials: a Secret with plain text under
 * `data` and a resource quantity with a typo fail as upstream's 400s, in the decoder's words and
 * without a field path (`Secret in version "v1" cannot be handled as a Secret: illegal base64
 * data at input byte 4`), ahead of unknown fields, and create nothing.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KUBECTL_RANGE_ENDS, installedKubectls, kubectlRunner } from '../e2e/harness/kubectl.ts';
import { startTestControlPlane, type TestControlPlane } from '../pkg/testing/control-plane.ts';

const FORMAT = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
const dir = mkdtempSync(join(tmpdir(), 'k8ts-decode-errors-'));
const minors = installedKubectls(KUBECTL_RANGE_ENDS);
let cp: TestControlPlane;

const pod = (name: string, cpu: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name },
  spec: { containers: [{ name: 'c', image: 'nginx', resources: { limits: { cpu } }, ...extra }] },
});

async function post(path: string, body: unknown): Promise<{ code: number; body: Record<string, any> }> {
  const res = await fetch(`${cp.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { code: res.status, body: (await res.json()) as Record<string, any> };
}

beforeAll(async () => {
  cp = await startTestControlPlane();
  writeFileSync(join(dir, 'secret.yaml'), 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata:\n  password: hunter2\n');
  writeFileSync(join(dir, 'labels.yaml'), 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n        version: 1.0\n    spec:\n      containers:\n      - name: web\n        image: nginx\n');
  // A probe command item with an unquoted `: ` is a YAML map.
  writeFileSync(join(dir, 'probe.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: probed\nspec:\n  containers:\n  - name: c\n    image: nginx\n    readinessProbe:\n      exec:\n        command:\n        - sh\n        - -c\n        - nginx -T | grep Management: on\n');
  const deployment = (extra: string) => `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: typo\nspec:\n  replicas: 1\n${extra}  selector:\n    matchLabels:\n      app: typo\n  template:\n    metadata:\n      labels:\n        app: typo\n    spec:\n      containers:\n      - name: web\n        image: nginx\n`;
  writeFileSync(join(dir, 'deployment.yaml'), deployment(''));
  writeFileSync(join(dir, 'deployment-typo.yaml'), deployment('  replica: 2\n'));
  writeFileSync(join(dir, 'pvc.yaml'), 'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: data\nspec:\n  accessModes: [ReadWriteOnce]\n  resources:\n    requests:\n      storage: 500mi\n');
});
afterAll(async () => {
  await cp?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('values the decoder refuses', () => {
  it('a bad quantity is a 400 in ParseQuantity\'s words, reported before an unknown field; nothing is created', async () => {
    for (const [cpu, message] of [['1x', FORMAT], ['lots', FORMAT], ['500mi', "unable to parse quantity's suffix"]]) {
      const res = await post('/api/v1/namespaces/default/pods?fieldValidation=Strict', pod('q', cpu, { imagePullPolice: 'Always' }));
      expect(res.code).toBe(400);
      expect(res.body).toMatchObject({ kind: 'Status', reason: 'BadRequest', message: `Pod in version "v1" cannot be handled as a Pod: ${message}` });
    }
    const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { selector: { matchLabels: { app: 'd' } }, template: { metadata: { labels: { app: 'd' } }, spec: pod('x', '1x').spec } } };
    expect((await post('/apis/apps/v1/namespaces/default/deployments', deployment)).body.message).toBe(`Deployment in version "v1" cannot be handled as a Deployment: ${FORMAT}`);
    expect((await fetch(`${cp.url}/api/v1/namespaces/default/pods/q`)).status).toBe(404);
  });

  it('plain text under a Secret\'s data is illegal base64, without a field path', async () => {
    const res = await post('/api/v1/namespaces/default/secrets', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { password: 'hunter2' } });
    expect(res.code).toBe(400);
    expect(res.body.message).toBe('Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 4');
  });

  const deploymentWith = (name: string, spec: Record<string, unknown>) => ({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name },
    spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } }, ...spec },
  });
  const podWith = (name: string, spec: Record<string, unknown>, metadata: Record<string, unknown> = {}) => ({
    apiVersion: 'v1', kind: 'Pod', metadata: { name, ...metadata }, spec: { containers: [{ name: 'c', image: 'nginx' }], ...spec },
  });
  const podGone = async (name: string) => expect((await fetch(`${cp.url}/api/v1/namespaces/default/pods/${name}`)).status).toBe(404);

  it('a number beyond the Go integer type of its field is a 400 quoting the literal as written', async () => {
    const deployment = await post('/apis/apps/v1/namespaces/default/deployments', deploymentWith('big', { replicas: 99999999999 }));
    expect(deployment.code).toBe(400);
    expect(deployment.body).toMatchObject({ reason: 'BadRequest', message: 'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal number 99999999999 into Go struct field DeploymentSpec.spec.replicas of type int32' });
    expect((await fetch(`${cp.url}/apis/apps/v1/namespaces/default/deployments/big`)).status).toBe(404);
    // Sent as text: JSON.stringify would round the literal to -100000000000000000000.
    const res = await fetch(`${cp.url}/api/v1/namespaces/default/pods`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"deadline"},"spec":{"containers":[{"name":"c","image":"nginx"}],"activeDeadlineSeconds":-99999999999999999999}}',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ reason: 'BadRequest', message: 'Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal number -99999999999999999999 into Go struct field PodSpec.spec.activeDeadlineSeconds of type int64' });
    await podGone('deadline');
  });

  it('a fraction in an integer field is a 400 naming the number, innermost struct and element type', async () => {
    const grace = await post('/api/v1/namespaces/default/pods', podWith('grace', { terminationGracePeriodSeconds: 1.5 }));
    expect(grace.code).toBe(400);
    expect(grace.body).toMatchObject({ reason: 'BadRequest', message: 'Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal number 1.5 into Go struct field PodSpec.spec.terminationGracePeriodSeconds of type int64' });
    await podGone('grace');
    const port = await post('/api/v1/namespaces/default/pods', podWith('port', { containers: [{ name: 'c', image: 'nginx', ports: [{ containerPort: 80.5 }] }] }));
    expect(port.body.message).toBe('Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal number 80.5 into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32');
    // A number where Go wants a string still names no literal, as Go.
    const image = await post('/api/v1/namespaces/default/pods', podWith('image', { containers: [{ name: 'c', image: 1.5 }] }));
    expect(image.body.message).toBe('Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal number into Go struct field Container.spec.containers.image of type string');
    await podGone('image');
    // Of two type errors Go reports the first in the document (here the env value, before ports).
    const two = await post('/api/v1/namespaces/default/pods', podWith('two', { containers: [{ name: 'c', image: 'nginx', env: [{ name: 'PORT', value: 8080 }], ports: [{ containerPort: '80' }] }] }));
    expect(two.body.message).toBe('Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal number into Go struct field EnvVar.spec.containers.env.value of type string');
    const swapped = await post('/api/v1/namespaces/default/pods', podWith('two', { containers: [{ name: 'c', image: 'nginx', ports: [{ containerPort: '80' }], env: [{ name: 'PORT', value: 8080 }] }] }));
    expect(swapped.body.message).toBe('Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal string into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32');
    await podGone('two');
  });

  it('a metav1.Time that is not RFC 3339 is a 400 in time.Parse\'s words, without a field path', async () => {
    const created = await post('/api/v1/namespaces/default/pods', podWith('when', {}, { creationTimestamp: 'yesterday' }));
    expect(created.code).toBe(400);
    expect(created.body).toMatchObject({ reason: 'BadRequest', message: 'Pod in version "v1" cannot be handled as a Pod: parsing time "yesterday" as "2006-01-02T15:04:05Z07:00": cannot parse "yesterday" as "2006"' });
    await podGone('when');
    const status = { conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2024-02-30T00:00:00Z' }] };
    const condition = await post('/api/v1/namespaces/default/pods', { ...podWith('cond', {}), status });
    expect(condition.body.message).toBe('Pod in version "v1" cannot be handled as a Pod: parsing time "2024-02-30T00:00:00Z": day out of range');
    // Time.UnmarshalJSON stops the decoder, so it wins over an earlier type error.
    const both = await post('/api/v1/namespaces/default/pods', podWith('both', { terminationGracePeriodSeconds: 1.5 }, { deletionTimestamp: '2024-01-02' }));
    expect(both.body.message).toBe('Pod in version "v1" cannot be handled as a Pod: parsing time "2024-01-02" as "2006-01-02T15:04:05Z07:00": cannot parse "" as "T"');
    await podGone('both');
  });

  describe.skipIf(!minors.length).each(minors)('kubectl %s apply', (minor) => {
    const { run } = kubectlRunner(minor, () => ({ kubeconfig: cp.kubeconfigPath, home: join(dir, minor) }));
    it('prints upstream\'s errors for the tutorial mistakes', async () => {
      const secret = await run(['apply', '-f', join(dir, 'secret.yaml')]);
      expect(secret.code).toBe(1);
      expect(secret.stderr).toBe(`Error from server (BadRequest): error when creating "${join(dir, 'secret.yaml')}": Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 4\n`);
      const pvc = await run(['apply', '-f', join(dir, 'pvc.yaml')]);
      expect(pvc.stderr).toBe(`Error from server (BadRequest): error when creating "${join(dir, 'pvc.yaml')}": PersistentVolumeClaim in version "v1" cannot be handled as a PersistentVolumeClaim: unable to parse quantity's suffix\n`);
      // An unquoted number as a label value: Go names the struct holding the map, not the key.
      const labels = await run(['apply', '-f', join(dir, 'labels.yaml')]);
      expect(labels.stderr).toBe(`Error from server (BadRequest): error when creating "${join(dir, 'labels.yaml')}": Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal number into Go struct field ObjectMeta.spec.template.metadata.labels of type string\n`);
      // A list item of the wrong type inside an embedded struct's member (Probe's ProbeHandler):
      // Go names the struct of the list and the item's type.
      const probe = await run(['apply', '-f', join(dir, 'probe.yaml')]);
      expect(probe.stderr).toBe(`Error from server (BadRequest): error when creating "${join(dir, 'probe.yaml')}": Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal object into Go struct field ExecAction.spec.containers.readinessProbe.exec.command of type string\n`);

      // A misspelt field: create's 400 names the kind; re-applying it to an existing object fails
      // in the strategic merge patch, a 422 on the patch (its value the patch as Go prints it).
      const typo = join(dir, 'deployment-typo.yaml');
      const created = await run(['apply', '-f', typo]);
      expect(created.stderr).toBe(`Error from server (BadRequest): error when creating "${typo}": Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.replica"\n`);
      expect((await run(['apply', '-f', join(dir, 'deployment.yaml')])).stdout).toBe('deployment.apps/typo created\n');
      const patched = await run(['apply', '-f', typo]);
      expect(patched.code).toBe(1);
      const applied = '{\\"apiVersion\\":\\"apps/v1\\",\\"kind\\":\\"Deployment\\",\\"metadata\\":{\\"annotations\\":{},\\"name\\":\\"typo\\",\\"namespace\\":\\"default\\"},\\"spec\\":{\\"replica\\":2,\\"replicas\\":1,\\"selector\\":{\\"matchLabels\\":{\\"app\\":\\"typo\\"}},\\"template\\":{\\"metadata\\":{\\"labels\\":{\\"app\\":\\"typo\\"}},\\"spec\\":{\\"containers\\":[{\\"image\\":\\"nginx\\",\\"name\\":\\"web\\"}]}}}}\\n';
      expect(patched.stderr).toBe(`The request is invalid: patch: Invalid value: "map[metadata:map[annotations:map[kubectl.kubernetes.io/last-applied-configuration:${applied}]] spec:map[replica:2]]": strict decoding error: unknown field "spec.replica"\n`);
      expect((await run(['delete', 'deployment', 'typo'])).code).toBe(0);
      // Server-side apply is strict about its schema whatever the validation flag says.
      for (const validate of ['--validate=strict', '--validate=false']) {
        const ssa = await run(['apply', '--server-side', validate, '-f', typo]);
        expect(ssa.stderr).toBe(`Error from server (BadRequest): failed to create typed patch object (default/typo; apps/v1, Kind=Deployment): .spec.replica: field not declared in schema\n`);
      }
    });
  });
});
