/**
 * An API server restarted on the same etcd (what an upgrade does) reconciles the default RBAC
 * objects an admin or an older version left behind, through the real server and storage.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { createBuiltinRegistry } from '../../pkg/api/builtin.ts';
import { createEtcd3Storage } from '../../pkg/storage/index.ts';
import type { Storage } from '../../pkg/storage/types.ts';
import { startEtcd, type EtcdProcess } from '../../pkg/testing/etcd-process.ts';
import { assembleApiServer } from '../assemble.ts';
import { createWatchCachedStorage } from '../handlers/watch-cache.ts';
import type { ApiServer } from '../server.ts';

const RBAC = '/apis/rbac.authorization.k8s.io/v1';
const HPA_ROLE = `${RBAC}/clusterroles/system:controller:horizontal-pod-autoscaler`;
const READER = `${RBAC}/namespaces/kube-system/roles/extension-apiserver-authentication-reader`;

let etcd: EtcdProcess;
let running: { server: ApiServer; storage: Storage } | undefined;

/** Starts an API server (as `k8ts apiserver` assembles it) on the test's etcd; returns its URL. */
async function startServer(): Promise<string> {
  const registry = createBuiltinRegistry();
  const storage = createWatchCachedStorage({ inner: createEtcd3Storage({ endpoints: [etcd.endpoint] }), registry, keyPrefix: '/registry' });
  const server = await assembleApiServer({ storage, registry, logger: pino({ level: 'silent' }), serviceClusterIpRange: '10.96.0.0/24', serviceNodePortRange: '30000-32767', advertise: { ip: '127.0.0.1', port: 6443 } });
  running = { server, storage };
  return server.listen({ host: '127.0.0.1', port: 0 });
}

async function stopServer(): Promise<void> {
  await running?.server.close();
  await running?.storage.close();
  running = undefined;
}

async function call(base: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(base + path, { method, body: body === undefined ? undefined : JSON.stringify(body), headers: body === undefined ? {} : { 'content-type': 'application/json' } });
  return { status: res.status, body: await res.json() };
}

beforeAll(async () => {
  etcd = await startEtcd();
});

afterAll(async () => {
  await stopServer();
  await etcd?.stop();
});

describe('default RBAC objects across an API server restart', () => {
  it('restores missing rules and subjects, keeps additions, recreates a changed roleRef and leaves autoupdate "false" alone', async () => {
    let base = await startServer();
    const role = (await call(base, 'GET', HPA_ROLE)).body;
    const defaults = role.rules;
    const extra = { apiGroups: ['example.com'], resources: ['widgets'], verbs: ['get'] };
    expect((await call(base, 'PUT', HPA_ROLE, { ...role, rules: [...defaults.slice(2), extra] })).status).toBe(200);

    const admins = (await call(base, 'GET', `${RBAC}/clusterrolebindings/cluster-admin`)).body;
    const alice = { apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'alice' };
    expect((await call(base, 'PUT', `${RBAC}/clusterrolebindings/cluster-admin`, { ...admins, subjects: [alice] })).status).toBe(200);

    const basic = (await call(base, 'GET', `${RBAC}/clusterrolebindings/system:basic-user`)).body;
    expect((await call(base, 'DELETE', `${RBAC}/clusterrolebindings/system:basic-user`)).status).toBe(200);
    const moved = { apiVersion: basic.apiVersion, kind: basic.kind, metadata: { name: basic.metadata.name, labels: basic.metadata.labels }, roleRef: { ...basic.roleRef, name: 'view' }, subjects: basic.subjects };
    const movedCreated = await call(base, 'POST', `${RBAC}/clusterrolebindings`, moved);
    expect(movedCreated.status).toBe(201);

    const reader = (await call(base, 'GET', READER)).body;
    const pinned = { ...reader, metadata: { ...reader.metadata, annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'false' } }, rules: [] };
    expect((await call(base, 'PUT', READER, pinned)).status).toBe(200);
    await stopServer();

    base = await startServer();
    const after = (await call(base, 'GET', HPA_ROLE)).body;
    expect(after.rules.slice(0, defaults.length - 1)).toEqual([...defaults.slice(2), extra]);
    for (const rule of defaults.slice(0, 2)) {
      for (const resource of rule.resources) for (const verb of rule.verbs) {
        expect(after.rules.some((r: any) => r.verbs.includes(verb) && r.resources.includes(resource) && r.apiGroups.includes(rule.apiGroups[0])), `${verb} ${resource}`).toBe(true);
      }
    }
    expect((await call(base, 'GET', `${RBAC}/clusterrolebindings/cluster-admin`)).body.subjects).toEqual([alice, { apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'system:masters' }]);
    const recreated = (await call(base, 'GET', `${RBAC}/clusterrolebindings/system:basic-user`)).body;
    expect(recreated.roleRef.name).toBe('system:basic-user');
    expect(recreated.metadata.uid).not.toBe(movedCreated.body.metadata.uid);
    expect((await call(base, 'GET', READER)).body).toMatchObject({ rules: [], metadata: { annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'false' } } });
  });
});
