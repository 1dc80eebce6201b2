/**
 * events.k8s.io/v1 Events through the API server: stored as core/v1 Events, so an event written
 * through either API reads back through the other with the fields renamed as upstream's
 * conversion does; the new API's strict validation and its field selectors; kubectl lists them
 * with the core event columns (`kubectl get events.events.k8s.io`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_KUBECTL_MINORS, installedKubectls, kubectl } from '../e2e/harness/kubectl.ts';
import { startKubectlTestServer } from './handlers/test-kubectl-server.ts';
import type { ApiServer } from './server.ts';

const dir = mkdtempSync(join(tmpdir(), 'k8ts-events-v1-'));
const NEW = '/apis/events.k8s.io/v1/namespaces/default/events';
const CORE = '/api/v1/namespaces/default/events';
let server: ApiServer;
let kubeconfig: string;
const minors = installedKubectls(ALL_KUBECTL_MINORS);

beforeAll(async () => {
  ({ server, kubeconfig } = await startKubectlTestServer(dir));
});

afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

const call = async (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown, headers: Record<string, string> = {}) => {
  const res = await server.app.inject({ method, url, payload: payload as object, headers });
  return { code: res.statusCode, body: res.json() };
};

/** What client-go's events recorder (tools/events) posts for a scheduled pod. */
const scheduled = (name: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'events.k8s.io/v1',
  kind: 'Event',
  metadata: { name },
  eventTime: '2026-12-05T10:00:00.123456Z',
  reportingController: 'default-scheduler',
  reportingInstance: 'default-scheduler-node1',
  action: 'Binding',
  reason: 'Scheduled',
  regarding: { kind: 'Pod', namespace: 'default', name: 'web', uid: 'u1', apiVersion: 'v1' },
  note: 'Successfully assigned default/web to node1',
  type: 'Normal',
  ...extra,
});

