/**
 * What a `/status` write may change besides the status, as upstream's status strategies allow:
 * labels, annotations, finalizers and owner references of the older built-in kinds (a
 * Deployment's labels stay, a Pod's owner references stay), nothing of the metadata of kinds whose
 * strategy calls ResetObjectMetaForStatus (VolumeAttachment) or of a custom resource, never the
 * spec. Finalizers changed through `/status` follow the rules of any update: the last one of a
 * deleting object going deletes it, a new one on a deleting object is refused.
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

interface Meta {
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  ownerReferences?: Array<Record<string, unknown>>;
  deletionTimestamp?: string;
}

async function send(method: string, path: string, body?: unknown): Promise<{ status: number; object: { metadata: Meta; spec?: Record<string, unknown> } }> {
  const res = await fetch(`${cp.url}${path}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, object: (await res.json()) as never };
}

async function statusPatch(path: string, body: unknown): Promise<{ status: number; object: { metadata: Meta; spec?: Record<string, unknown> } }> {
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

  const owner = { apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: '11111111-1111-1111-1111-111111111111' };
  const metaChange = { metadata: { labels: { tier: 'new' }, annotations: { note: 'from-status' }, finalizers: ['example.com/hold'], ownerReferences: [owner] }, status: {} };

  it('takes a Deployment\'s annotations, finalizers and owner references but not its labels', async () => {
    const template = { metadata: { labels: { app: 'dep2' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } };
    await cp.client.deployments.inNamespace('default').create({ metadata: { name: 'dep2', labels: { app: 'dep2' } }, spec: { replicas: 0, selector: { matchLabels: { app: 'dep2' } }, template } } as never);
    const { status, object } = await statusPatch('/apis/apps/v1/namespaces/default/deployments/dep2', metaChange);
    expect(status).toBe(200);
    expect(object.metadata.labels).toEqual({ app: 'dep2' });
    expect(object.metadata.annotations).toEqual({ note: 'from-status' });
    expect(object.metadata.finalizers).toEqual(['example.com/hold']);
    expect(object.metadata.ownerReferences).toEqual([owner]);
    await statusPatch('/apis/apps/v1/namespaces/default/deployments/dep2', { metadata: { finalizers: null } });
  });

  it('takes a Pod\'s labels, annotations and finalizers but not its owner references', async () => {
    await send('POST', '/api/v1/namespaces/default/pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', labels: { app: 'p' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
    const { status, object } = await statusPatch('/api/v1/namespaces/default/pods/p', metaChange);
    expect(status).toBe(200);
    expect(object.metadata.labels).toEqual({ app: 'p', tier: 'new' });
    expect(object.metadata.annotations).toEqual({ note: 'from-status' });
    expect(object.metadata.finalizers).toEqual(['example.com/hold']);
    expect(object.metadata.ownerReferences).toBeUndefined();
    await statusPatch('/api/v1/namespaces/default/pods/p', { metadata: { finalizers: null } });
  });

  it('takes none of a VolumeAttachment\'s metadata (ResetObjectMetaForStatus)', async () => {
    const created = await send('POST', '/apis/storage.k8s.io/v1/volumeattachments', { apiVersion: 'storage.k8s.io/v1', kind: 'VolumeAttachment', metadata: { name: 'va', labels: { tier: 'old' } }, spec: { attacher: 'csi.example.com', nodeName: 'n1', source: { persistentVolumeName: 'pv1' } } });
    expect(created.status).toBe(201);
    const { status, object } = await statusPatch('/apis/storage.k8s.io/v1/volumeattachments/va', { ...metaChange, status: { attached: true } });
    expect(status).toBe(200);
    expect(object.metadata.labels).toEqual({ tier: 'old' });
    expect(object.metadata.annotations).toBeUndefined();
    expect(object.metadata.finalizers).toBeUndefined();
    expect(object.metadata.ownerReferences).toBeUndefined();
  });

  it('takes a PersistentVolume\'s metadata through its own status rules', async () => {
    await send('POST', '/api/v1/persistentvolumes', { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'pv-meta' }, spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/tmp/pv-meta' } } });
    const { status, object } = await statusPatch('/api/v1/persistentvolumes/pv-meta', { metadata: { labels: { tier: 'new' } }, status: { phase: 'Available' } });
    expect(status).toBe(200);
    expect(object.metadata.labels).toEqual({ tier: 'new' });
  });

  it('refuses a new finalizer on a deleting object and deletes it when its last finalizer goes through /status', async () => {
    const template = { metadata: { labels: { app: 'fin' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } };
    const path = '/apis/apps/v1/namespaces/default/replicasets/fin';
    await cp.client.replicaSets.inNamespace('default').create({ metadata: { name: 'fin', finalizers: ['example.com/hold'] }, spec: { replicas: 0, selector: { matchLabels: { app: 'fin' } }, template } } as never);
    expect((await send('DELETE', path)).status).toBe(200);
    const marked = await send('GET', path);
    expect(marked.object.metadata.deletionTimestamp).toBeDefined();
    const added = await statusPatch(path, { metadata: { finalizers: ['example.com/hold', 'example.com/more'] } });
    expect(added.status).toBe(422);
    expect((added.object as unknown as { message: string }).message).toContain('metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"example.com/more"}');
    const removed = await statusPatch(path, { metadata: { finalizers: null } });
    expect(removed.status).toBe(200);
    expect((await send('GET', path)).status).toBe(404);
  });
});
