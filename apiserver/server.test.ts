import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemoryStorage } from '../pkg/storage/index.ts';
import { createTestRegistry } from './handlers/test-resources.ts';
import { createApiServer, storageKey, type ApiServer } from './server.ts';

let server: ApiServer;
let storage: MemoryStorage;

interface Res {
  status: number;
  body: any;
  headers: Record<string, unknown>;
}

async function call(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<Res> {
  const payload = body === undefined ? undefined : typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  const res = await server.app.inject({
    method: method as 'GET',
    url,
    payload,
    headers: { ...(payload !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
  });
  let parsed: unknown = res.body;
  try {
    parsed = JSON.parse(res.body);
  } catch {
    /* text */
  }
  return { status: res.statusCode, body: parsed, headers: res.headers };
}

const cm = (name: string, data: Record<string, string> = { a: '1' }, extra: Record<string, unknown> = {}) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...extra }, data });
const pod = (name: string, spec: Record<string, unknown> = {}) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'c', image: 'busybox' }], ...spec } });
const widget = (name: string, spec: Record<string, unknown> = {}, labels?: Record<string, string>) => ({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name, labels }, spec });

beforeEach(async () => {
  storage = new MemoryStorage();
  server = await createApiServer({ storage, registry: createTestRegistry() });
  for (const name of ['default', 'other']) {
    const res = await call('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    expect(res.status).toBe(201);
  }
});

afterEach(async () => {
  await server.close();
  await storage.close();
});

describe('storageKey', () => {
  it.each([
    [{ group: '', plural: 'pods', namespaced: true }, 'ns', 'p', '/registry/pods/ns/p'],
    [{ group: 'apps', plural: 'deployments', namespaced: true }, 'ns', 'd', '/registry/apps/deployments/ns/d'],
    [{ group: '', plural: 'namespaces', namespaced: false }, undefined, 'default', '/registry/namespaces/default'],
    [{ group: 'rbac.authorization.k8s.io', plural: 'clusterroles', namespaced: false }, 'ignored', 'admin', '/registry/rbac.authorization.k8s.io/clusterroles/admin'],
  ])('%o %s %s → %s', (info, ns, name, key) => {
    expect(storageKey(info, ns, name)).toBe(key);
  });
});

describe('CRUD', () => {
  it('creates, gets, lists, updates and deletes a ConfigMap', async () => {
    const created = await call('POST', '/api/v1/namespaces/default/configmaps', cm('demo'), { 'user-agent': 'kubectl/v1.33.1 (linux/amd64) kubernetes/8adc0f0' });
    expect(created.status).toBe(201);
    expect(created.body.metadata).toMatchObject({ name: 'demo', namespace: 'default' });
    expect(created.body.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.body.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(created.body.metadata.managedFields[0]).toMatchObject({ manager: 'kubectl', operation: 'Update', fieldsType: 'FieldsV1' });

    const got = await call('GET', '/api/v1/namespaces/default/configmaps/demo');
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ apiVersion: 'v1', kind: 'ConfigMap', data: { a: '1' } });

    const list = await call('GET', '/api/v1/namespaces/default/configmaps');
    expect(list.body.kind).toBe('ConfigMapList');
    expect(list.body.items.map((i: any) => i.metadata.name)).toEqual(['demo']);
    expect(Number(list.body.metadata.resourceVersion)).toBeGreaterThanOrEqual(Number(created.body.metadata.resourceVersion));

    const updated = await call('PUT', '/api/v1/namespaces/default/configmaps/demo', { ...got.body, data: { a: '2' } });
    expect(updated.status).toBe(200);
    expect(updated.body.data).toEqual({ a: '2' });
    expect(updated.body.metadata.uid).toBe(created.body.metadata.uid);

    const deleted = await call('DELETE', '/api/v1/namespaces/default/configmaps/demo', { propagationPolicy: 'Background' });
    expect(deleted.status).toBe(200);
    expect(deleted.body).toMatchObject({ kind: 'Status', status: 'Success', details: { name: 'demo', kind: 'configmaps', uid: created.body.metadata.uid } });

    const gone = await call('GET', '/api/v1/namespaces/default/configmaps/demo');
    expect(gone.status).toBe(404);
    expect(gone.body).toMatchObject({ kind: 'Status', reason: 'NotFound', message: 'configmaps "demo" not found', code: 404 });
  });

  it('lists across namespaces on the cluster path', async () => {
    await call('POST', '/api/v1/namespaces/default/configmaps', cm('a'));
    await call('POST', '/api/v1/namespaces/other/configmaps', cm('b'));
    const all = await call('GET', '/api/v1/configmaps');
    expect(all.body.items.map((i: any) => `${i.metadata.namespace}/${i.metadata.name}`)).toEqual(['default/a', 'other/b']);
  });

  it('answers 409 AlreadyExists for a duplicate name', async () => {
    await call('POST', '/api/v1/namespaces/default/configmaps', cm('dup'));
    const again = await call('POST', '/api/v1/namespaces/default/configmaps', cm('dup'));
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ reason: 'AlreadyExists', message: 'configmaps "dup" already exists' });
  });

  it('refuses a stale resourceVersion with 409 Conflict', async () => {
    const created = await call('POST', '/api/v1/namespaces/default/configmaps', cm('cas'));
    const first = await call('PUT', '/api/v1/namespaces/default/configmaps/cas', { ...created.body, data: { a: '2' } });
    expect(first.status).toBe(200);
    const stale = await call('PUT', '/api/v1/namespaces/default/configmaps/cas', { ...created.body, data: { a: '3' } });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({
      reason: 'Conflict',
      message: 'Operation cannot be fulfilled on configmaps "cas": the object has been modified; please apply your changes to the latest version and try again',
    });
  });

  it('answers 404 for a PUT of a missing ConfigMap', async () => {
    const res = await call('PUT', '/api/v1/namespaces/default/configmaps/nothere', cm('nothere'));
    expect(res.status).toBe(404);
  });

  it('rejects a name mismatch between body and URL on PUT', async () => {
    await call('POST', '/api/v1/namespaces/default/configmaps', cm('x'));
    const res = await call('PUT', '/api/v1/namespaces/default/configmaps/x', cm('y'));
    expect(res.status).toBe(400);
    expect(res.body.message).toBe('the name of the object (y) does not match the name on the URL (x)');
  });

  it('rejects a namespace mismatch on create', async () => {
    const res = await call('POST', '/api/v1/namespaces/default/configmaps', cm('x', {}, { namespace: 'other' }));
    expect(res.status).toBe(400);
    expect(res.body.message).toBe('the namespace of the provided object does not match the namespace sent on the request');
  });

  it('generates names from generateName with upstream alphabet', async () => {
    const res = await call('POST', '/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'gen-' } });
    expect(res.status).toBe(201);
    expect(res.body.metadata.name).toMatch(/^gen-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });

  it('creates in a missing namespace → 404 namespaces not found', async () => {
    const res = await call('POST', '/api/v1/namespaces/missing/configmaps', cm('x'));
    expect(res.status).toBe(404);
    expect(res.body.message).toBe('namespaces "missing" not found');
  });

  it('answers 422 Invalid from kind validation', async () => {
    const res = await call('POST', '/api/v1/namespaces/default/pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: {} });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ reason: 'Invalid', details: { name: 'p', kind: 'Pod', causes: [{ reason: 'FieldValueRequired', field: 'spec.containers' }] } });
    expect(res.body.message).toBe('Pod "p" is invalid: spec.containers: Required value');
  });
});

describe('generation', () => {
  it('starts at 1 and bumps on spec changes only', async () => {
    const created = await call('POST', '/apis/example.com/v1/namespaces/default/widgets', widget('w', { color: 'red' }));
    expect(created.body.metadata.generation).toBe(1);
    const labelled = await call('PATCH', '/apis/example.com/v1/namespaces/default/widgets/w', { metadata: { labels: { a: 'b' } } }, { 'content-type': 'application/merge-patch+json' });
    expect(labelled.status).toBe(200);
    expect(labelled.body.metadata.generation).toBe(1);
    const respec = await call('PATCH', '/apis/example.com/v1/namespaces/default/widgets/w', { spec: { color: 'blue' } }, { 'content-type': 'application/merge-patch+json' });
    expect(respec.body.metadata.generation).toBe(2);
  });

  it('gives ConfigMaps no generation, as upstream', async () => {
    const created = await call('POST', '/api/v1/namespaces/default/configmaps', cm('g'));
    expect(created.body.metadata.generation).toBeUndefined();
  });
});

describe('status subresource', () => {
  it('keeps status on main writes and only status on /status writes', async () => {
    const created = await call('POST', '/apis/example.com/v1/namespaces/default/widgets', { ...widget('s', { color: 'red' }), status: { ready: true } });
    expect(created.body.status).toBeUndefined();
    const statusWrite = await call('PUT', '/apis/example.com/v1/namespaces/default/widgets/s/status', { ...created.body, spec: { color: 'green' }, status: { ready: true } });
    expect(statusWrite.status).toBe(200);
    expect(statusWrite.body.status).toEqual({ ready: true });
    expect(statusWrite.body.spec.color).toBe('red');
    const mainWrite = await call('PUT', '/apis/example.com/v1/namespaces/default/widgets/s', { ...statusWrite.body, spec: { color: 'blue' }, status: { ready: false } });
    expect(mainWrite.body.status).toEqual({ ready: true });
    expect(mainWrite.body.spec.color).toBe('blue');
    const got = await call('GET', '/apis/example.com/v1/namespaces/default/widgets/s/status');
    expect(got.body.status).toEqual({ ready: true });
  });
});

describe('scale subresource', () => {
  it('reads and writes replicas through autoscaling/v1 Scale', async () => {
    await call('POST', '/apis/example.com/v1/namespaces/default/widgets', widget('sc', { replicas: 2, selector: { matchLabels: { app: 'x' } } }));
    const scale = await call('GET', '/apis/example.com/v1/namespaces/default/widgets/sc/scale');
    expect(scale.body).toMatchObject({ kind: 'Scale', apiVersion: 'autoscaling/v1', metadata: { name: 'sc', namespace: 'default' }, spec: { replicas: 2 }, status: { replicas: 0, selector: 'app=x' } });
    const patched = await call('PATCH', '/apis/example.com/v1/namespaces/default/widgets/sc/scale', { spec: { replicas: 5 } }, { 'content-type': 'application/merge-patch+json' });
    expect(patched.status).toBe(200);
    expect(patched.body.spec.replicas).toBe(5);
    const put = await call('PUT', '/apis/example.com/v1/namespaces/default/widgets/sc/scale', { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'sc' }, spec: { replicas: 3 } });
    expect(put.body.spec.replicas).toBe(3);
    const obj = await call('GET', '/apis/example.com/v1/namespaces/default/widgets/sc');
    expect(obj.body.spec.replicas).toBe(3);
    expect(obj.body.metadata.generation).toBe(3);
  });
});

