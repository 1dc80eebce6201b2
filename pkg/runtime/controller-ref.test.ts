import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/meta.ts';
import { newLister, Store } from '../informer/index.ts';
import { childRequests, claimDecision, controllerKeyOf, CONTROLLER_UID_INDEX, controllerUidIndexFunc, ensureControllerUidIndex, orphanIndexKey, ownedOrOrphans } from './controller-ref.ts';

const child = (name: string, namespace: string, controllerUid?: string, otherOwnerUid?: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name,
    namespace,
    ownerReferences: [
      ...(otherOwnerUid ? [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'x', uid: otherOwnerUid }] : []),
      ...(controllerUid ? [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: controllerUid, controller: true }] : []),
    ],
  },
});

describe('controller uid index', () => {
  it('files a child under its controller uid, an orphan (even with other owners) under its namespace', () => {
    expect(controllerUidIndexFunc(child('a', 'ns', 'u1', 'u9') as never)).toEqual(['u1']);
    expect(controllerUidIndexFunc(child('b', 'ns', undefined, 'u9') as never)).toEqual([orphanIndexKey('ns')]);
    expect(orphanIndexKey('ns')).not.toBe(orphanIndexKey('other'));
  });

  it('ownedOrOrphans: the owner’s children and its namespace’s orphans in name order, never other controllers’ children, nor other namespaces’ orphans or children', () => {
    const store = new Store<KubeObject>({ [CONTROLLER_UID_INDEX]: controllerUidIndexFunc });
    for (const o of [child('c', 'ns', 'u1'), child('a', 'ns', 'u1'), child('b', 'ns'), child('d', 'ns', 'u2'), child('e', 'other'), child('f', 'other', 'u1')]) store.put(o);
    const owner = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'rs', namespace: 'ns', uid: 'u1' } };
    expect(ownedOrOrphans(newLister(store), owner).map((o) => o.metadata.name)).toEqual(['a', 'b', 'c']);
    store.remove('ns/b');
    expect(ownedOrOrphans(newLister(store), owner).map((o) => o.metadata.name)).toEqual(['a', 'c']);
  });
});

describe('claimDecision with a filter (upstream ClaimPods filters)', () => {
  const owner = { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'web', namespace: 'ns', uid: 'u1' } };
  const selector = { matches: () => true } as never;
  const namedWeb = (c: { metadata: { name?: string } }) => /^web-\d+$/.test(c.metadata.name ?? '');
  it.each([
    ['an orphan the filter accepts is adopted', child('web-0', 'ns'), 'adopt'],
    ['an orphan the filter refuses is ignored', child('db-0', 'ns'), 'ignore'],
    ['an owned child the filter accepts is kept', child('web-1', 'ns', 'u1'), 'keep'],
    ['an owned child the filter refuses is released', child('other', 'ns', 'u1'), 'release'],
  ])('%s', (_name, c, decision) => {
    expect(claimDecision(owner, c, selector, namedWeb)).toBe(decision);
    expect(claimDecision(owner, c, selector)).toBe(controllerUidIndexFunc(c as never)[0] === 'u1' ? 'keep' : 'adopt');
  });
});

describe('ensureControllerUidIndex', () => {
  it('adds the index once, whoever asks first (shared informers)', () => {
    const store = new Store<KubeObject>();
    store.put(child('a', 'ns', 'u1'));
    const informer = { addIndexers: (i: Parameters<Store<KubeObject>['addIndexers']>[0]) => store.addIndexers(i), store: () => store };
    ensureControllerUidIndex(informer);
    expect(() => ensureControllerUidIndex(informer)).not.toThrow();
    expect(store.byIndex(CONTROLLER_UID_INDEX, 'u1').map((o) => o.metadata.name)).toEqual(['a']);
  });
});

describe('childRequests', () => {
  const owners = new Store<KubeObject & { spec?: { selector?: { matchLabels?: Record<string, string> } } }>();
  owners.put({ metadata: { name: 'web', namespace: 'ns' }, spec: { selector: { matchLabels: { app: 'web' } } } });
  owners.put({ metadata: { name: 'all', namespace: 'ns' }, spec: { selector: { matchLabels: {} } } });
  owners.put({ metadata: { name: 'bad', namespace: 'ns' }, spec: { selector: { matchLabels: { 'a b': 'c' } } } });
  owners.put({ metadata: { name: 'elsewhere', namespace: 'other' }, spec: { selector: { matchLabels: { app: 'web' } } } });
  const requests = childRequests({ group: 'apps', kind: 'ReplicaSet' }, newLister(owners), (o) => (o.spec as { selector?: { matchLabels?: Record<string, string> } } | undefined)?.selector);
  const pod = (ownerReferences?: unknown[]) => ({ metadata: { name: 'p', namespace: 'ns', labels: { app: 'web' }, ownerReferences } }) as KubeObject;

  it.each([
    ['its controller of that kind and group', [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'x', uid: 'u', controller: true }], ['ns/x']],
    ['nothing when another kind controls it', [{ apiVersion: 'batch/v1', kind: 'Job', name: 'x', uid: 'u', controller: true }], []],
    ['nothing when the same kind of another group controls it', [{ apiVersion: 'example.com/v1', kind: 'ReplicaSet', name: 'x', uid: 'u', controller: true }], []],
    ['for an orphan, the matching owners of its namespace (an invalid selector adopts nothing)', undefined, ['ns/all', 'ns/web']],
  ])('%s', (_name, refs, expected) => {
    expect(requests(pod(refs)).map((r) => `${r.namespace}/${r.name}`).sort()).toEqual(expected);
  });
});

describe('controllerKeyOf', () => {
  const type = { group: 'batch', kind: 'Job' };
  const withRef = (apiVersion: string, kind: string, controller = true) => ({ metadata: { name: 'p', namespace: 'ns', ownerReferences: [{ apiVersion, kind, name: 'pi', uid: 'u', controller }] } }) as KubeObject;
  it.each([
    ['batch/v1', 'Job', true, 'ns/pi'],
    ['batch/v1', 'CronJob', true, undefined],
    ['example.com/v1', 'Job', true, undefined],
    ['batch/v1', 'Job', false, undefined],
  ])('%s %s controller=%s → %s', (apiVersion, kind, controller, key) => {
    expect(controllerKeyOf(type, withRef(apiVersion, kind, controller))).toBe(key);
  });
});
