/**
 * Deleting a CustomResourceDefinition through the API as upstream: the CRD is marked (the
 * `customresourcecleanup.apiextensions.k8s.io` finalizer, `Terminating` conditions), its objects
 * are deleted first — one with a finalizer stays, readable and patchable, until its finalizer is
 * removed — creates are refused meanwhile, and the CRD goes once no object is left. A CRD that was
 * never established goes at once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestControlPlane, type TestControlPlane } from '../../pkg/testing/index.ts';
import { waitFor } from '../../pkg/testing/wait.ts';
import { api } from '../admission/webhook/webhook-test-server.ts';
import { WIDGET_CRD } from './test-widget-crd.ts';

const CRDS = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
const WIDGETS = '/apis/example.com/v1/namespaces/default/widgets';
type Condition = { type: string; status: string; reason?: string; message?: string };
const terminating = (crd: { status?: { conditions?: Condition[] } }) => crd.status?.conditions?.find((c) => c.type === 'Terminating');

describe('deleting a CRD deletes its objects first', () => {
  let cp: TestControlPlane;
  beforeAll(async () => {
    cp = await startTestControlPlane();
  });
  afterAll(() => cp?.stop());

  it('marks the CRD, deletes the objects it can, keeps one with a finalizer until it is released, refuses creates, then goes', async () => {
    expect((await api(cp.url, 'POST', CRDS, WIDGET_CRD)).status).toBe(201);
    await waitFor('widgets served', async () => (await api(cp.url, 'GET', WIDGETS)).status === 200);
    expect((await api(cp.url, 'POST', WIDGETS, { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'plain' }, spec: { size: 'small' } })).status).toBe(201);
    expect((await api(cp.url, 'POST', WIDGETS, { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'held', finalizers: ['example.com/hold'] }, spec: { size: 'large' } })).status).toBe(201);

    const deleted = await api(cp.url, 'DELETE', `${CRDS}/widgets.example.com`);
    expect(deleted.status).toBe(200);
    expect(deleted.body.metadata.deletionTimestamp).toBeTruthy();
    expect(deleted.body.metadata.finalizers).toEqual(['customresourcecleanup.apiextensions.k8s.io']);
    expect(terminating(deleted.body)).toMatchObject({ status: 'True', reason: 'InstanceDeletionPending', message: 'CustomResourceDefinition marked for deletion; CustomResource deletion will begin soon' });

    await waitFor('plain widget deleted', async () => (await api(cp.url, 'GET', `${WIDGETS}/plain`)).status === 404);
    const held = await api(cp.url, 'GET', `${WIDGETS}/held`);
    expect(held.status).toBe(200);
    expect(held.body.metadata.deletionTimestamp).toBeTruthy();
    const crd = await api(cp.url, 'GET', `${CRDS}/widgets.example.com`);
    expect(terminating(crd.body)).toMatchObject({ status: 'True', reason: 'InstanceDeletionInProgress', message: 'CustomResource deletion is in progress' });

    const create = await api(cp.url, 'POST', WIDGETS, { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'late' }, spec: { size: 'small' } });
    expect(create.status).toBe(405);
    expect(create.body).toMatchObject({ reason: 'MethodNotAllowed', message: 'create not allowed while custom resource definition is terminating', details: { group: 'example.com', kind: 'widgets' } });

    const released = await fetch(`${cp.url}${WIDGETS}/held`, { method: 'PATCH', headers: { 'content-type': 'application/merge-patch+json' }, body: JSON.stringify({ metadata: { finalizers: null } }) });
    expect(released.status).toBe(200);
    await waitFor('CRD gone', async () => (await api(cp.url, 'GET', `${CRDS}/widgets.example.com`)).status === 404);
    await waitFor('widgets no longer served', async () => (await api(cp.url, 'GET', WIDGETS)).status === 404);
    expect((await cp.storage.list('/registry/example.com/widgets/')).items).toEqual([]);
  });

  it('deletes a CRD that was never established at once', async () => {
    expect((await api(cp.url, 'POST', CRDS, WIDGET_CRD)).status).toBe(201);
    const clash = { ...structuredClone(WIDGET_CRD), metadata: { name: 'gizmos.example.com' } };
    clash.spec.names = { ...clash.spec.names, plural: 'gizmos', singular: 'gizmo', shortNames: [] };
    expect((await api(cp.url, 'POST', CRDS, clash)).status).toBe(201);
    await waitFor('names refused', async () => (await api(cp.url, 'GET', `${CRDS}/gizmos.example.com`)).body.status?.conditions?.some((c: Condition) => c.type === 'NamesAccepted' && c.status === 'False'));
    expect((await api(cp.url, 'DELETE', `${CRDS}/gizmos.example.com`)).status).toBe(200);
    await waitFor('never-established CRD gone', async () => (await api(cp.url, 'GET', `${CRDS}/gizmos.example.com`)).status === 404);
  });
});