describe('binding', () => {
  it('binds a pod once and refuses a second binding', async () => {
    await call('POST', '/api/v1/namespaces/default/pods', pod('p1'));
    const bound = await call('POST', '/api/v1/namespaces/default/pods/p1/binding', { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'p1' }, target: { kind: 'Node', name: 'n1' } });
    expect(bound.status).toBe(201);
    expect(bound.body).toMatchObject({ kind: 'Status', status: 'Success', code: 201 });
    const got = await call('GET', '/api/v1/namespaces/default/pods/p1');
    expect(got.body.spec.nodeName).toBe('n1');
    expect(got.body.status.conditions).toEqual([expect.objectContaining({ type: 'PodScheduled', status: 'True' })]);
    const again = await call('POST', '/api/v1/namespaces/default/bindings', { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'p1' }, target: { kind: 'Node', name: 'n2' } });
    expect(again.status).toBe(409);
    expect(again.body.message).toBe('Operation cannot be fulfilled on pods/binding "p1": pod p1 is already assigned to node "n1"');
  });
});

describe('deletion', () => {
  it('keeps an object with finalizers until the last one is removed', async () => {
    await call('POST', '/api/v1/namespaces/default/configmaps', cm('f', { a: '1' }, { finalizers: ['example.com/hold'] }));
    const del = await call('DELETE', '/api/v1/namespaces/default/configmaps/f');
    expect(del.status).toBe(200);
    expect(del.body.kind).toBe('ConfigMap');
    expect(del.body.metadata.deletionTimestamp).toBeDefined();
    expect(del.body.metadata.deletionGracePeriodSeconds).toBe(0);
    const still = await call('GET', '/api/v1/namespaces/default/configmaps/f');
    expect(still.status).toBe(200);
    const released = await call('PATCH', '/api/v1/namespaces/default/configmaps/f', { metadata: { finalizers: null } }, { 'content-type': 'application/merge-patch+json' });
    expect(released.status).toBe(200);
    expect((await call('GET', '/api/v1/namespaces/default/configmaps/f')).status).toBe(404);
  });

  it('adds the foregroundDeletion / orphan finalizers for those policies', async () => {
    await call('POST', '/api/v1/namespaces/default/configmaps', cm('fg'));
    const fg = await call('DELETE', '/api/v1/namespaces/default/configmaps/fg', { propagationPolicy: 'Foreground' });
    expect(fg.body.metadata.finalizers).toEqual(['foregroundDeletion']);
    await call('POST', '/api/v1/namespaces/default/configmaps', cm('or'));
    const or = await call('DELETE', '/api/v1/namespaces/default/configmaps/or?propagationPolicy=Orphan');
    expect(or.body.metadata.finalizers).toEqual(['orphan']);
  });

  it('checks uid and resourceVersion preconditions', async () => {
    const created = await call('POST', '/api/v1/namespaces/default/configmaps', cm('pre'));
    const wrongUid = await call('DELETE', '/api/v1/namespaces/default/configmaps/pre', { preconditions: { uid: 'nope' } });
    expect(wrongUid.status).toBe(409);
    expect(wrongUid.body.message).toBe(`Operation cannot be fulfilled on configmaps "pre": Precondition failed: UID in precondition: nope, UID in object meta: ${created.body.metadata.uid}`);
    const ok = await call('DELETE', '/api/v1/namespaces/default/configmaps/pre', { preconditions: { uid: created.body.metadata.uid, resourceVersion: created.body.metadata.resourceVersion } });
    expect(ok.status).toBe(200);
  });

  it('deletes a scheduled pod gracefully and an unscheduled one at once', async () => {
    await call('POST', '/api/v1/namespaces/default/pods', pod('unscheduled'));
    const now = await call('DELETE', '/api/v1/namespaces/default/pods/unscheduled');
    expect(now.body.kind).toBe('Status');
    await call('POST', '/api/v1/namespaces/default/pods', pod('running', { nodeName: 'n1' }));
    const graceful = await call('DELETE', '/api/v1/namespaces/default/pods/running');
    expect(graceful.body.kind).toBe('Pod');
    expect(graceful.body.metadata.deletionGracePeriodSeconds).toBe(30);
    const forced = await call('DELETE', '/api/v1/namespaces/default/pods/running', { gracePeriodSeconds: 0 });
    expect(forced.body.kind).toBe('Status');
    expect((await call('GET', '/api/v1/namespaces/default/pods/running')).status).toBe(404);
  });

  it('deletes a collection by label selector', async () => {
    await call('POST', '/api/v1/namespaces/default/configmaps', cm('k1', {}, { labels: { app: 'x' } }));
    await call('POST', '/api/v1/namespaces/default/configmaps', cm('k2', {}, { labels: { app: 'y' } }));
    const res = await call('DELETE', '/api/v1/namespaces/default/configmaps?labelSelector=app%3Dx');
    expect(res.status).toBe(200);
    expect(res.body.items.map((i: any) => i.metadata.name)).toEqual(['k1']);
    const left = await call('GET', '/api/v1/namespaces/default/configmaps');
    expect(left.body.items.map((i: any) => i.metadata.name)).toEqual(['k2']);
  });
});

