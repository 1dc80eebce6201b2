/**
 * StatefulSets through the oldest and newest installed kubectl minor (`KUBECTL_RANGE_ENDS`),
 * against the in-process control plane with the statefulset controller (no kubelet: the test marks
 * pods Running and Ready): the tutorial's headless Service + StatefulSet, `get sts` (and `-o
 * wide`) columns, `rollout status`, `scale`, `set image` + `rollout history` / `rollout undo`, a
 * legacy apps/v1beta1 manifest read back as apps/v1, and the 422 of a forbidden update.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KUBECTL_RANGE_ENDS, installedKubectls, kubectlRunner } from '../../../e2e/harness/kubectl.ts';
import { startTestControlPlane, type TestControlPlane } from '../../../pkg/testing/control-plane.ts';
import { waitFor } from '../../../pkg/testing/wait.ts';
import { FORBIDDEN_UPDATE_MESSAGE } from '../../../pkg/api/apps/v1/statefulset-validation.ts';

const dir = mkdtempSync(join(tmpdir(), 'k8ts-sts-kubectl-'));
const minors = installedKubectls(KUBECTL_RANGE_ENDS);
let cp: TestControlPlane;
let readiness: { stop: () => void } | undefined;

const until = <T>(what: string, fn: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 20_000): Promise<T> => waitFor(what, fn, { timeoutMs, intervalMs: 100, retryErrors: true });

/** The tutorial's headless Service and StatefulSet (without volumeClaimTemplates). */
const TUTORIAL = `apiVersion: v1
kind: Service
metadata:
  name: nginx
  labels:
    app: nginx
spec:
  ports:
  - port: 80
    name: web
  clusterIP: None
  selector:
    app: nginx
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  selector:
    matchLabels:
      app: nginx
  serviceName: "nginx"
  replicas: 3
  minReadySeconds: 0
  template:
    metadata:
      labels:
        app: nginx
    spec:
      terminationGracePeriodSeconds: 10
      containers:
      - name: nginx
        image: registry.k8s.io/nginx-slim:0.24
        ports:
        - containerPort: 80
          name: web
`;

const LEGACY = `apiVersion: apps/v1beta1
kind: StatefulSet
metadata:
  name: legacy
spec:
  serviceName: legacy
  replicas: 1
  template:
    metadata:
      labels:
        app: legacy
    spec:
      containers:
      - name: redis
        image: redis
`;

