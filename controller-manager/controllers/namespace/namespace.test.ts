/**
 * Namespace deletion and default ServiceAccounts against the in-process API server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pod } from '../../../pkg/api/core/v1/pod.ts';
import { startTestControlPlane, type TestControlPlane } from '../../../pkg/testing/control-plane.ts';
import { deletionConditions, remainingMessage } from './deletion-conditions.ts';
import { podsGraceSeconds } from './index.ts';
import { waitFor } from '../../../pkg/testing/wait.ts';

let cp: TestControlPlane;

const until = <T>(what: string, fn: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 15_000): Promise<T> => waitFor(what, fn, { timeoutMs, intervalMs: 50 });

beforeAll(async () => {
  cp = await startTestControlPlane({ controllers: ['namespace', 'serviceaccount'] });
});
afterAll(() => cp?.stop());

describe('namespace controller', () => {
  it('formats what remains as upstream (the core group is an empty suffix: `pods.`), sorted', () => {
    expect(remainingMessage([['pods.', 2], ['configmaps.', 1]])).toBe('Some resources are remaining: configmaps. has 1 resource instances, pods. has 2 resource instances');
  });

  it('keeps the five deleter conditions, their transition times while the status stays', () => {
    const held = { remaining: [['crontabs.stable.example.com', 1]] as Array<[string, number]>, finalizers: new Map([['example.com/hold', 1]]), unexpected: [] };
    const first = deletionConditions('ns', [], held, 't1');
    expect(first.map((c) => [c.type, c.status, c.reason, c.message])).toEqual([
      ['NamespaceDeletionDiscoveryFailure', 'False', 'ResourcesDiscovered', 'All resources successfully discovered'],
      ['NamespaceDeletionGroupVersionParsingFailure', 'False', 'ParsedGroupVersions', 'All legacy kube types successfully parsed'],
      ['NamespaceDeletionContentFailure', 'False', 'ContentDeleted', 'All content successfully deleted, may be waiting on finalization'],
      ['NamespaceContentRemaining', 'True', 'SomeResourcesRemain', 'Some resources are remaining: crontabs.stable.example.com has 1 resource instances'],
      ['NamespaceFinalizersRemaining', 'True', 'SomeFinalizersRemain', 'Some content in the namespace has finalizers remaining: example.com/hold in 1 resource instances'],
    ]);
    expect(deletionConditions('ns', first, held, 't2')).toEqual(first);
    const stuck = deletionConditions('ns', first, { remaining: [['pods.', 2]], finalizers: new Map(), unexpected: ['/v1, Resource=pods'] }, 't3');
    expect(stuck[2]).toEqual({ type: 'NamespaceDeletionContentFailure', status: 'True', lastTransitionTime: 't3', reason: 'ContentDeletionFailed', message: 'Failed to delete all resource types, 1 remaining: unexpected items still remain in namespace: ns for gvr: /v1, Resource=pods' });
    expect(stuck[3]).toMatchObject({ status: 'True', lastTransitionTime: 't1', message: 'Some resources are remaining: pods. has 2 resource instances' });
    expect(stuck[4]).toMatchObject({ status: 'False', lastTransitionTime: 't3', reason: 'ContentHasNoFinalizers' });
  });

  it('estimates pods by their grace period until it has passed since the deletion', () => {
    const pod = (grace: number, phase = 'Running') => ({ metadata: {}, spec: { containers: [], terminationGracePeriodSeconds: grace }, status: { phase } }) as Pod;
    expect(podsGraceSeconds([pod(30), pod(60, 'Succeeded')], 0, 29_000)).toBe(30);
    expect(podsGraceSeconds([pod(30)], 0, 30_000)).toBe(0);
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
    expect(terminating.status?.conditions?.find((c) => c.type === 'NamespaceContentRemaining')?.message).toBe('Some resources are remaining: configmaps. has 1 resource instances');
    expect(terminating.status?.conditions?.find((c) => c.type === 'NamespaceFinalizersRemaining')).toMatchObject({ status: 'True', reason: 'SomeFinalizersRemain', message: 'Some content in the namespace has finalizers remaining: example.com/hold in 1 resource instances' });
    expect(terminating.status?.conditions?.map((c) => c.type)).toEqual(['NamespaceDeletionDiscoveryFailure', 'NamespaceDeletionGroupVersionParsingFailure', 'NamespaceDeletionContentFailure', 'NamespaceContentRemaining', 'NamespaceFinalizersRemaining']);
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
