/**
 * The CronTab tutorial against a real control plane (etcd + `k8ts apiserver` processes) with
 * every installed kubectl minor: the legacy apiextensions.k8s.io/v1beta1 CRD applies unchanged,
 * its group is discoverable, `kubectl get crontab|crontabs|ct` all work, and deleting the CRD
 * deletes its objects.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startE2EControlPlane, type E2EControlPlane } from './harness/control-plane.ts';
import { fixturesDir } from './harness/fixtures.ts';
import { ALL_KUBECTL_MINORS, installedKubectls, kubectlRunner } from './harness/kubectl.ts';

const minors = installedKubectls(ALL_KUBECTL_MINORS);
const CRD_FILE = join(fixturesDir, 'crontab-crd-v1beta1.yaml');
const INSTANCE_FILE = join(fixturesDir, 'crontab-instance.yaml');
const WEBSITE_CRD = fileURLToPath(new URL('../examples/website-operator/crd.yaml', import.meta.url));

let cp: E2EControlPlane;

beforeAll(async () => {
  cp = await startE2EControlPlane({ storage: 'etcd' });
}, 60_000);

afterAll(async () => {
  await cp?.stop();
});

describe.each(minors)('kubectl %s: CronTab CustomResourceDefinition', (minor) => {
  const ns = `crd-${minor.replace('.', '-')}`;
  let home: string;
  const { run, ok } = kubectlRunner(minor, () => ({ kubeconfig: cp.kubeconfig, home }));

  beforeAll(async () => {
    home = cp.newHome();
    await ok(['create', 'namespace', ns]);
  });

  it('applies the v1beta1 CRD and an instance; get crontab, crontabs and ct; delete removes its objects', async () => {
    expect(await ok(['apply', '-f', CRD_FILE])).toContain('customresourcedefinition.apiextensions.k8s.io/crontabs.stable.example.com created');
    expect(await ok(['wait', '--for', 'condition=established', '--timeout=20s', 'crd/crontabs.stable.example.com'])).toContain('condition met');
    expect(await ok(['api-versions'])).toContain('stable.example.com/v1beta1');
    expect(await ok(['apply', '-n', ns, '-f', INSTANCE_FILE])).toContain('crontab.stable.example.com/my-cron-object created');
    for (const name of ['crontab', 'crontabs', 'ct']) expect(await ok(['get', '-n', ns, name])).toMatch(/^NAME\s+AGE\nmy-cron-object\s+\d+s\n$/);
    expect(await ok(['get', '-n', ns, 'ct', 'my-cron-object', '-o', 'jsonpath={.spec.cronSpec}'])).toBe('* * * * */5');
    expect(await ok(['apply', '-f', CRD_FILE])).toContain('unchanged');

    expect(await ok(['delete', '-f', CRD_FILE])).toContain('deleted');
    const gone = await run(['get', '-n', ns, 'crontabs']);
    expect(gone.code).toBe(1);
    // kubectl's discovery cache may still list crontabs: then the list itself is a 404, as upstream.
    expect(gone.stderr).toMatch(/the server doesn't have a resource type "crontabs"|Unable to list "stable.example.com\/v1beta1, Resource=crontabs": the server could not find the requested resource/);
    await ok(['apply', '-f', CRD_FILE]);
    await ok(['wait', '--for', 'condition=established', '--timeout=20s', 'crd/crontabs.stable.example.com']);
    expect((await run(['get', '-n', ns, 'crontabs'])).stderr).toContain(`No resources found in ${ns} namespace.`);
    await ok(['delete', '-f', CRD_FILE]);
  });

  it('prints additionalPrinterColumns and refuses a schema violation with the upstream message', async () => {
    await ok(['apply', '-f', WEBSITE_CRD]);
    await ok(['wait', '--for', 'condition=established', '--timeout=20s', 'crd/websites.example.k8ts.dev']);
    const site = (name: string, spec: string) => `apiVersion: example.k8ts.dev/v1\nkind: Website\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n${spec}\n`;
    expect((await run(['apply', '-f', '-'], { stdin: site('blog', '  image: nginx:1.27\n  replicas: 2') })).stdout).toContain('website.example.k8ts.dev/blog created');
    expect(await ok(['get', '-n', ns, 'ws'])).toMatch(/^NAME\s+IMAGE\s+REPLICAS\s+URL\s+AGE\nblog\s+nginx:1\.27\s+2\s+\d+s\n$/);
    const bad = await run(['apply', '-f', '-'], { stdin: site('broken', '  replicas: -1') });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('spec.replicas: Invalid value: -1: spec.replicas in body should be greater than or equal to 0');
    expect(bad.stderr).toContain('spec.image: Required value');
    expect((await run(['get', '-n', ns, 'ws', 'broken'])).code).toBe(1);
  });

  afterAll(async () => {
    await run(['delete', 'namespace', ns, '--wait=false']);
  });
});
