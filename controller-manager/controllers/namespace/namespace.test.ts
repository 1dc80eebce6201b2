/**
 * Namespace deletion and default ServiceAccounts against the in-process API server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pod } from '../../../pkg/api/core/v1/pod.ts';
import { startTestControlPlane, type TestControlPlane } from '../../../pkg/testing/control-plane.ts';
import { remainingMessage } from './index.ts';
import { waitFor } from '../../../pkg/testing/wait.ts';

let cp: TestControlPlane;

const until = <T>(what: string, fn: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 15_000): Promise<T> => waitFor(what, fn, { timeoutMs, intervalMs: 50 });

beforeAll(async () => {
  cp = await startTestControlPlane({ controllers: ['namespace', 'serviceaccount'] });
});
afterAll(() => cp?.stop());

describe('namespace controller', () => {
  it('formats what remains as upstream', () => {
    expect(remainingMessage([['pods', 2], ['configmaps', 1]])).toBe('Some resources are remaining: pods has 2 resource instances, configmaps has 1 resource instances');
  });

  it('empties a deleted namespace, custom resources included, Terminating while content remains, then the namespace disappears', async () => {
    const crd = {
      metadata: { name: 'gizmos.example.com' },
      spec: { group: 'example.com', scope: 'Namespaced', names: { plural: 'gizmos', kind: 'Gizmo' }, versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }] },
    };
    const crds = cp.client.resource({ group: 'apiextensions.k8s.io', version: 'v1', plural: 'customresourcedefinitions', namespaced: false, kind: 'CustomResourceDefinition' });
    await crds.create(crd as never);
    await until('gizmos established', async () => ((await crds.get('gizmos.example.com')) as { status?: { conditions?: Array<{ type: string; status: string }> } }).status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True'));
    const gizmos = cp.client.resource({ group: 'example.com', version: 'v1', plural: 'gizmos', namespaced: true, kind: 'Gizmo' }).inNamespace('doomed');

    await cp.client.namespaces.create({ metadata: { name: 'doomed' } });
    await cp.client.configMaps.inNamespace('doomed').create({ metadata: { name: 'held', finalizers: ['example.com/hold'] } });
    await cp.client.pods.inNamespace('doomed').create({ metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'x' }] } } as Pod);
    await gizmos.create({ apiVersion: 'example.com/v1', kind: 'Gizmo', metadata: { name: 'g' } } as never);
    await cp.client.statefulSets.inNamespace('doomed').create({ metadata: { name: 'db' }, spec: { selector: { matchLabels: { app: 'db' } }, template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } } } as never);
    const revisions = cp.client.resource({ group: 'apps', version: 'v1', plural: 'controllerrevisions', namespaced: true, kind: 'ControllerRevision' }).inNamespace('doomed');
    await revisions.create({ metadata: { name: 'db-1' }, data: {}, revision: 1 } as never);
    await cp.client.namespaces.delete('doomed');

    // The finalizer holds the ConfigMap, so the namespace stays Terminating and says why.
    const terminating = await until('content remaining', async () => {
      const ns = await cp.client.namespaces.get('doomed');
      return ns.status?.conditions?.some((c) => c.type === 'NamespaceContentRemaining' && c.status === 'True') && ns;
    });
    expect(terminating.status?.phase).toBe('Terminating');
    expect(terminating.status?.conditions?.find((c) => c.type === 'NamespaceContentRemaining')?.message).toBe('Some resources are remaining: configmaps has 1 resource instances');
    await until('gizmo deleted', async () => gizmos.get('g').then(() => false, () => true));
    await until('statefulset and revision deleted', async () => (await cp.client.statefulSets.inNamespace('doomed').list()).items.length === 0 && (await revisions.list()).items.length === 0);

    await cp.client.configMaps.inNamespace('doomed').patch('held', { metadata: { finalizers: null } }, { type: 'merge' });
    await until('namespace gone', async () => cp.client.namespaces.get('doomed').then(() => false, () => true));
  });
});

describe('serviceaccount controller', () => {
  it('creates a default ServiceAccount in new namespaces and recreates it when deleted', async () => {
    await cp.client.namespaces.create({ metadata: { name: 'fresh' } });
    await until('default SA', async () => cp.client.serviceAccounts.inNamespace('fresh').get('default').then(() => true, () => false));
    await cp.client.serviceAccounts.inNamespace('fresh').delete('default');
    await until('default SA again', async () => cp.client.serviceAccounts.inNamespace('fresh').get('default').then((sa) => !sa.metadata.deletionTimestamp, () => false));
  });
});