/** Marks every pod of the cluster Running and Ready once it exists, as kubelets would. */
function markPodsReady(): { stop: () => void } {
  let running = true;
  void (async () => {
    while (running) {
      const items = await cp.client.pods.list().then((l) => l.items, () => []);
      for (const p of items) {
        if (p.metadata.deletionTimestamp || p.status?.phase === 'Running') continue;
        const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
        await cp.client.pods
          .inNamespace(p.metadata.namespace as string)
          .patch(p.metadata.name as string, { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: now }] } }, { type: 'merge', subresource: 'status' })
          .catch(() => {});
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  return { stop: () => (running = false) };
}

beforeAll(async () => {
  cp = await startTestControlPlane({ controllers: ['statefulset'] });
  writeFileSync(join(dir, 'tutorial.yaml'), TUTORIAL);
  writeFileSync(join(dir, 'legacy.yaml'), LEGACY);
  readiness = markPodsReady();
});

afterAll(async () => {
  readiness?.stop();
  await cp?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe.each(minors)('kubectl %s and StatefulSets', (minor) => {
  const ns = `sts-kubectl-${minor.replace('.', '-')}`;
  const home = join(dir, `home-${minor}`);
  const { run, ok } = kubectlRunner(minor, () => ({ kubeconfig: cp.kubeconfigPath, home }));
  const rolledOut = () => until('rollout status', async () => (await run(['rollout', 'status', 'sts/web', '-n', ns, '--timeout=2s'])).code === 0);

  beforeAll(async () => {
    await cp.client.namespaces.create({ metadata: { name: ns } });
  });

  it('applies the tutorial, and the StatefulSet rolls out web-0, web-1, web-2', async () => {
    expect(await ok(['apply', '-n', ns, '-f', join(dir, 'tutorial.yaml')])).toBe('service/nginx created\nstatefulset.apps/web created\n');
    await rolledOut();
    expect(await ok(['rollout', 'status', 'sts/web', '-n', ns])).toBe('partitioned roll out complete: 3 new pods have been updated...\n');
    expect(await ok(['get', 'pods', '-n', ns, '-l', 'app=nginx', '-o', 'jsonpath={range .items[*]}{.metadata.name} {.spec.hostname}.{.spec.subdomain}{"\\n"}{end}'])).toBe('web-0 web-0.nginx\nweb-1 web-1.nginx\nweb-2 web-2.nginx\n');
  });

  it('prints upstream\'s columns for get sts and get sts -o wide', async () => {
    const plain = (await ok(['get', 'sts', '-n', ns])).split('\n');
    expect(plain[0]).toMatch(/^NAME\s+READY\s+AGE$/);
    expect(plain[1]).toMatch(/^web\s+3\/3\s+\d+s$/);
    const wide = (await ok(['get', 'statefulset', 'web', '-n', ns, '-o', 'wide'])).split('\n');
    expect(wide[0]).toMatch(/^NAME\s+READY\s+AGE\s+CONTAINERS\s+IMAGES$/);
    expect(wide[1]).toMatch(/^web\s+3\/3\s+\d+s\s+nginx\s+registry\.k8s\.io\/nginx-slim:0\.24$/);
  });

  it('lists statefulsets in api-resources (short name sts) and in get all', async () => {
    expect(await ok(['api-resources', '--api-group=apps', '--no-headers'])).toMatch(/^statefulsets\s+sts\s+apps\/v1\s+true\s+StatefulSet$/m);
    expect(await ok(['get', 'all', '-n', ns])).toMatch(/^NAME\s+READY\s+AGE\nstatefulset\.apps\/web\s+3\/3\s+\d+s$/m);
  });

  it('scales with kubectl scale sts', async () => {
    expect(await ok(['scale', 'sts', 'web', '-n', ns, '--replicas=5'])).toBe('statefulset.apps/web scaled\n');
    await until('5 ready', async () => (await ok(['get', 'sts', 'web', '-n', ns, '-o', 'jsonpath={.status.readyReplicas}'])) === '5');
    expect(await ok(['get', 'pods', '-n', ns, '-l', 'app=nginx', '-o', 'name'])).toBe(['web-0', 'web-1', 'web-2', 'web-3', 'web-4'].map((p) => `pod/${p}\n`).join(''));
  });

  it('keeps history: set image, rollout history, rollout undo', async () => {
    await ok(['set', 'image', 'sts/web', '-n', ns, 'nginx=registry.k8s.io/nginx-slim:0.27']);
    await until('new revision rolled out', async () => (await ok(['get', 'sts', 'web', '-n', ns, '-o', 'jsonpath={.status.updatedReplicas}/{.status.currentRevision}/{.status.updateRevision}'])).match(/^5\/(.+)\/\1$/));
    expect(await ok(['rollout', 'history', 'sts/web', '-n', ns])).toMatch(/^statefulset\.apps\/web ?\nREVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>\n/);
    expect(await ok(['rollout', 'history', 'sts/web', '-n', ns, '--revision=1'])).toContain('registry.k8s.io/nginx-slim:0.24');
    expect(await ok(['rollout', 'undo', 'sts/web', '-n', ns])).toBe('statefulset.apps/web rolled back\n');
    expect(await ok(['get', 'sts', 'web', '-n', ns, '-o', 'jsonpath={.spec.template.spec.containers[0].image}'])).toBe('registry.k8s.io/nginx-slim:0.24');
    await rolledOut();
    expect(await ok(['rollout', 'history', 'sts/web', '-n', ns])).toMatch(/REVISION\s+CHANGE-CAUSE\n2\s+<none>\n3\s+<none>\n/);
    expect(await ok(['get', 'controllerrevisions', '-n', ns])).toMatch(/^NAME\s+CONTROLLER\s+REVISION\s+AGE\nweb-\S+\s+statefulset\.apps\/web\s+\d\s+\d+s\nweb-\S+\s+statefulset\.apps\/web\s+\d\s+\d+s\n$/);
  });

  it('refuses a forbidden update with upstream\'s 422 message', async () => {
    const res = await run(['patch', 'sts', 'web', '-n', ns, '-p', '{"spec":{"serviceName":"other"}}']);
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain(`The StatefulSet "web" is invalid: spec: Forbidden: ${FORBIDDEN_UPDATE_MESSAGE}`);
    const http = await cp.server.app.inject({ method: 'PATCH', url: `/apis/apps/v1/namespaces/${ns}/statefulsets/web`, headers: { 'content-type': 'application/merge-patch+json' }, payload: JSON.stringify({ spec: { podManagementPolicy: 'Parallel' } }) });
    expect(http.statusCode).toBe(422);
    expect(http.json()).toMatchObject({ kind: 'Status', reason: 'Invalid', code: 422, details: { name: 'web', group: 'apps', kind: 'StatefulSet', causes: [{ field: 'spec', message: `Forbidden: ${FORBIDDEN_UPDATE_MESSAGE}` }] } });
  });

  it('accepts a legacy apps/v1beta1 manifest and serves it back as apps/v1 with that version\'s defaults', async () => {
    expect(await ok(['apply', '-n', ns, '-f', join(dir, 'legacy.yaml')])).toBe('statefulset.apps/legacy created\n');
    const got = JSON.parse(await ok(['get', 'sts', 'legacy', '-n', ns, '-o', 'json'])) as { apiVersion: string; spec: Record<string, unknown> };
    expect(got.apiVersion).toBe('apps/v1');
    expect(got.spec).toMatchObject({ selector: { matchLabels: { app: 'legacy' } }, updateStrategy: { type: 'OnDelete' }, podManagementPolicy: 'OrderedReady', revisionHistoryLimit: 10 });
    await until('legacy-0', async () => (await ok(['get', 'pods', '-n', ns, '-l', 'app=legacy', '-o', 'name'])) === 'pod/legacy-0\n');
  });
});
