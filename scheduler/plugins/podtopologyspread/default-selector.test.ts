import { describe, expect, it } from 'vitest';
import type { ResourceCoordinates } from '../../../pkg/client/index.ts';
import type { Handle, PodObject } from '../../framework/index.ts';
import { defaultSelector, workloadListers } from './default-selector.ts';

const sts = { metadata: { name: 'web', namespace: 'ns' }, spec: { selector: { matchLabels: { app: 'web', tier: 'db' } } } };
const rc = { metadata: { name: 'legacy', namespace: 'ns' }, spec: { selector: { app: 'web', tier: 'db' } } };
const handle = {
  lister: (coords: ResourceCoordinates) => ({
    listInNamespace: () => [],
    get: (key: string) => (coords.plural === 'statefulsets' && key === 'ns/web' ? sts : coords.plural === 'replicationcontrollers' && key === 'ns/legacy' ? rc : undefined),
  }),
} as unknown as Handle;
const pod = (owner?: { kind: string; name: string; apiVersion?: string }): PodObject =>
  ({ metadata: { name: 'web-0', namespace: 'ns', labels: { app: 'web', tier: 'db' }, ownerReferences: owner ? [{ apiVersion: 'apps/v1', uid: 'u', controller: true, ...owner }] : [] } }) as PodObject;

describe('default spreading selector from the listers', () => {
  it.each([
    ['a StatefulSet pod gets its set\'s selector', pod({ kind: 'StatefulSet', name: 'web' }), true],
    ['a pod of an unknown StatefulSet gets none', pod({ kind: 'StatefulSet', name: 'gone' }), false],
    ['a pod without controller gets none', pod(), false],
    ['a ReplicationController pod gets its controller\'s selector', pod({ apiVersion: 'v1', kind: 'ReplicationController', name: 'legacy' }), true],
  ])('%s', (_name, p, selects) => {
    const selector = defaultSelector(p, workloadListers(handle));
    expect(selector.matches({ app: 'web', tier: 'db' })).toBe(true);
    expect(selector.matches({ app: 'web' })).toBe(!selects);
  });
});