describe('list paging and selectors', () => {
  beforeEach(async () => {
    for (let i = 0; i < 5; i++) await call('POST', '/api/v1/namespaces/default/configmaps', cm(`c${i}`, {}, { labels: { idx: String(i), parity: i % 2 ? 'odd' : 'even' } }));
  });

  it('pages with limit and continue over a consistent snapshot', async () => {
    const first = await call('GET', '/api/v1/namespaces/default/configmaps?limit=2');
    expect(first.body.items.map((i: any) => i.metadata.name)).toEqual(['c0', 'c1']);
    expect(first.body.metadata.continue).toBeTruthy();
    expect(first.body.metadata.remainingItemCount).toBe(3);
    await call('POST', '/api/v1/namespaces/default/configmaps', cm('c9'));
    const second = await call('GET', `/api/v1/namespaces/default/configmaps?limit=2&continue=${first.body.metadata.continue}`);
    expect(second.body.items.map((i: any) => i.metadata.name)).toEqual(['c2', 'c3']);
    expect(second.body.metadata.resourceVersion).toBe(first.body.metadata.resourceVersion);
    const third = await call('GET', `/api/v1/namespaces/default/configmaps?limit=2&continue=${second.body.metadata.continue}`);
    expect(third.body.items.map((i: any) => i.metadata.name)).toEqual(['c4']);
    expect(third.body.metadata.continue).toBeUndefined();
  });

  it('answers 410 for a continue token whose snapshot was compacted, with a token that continues in the latest state', async () => {
    const first = await call('GET', '/api/v1/namespaces/default/configmaps?limit=2');
    await call('POST', '/api/v1/namespaces/default/configmaps', cm('c20'));
    await storage.compact(await storage.currentRevision());
    const res = await call('GET', `/api/v1/namespaces/default/configmaps?limit=2&continue=${first.body.metadata.continue}`);
    expect(res.status).toBe(410);
    expect(res.body).toMatchObject({ reason: 'Expired', message: expect.stringMatching(/^The provided continue parameter is too old to display a consistent list result\./) });
    // The inconsistent continuation: the rest of the list as it is now, c20 included.
    const rest = await call('GET', `/api/v1/namespaces/default/configmaps?limit=10&continue=${res.body.metadata.continue}`);
    expect(rest.status).toBe(200);
    expect(rest.body.items.map((i: any) => i.metadata.name)).toEqual(['c2', 'c20', 'c3', 'c4']);
    expect(Number(rest.body.metadata.resourceVersion)).toBe(await storage.currentRevision());
  });

  it('validates list options for lists only: a GET of one object ignores them, as upstream (GetOptions)', async () => {
    expect((await call('GET', '/api/v1/namespaces/default/configmaps?sendInitialEvents=true')).status).toBe(422);
    expect((await call('GET', '/api/v1/namespaces/default/configmaps/c0?sendInitialEvents=true&resourceVersionMatch=Exact')).status).toBe(200);
  });

  it('refuses a resourceVersion beside a continue token, and resourceVersionMatch with it, as upstream', async () => {
    const first = await call('GET', '/api/v1/namespaces/default/configmaps?limit=2');
    const withRv = await call('GET', `/api/v1/namespaces/default/configmaps?limit=2&continue=${first.body.metadata.continue}&resourceVersion=5`);
    expect(withRv.status).toBe(400);
    expect(withRv.body.message).toBe('specifying resource version is not allowed when using continue');
    const withMatch = await call('GET', `/api/v1/namespaces/default/configmaps?limit=2&continue=${first.body.metadata.continue}&resourceVersionMatch=Exact&resourceVersion=0`);
    expect(withMatch.status).toBe(422);
    expect(withMatch.body.message).toBe(
      'ListOptions.meta.k8s.io "" is invalid: [resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden when continue is provided, resourceVersionMatch: Forbidden: resourceVersionMatch "exact" is forbidden for resourceVersion "0"]',
    );
    const garbage = await call('GET', '/api/v1/namespaces/default/configmaps?continue=garbage');
    expect(garbage.body).toMatchObject({ code: 400, reason: 'BadRequest', message: "invalid continue token: continue key is not valid: invalid character '\\u0081' looking for beginning of value" });
  });

  it.each([
    ['labelSelector=parity%3Dodd', ['c1', 'c3']],
    ['labelSelector=idx%20in%20(0%2C4)', ['c0', 'c4']],
    ['labelSelector=parity!%3Dodd%2Cidx!%3D0', ['c2', 'c4']],
    ['fieldSelector=metadata.name%3Dc2', ['c2']],
    ['fieldSelector=metadata.name!%3Dc2&labelSelector=parity%3Deven', ['c0', 'c4']],
    ['labelSelector=parity%3Deven&limit=1', ['c0']],
  ])('%s', async (query, names) => {
    const res = await call('GET', `/api/v1/namespaces/default/configmaps?${query}`);
    expect(res.status).toBe(200);
    expect(res.body.items.map((i: any) => i.metadata.name)).toEqual(names);
  });

  it('rejects an unsupported field label', async () => {
    const res = await call('GET', '/api/v1/namespaces/default/configmaps?fieldSelector=spec.nodeName%3Dx');
    expect(res.status).toBe(400);
    expect(res.body.message).toBe('field label not supported: spec.nodeName');
  });

  it('supports kind-specific field selectors (pods spec.nodeName)', async () => {
    await call('POST', '/api/v1/namespaces/default/pods', pod('a', { nodeName: 'n1' }));
    await call('POST', '/api/v1/namespaces/default/pods', pod('b', { nodeName: 'n2' }));
    const res = await call('GET', '/api/v1/pods?fieldSelector=spec.nodeName%3Dn2');
    expect(res.body.items.map((i: any) => i.metadata.name)).toEqual(['b']);
  });
});

