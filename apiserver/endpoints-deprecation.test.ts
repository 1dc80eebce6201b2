/**
 * The Endpoints deprecation (upstream 1.33, KEP-4974): every request about `v1 Endpoints` —
 * reads, writes, watches and failures — carries the `Warning` upstream sends, kubectl prints it,
 * and EndpointSlices carry none.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installedKubectls, kubectlRunner } from '../e2e/harness/kubectl.ts';
import { startTestControlPlane, type TestControlPlane } from '../pkg/testing/control-plane.ts';

const WARNING = '299 - "v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice"';
const KUBECTL_WARNING = 'Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice\n';
const dir = mkdtempSync(join(tmpdir(), 'k8ts-endpoints-deprecation-'));
const minors = installedKubectls(['1.33']);
let cp: TestControlPlane;

beforeAll(async () => {
  cp = await startTestControlPlane();
  writeFileSync(
    join(dir, 'endpoints.yaml'),
    `apiVersion: v1
kind: Endpoints
metadata:
  name: my-service
subsets:
  - addresses:
      - ip: 192.0.2.42
    ports:
      - port: 9376
`,
  );
});
afterAll(async () => {
  await cp?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('v1 Endpoints deprecation warning', () => {
  it('comes with reads, writes, watches and errors, and not with EndpointSlices', async () => {
    const base = `${cp.url}/api/v1/namespaces/default/endpoints`;
    const created = await fetch(base, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'raw' } }) });
    expect(created.status).toBe(201);
    expect(created.headers.get('warning')).toBe(WARNING);
    for (const url of [base, `${base}/raw`, `${base}/missing`]) {
      const res = await fetch(url);
      expect(res.headers.get('warning'), url).toBe(WARNING);
    }
    const watch = new AbortController();
    const watched = await fetch(`${base}?watch=true`, { signal: watch.signal });
    expect(watched.headers.get('warning')).toBe(WARNING);
    watch.abort();
    const slices = await fetch(`${cp.url}/apis/discovery.k8s.io/v1/namespaces/default/endpointslices`);
    expect(slices.status).toBe(200);
    expect(slices.headers.get('warning')).toBeNull();
  });

  describe.skipIf(!minors.length).each(minors)('kubectl %s', (minor) => {
    const { run } = kubectlRunner(minor, () => ({ kubeconfig: cp.kubeconfigPath, home: join(dir, minor) }));

    it('prints the warning on apply and get, and the table as before', async () => {
      const applied = await run(['apply', '-f', join(dir, 'endpoints.yaml')]);
      expect(applied).toMatchObject({ code: 0, stdout: 'endpoints/my-service created\n', stderr: KUBECTL_WARNING });
      const got = await run(['get', 'ep', 'my-service']);
      expect(got.code).toBe(0);
      expect(got.stderr).toBe(KUBECTL_WARNING);
      expect(got.stdout.split('\n')[1]).toMatch(/^my-service\s+192\.0\.2\.42:9376\s+\d+s$/);
      expect(await run(['get', 'endpointslices', 'kubernetes'])).toMatchObject({ code: 0, stderr: '' });
    });
  });
});
