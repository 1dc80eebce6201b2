import { describe, expect, it } from 'vitest';
import type { ControllerRevision } from '../../../pkg/api/apps/v1/controllerrevision.ts';
import { statefulSetResource, type StatefulSet } from '../../../pkg/api/apps/v1/statefulset.ts';
import { applyRevision, equalRevision, goJson, hashRevision, newRevision, nextRevision, revisionData, revisionsToTruncate, sortRevisions } from './revision.ts';
import { fnv32 } from '../../../pkg/controller-history/index.ts';

function set(image = 'nginx', annotations?: Record<string, string>): StatefulSet {
  const s = statefulSetResource.schema.parse({
    metadata: { name: 'web', namespace: 'ns', uid: 'u1', ...(annotations ? { annotations } : {}) },
    spec: { selector: { matchLabels: { app: 'nginx' } }, template: { metadata: { labels: { app: 'nginx' } }, spec: { containers: [{ name: 'nginx', image, ports: [{ containerPort: 80, name: 'web' }] }] } } },
  });
  statefulSetResource.applyDefaults(s);
  return s;
}

const cr = (name: string, revision: number, creationTimestamp = '2025-01-01T00:00:00Z'): ControllerRevision => ({ metadata: { name, creationTimestamp }, revision, data: {} });

describe('revision data and names', () => {
  it.each([
    [{ b: 1, a: { d: [1, { z: 'x', y: null }], c: true } }, '{"a":{"c":true,"d":[1,{"y":null,"z":"x"}]},"b":1}'],
    [{ s: '<a&b>' }, '{"s":"\\u003ca\\u0026b\\u003e"}'],
    [{ s: 'tab\tback\\b' }, '{"s":"tab\\tback\\\\b"}'],
    [{ s: '\b\f' }, '{"s":"\\u0008\\u000c"}'],
  ])('goJson(%j) = %s (Go json.Marshal of a map)', (value, json) => {
    expect(goJson(value)).toBe(json);
  });

  it.each([
    ['', 0x811c9dc5],
    ['a', 0x050c5d7e],
    ['foobar', 0x31f0b262],
  ])('FNV-1 32 of %j', (text, hash) => {
    expect(fnv32(Buffer.from(text))).toBe(hash);
  });

  it('stores the template as stored, as a replace patch', () => {
    const s = set();
    expect(revisionData(s)).toEqual({ spec: { template: { ...s.spec?.template, $patch: 'replace' } } });
    expect(goJson(revisionData(set())).startsWith('{"spec":{"template":{"$patch":"replace","metadata":{"labels":{"app":"nginx"}},"spec":{')).toBe(true);
  });

  it('names revisions <set>-<safe hash>, changing with the template and the collision count', () => {
    const r1 = newRevision(set(), 1, 0);
    expect(r1.metadata.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{6,10}$/);
    expect(r1.metadata.name).toBe(`web-${hashRevision(r1.data, 0)}`);
    expect(newRevision(set(), 7, 0).metadata.name).toBe(r1.metadata.name);
    expect(newRevision(set('nginx:1.27'), 1, 0).metadata.name).not.toBe(r1.metadata.name);
    expect(hashRevision(r1.data, 1)).not.toBe(hashRevision(r1.data, 0));
  });

  it('labels with the template labels and the hash, copies the set\'s annotations, is controlled by the set', () => {
    const r = newRevision(set('nginx', { 'kubernetes.io/change-cause': 'kubectl set image' }), 3, 0);
    expect(r.metadata.labels).toEqual({ app: 'nginx', 'controller.kubernetes.io/hash': hashRevision(r.data, 0) });
    expect(r.metadata.annotations).toEqual({ 'kubernetes.io/change-cause': 'kubectl set image' });
    expect(r.metadata.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'u1', controller: true, blockOwnerDeletion: true }]);
    expect(r.revision).toBe(3);
  });

  it('applies a revision back onto the set (the template only)', () => {
    const old = newRevision(set('nginx:1.25'), 1, 0);
    const now = set('nginx:1.27');
    now.spec!.replicas = 5;
    const restored = applyRevision(now, old);
    expect(restored.spec?.template?.spec?.containers?.[0]?.image).toBe('nginx:1.25');
    expect(restored.spec?.template?.metadata).toEqual({ labels: { app: 'nginx' } });
    expect(restored.spec?.replicas).toBe(5);
    expect(equalRevision(newRevision(restored, 9, 0), old)).toBe(true);
    expect(() => applyRevision(now, { metadata: { name: 'bad' }, data: {} })).toThrow(/holds no spec.template/);
  });

  it('compares revisions by data, ignoring nulls the API server drops', () => {
    const a = newRevision(set(), 1, 0);
    const stored = { ...a, data: JSON.parse(JSON.stringify(a.data)) as Record<string, unknown> };
    (a.data as { spec: { template: { metadata: Record<string, unknown> } } }).spec.template.metadata.creationTimestamp = null;
    expect(equalRevision(a, stored)).toBe(true);
    expect(equalRevision(a, newRevision(set('nginx:1.27'), 1, 0))).toBe(false);
  });
});

describe('history', () => {
  it('sorts by revision, then creation time, then name; next revision is one more than the highest', () => {
    const sorted = sortRevisions([cr('c', 2), cr('b', 1, '2025-01-02T00:00:00Z'), cr('a', 1, '2025-01-02T00:00:00Z'), cr('z', 1, '2024-12-31T00:00:00Z')]);
    expect(sorted.map((r) => r.metadata.name)).toEqual(['z', 'a', 'b', 'c']);
    expect(nextRevision(sorted)).toBe(3);
    expect(nextRevision([])).toBe(1);
  });

  it.each([
    [10, ['r5'], []],
    [1, ['r5'], ['r1', 'r2', 'r3']],
    [0, ['r5', 'r2'], ['r1', 'r3', 'r4']],
    [-1, [], []],
  ])('limit %i with live %j deletes %j', (limit, live, deleted) => {
    const revisions = [1, 2, 3, 4, 5].map((n) => cr(`r${n}`, n));
    expect(revisionsToTruncate(revisions, new Set(live), limit).map((r) => r.metadata.name)).toEqual(deleted);
  });
});
