/**
 * ServiceCIDR and IPAddress through real kubectl (the oldest and newest installed minor, each
 * against its own in-process control plane running the service-cidr-controller), walking the
 * kubernetes.io "Extend Service IP Ranges" task on a /28 service range: the default `kubernetes`
 * ServiceCIDR, a Service's IPAddress, the range filling up (upstream's "range is full"), a second
 * ServiceCIDR extending it, and deleting a ServiceCIDR that still has addresses (it stays,
 * Ready=False reason Terminating, until the Service goes). Also discovery, explain, and 422s.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KUBECTL_RANGE_ENDS, installedKubectls, strictKubectlRunner, kubectlTable as table } from '../e2e/harness/kubectl.ts';
import { startTestControlPlane, type TestControlPlane } from '../pkg/testing/control-plane.ts';
import { waitFor } from '../pkg/testing/wait.ts';

const dir = mkdtempSync(join(tmpdir(), 'k8ts-servicecidr-kubectl-'));
const minors = installedKubectls(KUBECTL_RANGE_ENDS);

const FILES: Record<string, string> = {
  // kubernetes.io/docs/tasks/network/extend-service-ip-ranges/
  'servicecidr.yaml': `apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: newcidr1
spec:
  cidrs:
  - 10.96.0.0/24
`,
  'bad-cidr.yaml': `apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: bad
spec:
  cidrs:
  - 10.96.0.1/24
`,
  'typo.yaml': `apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: typo
spec:
  cidr:
  - 10.97.0.0/24
`,
};

beforeAll(() => {
  for (const [name, text] of Object.entries(FILES)) writeFileSync(join(dir, name), text);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!minors.length).each(minors)('kubectl %s and ServiceCIDR / IPAddress', (minor) => {
  let cp: TestControlPlane;
  const { run, ok } = strictKubectlRunner(minor, () => ({ kubeconfig: cp.kubeconfigPath, home: join(dir, minor) }));

  beforeAll(async () => {
    cp = await startTestControlPlane({ serviceClusterIpRange: '10.96.0.0/28', controllers: ['service-cidr-controller'], controllerSettings: { serviceCIDRDeletionGraceMs: 200 } });
  }, 60_000);
  afterAll(async () => {
    await cp?.stop();
  });

  it('lists the default ServiceCIDR with NAME, CIDRS and AGE, Ready and protected', async () => {
    const out = table(await ok('get', 'servicecidrs'));
    expect(out.header).toEqual(['NAME', 'CIDRS', 'AGE']);
    expect(out.row('kubernetes')?.slice(0, 2)).toEqual(['kubernetes', '10.96.0.0/28']);
    expect(await ok('get', 'servicecidr', 'kubernetes', '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].status}')).toBe('True');
    await waitFor('the finalizer on kubernetes', async () => (await ok('get', 'servicecidr', 'kubernetes', '-o', 'jsonpath={.metadata.finalizers}')).includes('networking.k8s.io/service-cidr-finalizer'));
  });

  it('shows the kubernetes Service\'s address and a new Service\'s address as IPAddresses with NAME and PARENTREF', async () => {
    const all = table(await ok('get', 'ipaddresses'));
    expect(all.header).toEqual(['NAME', 'PARENTREF']);
    expect(all.row('10.96.0.1')).toEqual(['10.96.0.1', 'services/default/kubernetes']);
    expect(await ok('create', 'service', 'clusterip', 'test-1', '--tcp', '80')).toBe('service/test-1 created\n');
    const ip = await ok('get', 'service', 'test-1', '-o', 'jsonpath={.spec.clusterIP}');
    expect(table(await ok('get', 'ipaddress', ip)).row(ip)).toEqual([ip, 'services/default/test-1']);
    expect(await ok('get', 'ipaddress', ip, '-o', 'jsonpath={.metadata.labels}')).toBe('{"ipaddress.kubernetes.io/ip-family":"IPv4","ipaddress.kubernetes.io/managed-by":"ipallocator.k8s.io"}');
  });

  it('fills the /28, then a new ServiceCIDR extends the range', async () => {
    // 14 usable addresses: kubernetes and test-1 hold two, 12 more Services fill the range.
    for (let i = 2; i <= 13; i++) await ok('create', 'service', 'clusterip', `test-${i}`, '--tcp', '80');
    const full = await run('create', 'service', 'clusterip', 'test-14', '--tcp', '80');
    expect(full.code).toBe(1);
    expect(full.stderr).toBe('error: failed to create ClusterIP service: Internal error occurred: failed to allocate a serviceIP: range is full\n');

    expect(await ok('apply', '-f', join(dir, 'servicecidr.yaml'))).toBe('servicecidr.networking.k8s.io/newcidr1 created\n');
    const cidrs = table(await ok('get', 'servicecidr'));
    expect(cidrs.row('newcidr1')?.slice(0, 2)).toEqual(['newcidr1', '10.96.0.0/24']);
    await waitFor('newcidr1 Ready', async () => (await ok('get', 'servicecidr', 'newcidr1', '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].status}')) === 'True');
    expect(await ok('create', 'service', 'clusterip', 'test-14', '--tcp', '80')).toBe('service/test-14 created\n');
    const ip = await ok('get', 'service', 'test-14', '-o', 'jsonpath={.spec.clusterIP}');
    expect(Number(ip.split('.')[3])).toBeGreaterThanOrEqual(16);
    expect(table(await ok('get', 'ipaddress', ip)).row(ip)).toEqual([ip, 'services/default/test-14']);
  });

  it('keeps a deleted ServiceCIDR that still has addresses, Terminating, until they are gone', async () => {
    expect(await ok('delete', 'servicecidr', 'newcidr1', '--wait=false')).toBe('servicecidr.networking.k8s.io "newcidr1" deleted\n');
    await waitFor('newcidr1 Ready=False', async () => (await ok('get', 'servicecidr', 'newcidr1', '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].status}')) === 'False');
    const cond = JSON.parse(await ok('get', 'servicecidr', 'newcidr1', '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")]}'));
    expect(cond).toMatchObject({ status: 'False', reason: 'Terminating', message: 'There are still IPAddresses referencing the ServiceCIDR, please remove them or create a new ServiceCIDR' });
    expect(await ok('get', 'servicecidr', 'newcidr1', '-o', 'jsonpath={.metadata.deletionTimestamp}')).not.toBe('');
    // No more addresses come from it while it is deleting.
    const blocked = await run('create', 'service', 'clusterip', 'test-15', '--tcp', '80');
    expect(blocked.stderr).toContain('range is full');

    expect(await ok('delete', 'service', 'test-14')).toBe('service "test-14" deleted\n');
    await waitFor('newcidr1 gone', async () => (await run('get', 'servicecidr', 'newcidr1')).code === 1);
    expect(table(await ok('get', 'servicecidr')).row('newcidr1')).toBeUndefined();
  });

  it('serves networking.k8s.io/v1 ipaddresses and servicecidrs, cluster-scoped, and explains them', async () => {
    const out = table(await ok('api-resources', '--api-group=networking.k8s.io'));
    expect(out.row('ipaddresses')).toEqual(['ipaddresses', '', 'networking.k8s.io/v1', 'false', 'IPAddress']);
    expect(out.row('servicecidrs')).toEqual(['servicecidrs', '', 'networking.k8s.io/v1', 'false', 'ServiceCIDR']);
    const explained = await ok('explain', 'servicecidr.spec');
    expect(explained).toMatch(/KIND:\s+ServiceCIDR/);
    expect(explained).toMatch(/cidrs\s+<\[\]string>/);
    expect(await ok('explain', 'ipaddress.spec.parentRef')).toMatch(/resource\s+<string>/);
  });

  it('refuses a CIDR with host bits, a changed CIDR, an unknown field and a hand-made IPAddress without parentRef', async () => {
    const bad = await run('create', '-f', join(dir, 'bad-cidr.yaml'));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe('The ServiceCIDR "bad" is invalid: spec.cidrs[0]: Invalid value: "10.96.0.1/24": must not have bits set beyond the prefix length\n');
    const changed = await run('patch', 'servicecidr', 'kubernetes', '--type=merge', '-p', '{"spec":{"cidrs":["10.96.0.0/27"]}}');
    expect(changed.code).toBe(1);
    expect(changed.stderr).toBe('The ServiceCIDR "kubernetes" is invalid: spec.cidrs[0]: Invalid value: "10.96.0.0/27": field is immutable\n');
    const typo = await run('apply', '-f', join(dir, 'typo.yaml'));
    expect(typo.code).toBe(1);
    expect(typo.stderr).toContain('strict decoding error: unknown field "spec.cidr"');
    writeFileSync(join(dir, 'ip.yaml'), 'apiVersion: networking.k8s.io/v1\nkind: IPAddress\nmetadata:\n  name: 10.96.0.200\nspec: {}\n');
    const noParent = await run('create', '-f', join(dir, 'ip.yaml'));
    expect(noParent.code).toBe(1);
    expect(noParent.stderr).toBe('The IPAddress "10.96.0.200" is invalid: spec.parentRef: Required value\n');
  });
});
