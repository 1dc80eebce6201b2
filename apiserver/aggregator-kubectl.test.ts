/**
 * The aggregation layer through real kubectl (oldest and newest installed minor): `kubectl get
 * apiservices` (local ones `Local True`, the wardle one `default/wardle-server True`),
 * `kubectl api-resources` listing the aggregated `flunders`, `kubectl create -f` of a flunder (default
 * validation) and `kubectl get flunders` proxied
 * to the wardle test backend.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KUBECTL_RANGE_ENDS, installedKubectls, kubectlRunner, kubectlTable } from '../e2e/harness/kubectl.ts';
import { startTestControlPlane, type TestControlPlane } from '../pkg/testing/control-plane.ts';
import { hostIPv4, startWardleBackend, wardleObjects, type WardleBackend } from './aggregator/testing/wardle-backend.ts';

const dir = mkdtempSync(join(tmpdir(), 'k8ts-aggregator-kubectl-'));
const minors = installedKubectls(KUBECTL_RANGE_ENDS);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!minors.length || !hostIPv4()).each(minors)('kubectl %s and APIServices', (minor) => {
  let cp: TestControlPlane;
  let backend: WardleBackend;
  const { ok } = kubectlRunner(minor, () => ({ kubeconfig: cp.kubeconfigPath, home: join(dir, minor) }));

  beforeAll(async () => {
    backend = await startWardleBackend();
    cp = await startTestControlPlane();
    const objs = wardleObjects(backend);
    const post = async (url: string, payload: object) => expect((await cp.server.app.inject({ method: 'POST', url, payload })).statusCode).toBe(201);
    await post('/api/v1/namespaces/default/services', objs.service);
    await post('/api/v1/namespaces/default/endpoints', objs.endpoints);
    await post('/apis/apiregistration.k8s.io/v1/apiservices', objs.apiService);
    const deadline = Date.now() + 10_000;
    for (;;) {
      const res = await cp.server.app.inject({ method: 'GET', url: '/apis/apiregistration.k8s.io/v1/apiservices/v1alpha1.wardle.example.com' });
      if ((res.json().status?.conditions ?? []).some((c: { reason?: string }) => c.reason === 'Passed')) break;
      if (Date.now() > deadline) throw new Error(`wardle APIService not available: ${res.body}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }, 60_000);
  afterAll(async () => {
    await cp?.stop();
    await backend?.stop();
  });

  it('kubectl get apiservices: local ones Local True, the aggregated one with its service', async () => {
    const table = kubectlTable(await ok(['get', 'apiservices']));
    expect(table.header).toEqual(['NAME', 'SERVICE', 'AVAILABLE', 'AGE']);
    expect(table.row('v1.')?.slice(0, 3)).toEqual(['v1.', 'Local', 'True']);
    expect(table.row('v1.apps')?.slice(0, 3)).toEqual(['v1.apps', 'Local', 'True']);
    expect(table.row('v1beta1.metrics.k8s.io')?.slice(0, 3)).toEqual(['v1beta1.metrics.k8s.io', 'Local', 'True']);
    expect(table.row('v1alpha1.wardle.example.com')?.slice(0, 3)).toEqual(['v1alpha1.wardle.example.com', 'default/wardle-server', 'True']);
  });

  it('kubectl api-resources lists flunders from the aggregated server', async () => {
    const table = kubectlTable(await ok(['api-resources', '--api-group=wardle.example.com']));
    expect(table.row('flunders')).toEqual(['flunders', 'fl', 'wardle.example.com/v1alpha1', 'true', 'Flunder']);
  });

  it('kubectl create -f of a flunder is proxied (with default validation)', async () => {
    const file = join(dir, `flunder-${minor}.yaml`);
    writeFileSync(file, 'apiVersion: wardle.example.com/v1alpha1\nkind: Flunder\nmetadata:\n  name: created-flunder\n  namespace: default\n');
    backend.seen.length = 0;
    const { run } = kubectlRunner(minor, () => ({ kubeconfig: cp.kubeconfigPath, home: join(dir, minor) }));
    const res = await run(['create', '-f', file]);
    expect(res.stdout.trim()).toBe('flunder.wardle.example.com/created-flunder created');
    expect(backend.seen.some((r) => r.method === 'POST')).toBe(true);
  });

  it.skipIf(minor < '1.29')('kubectl explain reads the aggregated server\'s OpenAPI v3 document', async () => {
    const out = await ok(['explain', 'flunders.spec']);
    expect(out).toContain('How the flunder refers to its fischer.');
    expect(out).toContain('The name of a fischer or flunder.');
  });

  it('kubectl get flunders is proxied to the aggregated server', async () => {
    backend.seen.length = 0;
    const table = kubectlTable(await ok(['get', 'flunders']));
    expect(table.header[0]).toBe('NAME');
    expect(table.row('my-first-flunder')).toBeDefined();
    const seen = backend.seen.find((r) => r.url.startsWith('/apis/wardle.example.com/v1alpha1/namespaces/default/flunders'));
    expect(seen?.headers['x-remote-user']).toBe('system:unsecured');
  });
});
