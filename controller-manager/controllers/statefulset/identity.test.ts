import { describe, expect, it } from 'vitest';
import { statefulSetResource, type StatefulSet } from '../../../pkg/api/apps/v1/statefulset.ts';
import type { Pod } from '../../../pkg/api/core/v1/pod.ts';
import { identityMatches, isMemberOf, newStatefulSetPod, parseOrdinal, storageMatches } from './identity.ts';

function set(spec: Record<string, unknown> = {}): StatefulSet {
  const s = statefulSetResource.schema.parse({
    metadata: { name: 'web', namespace: 'ns', uid: 'u1' },
    spec: { serviceName: 'nginx', selector: { matchLabels: { app: 'nginx' } }, template: { metadata: { labels: { app: 'nginx' }, annotations: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'nginx' }], volumes: [{ name: 'www', emptyDir: {} }, { name: 'cache', emptyDir: {} }] } }, ...spec },
  });
  statefulSetResource.applyDefaults(s);
  return s;
}

describe('pod identity', () => {
  it.each([
    ['web-0', 'web', 0],
    ['web-12', 'web', 12],
    ['my-db-3', 'my-db', 3],
    ['web', '', -1],
    ['web-x', '', -1],
    ['web-99999999999', 'web', -1],
  ])('parseOrdinal(%s) → %s, %i', (name, parent, ordinal) => {
    expect(parseOrdinal(name)).toEqual({ parent, ordinal });
  });

  it('builds the pod of an ordinal: name, generateName, hostname, subdomain, labels, owner', () => {
    const pod = newStatefulSetPod(set(), 2, 'web-abc');
    expect(pod.metadata).toEqual({
      name: 'web-2',
      generateName: 'web-',
      namespace: 'ns',
      labels: { app: 'nginx', 'statefulset.kubernetes.io/pod-name': 'web-2', 'apps.kubernetes.io/pod-index': '2', 'controller-revision-hash': 'web-abc' },
      annotations: { a: 'b' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'u1', controller: true, blockOwnerDeletion: true }],
    });
    expect(pod.spec).toMatchObject({ hostname: 'web-2', subdomain: 'nginx' });
    expect(identityMatches(set(), pod)).toBe(true);
    expect(storageMatches(set(), pod)).toBe(true);
  });

  it('mounts each claim template as <template>-<set>-<ordinal>, replacing a template volume of that name', () => {
    const s = set({ volumeClaimTemplates: [{ metadata: { name: 'www' }, spec: { accessModes: ['ReadWriteOnce'] } }] });
    const pod = newStatefulSetPod(s, 1, 'web-abc');
    expect(pod.spec?.volumes).toEqual([{ name: 'www', persistentVolumeClaim: { claimName: 'www-web-1', readOnly: false } }, { name: 'cache', emptyDir: {} }]);
    expect(storageMatches(s, pod)).toBe(true);
    expect(storageMatches(s, newStatefulSetPod(set(), 1, 'web-abc'))).toBe(false);
  });

  it.each([
    ['its own pod', (p: Pod) => p, true, true],
    ['without the pod-name label', (p: Pod) => ({ ...p, metadata: { ...p.metadata, labels: { app: 'nginx' } } }), true, false],
    ['in another namespace', (p: Pod) => ({ ...p, metadata: { ...p.metadata, namespace: 'other' } }), true, false],
    ['named web-01', (p: Pod) => ({ ...p, metadata: { ...p.metadata, name: 'web-01' } }), true, false],
    ['of another set', (p: Pod) => ({ ...p, metadata: { ...p.metadata, name: 'db-1' } }), false, false],
  ])('%s: member %s, identity matches %s', (_name, change, member, matches) => {
    const pod = change(newStatefulSetPod(set(), 1, 'r'));
    expect(isMemberOf(set(), pod)).toBe(member);
    expect(identityMatches(set(), pod)).toBe(matches);
  });
});