describe('dry run', () => {
  it('validates and answers without storing', async () => {
    const res = await call('POST', '/api/v1/namespaces/default/configmaps?dryRun=All', cm('dry'));
    expect(res.status).toBe(201);
    expect(res.body.metadata.uid).toBeDefined();
    expect((await call('GET', '/api/v1/namespaces/default/configmaps/dry')).status).toBe(404);
    await call('POST', '/api/v1/namespaces/default/configmaps', cm('real'));
    const del = await call('DELETE', '/api/v1/namespaces/default/configmaps/real?dryRun=All');
    expect(del.status).toBe(200);
    expect((await call('GET', '/api/v1/namespaces/default/configmaps/real')).status).toBe(200);
  });

  it('refuses dryRun values other than All', async () => {
    const res = await call('POST', '/api/v1/namespaces/default/configmaps?dryRun=Yes', cm('dry'));
    expect(res.status).toBe(400);
  });
});

describe('field validation', () => {
  const body = { ...cm('fv'), spec: { foo: 1 }, extra: true };

  it('Strict refuses unknown fields, listing all', async () => {
    const res = await call('POST', '/api/v1/namespaces/default/configmaps?fieldValidation=Strict', body);
    expect(res.status).toBe(400);
    expect(res.body.message).toBe('ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "spec", unknown field "extra"');
  });

  it('Strict refuses duplicate fields', async () => {
    const res = await call('POST', '/api/v1/namespaces/default/configmaps?fieldValidation=Strict', '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"d","name":"d"}}');
    expect(res.status).toBe(400);
    expect(res.body.message).toBe('ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: duplicate field "metadata.name"');
  });

  it('Warn (the default) answers with Warning headers', async () => {
    const res = await call('POST', '/api/v1/namespaces/default/configmaps', body);
    expect(res.status).toBe(201);
    expect(res.headers.warning).toEqual(['299 - "unknown field \\"spec\\""', '299 - "unknown field \\"extra\\""']);
  });

  it('Ignore says nothing', async () => {
    const res = await call('POST', '/api/v1/namespaces/default/configmaps?fieldValidation=Ignore', body);
    expect(res.status).toBe(201);
    expect(res.headers.warning).toBeUndefined();
  });

  it('a patched object that does not decode is a 422 on the patch field, as upstream\'s patcher', async () => {
    await call('POST', '/api/v1/namespaces/default/configmaps', cm('patched'));
    const path = '/api/v1/namespaces/default/configmaps/patched?fieldValidation=Strict';
    const send = (patch: unknown, type: string) => call('PATCH', path, patch, { 'content-type': type });
    // A strategic merge patch: the value is the patch as Go prints the map; type errors in the
    // unstructured converter's words.
    const smp = 'application/strategic-merge-patch+json';
    const unknown = await send({ datta: { a: 'b' } }, smp);
    expect(unknown.status).toBe(422);
    expect(unknown.body).toMatchObject({ reason: 'Invalid', message: ' "" is invalid: patch: Invalid value: "map[datta:map[a:b]]": strict decoding error: unknown field "datta"', details: { causes: [{ reason: 'FieldValueInvalid', field: 'patch', message: 'Invalid value: "map[datta:map[a:b]]": strict decoding error: unknown field "datta"' }] } });
    const typed = await send({ data: { k: {} } }, smp);
    expect(typed.body.message).toBe(' "" is invalid: patch: Invalid value: "map[data:map[k:map[]]]": unrecognized type: string');
    // A merge patch: the value is the patched object; type errors in Go's JSON decoder's words.
    const merged = await send({ data: { k: 1 } }, 'application/merge-patch+json');
    expect(merged.status).toBe(422);
    expect(merged.body.message).toMatch(/^ "" is invalid: patch: Invalid value: "\{.*\\"name\\":\\"patched\\".*\}": json: cannot unmarshal number into Go struct field ConfigMap\.data of type string$/);
    const json = await send([{ op: 'add', path: '/spec', value: 1 }], 'application/json-patch+json');
    expect(json.body.message).toMatch(/": strict decoding error: unknown field "spec"$/);
    expect((await call('GET', '/api/v1/namespaces/default/configmaps/patched')).body.data).toEqual({ a: '1' });
  });

  it('nested unknown fields carry their path with indexes', async () => {
    const res = await call('POST', '/api/v1/namespaces/default/pods?fieldValidation=Strict', pod('p', { containers: [{ name: 'c', imagePullPolice: 'x' }] }));
    expect(res.body.message).toBe('Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.containers[0].imagePullPolice"');
  });
});

describe('bad input', () => {
  it.each([
    ['{"apiVersion": ', 'unexpected end of JSON input'],
    ['{"kind":"ConfigMap",}', "invalid character '}' looking for beginning of object key string"],
    ['{"kind":"ConfigMap"} {}', "invalid character '{' after top-level value"],
  ])('malformed JSON %s → 400 in Go scanner words', async (body, why) => {
    const res = await call('POST', '/api/v1/namespaces/default/configmaps', body, { 'content-type': 'application/json' });
    expect(res.status).toBe(400);
    expect(res.body.message).toBe(`couldn't get version/kind; json parse error: ${why}`);
  });

  it('type errors → 400 in Go decoder words', async () => {
    const res = await call('POST', '/api/v1/namespaces/default/pods', pod('p', { containers: [{ name: 'c', env: [{ name: 'A', value: 1 }] }] }));
    expect(res.status).toBe(400);
    expect(res.body.message).toBe('Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal number into Go struct field EnvVar.spec.containers.env.value of type string');
  });

  it('apiVersion mismatch → 400', async () => {
    const res = await call('POST', '/api/v1/namespaces/default/configmaps', { ...cm('x'), apiVersion: 'apps/v1' });
    expect(res.status).toBe(400);
    expect(res.body.message).toBe('the API version in the data (apps/v1) does not match the expected API version (v1)');
  });

  it('YAML bodies are accepted', async () => {
    const res = await call('POST', '/api/v1/namespaces/default/configmaps', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: y\ndata:\n  k: v\n', { 'content-type': 'application/yaml' });
    expect(res.status).toBe(201);
    expect(res.body.data).toEqual({ k: 'v' });
  });

  it('bodies over 3 MiB → 413', async () => {
    const big = JSON.stringify(cm('big', { a: 'x'.repeat(3 * 1024 * 1024 + 10) }));
    const res = await call('POST', '/api/v1/namespaces/default/configmaps', big);
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ kind: 'Status', reason: 'RequestEntityTooLarge', code: 413 });
  });

  it.each([
    ['GET', '/nothing/here'],
    ['GET', '/api/v1/nothings'],
    ['GET', '/apis/example.com/v1/namespaces/default/widgets/w/nosuchsub'],
    ['GET', '/api/v1/namespaces/default/namespaces'],
  ])('%s %s → 404 Status', async (method, url) => {
    const res = await call(method, url);
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ kind: 'Status', reason: 'NotFound', message: 'the server could not find the requested resource' });
  });

  it('wrong method → 405', async () => {
    const res = await call('POST', '/api/v1/namespaces/default/configmaps/x', cm('x'));
    expect(res.status).toBe(405);
    expect(res.body.reason).toBe('MethodNotAllowed');
  });

  it('unacceptable Accept → 406', async () => {
    const res = await call('GET', '/api/v1/namespaces/default/configmaps', undefined, { accept: 'application/vnd.kubernetes.protobuf' });
    expect(res.status).toBe(406);
  });

  it('a storage failure is a 500 Status, and the server keeps serving', async () => {
    const broken = Object.create(storage) as MemoryStorage;
    broken.get = async () => {
      throw new Error('disk on fire');
    };
    const other = await createApiServer({ storage: broken, registry: createTestRegistry() });
    const res = await other.app.inject({ method: 'GET', url: '/api/v1/namespaces/default/configmaps/x' });
    expect(res.statusCode).toBe(500);
    expect(JSON.parse(res.body)).toMatchObject({ reason: 'InternalError', message: 'Internal error occurred: disk on fire' });
    expect((await other.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    await other.close();
  });
});

