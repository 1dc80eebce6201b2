/**
 * LimitRange and LimitRanger through the HTTP server (`app.inject()`, memory storage, bootstrap
 * and the default admission plugins): defaults, 422s with upstream's causes, the Table columns,
 * pods filled in and annotated, 403 Status values for pods and claims breaking a range.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemoryStorage } from '../../pkg/storage/memory.ts';
import type { ApiServer } from '../server.ts';
import { startBootstrappedTestServer } from './bootstrapped-test-server.ts';

let server: ApiServer;
let storage: MemoryStorage;
const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

async function call(method: string, url: string, body?: unknown, accept?: string): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = body === undefined ? {} : { 'content-type': 'application/json' };
  if (accept) headers.accept = accept;
  const res = await server.app.inject({ method: method as 'GET', url, payload: body === undefined ? undefined : JSON.stringify(body), headers });
  return { status: res.statusCode, body: JSON.parse(res.body) };
}
const limitRange = (name: string, limits: unknown[]) => ({ apiVersion: 'v1', kind: 'LimitRange', metadata: { name }, spec: { limits } });
const pod = (name: string, resources?: unknown) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: `${name}-ctr`, image: 'nginx', ...(resources ? { resources } : {}) }] } });

beforeEach(async () => {
  storage = new MemoryStorage();
  server = await startBootstrappedTestServer(storage);
});

afterEach(async () => {
  await server.close();
  await storage.close();
});

describe('LimitRange through HTTP', () => {
  it('stores the cpu min/max range with upstream defaults and prints Name / Created At', async () => {
    const created = await call('POST', '/api/v1/namespaces/default/limitranges', limitRange('cpu-min-max-demo-lr', [{ type: 'Container', max: { cpu: '800m' }, min: { cpu: '200m' } }]));
    expect(created.status).toBe(201);
    expect(created.body.spec.limits).toEqual([{ type: 'Container', max: { cpu: '800m' }, min: { cpu: '200m' }, default: { cpu: '800m' }, defaultRequest: { cpu: '800m' } }]);
    const table = await call('GET', '/api/v1/namespaces/default/limitranges', undefined, TABLE);
    expect(table.body.columnDefinitions.map((c: { name: string; type: string }) => [c.name, c.type])).toEqual([['Name', 'string'], ['Created At', 'date']]);
    expect(table.body.rows[0].cells[0]).toBe('cpu-min-max-demo-lr');
    expect(table.body.rows[0].cells[1]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('refuses an invalid range with 422 Invalid and one cause per error', async () => {
    const res = await call('POST', '/api/v1/namespaces/default/limitranges', limitRange('bad', [{ type: 'Pod', min: { cpu: '2' }, max: { cpu: '1' } }, { type: 'Foo', max: { cpu: '1' } }]));
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ kind: 'Status', reason: 'Invalid', code: 422, details: { name: 'bad', kind: 'LimitRange' } });
    expect(res.body.message).toBe('LimitRange "bad" is invalid: [spec.limits[0].min[cpu]: Invalid value: resource.Quantity{i:resource.int64Amount{value:2, scale:0}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:"2", Format:"DecimalSI"}: min value 2 is greater than max value 1, spec.limits[1].type: Invalid value: "Foo": must be a standard limit type or fully qualified]');
    expect(res.body.details.causes.map((c: { field: string; reason: string }) => [c.field, c.reason])).toEqual([['spec.limits[0].min[cpu]', 'FieldValueInvalid'], ['spec.limits[1].type', 'FieldValueInvalid']]);
  });

  it('fills a pod from the memory-defaults range and refuses a pod over the cpu max with 403', async () => {
    await call('POST', '/api/v1/namespaces/default/limitranges', limitRange('mem-limit-range', [{ type: 'Container', default: { memory: '512Mi' }, defaultRequest: { memory: '256Mi' } }]));
    const created = await call('POST', '/api/v1/namespaces/default/pods', pod('default-mem-demo'));
    expect(created.status).toBe(201);
    expect(created.body.spec.containers[0].resources).toEqual({ requests: { memory: '256Mi' }, limits: { memory: '512Mi' } });
    expect(created.body.metadata.annotations['kubernetes.io/limit-ranger']).toBe('LimitRanger plugin set: memory request for container default-mem-demo-ctr; memory limit for container default-mem-demo-ctr');
    await call('POST', '/api/v1/namespaces/default/limitranges', limitRange('cpu-min-max-demo-lr', [{ type: 'Container', max: { cpu: '800m' }, min: { cpu: '200m' } }]));
    const refused = await call('POST', '/api/v1/namespaces/default/pods', pod('constraints-cpu-demo-2', { limits: { cpu: '1.5' }, requests: { cpu: '500m' } }));
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ kind: 'Status', reason: 'Forbidden', code: 403, message: 'pods "constraints-cpu-demo-2" is forbidden: maximum cpu usage per Container is 800m, but limit is 1500m' });
    expect((await call('GET', '/api/v1/namespaces/default/pods/constraints-cpu-demo-2')).status).toBe(404);
  });

  it('bounds claim storage', async () => {
    await call('POST', '/api/v1/namespaces/default/limitranges', limitRange('storagelimits', [{ type: 'PersistentVolumeClaim', max: { storage: '2Gi' }, min: { storage: '1Gi' } }]));
    const claim = (name: string, storage: string) => ({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage } } } });
    expect((await call('POST', '/api/v1/namespaces/default/persistentvolumeclaims', claim('ok', '1Gi'))).status).toBe(201);
    const big = await call('POST', '/api/v1/namespaces/default/persistentvolumeclaims', claim('pvc-limit-greater', '5Gi'));
    expect(big.status).toBe(403);
    expect(big.body.message).toBe('persistentvolumeclaims "pvc-limit-greater" is forbidden: maximum storage usage per PersistentVolumeClaim is 2Gi, but request is 5Gi');
  });
});