describe('events.k8s.io/v1 Event API', () => {
  it('stores an event as a core/v1 Event and serves each API its own field names', async () => {
    const created = await call('POST', NEW, scheduled('web.1'));
    expect(created.code).toBe(201);
    const { metadata, ...rest } = created.body;
    expect(metadata).toMatchObject({ name: 'web.1', namespace: 'default', uid: expect.any(String), resourceVersion: expect.any(String) });
    expect(rest).toEqual({
      ...scheduled('web.1'),
      metadata: undefined,
      deprecatedSource: {},
      deprecatedFirstTimestamp: null,
      deprecatedLastTimestamp: null,
    });

    const core = (await call('GET', `${CORE}/web.1`)).body;
    expect(core).toMatchObject({
      apiVersion: 'v1',
      kind: 'Event',
      involvedObject: { kind: 'Pod', namespace: 'default', name: 'web', uid: 'u1', apiVersion: 'v1' },
      reason: 'Scheduled',
      message: 'Successfully assigned default/web to node1',
      source: {},
      firstTimestamp: null,
      lastTimestamp: null,
      type: 'Normal',
      eventTime: '2026-12-05T10:00:00.123456Z',
      action: 'Binding',
      reportingComponent: 'default-scheduler',
      reportingInstance: 'default-scheduler-node1',
    });
    expect(core.note).toBeUndefined();
    expect(core.regarding).toBeUndefined();
  });

  it('serves a legacy core event with its source, timestamps and count as the deprecated fields', async () => {
    const legacy = { apiVersion: 'v1', kind: 'Event', metadata: { name: 'web.2' }, involvedObject: { kind: 'Pod', namespace: 'default', name: 'web' }, reason: 'BackOff', message: 'Back-off restarting failed container', source: { component: 'kubelet', host: 'node1' }, firstTimestamp: '2026-12-05T09:00:00Z', lastTimestamp: '2026-12-05T09:10:00Z', count: 5, type: 'Warning' };
    expect((await call('POST', CORE, legacy)).code).toBe(201);
    const got = (await call('GET', `${NEW}/web.2`)).body;
    expect(got).toMatchObject({ apiVersion: 'events.k8s.io/v1', kind: 'Event', eventTime: null, reason: 'BackOff', regarding: legacy.involvedObject, note: legacy.message, type: 'Warning', deprecatedSource: legacy.source, deprecatedFirstTimestamp: legacy.firstTimestamp, deprecatedLastTimestamp: legacy.lastTimestamp, deprecatedCount: 5 });
    expect(got.message).toBeUndefined();
    expect(got.reportingController).toBeUndefined();
  });

  it.each<[string, Record<string, unknown>, string[]]>([
    ['no eventTime', { eventTime: undefined }, ['eventTime: Required value']],
    ['an unknown type', { type: 'Bogus' }, ['type: Invalid value: "": has invalid value: Bogus']],
    ['deprecated fields', { deprecatedCount: 3, deprecatedSource: { component: 'kubelet' } }, ['deprecatedCount: Invalid value: "": needs to be unset', 'deprecatedSource: Invalid value: "": needs to be unset']],
    ['no reporting controller', { reportingController: undefined }, ['reportingController: Required value']],
    ['a one-event series', { series: { count: 1, lastObservedTime: '2026-12-05T10:00:01.000000Z' } }, ['series.count: Invalid value: "": should be at least 2']],
  ])('refuses an event with %s (422, nothing stored)', async (name, extra, messages) => {
    const res = await call('POST', NEW, scheduled(`bad-${name.replace(/\W+/g, '-')}`, extra));
    expect(res.code).toBe(422);
    const causes = (res.body.details.causes as Array<{ field: string; message: string }>).map((c) => `${c.field}: ${c.message}`);
    for (const m of messages) expect(causes, `missing: ${m}`).toContain(m);
    expect((await call('GET', `${NEW}/${res.body.details.name}`)).code).toBe(404);
  });

  it('lets a series grow but keeps what happened immutable', async () => {
    expect((await call('POST', NEW, scheduled('web.3'))).code).toBe(201);
    const merge = { 'content-type': 'application/merge-patch+json' };
    const grown = await call('PATCH', `${NEW}/web.3`, { series: { count: 2, lastObservedTime: '2026-12-05T10:05:00.5Z' } }, merge);
    expect(grown.code).toBe(200);
    expect(grown.body.series).toEqual({ count: 2, lastObservedTime: '2026-12-05T10:05:00.500000Z' });
    const rewritten = await call('PATCH', `${NEW}/web.3`, { note: 'something else' }, merge);
    expect(rewritten.code).toBe(422);
    expect(rewritten.body.message).toContain('message: Invalid value: "something else": field is immutable');
  });

  it('selects by upstream field labels (regarding.*, reportingController) and refuses core ones', async () => {
    const names = async (selector: string) => ((await call('GET', `${NEW}?fieldSelector=${encodeURIComponent(selector)}`)).body.items as Array<{ metadata: { name: string } }>).map((e) => e.metadata.name).sort();
    expect(await names('regarding.name=web,type=Normal')).toEqual(['web.1', 'web.3']);
    expect(await names('reportingController=default-scheduler')).toEqual(['web.1', 'web.3']);
    const refused = await call('GET', `${NEW}?fieldSelector=involvedObject.name%3Dweb`);
    expect(refused.code).toBe(400);
    expect(refused.body.message).toContain('field label not supported: involvedObject.name');
  });

  it('is in discovery as events.k8s.io/v1 events, short name ev', async () => {
    const res = await call('GET', '/apis/events.k8s.io/v1');
    expect(res.body.resources).toEqual([expect.objectContaining({ name: 'events', kind: 'Event', namespaced: true, shortNames: ['ev'] })]);
  });
});

describe.skipIf(!minors.length).each(minors)('kubectl %s and events.k8s.io', (minor) => {
  it('get events.events.k8s.io prints the event columns', async () => {
    const res = await kubectl(minor, ['get', 'events.events.k8s.io', '-o', 'wide'], { kubeconfig, home: dir });
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+SUBOBJECT\s+SOURCE\s+MESSAGE\s+FIRST SEEN\s+COUNT\s+NAME\n/);
    expect(res.stdout).toMatch(/\sNormal\s+Scheduled\s+pod\/web\s+default-scheduler, default-scheduler-node1\s+Successfully assigned default\/web to node1\s+\S+\s+1\s+web\.1$/m);
    expect(res.stdout).toMatch(/\(x5 over \S+\)\s+Warning\s+BackOff\s+pod\/web\s+kubelet, node1\s+Back-off restarting failed container\s+\S+\s+5\s+web\.2$/m);
  });
});
