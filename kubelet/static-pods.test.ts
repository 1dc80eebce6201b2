/**
 * Static pods on a hollow node against the real API server: a manifest in the directory runs
 * and shows as a mirror pod `<name>-<node>` owned by the Node; a deleted mirror comes back;
 * removing the manifest stops the pod and removes the mirror. Bad manifests are skipped.
 */
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestControlPlane, type TestControlPlane } from '../pkg/testing/control-plane.ts';
import { realClock } from '../pkg/workqueue/index.ts';
import { Kubelet } from './kubelet.ts';
import { staticPodFromManifest } from './pods/static-pods.ts';
import { FakeRuntime } from './runtime/fake-runtime.ts';
import { waitFor } from '../pkg/testing/wait.ts';

const dir = mkdtempSync(join(tmpdir(), 'k8ts-static-'));
const manifests = join(dir, 'manifests');
let cp: TestControlPlane;
const runtime = new FakeRuntime(realClock);
const stop = new AbortController();
let running: Promise<void>;

const until = <T>(what: string, fn: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 15_000): Promise<T> => waitFor(what, fn, { timeoutMs, intervalMs: 100, retryErrors: true });

beforeAll(async () => {
  cp = await startTestControlPlane();
  mkdirSync(manifests);
  writeFileSync(join(manifests, 'web.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: kube-system\nspec:\n  containers:\n  - name: c\n    image: nginx\n');
  writeFileSync(join(manifests, 'broken.yaml'), 'kind: Deployment\n');
  const kubelet = new Kubelet({
    client: cp.client,
    runtime,
    clock: realClock,
    log: pino({ level: 'silent' }),
    nodeName: 'static-node',
    facts: { cpus: 2, memoryBytes: 2 ** 32, ephemeralStorageBytes: 2 ** 34, maxPods: 110, hostname: 'static-node', internalIP: '127.0.0.1', machineID: '', systemUUID: '', bootID: '', kernelVersion: '', osImage: '', architecture: 'amd64' },
    rootDir: dir,
    dns: { clusterDns: [], clusterDomain: 'cluster.local', host: { servers: [], searches: [], options: [] } },
    serverAddress: { host: '127.0.0.1', port: 0 },
    podManifestPath: manifests,
    staticPodCheckMs: 200,
    resyncMs: 500,
    statusIntervalMs: 200,
  });
  running = kubelet.run(stop.signal);
});

afterAll(async () => {
  stop.abort();
  await running?.catch(() => undefined);
  await cp?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('static pods', () => {
  it('names, hashes and annotates a manifest; rejects non-Pods', () => {
    const pod = staticPodFromManifest('apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  containers: []\n', { nodeName: 'n', seen: 't' });
    expect(pod).toMatchObject({ metadata: { name: 'a-n', namespace: 'default', annotations: { 'kubernetes.io/config.source': 'file', 'kubernetes.io/config.seen': 't' } }, spec: { nodeName: 'n' } });
    expect(staticPodFromManifest('kind: Deployment\n', { nodeName: 'n', seen: 't' })).toBe('manifest is not a v1 Pod with a name');
  });

  it('runs the manifest and shows a Running mirror pod owned by the Node', async () => {
    const mirror = await until('mirror Running', async () => {
      const p = await cp.client.pods.inNamespace('kube-system').get('web-static-node');
      return p.status?.phase === 'Running' && p;
    });
    expect(mirror.metadata.annotations?.['kubernetes.io/config.mirror']).toMatch(/^[0-9a-f]{32}$/);
    expect(mirror.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'Node', name: 'static-node', controller: true });
    expect((await runtime.listPods()).map((p) => p.uid)).toContain(mirror.metadata.annotations?.['kubernetes.io/config.mirror']);
  });

  it('recreates a deleted mirror pod without restarting the static pod', async () => {
    const before = await cp.client.pods.inNamespace('kube-system').get('web-static-node');
    const containers = (await runtime.listPods()).flatMap((p) => p.containers.map((c) => c.id));
    await cp.client.pods.inNamespace('kube-system').delete('web-static-node', { gracePeriodSeconds: 0 });
    const again = await until('mirror back', async () => {
      const p = await cp.client.pods.inNamespace('kube-system').get('web-static-node');
      return p.metadata.uid !== before.metadata.uid && p;
    });
    expect(again.metadata.annotations?.['kubernetes.io/config.mirror']).toBe(before.metadata.annotations?.['kubernetes.io/config.mirror']);
    expect((await runtime.listPods()).flatMap((p) => p.containers.filter((c) => c.state === 'running').map((c) => c.id))).toEqual(containers);
  });

  it('removing the manifest stops the pod and deletes the mirror', async () => {
    unlinkSync(join(manifests, 'web.yaml'));
    await until('mirror gone', async () => cp.client.pods.inNamespace('kube-system').get('web-static-node').then(() => false, () => true));
    await until('runtime empty', async () => (await runtime.listPods()).length === 0);
  });
});
