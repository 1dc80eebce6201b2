/**
 * Upstream's `Warning:` headers for pod templates and Services through real kubectl 1.33 against
 * the in-process control plane: applying a Deployment whose container repeats an env var, a
 * ClusterIP Service with an externalName, and an update of the Deployment's template (warned
 * again) versus a label-only update (the generation does not change: no warning).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installedKubectls, strictKubectlRunner } from '../e2e/harness/kubectl.ts';
import { startTestControlPlane, type TestControlPlane } from '../pkg/testing/control-plane.ts';

const dir = mkdtempSync(join(tmpdir(), 'k8ts-warnings-kubectl-'));
const minors = installedKubectls(['1.33']);
let cp: TestControlPlane;

const deployment = (image: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
      - name: web
        image: ${image}
        env:
        - { name: FOO, value: a }
        - { name: FOO, value: b }
`;

const SERVICE = `apiVersion: v1
kind: Service
metadata:
  name: svc
spec:
  type: ClusterIP
  externalName: example.com
  ports:
  - port: 80
`;

const ENV_WARNING = 'Warning: spec.template.spec.containers[0].env[1]: hides previous definition of "FOO", which may be dropped when using apply\n';

beforeAll(async () => {
  cp = await startTestControlPlane({ controllers: [] });
  writeFileSync(join(dir, 'deploy.yaml'), deployment('nginx:1.27'));
  writeFileSync(join(dir, 'deploy-v2.yaml'), deployment('nginx:1.28'));
  writeFileSync(join(dir, 'svc.yaml'), SERVICE);
});

afterAll(async () => {
  await cp?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!minors.length).each(minors)('kubectl %s prints upstream API warnings', (minor) => {
  const ns = `warn-${minor.replace('.', '-')}`;
  const { run } = strictKubectlRunner(minor, () => ({ kubeconfig: cp.kubeconfigPath, home: dir }), ['-n', ns]);

  beforeAll(async () => {
    await cp.client.namespaces.create({ metadata: { name: ns } });
  });

  it('warns about a duplicate env var in a Deployment template on create and on a template change', async () => {
    const created = await run('apply', '-f', join(dir, 'deploy.yaml'));
    expect(created.stderr).toBe(ENV_WARNING);
    expect(created.stdout).toBe('deployment.apps/web created\n');
    const updated = await run('apply', '-f', join(dir, 'deploy-v2.yaml'));
    expect(updated.stderr).toBe(ENV_WARNING);
    expect(updated.stdout).toBe('deployment.apps/web configured\n');
    // A label change leaves the generation alone: upstream's workload strategies say nothing.
    const labelled = await run('label', 'deployment', 'web', 'tier=frontend');
    expect(labelled.stderr).toBe('');
    expect(labelled.stdout).toBe('deployment.apps/web labeled\n');
  });

  it('warns about externalName on a ClusterIP Service', async () => {
    const res = await run('apply', '-f', join(dir, 'svc.yaml'));
    expect(res.stderr).toBe('Warning: spec.externalName is ignored when spec.type is not "ExternalName"\n');
    expect(res.stdout).toBe('service/svc created\n');
  });
});