describe('Table output', () => {
  const tableAccept = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

  it('converts get and list to Tables with PartialObjectMetadata rows', async () => {
    await call('POST', '/api/v1/namespaces/default/configmaps', cm('t1'));
    const list = await call('GET', '/api/v1/namespaces/default/configmaps?limit=500', undefined, { accept: tableAccept });
    expect(list.body).toMatchObject({ kind: 'Table', apiVersion: 'meta.k8s.io/v1' });
    expect(list.body.metadata.resourceVersion).toBeDefined();
    expect(list.body.rows).toHaveLength(1);
    expect(list.body.rows[0].object).toMatchObject({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: { name: 't1' } });
    const one = await call('GET', '/api/v1/namespaces/default/configmaps/t1?includeObject=Object', undefined, { accept: tableAccept });
    expect(one.body.rows[0].object.kind).toBe('ConfigMap');
  });

  it('serves PartialObjectMetadataList', async () => {
    await call('POST', '/api/v1/namespaces/default/configmaps', cm('pm'));
    const res = await call('GET', '/api/v1/namespaces/default/configmaps', undefined, { accept: 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1' });
    expect(res.body.kind).toBe('PartialObjectMetadataList');
    expect(res.body.items[0].metadata.name).toBe('pm');
  });
});

describe('server basics', () => {
  it('serves /version, health and metrics', async () => {
    const version = await call('GET', '/version');
    expect(version.body).toMatchObject({ major: '1', minor: '33', gitVersion: 'v1.33.0+k8ts' });
    for (const path of ['/healthz', '/livez', '/readyz']) expect((await call('GET', path)).body).toBe('ok');
    await call('GET', '/api/v1/namespaces/default/configmaps');
    const metrics = await call('GET', '/metrics');
    expect(metrics.body).toMatch(/apiserver_request_total\{[^}]*verb="LIST"[^}]*resource="configmaps"[^}]*code="200"[^}]*\} 1/);
    expect(metrics.body).toContain('apiserver_request_duration_seconds_bucket');
  });

  it('serves resources registered after start (CRDs)', async () => {
    const registry = server.context.registry;
    registry.unregister('example.com', 'v1', 'widgets');
    expect((await call('GET', '/apis/example.com/v1/namespaces/default/widgets')).status).toBe(404);
    registry.register(createTestRegistry().lookup('example.com', 'v1', 'widgets')!);
    expect((await call('GET', '/apis/example.com/v1/namespaces/default/widgets')).status).toBe(200);
  });
});

describe('namespace deletion', () => {
  it('marks the namespace Terminating, refuses a second delete while finalizers remain, then deletes once finalized', async () => {
    await call('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'gone' } });
    const first = await call('DELETE', '/api/v1/namespaces/gone');
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ kind: 'Namespace', status: { phase: 'Terminating' } });
    expect(first.body.metadata.deletionTimestamp).toBeDefined();
    const create = await call('POST', '/api/v1/namespaces/gone/configmaps', cm('late'));
    expect(create.status).toBe(403);
    if ((first.body.spec?.finalizers ?? []).length > 0) {
      const second = await call('DELETE', '/api/v1/namespaces/gone');
      expect(second.status).toBe(409);
      expect(second.body.message).toBe(
        'Operation cannot be fulfilled on namespaces "gone": The system is ensuring all content is removed from this namespace.  Upon completion, this namespace will automatically be purged by the system.',
      );
      const finalized = await call('PUT', '/api/v1/namespaces/gone/finalize', { ...first.body, spec: { finalizers: [] } });
      expect(finalized.status).toBe(200);
      expect(finalized.body.spec.finalizers ?? []).toEqual([]);
    }
    const last = await call('DELETE', '/api/v1/namespaces/gone');
    expect(last.status).toBe(200);
    expect(last.body.kind).toBe('Namespace');
    expect((await call('GET', '/api/v1/namespaces/gone')).status).toBe(404);
  });
});

