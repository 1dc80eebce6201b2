/**
 * CustomResourceDefinitions through the API: the legacy v1beta1 fixture CRD and a v1 CRD with a
 * schema are served at once (discovery, short names, Table columns), custom objects are pruned,
 * defaulted and validated by their schema, status/scale subresources work, and deleting a CRD
 * deletes its objects.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import type { KubeObject } from '../../pkg/api/meta.ts';
import type { ResourceCoordinates } from '../../pkg/client/index.ts';
import { startTestControlPlane, type TestControlPlane } from '../../pkg/testing/index.ts';
import { waitFor } from '../../pkg/testing/wait.ts';
import { WIDGET_CRD as widgetCrd } from './test-widget-crd.ts';

const SEEDS = '/work/shared/fixtures/seeds';
const CRDS_V1: ResourceCoordinates = { group: 'apiextensions.k8s.io', version: 'v1', plural: 'customresourcedefinitions', namespaced: false, kind: 'CustomResourceDefinition' };
const CRDS_V1BETA1: ResourceCoordinates = { ...CRDS_V1, version: 'v1beta1' };
const CRONTABS: ResourceCoordinates = { group: 'stable.example.com', version: 'v1beta1', plural: 'crontabs', namespaced: true, kind: 'CronTab' };
const WIDGETS: ResourceCoordinates = { group: 'example.com', version: 'v1', plural: 'widgets', namespaced: true, kind: 'Widget' };

type Crd = KubeObject & { status?: { acceptedNames?: Record<string, unknown>; conditions?: Array<{ type: string; status: string; reason?: string; message?: string }> } };
type Obj = KubeObject & { spec?: Record<string, unknown>; status?: Record<string, unknown> };


describe('CustomResourceDefinitions through the API', () => {
  let cp: TestControlPlane;
  const established = (name: string) =>
    waitFor(`${name} Established`, async () => {
      const crd = (await cp.client.resource<Crd>(CRDS_V1).get(name)) as Crd;
      return crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True') ? crd : undefined;
    });

  beforeAll(async () => {
    cp = await startTestControlPlane();
  });
  afterAll(() => cp?.stop());

  it('serves the legacy v1beta1 CronTab CRD from the fixture: established, discoverable, short name, objects, and gone with its objects on delete', async () => {
    const crdManifest = parseYaml(readFileSync(`${SEEDS}/crontab-crd-v1beta1.yaml`, 'utf8')) as KubeObject;
    await cp.client.resource(CRDS_V1BETA1).create(crdManifest);
    const crd = await established('crontabs.stable.example.com');
    expect(crd.status?.acceptedNames).toMatchObject({ plural: 'crontabs', singular: 'crontab', kind: 'CronTab', listKind: 'CronTabList', shortNames: ['ct'] });
    expect(crd.status?.conditions?.find((c) => c.type === 'NamesAccepted')).toMatchObject({ status: 'True', reason: 'NoConflicts', message: 'no conflicts found' });
    expect((crd.spec as { versions: unknown[] }).versions).toEqual([{ name: 'v1beta1', served: true, storage: true }]);

    const discovery = (await (await fetch(`${cp.url}/apis/stable.example.com/v1beta1`)).json()) as { resources: Array<{ name: string; shortNames?: string[]; kind: string; namespaced: boolean }> };
    expect(discovery.resources).toContainEqual(expect.objectContaining({ name: 'crontabs', kind: 'CronTab', namespaced: true, shortNames: ['ct'] }));

    const instance = parseYaml(readFileSync(`${SEEDS}/crontab-instance.yaml`, 'utf8')) as KubeObject;
    await cp.client.resource<Obj>(CRONTABS).inNamespace('default').create(instance as Obj);
    const stored = await cp.client.resource<Obj>(CRONTABS).inNamespace('default').get('my-cron-object');
    expect(stored.spec).toEqual({ cronSpec: '* * * * */5', image: 'my-awesome-cron-image' });
    expect(stored.metadata.generation).toBe(1);

    const table = (await (await fetch(`${cp.url}/apis/stable.example.com/v1beta1/namespaces/default/crontabs`, { headers: { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' } })).json()) as { columnDefinitions: Array<{ name: string }>; rows: Array<{ cells: unknown[] }> };
    expect(table.columnDefinitions.map((c) => c.name)).toEqual(['Name', 'Age']);
    expect(table.rows[0]!.cells[0]).toBe('my-cron-object');

    await cp.client.resource(CRDS_V1).delete('crontabs.stable.example.com');
    await waitFor('crontabs no longer served', async () => (await fetch(`${cp.url}/apis/stable.example.com/v1beta1/namespaces/default/crontabs`)).status === 404);
    expect((await cp.storage.list('/registry/stable.example.com/crontabs/')).items).toEqual([]);
  });

  it('prunes, defaults and validates custom objects by the v1 schema; status and scale subresources; printer columns', async () => {
    await cp.client.resource(CRDS_V1).create(widgetCrd as KubeObject);
    await established('widgets.example.com');
    const widgets = cp.client.resource<Obj>(WIDGETS).inNamespace('default');

    const created = await widgets.create({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w1' }, spec: { size: 'small', unknown: 'x' }, status: { replicas: 5 } } as Obj);
    expect(created.spec).toEqual({ size: 'small', replicas: 1 });
    expect(created.status).toBeUndefined();

    const bad = await widgets.create({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w2' }, spec: { size: 'huge', replicas: 'three' } } as Obj).catch((e: unknown) => e);
    expect(bad).toMatchObject({ code: 422, reason: 'Invalid' });
    const message = (bad as Error).message;
    expect(message).toContain('spec.size: Unsupported value: "huge": supported values: "small", "large"');
    expect(message).toContain('spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"');
    const missing = await widgets.create({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w3' }, spec: {} } as Obj).catch((e: unknown) => e);
    expect((missing as Error).message).toContain('spec.size: Required value');

    const withStatus = await widgets.updateStatus({ ...created, status: { replicas: 1 } } as Obj);
    expect(withStatus.status).toEqual({ replicas: 1 });
    const scale = (await widgets.subresource('w1', 'scale', { method: 'GET' })) as { spec: { replicas: number }; status: { replicas: number } };
    expect(scale).toMatchObject({ spec: { replicas: 1 }, status: { replicas: 1 } });

    const table = (await (await fetch(`${cp.url}/apis/example.com/v1/namespaces/default/widgets`, { headers: { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' } })).json()) as { columnDefinitions: Array<{ name: string; type: string }>; rows: Array<{ cells: unknown[] }> };
    expect(table.columnDefinitions.map((c) => [c.name, c.type])).toEqual([['Name', 'string'], ['Size', 'string'], ['Replicas', 'integer']]);
    expect(table.rows[0]!.cells).toEqual(['w1', 'small', 1]);

    const openapi = (await (await fetch(`${cp.url}/openapi/v3/apis/example.com/v1`)).json()) as { paths: Record<string, any>; components: { schemas: Record<string, { properties?: Record<string, unknown> }> } };
    expect(openapi.components.schemas['com.example.v1.Widget']?.properties?.spec).toMatchObject({ required: ['size'] });
    // As upstream: custom resources take no strategic merge patch, so kubectl sends them merge patches.
    const patchBody = Object.values(openapi.paths).find((p) => p.patch?.['x-kubernetes-group-version-kind']?.kind === 'Widget')?.patch.requestBody;
    expect(Object.keys(patchBody.content).sort()).toEqual(['application/apply-patch+yaml', 'application/json-patch+json', 'application/merge-patch+json']);
  });

  it('server-side apply and merge patch on custom objects; a second version is served from the same storage', async () => {
    const twoVersions = structuredClone(widgetCrd) as { metadata: { name: string }; spec: { group: string; names: Record<string, unknown>; versions: Array<Record<string, unknown>> } };
    twoVersions.metadata.name = 'gears.example.com';
    twoVersions.spec.names = { plural: 'gears', singular: 'gear', kind: 'Gear' };
    twoVersions.spec.versions = [
      { ...twoVersions.spec.versions[0], name: 'v1', served: true, storage: true },
      { ...twoVersions.spec.versions[0], name: 'v2', served: true, storage: false },
    ];
    await cp.client.resource(CRDS_V1).create(twoVersions as unknown as KubeObject);
    await established('gears.example.com');
    const v1 = cp.client.resource<Obj>({ group: 'example.com', version: 'v1', plural: 'gears', namespaced: true, kind: 'Gear' }).inNamespace('default');
    const v2 = cp.client.resource<Obj>({ group: 'example.com', version: 'v2', plural: 'gears', namespaced: true, kind: 'Gear' }).inNamespace('default');

    const applied = await v2.patch('g1', { apiVersion: 'example.com/v2', kind: 'Gear', metadata: { name: 'g1' }, spec: { size: 'large', labels: { a: 'x' } } }, { type: 'apply', fieldManager: 'tester' });
    expect(applied).toMatchObject({ apiVersion: 'example.com/v2', spec: { size: 'large', replicas: 1, labels: { a: 'x' } } });
    expect(applied.metadata.managedFields?.[0]).toMatchObject({ manager: 'tester', operation: 'Apply', apiVersion: 'example.com/v2' });
    const conflict = await v2.patch('g1', { apiVersion: 'example.com/v2', kind: 'Gear', metadata: { name: 'g1' }, spec: { size: 'small' } }, { type: 'apply', fieldManager: 'other' }).catch((e: unknown) => e);
    expect(conflict).toMatchObject({ code: 409, reason: 'Conflict' });

    const merged = await v1.patch('g1', { spec: { labels: { b: 'y' } } }, { type: 'merge' });
    expect(merged).toMatchObject({ apiVersion: 'example.com/v1', spec: { size: 'large', labels: { a: 'x', b: 'y' } } });
    expect((await v2.get('g1')).spec).toEqual({ size: 'large', replicas: 1, labels: { a: 'x', b: 'y' } });
    const strategic = await v1.patch('g1', { spec: { size: 'small' } }, { type: 'strategic' }).catch((e: unknown) => e);
    expect(strategic).toMatchObject({ code: 415 });
  });

  it('refuses a v1 CRD without a schema', async () => {
    const noSchema = structuredClone(widgetCrd) as { metadata: { name: string }; spec: { group: string; names: { plural: string; kind: string }; versions: Array<{ schema?: unknown }> } };
    noSchema.metadata.name = 'gadgets.example.com';
    noSchema.spec.names = { plural: 'gadgets', kind: 'Gadget' };
    delete noSchema.spec.versions[0]!.schema;
    const err = await cp.client.resource(CRDS_V1).create(noSchema as unknown as KubeObject).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 422 });
    expect((err as Error).message).toContain('spec.versions[0].schema.openAPIV3Schema: Required value: schemas are required');
  });
});
