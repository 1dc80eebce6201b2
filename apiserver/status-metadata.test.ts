/**
 * What a `/status` write may change besides the status, as upstream's status strategies allow:
 * labels and annotations of built-in kinds (a Deployment's labels stay: its strategy resets
 * them), nothing of a custom resource's metadata, never the spec.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestControlPlane, type TestControlPlane } from '../pkg/testing/control-plane.ts';
import { waitFor } from '../pkg/testing/wait.ts';
import { WIDGET_CRD } from './crd/test-widget-crd.ts';

let cp: TestControlPlane;
beforeAll(async () => {
  cp = await startTestControlPlane();
});
afterAll(async () => {
  await cp?.stop();
});

async function statusPatch(path: string, body: unknown): Promise<{ status: number; object: { metadata: { labels?: Record<string, string>; annotations?: Record<string, string> }; spec?: Record<string, unknown> } }> {
  const res = await fetch(`${cp.url}${path}/status`, { method: 'PATCH', headers: { 'content-type': 'application/merge-patch+json' }, body: JSON.stringify(body) });
  return { status: res.status, object: (await res.json()) as never };
}

const change = { metadata: { labels: { tier: 'new' }, annotations: { note: 'from-status' } }, spec: { replicas: 9 }, status: { replicas: 0 } };

describe('metadata through /status', () => {
  it('takes a ReplicaSet\'s labels and annotations, not its spec', async () => {
    const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } };
    await cp.client.replicaSets.inNamespace('default').create({ metadata: { name: 'web', labels: { app: 'web' } }, spec: { replicas: 0, selector: { matchLabels: { app: 'web' } }, template } } as never);
    const { status, object } = await statusPatch('/apis/apps/v1/namespaces/default/replicasets/web', change);
    expect(status).toBe(200);
    expect(object.metadata.labels).toEqual({ app: 'web', tier: 'new' });
    expect(object.metadata.annotations).toEqual({ note: 'from-status' });
    expect(object.spec?.replicas).toBe(0);
  });

  it('takes a Deployment\'s annotations but keeps its labels', async () => {
    const template = { metadata: { labels: { app: 'api' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } };
    await cp.client.deployments.inNamespace('default').create({ metadata: { name: 'api', labels: { app: 'api' } }, spec: { replicas: 0, selector: { matchLabels: { app: 'api' } }, template } } as never);
    const { object } = await statusPatch('/apis/apps/v1/namespaces/default/deployments/api', change);
    expect(object.metadata.labels).toEqual({ app: 'api' });
    expect(object.metadata.annotations).toEqual({ note: 'from-status' });
  });

  it('keeps a custom resource\'s metadata', async () => {
    await fetch(`${cp.url}/apis/apiextensions.k8s.io/v1/customresourcedefinitions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(WIDGET_CRD) });
    const widgets = `${cp.url}/apis/example.com/v1/namespaces/default/widgets`;
    await waitFor('widgets served', async () => (await fetch(widgets)).status === 200, { timeoutMs: 10_000, intervalMs: 50 });
    const created = await fetch(widgets, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', labels: { tier: 'old' } }, spec: { size: 'small' } }) });
    expect(created.status).toBe(201);
    const { object } = await statusPatch('/apis/example.com/v1/namespaces/default/widgets/w', change);
    expect(object.metadata.labels).toEqual({ tier: 'old' });
    expect(object.metadata.annotations).toBeUndefined();
  });
});