describe('server-side apply', () => {
  const apply = (name: string, manager: string, data: Record<string, string>, query = '') =>
    call('PATCH', `/api/v1/namespaces/default/configmaps/${name}?fieldManager=${manager}${query}`, `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n${Object.entries(data).map(([k, v]) => `  ${k}: "${v}"`).join('\n')}\n`, { 'content-type': 'application/apply-patch+yaml' });

  it('creates on first apply, records Apply ownership, and reports conflicts between managers', async () => {
    const created = await apply('ssa', 'alice', { a: '1' });
    expect(created.status).toBe(201);
    expect(created.body.metadata.managedFields).toEqual([expect.objectContaining({ manager: 'alice', operation: 'Apply', fieldsV1: { 'f:data': { 'f:a': {} } } })]);
    const conflicting = await apply('ssa', 'bob', { a: '2' });
    expect(conflicting.status).toBe(409);
    expect(conflicting.body.message).toBe('Apply failed with 1 conflict: conflict with "alice": .data.a');
    expect(conflicting.body.details.causes).toEqual([{ reason: 'FieldManagerConflict', message: 'conflict with "alice"', field: '.data.a' }]);
    const forced = await apply('ssa', 'bob', { a: '2' }, '&force=true');
    expect(forced.status).toBe(200);
    expect(forced.body.data).toEqual({ a: '2' });
  });

  it('requires a fieldManager', async () => {
    const res = await call('PATCH', '/api/v1/namespaces/default/configmaps/x', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n', { 'content-type': 'application/apply-patch+yaml' });
    expect(res.status).toBe(422);
    expect(res.body.message).toBe('PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch');
  });

  it('refuses fields the schema does not declare whatever fieldValidation says, in structured-merge-diff\'s words', async () => {
    const ssa = { 'content-type': 'application/apply-patch+yaml' };
    const body = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: typed\nspec:\n  containers:\n  - name: c\n    image: busybox\n    imagePullPolice: Always\n';
    for (const validation of ['Ignore', 'Warn', 'Strict']) {
      const res = await call('PATCH', `/api/v1/namespaces/default/pods/typed?fieldManager=me&fieldValidation=${validation}`, body, ssa);
      expect(res.status).toBe(400);
      expect(res.body.message).toBe('failed to create typed patch object (default/typed; /v1, Kind=Pod): .spec.containers[name="c"].imagePullPolice: field not declared in schema');
    }
    const two = await call('PATCH', '/api/v1/namespaces/default/configmaps/typed?fieldManager=me', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: typed\n  labelz: {a: b}\ndatta: {a: b}\n', ssa);
    expect(two.body.message).toBe('failed to create typed patch object (default/typed; /v1, Kind=ConfigMap): errors:\n  .datta: field not declared in schema\n  .metadata.labelz: field not declared in schema');
    expect((await call('GET', '/api/v1/namespaces/default/pods/typed')).status).toBe(404);
    expect((await call('GET', '/api/v1/namespaces/default/configmaps/typed')).status).toBe(404);
  });

  it('dry-run apply stores nothing', async () => {
    const res = await apply('dryssa', 'alice', { a: '1' }, '&dryRun=All');
    expect(res.status).toBe(201);
    expect((await call('GET', '/api/v1/namespaces/default/configmaps/dryssa')).status).toBe(404);
  });
});

describe('patch', () => {
  it('applies merge and JSON patches, retries on no precondition and honours a resourceVersion in the patch', async () => {
    const created = await call('POST', '/api/v1/namespaces/default/configmaps', cm('p', { a: '1', b: '2' }));
    const merged = await call('PATCH', '/api/v1/namespaces/default/configmaps/p', { data: { b: null, c: '3' } }, { 'content-type': 'application/merge-patch+json' });
    expect(merged.body.data).toEqual({ a: '1', c: '3' });
    const json = await call('PATCH', '/api/v1/namespaces/default/configmaps/p', [{ op: 'replace', path: '/data/a', value: 'x' }], { 'content-type': 'application/json-patch+json' });
    expect(json.body.data).toEqual({ a: 'x', c: '3' });
    const stale = await call('PATCH', '/api/v1/namespaces/default/configmaps/p', { metadata: { resourceVersion: created.body.metadata.resourceVersion }, data: { a: 'y' } }, { 'content-type': 'application/merge-patch+json' });
    expect(stale.status).toBe(409);
  });

  it('refuses unknown patch types with 415 and patching a missing object with 404', async () => {
    const bad = await call('PATCH', '/api/v1/namespaces/default/configmaps/p', '{}', { 'content-type': 'text/plain' });
    expect(bad.status).toBe(415);
    const missing = await call('PATCH', '/api/v1/namespaces/default/configmaps/none', { data: {} }, { 'content-type': 'application/merge-patch+json' });
    expect(missing.status).toBe(404);
  });
});

describe('hostile input never yields a 500', () => {
  const json = { 'content-type': 'application/json' };
  it.each([
    ['POST', '/api/v1/namespaces/default/configmaps', 'null', json],
    ['POST', '/api/v1/namespaces/default/configmaps', '{"metadata":"x"}', json],
    ['POST', '/api/v1/namespaces/default/configmaps', '{"metadata":{"name":5}}', json],
    ['POST', '/api/v1/namespaces/default/configmaps', '{"kind":5}', json],
    ['POST', '/api/v1/namespaces/default/configmaps', '{"apiVersion":{}}', json],
    ['POST', '/api/v1/namespaces/default/configmaps', '{"metadata":{"labels":{"a":[1]}}}', json],
    ['POST', '/api/v1/namespaces/default/configmaps', `${'['.repeat(5000)}${']'.repeat(5000)}`, json],
    ['POST', '/api/v1/namespaces/default/configmaps', `{"a":${'{"a":'.repeat(3000)}1${'}'.repeat(3000)}}`, json],
    ['POST', '/api/v1/namespaces/default/configmaps', `{"a":${'{"a":'.repeat(200000)}1${'}'.repeat(200000)}}`, json],
    ['POST', '/api/v1/namespaces/default/configmaps', 'a: &a [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n', { 'content-type': 'application/yaml' }],
    ['PATCH', '/api/v1/namespaces/default/configmaps/target', `{"a":${'{"a":'.repeat(200000)}1${'}'.repeat(200000)}}`, { 'content-type': 'application/merge-patch+json' }],
    ['POST', '/api/v1/namespaces/default/configmaps', '\u0000\u0001', json],
    ['POST', '/api/v1/namespaces/default/configmaps', ': : :', { 'content-type': 'application/yaml' }],
    ['POST', '/api/v1/namespaces/default/configmaps', 'a: &a [*a]', { 'content-type': 'application/yaml' }],
    ['POST', '/api/v1/namespaces/default/configmaps', 'x', { 'content-type': 'application/vnd.kubernetes.protobuf' }],
    ['GET', '/api/v1/namespaces/default/configmaps?limit=abc', undefined, {}],
    ['GET', '/api/v1/namespaces/default/configmaps?continue=garbage', undefined, {}],
    ['GET', '/api/v1/namespaces/default/configmaps?resourceVersion=abc', undefined, {}],
    ['GET', '/api/v1/namespaces/default/configmaps?resourceVersion=99999999999999999999', undefined, {}],
    ['GET', '/api/v1/namespaces/default/configmaps/target?resourceVersion=18446744073709551616', undefined, {}],
    ['GET', '/api/v1/namespaces/default/configmaps?resourceVersionMatch=Exact', undefined, {}],
    ['GET', '/api/v1/namespaces/default/configmaps?labelSelector=(((', undefined, {}],
    ['GET', '/api/v1/namespaces/default/configmaps?fieldSelector=garbage', undefined, {}],
    ['GET', '/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=-1', undefined, {}],
    ['GET', '/api/v1/namespaces/default/configmaps?watch=true&timeoutSeconds=x', undefined, {}],
    ['GET', '/api/v1/namespaces/default/configmaps?includeObject=All', undefined, {}],
    ['GET', '/api/v1/namespaces/%ZZ/configmaps', undefined, {}],
    ['DELETE', '/api/v1/namespaces/default/configmaps/x', '[]', json],
    ['DELETE', '/api/v1/namespaces/default/configmaps/x', '{"gracePeriodSeconds":"soon"}', json],
    ['PATCH', '/api/v1/namespaces/default/configmaps/target', '{', { 'content-type': 'application/merge-patch+json' }],
    ['PATCH', '/api/v1/namespaces/default/configmaps/target', '[{"op":"replace","path":"/nope/deeper","value":1}]', { 'content-type': 'application/json-patch+json' }],
    ['PATCH', '/api/v1/namespaces/default/configmaps/target', '[{"op":"explode"}]', { 'content-type': 'application/json-patch+json' }],
    ['PATCH', '/api/v1/namespaces/default/configmaps/target', '{"data":"notamap"}', { 'content-type': 'application/merge-patch+json' }],
    ['PATCH', '/api/v1/namespaces/default/configmaps/target', '"x"', { 'content-type': 'application/merge-patch+json' }],
    ['PATCH', '/api/v1/namespaces/default/configmaps/target?fieldManager=m', '- a', { 'content-type': 'application/apply-patch+yaml' }],
    ['PUT', '/api/v1/namespaces/default/configmaps/target', '{"metadata":{"name":"target","uid":"other"}}', json],
    ['POST', '/api/v1/namespaces/default/pods/nope/binding', '{"target":{"name":"n"}}', json],
    ['GET', '/apis/example.com/v1/namespaces/default/widgets/nope/scale', undefined, {}],
    ['PUT', '/apis/example.com/v1/namespaces/default/widgets/nope/scale', '{"spec":{"replicas":"many"}}', json],
  ])('%s %s %s', async (method, url, body, headers) => {
    await call('POST', '/api/v1/namespaces/default/configmaps', cm('target'));
    const res = await call(method, url, body, headers as Record<string, string>);
    expect(res.status, JSON.stringify(res.body)).toBeGreaterThanOrEqual(400);
    expect(res.status, JSON.stringify(res.body)).toBeLessThan(500);
    expect(res.body.kind).toBe('Status');
  });
});

describe('connect subresources', () => {
  it.each([
    ['log', 'GET'],
    ['exec', 'POST'],
    ['portforward', 'GET'],
  ])('pods/%s: 404 for a missing pod, 400 for an unscheduled one, 503 without a kubelet', async (sub, method) => {
    expect((await call(method, `/api/v1/namespaces/default/pods/none/${sub}`)).status).toBe(404);
    await call('POST', '/api/v1/namespaces/default/pods', pod('pending'));
    const pending = await call(method, `/api/v1/namespaces/default/pods/pending/${sub}`);
    expect(pending.status).toBe(400);
    expect(pending.body.message).toBe('pod pending does not have a host assigned');
    await call('POST', '/api/v1/namespaces/default/pods', pod('bound', { nodeName: 'n1' }));
    const bound = await call(method, `/api/v1/namespaces/default/pods/bound/${sub}`);
    expect(bound.status).toBe(503);
    expect(bound.body.kind).toBe('Status');
  });
});

describe('protobuf bodies (kubectl 1.33 typed clients)', () => {
  it('creates a ConfigMap from an application/vnd.kubernetes.protobuf body', async () => {
    const s = (n: number, text: string) => [(n << 3) | 2, Buffer.byteLength(text), ...Buffer.from(text)];
    const m = (n: number, body: number[]) => [(n << 3) | 2, body.length, ...body];
    const raw = [...m(1, s(1, 'from-pb')), ...m(2, [...s(1, 'k'), ...s(2, 'v')])];
    const body = Buffer.from([0x6b, 0x38, 0x73, 0x00, ...m(1, [...s(1, 'v1'), ...s(2, 'ConfigMap')]), ...m(2, raw)]);
    const res = await call('POST', '/api/v1/namespaces/default/configmaps?fieldManager=kubectl-create&fieldValidation=Strict', body, {
      'content-type': 'application/vnd.kubernetes.protobuf',
      accept: 'application/vnd.kubernetes.protobuf,application/json',
    });
    expect(res.status).toBe(201);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.body).toMatchObject({ kind: 'ConfigMap', metadata: { name: 'from-pb', namespace: 'default' }, data: { k: 'v' } });
  });
});

describe('JSON patch on resourceVersion (kubectl managed-fields migration)', () => {
  it('can test and replace /metadata/resourceVersion', async () => {
    const created = await call('POST', '/api/v1/namespaces/default/configmaps', cm('mig'));
    const rv = created.body.metadata.resourceVersion;
    const ok = await call('PATCH', '/api/v1/namespaces/default/configmaps/mig', [{ op: 'test', path: '/metadata/resourceVersion', value: rv }, { op: 'replace', path: '/metadata/resourceVersion', value: rv }, { op: 'replace', path: '/data/a', value: 'z' }], { 'content-type': 'application/json-patch+json' });
    expect(ok.status).toBe(200);
    expect(ok.body.data.a).toBe('z');
    const stale = await call('PATCH', '/api/v1/namespaces/default/configmaps/mig', [{ op: 'replace', path: '/metadata/resourceVersion', value: rv }, { op: 'replace', path: '/data/a', value: 'w' }], { 'content-type': 'application/json-patch+json' });
    expect(stale.status).toBe(409);
  });
});

describe('interim discovery (until apiserver/discovery is wired)', () => {
  it('serves legacy discovery and an OpenAPI v3 index that declares fieldValidation', async () => {
    const { interimDiscoveryPlugin } = await import('./handlers/interim-discovery.ts');
    const registry = createTestRegistry();
    const other = await createApiServer({ storage, registry, plugins: [(app) => interimDiscoveryPlugin(app, { registry })] });
    const get = async (url: string) => JSON.parse((await other.app.inject({ method: 'GET', url })).body);
    expect((await get('/api')).versions).toEqual(['v1']);
    const v1 = await get('/api/v1');
    expect(v1.resources).toContainEqual(expect.objectContaining({ name: 'configmaps', shortNames: ['cm'], namespaced: true, kind: 'ConfigMap' }));
    expect(v1.resources).toContainEqual(expect.objectContaining({ name: 'pods/binding', verbs: ['create'] }));
    expect((await get('/apis')).groups).toContainEqual(expect.objectContaining({ name: 'example.com' }));
    expect((await get('/apis/example.com/v1')).resources).toContainEqual(expect.objectContaining({ name: 'widgets/scale', group: 'autoscaling', version: 'v1', kind: 'Scale' }));
    const index = await get('/openapi/v3');
    const doc = await get(index.paths['api/v1'].serverRelativeURL);
    const patch = doc.paths['/api/v1/namespaces/{namespace}/configmaps/{name}'].patch;
    expect(patch['x-kubernetes-group-version-kind']).toEqual({ group: '', version: 'v1', kind: 'ConfigMap' });
    expect(patch.parameters.map((p: { name: string }) => p.name)).toContain('fieldValidation');
    // kubectl 1.27+ computes a strategic merge patch from this document only when the operation accepts one.
    expect(Object.keys(patch.requestBody.content)).toContain('application/strategic-merge-patch+json');
    expect(patch.requestBody.content['application/strategic-merge-patch+json'].schema.$ref).toBe('#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Patch');
    expect(doc.components.schemas['io.k8s.apimachinery.pkg.apis.meta.v1.Patch']).toMatchObject({ type: 'object' });
    const v2 = await other.app.inject({ method: 'GET', url: '/openapi/v2', headers: { accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf' } });
    expect(v2.headers['content-type']).toBe('application/com.github.proto-openapi.spec.v2.v1.0+protobuf');
    const { decodeOpenApiV2Protobuf } = await import('./openapi-protobuf/encode.ts');
    expect(JSON.stringify(decodeOpenApiV2Protobuf(v2.rawPayload))).toContain('fieldValidation');
    // resource routes still work next to the discovery routes
    expect((await other.app.inject({ method: 'GET', url: '/api/v1/namespaces/default/configmaps' })).statusCode).toBe(200);
    await other.close();
  });

  it('serves each OpenAPI document from a cache with upstream\'s ETag, 304s, hash redirects and immutable caching, rebuilt when the registry changes', async () => {
    const { interimDiscoveryPlugin } = await import('./handlers/interim-discovery.ts');
    const registry = createTestRegistry();
    const other = await createApiServer({ storage, registry, plugins: [(app) => interimDiscoveryPlugin(app, { registry })] });
    const get = (url: string, headers: Record<string, string> = {}) => other.app.inject({ method: 'GET', url, headers });
    const url = JSON.parse((await get('/openapi/v3')).body).paths['apis/example.com/v1'].serverRelativeURL as string;
    const hash = new URL(url, 'http://x').searchParams.get('hash')!;
    const doc = await get(url);
    // The hash is the document's ETag: the hex SHA-512 of its bytes, upper case.
    expect(hash).toBe(createHash('sha512').update(doc.rawPayload).digest('hex').toUpperCase());
    expect(doc.headers).toMatchObject({ etag: `"${hash}"`, 'cache-control': 'public, immutable', 'content-type': 'application/json' });
    expect(new Date(String(doc.headers.expires)).getTime()).toBeGreaterThan(Date.now() + 300 * 24 * 3600_000);
    expect((await get(url, { 'if-none-match': `"${hash}"` })).statusCode).toBe(304);
    const stale = await get('/openapi/v3/apis/example.com/v1?hash=0123');
    expect(stale.statusCode).toBe(301);
    expect(stale.headers.location).toBe(url);
    // Without a hash: no immutable caching.
    expect((await get('/openapi/v3/apis/example.com/v1')).headers['cache-control']).toBeUndefined();

    const v2 = await get('/openapi/v2', { accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf' });
    expect((await get('/openapi/v2', { accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf', 'if-none-match': String(v2.headers.etag) })).statusCode).toBe(304);
    expect((await get('/openapi/v2')).headers.etag).not.toBe(v2.headers.etag);

    // A new kind in the group (a CRD, say): new hash, new documents.
    const widget = registry.lookup('example.com', 'v1', 'widgets')!;
    registry.register({ ...widget, plural: 'gadgets', singular: 'gadget', kind: 'Gadget', shortNames: [] });
    const next = JSON.parse((await get('/openapi/v3')).body).paths['apis/example.com/v1'].serverRelativeURL as string;
    expect(next).not.toBe(url);
    expect(Object.keys(JSON.parse((await get(next)).body).paths)).toContain('/apis/example.com/v1/namespaces/{namespace}/gadgets/{name}');
    expect((await get('/openapi/v2', { accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf', 'if-none-match': String(v2.headers.etag) })).statusCode).toBe(200);
    await other.close();
  });
});

describe('eviction', () => {
  it('deletes the pod (gracefully when bound) and answers a 201 Success Status', async () => {
    await call('POST', '/api/v1/namespaces/default/pods', pod('ev', { nodeName: 'n1' }));
    const res = await call('POST', '/api/v1/namespaces/default/pods/ev/eviction', { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'ev', namespace: 'default' }, deleteOptions: { gracePeriodSeconds: 0 } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ kind: 'Status', status: 'Success', code: 201 });
    expect((await call('GET', '/api/v1/namespaces/default/pods/ev')).status).toBe(404);
    expect((await call('POST', '/api/v1/namespaces/default/pods/ev/eviction', { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'ev' } })).status).toBe(404);
  });

  it('marks a gracefully deleted pod with the DisruptionTarget condition first', async () => {
    await call('POST', '/api/v1/namespaces/default/pods', pod('ev-graceful', { nodeName: 'n1' }));
    expect((await call('POST', '/api/v1/namespaces/default/pods/ev-graceful/eviction', { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'ev-graceful' } })).status).toBe(201);
    const got = (await call('GET', '/api/v1/namespaces/default/pods/ev-graceful')).body as { metadata: { deletionTimestamp?: string }; status: { conditions: unknown[] } };
    expect(got.metadata.deletionTimestamp).toBeDefined();
    expect(got.status.conditions).toContainEqual(expect.objectContaining({ type: 'DisruptionTarget', status: 'True', reason: 'EvictionByEvictionAPI', message: 'Eviction API: evicting' }));
  });
});
