/**
 * @kubernetes/client-node (the TypeScript client reconciler developers use) against a real
 * etcd + `k8ts apiserver`: typed create/patch/list, raw watch, the informer, and
 * KubernetesObjectApi (which resolves kinds through legacy discovery).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as k8s from '@kubernetes/client-node';
import { startE2EControlPlane, type E2EControlPlane } from './harness/control-plane.ts';

let cp: E2EControlPlane;
let kc: k8s.KubeConfig;
const ns = 'client-node';

beforeAll(async () => {
  cp = await startE2EControlPlane({ storage: 'etcd' });
  kc = new k8s.KubeConfig();
  kc.loadFromFile(cp.kubeconfig);
  // The test server speaks plain HTTP on loopback; client-node only allows that with skipTLSVerify.
  kc.loadFromOptions({ clusters: kc.clusters.map((c) => ({ ...c, skipTLSVerify: true })), users: kc.users, contexts: kc.contexts, currentContext: kc.currentContext });
  await kc.makeApiClient(k8s.CoreV1Api).createNamespace({ body: { metadata: { name: ns } } });
}, 60_000);

afterAll(async () => {
  await cp?.stop();
});

function until<T>(predicate: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const tick = () => {
      const value = predicate();
      if (value !== undefined) return resolve(value);
      if (Date.now() - started > timeoutMs) return reject(new Error('condition not met in time'));
      setTimeout(tick, 50);
    };
    tick();
  });
}

describe('@kubernetes/client-node against k8ts', () => {
  it('creates, patches (merge and JSON patch) and lists ConfigMaps', async () => {
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const created = await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'cfg', labels: { app: 'x' } }, data: { a: '1' } } });
    expect(created.metadata?.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.metadata?.resourceVersion).toMatch(/^\d+$/);

    const merged = await core.patchNamespacedConfigMap(
      { name: 'cfg', namespace: ns, body: { data: { b: '2' } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    expect(merged.data).toEqual({ a: '1', b: '2' });

    const jsonPatched = await core.patchNamespacedConfigMap(
      { name: 'cfg', namespace: ns, body: [{ op: 'remove', path: '/data/a' }] },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.JsonPatch),
    );
    expect(jsonPatched.data).toEqual({ b: '2' });

    const list = await core.listNamespacedConfigMap({ namespace: ns, labelSelector: 'app=x' });
    expect(list.items.map((i) => i.metadata?.name)).toEqual(['cfg']);
    expect(Number(list.metadata?.resourceVersion)).toBeGreaterThanOrEqual(Number(jsonPatched.metadata?.resourceVersion));
  });

  it('reports a missing object as a 404 Status', async () => {
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const err = await core.readNamespacedConfigMap({ name: 'absent', namespace: ns }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(k8s.ApiException);
    const apiErr = err as k8s.ApiException<string>;
    expect(apiErr.code).toBe(404);
    expect(JSON.parse(apiErr.body)).toMatchObject({ kind: 'Status', reason: 'NotFound', message: 'configmaps "absent" not found' });
  });

  it('watches ConfigMap events in order', async () => {
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const seen: string[] = [];
    const watch = new k8s.Watch(kc);
    const controller = await watch.watch(`/api/v1/namespaces/${ns}/configmaps`, { labelSelector: 'watch=me' }, (type, obj) => seen.push(`${type}:${obj.metadata.name}`), () => undefined);
    try {
      await new Promise((r) => setTimeout(r, 200));
      await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'w1', labels: { watch: 'me' } } } });
      await core.patchNamespacedConfigMap({ name: 'w1', namespace: ns, body: { data: { x: 'y' } } }, k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch));
      await core.deleteNamespacedConfigMap({ name: 'w1', namespace: ns });
      await until(() => (seen.length >= 3 ? true : undefined));
      expect(seen).toEqual(['ADDED:w1', 'MODIFIED:w1', 'DELETED:w1']);
    } finally {
      controller.abort();
    }
  });

  it('keeps an informer cache in sync', async () => {
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const informer = k8s.makeInformer(kc, `/api/v1/namespaces/${ns}/secrets`, () => core.listNamespacedSecret({ namespace: ns }));
    await informer.start();
    try {
      await core.createNamespacedSecret({ namespace: ns, body: { metadata: { name: 's1' }, stringData: { password: 'hunter2' } } });
      const cached = await until(() => informer.get('s1', ns));
      expect(cached.data?.password).toBe(Buffer.from('hunter2').toString('base64'));
      expect(cached.type).toBe('Opaque');
      await core.deleteNamespacedSecret({ name: 's1', namespace: ns });
      await until(() => (informer.get('s1', ns) === undefined ? true : undefined));
    } finally {
      await informer.stop();
    }
  });

  it('applies server-side through KubernetesObjectApi, recording the field manager', async () => {
    const objects = k8s.KubernetesObjectApi.makeApiClient(kc);
    const spec = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'applied', namespace: ns }, data: { owner: 'operator' } };
    const first = (await objects.patch(spec, undefined, undefined, 'my-operator', true, k8s.PatchStrategy.ServerSideApply)) as k8s.V1ConfigMap;
    expect(first.data).toEqual({ owner: 'operator' });
    expect(first.metadata?.managedFields?.map((m) => [m.manager, m.operation])).toEqual([['my-operator', 'Apply']]);
    const second = (await objects.patch({ ...spec, data: { owner: 'operator', extra: 'x' } }, undefined, undefined, 'my-operator', true, k8s.PatchStrategy.ServerSideApply)) as k8s.V1ConfigMap;
    expect(second.data).toEqual({ owner: 'operator', extra: 'x' });
  });

  it('creates a Deployment through KubernetesObjectApi (legacy discovery)', async () => {
    const objects = k8s.KubernetesObjectApi.makeApiClient(kc);
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: ns },
      spec: {
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.25' }] } },
      },
    };
    const created = (await objects.create(deployment)) as k8s.V1Deployment;
    expect(created.spec?.replicas).toBe(1);
    expect(created.spec?.strategy?.type).toBe('RollingUpdate');
    expect(created.spec?.template.spec?.containers[0].imagePullPolicy).toBe('IfNotPresent');
    const read = (await objects.read({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: ns } })) as k8s.V1Deployment;
    expect(read.metadata?.uid).toBe(created.metadata?.uid);
  });

  it('records an events.k8s.io/v1 Event (EventsV1Api) that CoreV1Api reads back as a core Event', async () => {
    const events = kc.makeApiClient(k8s.EventsV1Api);
    const created = await events.createNamespacedEvent({
      namespace: ns,
      body: {
        metadata: { name: 'web.started' },
        eventTime: new k8s.V1MicroTime('2026-12-05T10:00:00.123Z'),
        reportingController: 'example.com/website-operator',
        reportingInstance: 'operator-0',
        action: 'Reconcile',
        reason: 'Started',
        regarding: { kind: 'Deployment', namespace: ns, name: 'web', apiVersion: 'apps/v1' },
        note: 'Website web is being rolled out',
        type: 'Normal',
      },
    });
    expect(created.note).toBe('Website web is being rolled out');
    const core = await kc.makeApiClient(k8s.CoreV1Api).readNamespacedEvent({ name: 'web.started', namespace: ns });
    expect(core.message).toBe('Website web is being rolled out');
    expect(core.involvedObject).toMatchObject({ kind: 'Deployment', name: 'web' });
    expect(core.reportingComponent).toBe('example.com/website-operator');
    const listed = await events.listNamespacedEvent({ namespace: ns, fieldSelector: 'regarding.name=web,reportingController=example.com/website-operator' });
    expect(listed.items.map((e) => e.metadata?.name)).toEqual(['web.started']);
  });
});
