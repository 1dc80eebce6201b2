import { describe, expect, it } from 'vitest';
import type { Lister } from '../../../pkg/informer/index.ts';
import type { KubeObject } from '../../../pkg/api/meta.ts';
import { scaleFinder } from './scale-finders.ts';

function lister<T extends KubeObject>(objs: T[]): Lister<T> {
  const get = (key: string) => objs.find((o) => `${o.metadata.namespace}/${o.metadata.name}` === key) as never;
  return { get, list: () => [], listInNamespace: () => [], byIndex: () => [] } as unknown as Lister<T>;
}

const rc = { metadata: { name: 'web', namespace: 'ns', uid: 'rc-uid' }, spec: { replicas: 4, selector: { app: 'web' } } };
const find = scaleFinder({ replicaSets: lister([]), deployments: lister([]), statefulSets: lister([]), replicationControllers: lister([rc]) });

describe('PDB scale finders', () => {
  it.each([
    ['a ReplicationController pod scales with its controller', { apiVersion: 'v1', kind: 'ReplicationController', name: 'web', uid: 'rc-uid' }, { uid: 'rc-uid', scale: 4 }],
    ['a reference to a replaced controller finds nothing', { apiVersion: 'v1', kind: 'ReplicationController', name: 'web', uid: 'old' }, undefined],
    ['an unknown controller finds nothing', { apiVersion: 'v1', kind: 'ReplicationController', name: 'gone', uid: 'x' }, undefined],
  ])('%s', (_name, ref, want) => {
    expect(find(ref, 'ns')).toEqual(want);
  });
});
