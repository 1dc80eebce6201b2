import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { APIService } from '../../pkg/api/apiregistration/v1/apiservice.ts';
import { WIDGET_CRD } from '../crd/test-widget-crd.ts';
import type { ApiServer } from '../server.ts';
import { assembleTestApiServer } from '../testing/tls-test-server.ts';
import { localApiService, planLocalSync } from './local-apiservices.ts';

const BASE = '/apis/apiregistration.k8s.io/v1/apiservices';

async function waitFor<T>(fn: () => Promise<T | undefined>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('planLocalSync', () => {
  const apps = localApiService({ group: 'apps', version: 'v1', crd: false });
  const widgets = localApiService({ group: 'example.com', version: 'v1', crd: true });
  it.each<[string, APIService[], APIService[], { create: string[]; update: string[]; delete: string[] }]>([
    ['creates the missing ones', [apps, widgets], [apps], { create: ['v1.example.com'], update: [], delete: [] }],
    ['deletes a CRD one no longer served, keeps onstart ones', [], [apps, widgets], { create: [], update: [], delete: ['v1.example.com'] }],
    ['updates a drifted automanaged spec', [apps], [{ ...apps, spec: { ...apps.spec, versionPriority: 1 } }], { create: [], update: ['v1.apps'], delete: [] }],
    ['leaves one pointing at a service alone (a real metrics-server took the group version over)', [apps], [{ ...apps, spec: { ...apps.spec, service: { namespace: 'kube-system', name: 'x', port: 443 } } }], { create: [], update: [], delete: [] }],
    ['leaves a user-owned one (no label) alone', [apps], [{ ...apps, metadata: { name: 'v1.apps' }, spec: { ...apps.spec, versionPriority: 1 } }], { create: [], update: [], delete: [] }],
  ])('%s', (_n, desired, stored, expected) => {
    const plan = planLocalSync(desired, stored);
    expect({ create: plan.create.map((s) => s.metadata.name), update: plan.update.map((s) => s.metadata.name), delete: plan.delete }).toEqual(expected);
  });
  it('updates onstart ones only at startup, CRD ones always', () => {
    const drifted = [{ ...apps, spec: { ...apps.spec, versionPriority: 1 } }, { ...widgets, spec: { ...widgets.spec, versionPriority: 1 } }];
    expect(planLocalSync([apps, widgets], drifted, { startup: false }).update.map((s) => s.metadata.name)).toEqual(['v1.example.com']);
    expect(planLocalSync([apps, widgets], drifted, { startup: true }).update.map((s) => s.metadata.name)).toEqual(['v1.apps', 'v1.example.com']);
  });

  it('uses upstream priorities and labels', () => {
    expect(apps.spec).toEqual({ group: 'apps', version: 'v1', groupPriorityMinimum: 17800, versionPriority: 15 });
    expect(apps.metadata.labels).toEqual({ 'kube-aggregator.kubernetes.io/automanaged': 'onstart' });
    expect(widgets.spec).toMatchObject({ groupPriorityMinimum: 1000, versionPriority: 100 });
    expect(widgets.metadata.labels).toEqual({ 'kube-aggregator.kubernetes.io/automanaged': 'true' });
  });
});

describe('local APIServices in the API server', () => {
  let server: ApiServer;
  beforeAll(async () => {
    server = await assembleTestApiServer();
  });
  afterAll(() => server.close());

  const get = async (name: string) => {
    const res = await server.app.inject({ method: 'GET', url: `${BASE}/${name}` });
    return res.statusCode === 200 ? (res.json() as APIService) : undefined;
  };

  it('lists every served group/version as Local and Available', async () => {
    const names = ['v1.', 'v1.apps', 'v1.apiregistration.k8s.io', 'v1beta1.metrics.k8s.io', 'v2.autoscaling', 'v1.rbac.authorization.k8s.io'];
    for (const name of names) {
      const svc = await waitFor(async () => {
        const s = await get(name);
        return s?.status?.conditions?.length ? s : undefined;
      });
      expect(svc.spec?.service).toBeUndefined();
      expect(svc.metadata.uid).toBeTruthy();
      expect(svc.metadata.creationTimestamp).toBeTruthy();
      expect(svc.status?.conditions).toEqual([{ type: 'Available', status: 'True', lastTransitionTime: expect.any(String), reason: 'Local', message: 'Local APIServices are always available' }]);
    }
    expect((await get('v1.'))?.spec).toEqual({ group: '', version: 'v1', groupPriorityMinimum: 18000, versionPriority: 1 });
  });

  it('prints Local / True in a Table', async () => {
    await waitFor(async () => ((await get('v1.apps'))?.status ? true : undefined));
    const res = await server.app.inject({ method: 'GET', url: `${BASE}/v1.apps`, headers: { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' } });
    const table = res.json() as { columnDefinitions: Array<{ name: string }>; rows: Array<{ cells: unknown[] }> };
    expect(table.columnDefinitions.map((c) => c.name)).toEqual(['Name', 'Service', 'Available', 'Age']);
    expect(table.rows[0]!.cells.slice(0, 3)).toEqual(['v1.apps', 'Local', 'True']);
  });

  it('a CRD group version appears, and goes with its CRD', async () => {
    expect(await get('v1.example.com')).toBeUndefined();
    const created = await server.app.inject({ method: 'POST', url: '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', payload: WIDGET_CRD });
    expect(created.statusCode).toBe(201);
    const svc = await waitFor(async () => {
      const s = await get('v1.example.com');
      return s?.status ? s : undefined;
    });
    expect(svc.metadata.labels).toEqual({ 'kube-aggregator.kubernetes.io/automanaged': 'true' });
    expect(svc.spec).toEqual({ group: 'example.com', version: 'v1', groupPriorityMinimum: 1000, versionPriority: 100 });
    expect(svc.status?.conditions?.[0]).toMatchObject({ status: 'True', reason: 'Local' });
    const deleted = await server.app.inject({ method: 'DELETE', url: '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com' });
    expect(deleted.statusCode).toBe(200);
    await waitFor(async () => ((await get('v1.example.com')) ? undefined : true));
  });

  it('a deleted local APIService comes back', async () => {
    await waitFor(async () => ((await get('v1.batch'))?.status ? true : undefined));
    expect((await server.app.inject({ method: 'DELETE', url: `${BASE}/v1.batch` })).statusCode).toBe(200);
    const back = await waitFor(async () => {
      const s = await get('v1.batch');
      return s?.status ? s : undefined;
    });
    expect(back.status?.conditions?.[0]).toMatchObject({ reason: 'Local' });
  });

  it('a user-created remote APIService is validated and gets ServiceNotFound', async () => {
    const bad = await server.app.inject({ method: 'POST', url: BASE, payload: { apiVersion: 'apiregistration.k8s.io/v1', kind: 'APIService', metadata: { name: 'v1.wrong' }, spec: { group: 'wardle.example.com', version: 'v1alpha1', groupPriorityMinimum: 1000, versionPriority: 15, service: { namespace: 'default', name: 'api' } } } });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().message).toContain('metadata.name: Invalid value: "v1.wrong": must be `spec.version+"."+spec.group`');
    const ok = await server.app.inject({ method: 'POST', url: BASE, payload: { apiVersion: 'apiregistration.k8s.io/v1', kind: 'APIService', metadata: { name: 'v1alpha1.wardle.example.com' }, spec: { group: 'wardle.example.com', version: 'v1alpha1', groupPriorityMinimum: 1000, versionPriority: 15, insecureSkipTLSVerify: true, service: { namespace: 'default', name: 'api' } } } });
    expect(ok.statusCode).toBe(201);
    expect(ok.json().spec.service.port).toBe(443);
    const svc = await waitFor(async () => {
      const s = await get('v1alpha1.wardle.example.com');
      return s?.status?.conditions?.length ? s : undefined;
    });
    expect(svc.status?.conditions?.[0]).toMatchObject({ type: 'Available', status: 'False', reason: 'ServiceNotFound', message: 'service/api in "default" is not present' });
    const res = await server.app.inject({ method: 'GET', url: '/apis/wardle.example.com/v1alpha1/namespaces/default/flunders' });
    expect(res.statusCode).toBe(503);
    expect(res.body).toBe('service unavailable\n');
  });
});
