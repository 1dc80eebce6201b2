import { describe, expect, it } from 'vitest';
import type { EndpointSlice } from '../../pkg/api/discovery/v1/endpointslice.ts';
import { EndpointSliceTracker, managedSliceOwner } from './endpointslice-tracker.ts';

const slice = (uid: string, generation: number) => ({ metadata: { name: uid, uid, generation }, addressType: 'IPv4' }) as EndpointSlice;
const KEY = 'ns/svc';

describe('EndpointSliceTracker', () => {
  it.each<[string, (t: EndpointSliceTracker) => void, EndpointSlice[], boolean]>([
    ['nothing written: never stale', () => {}, [], false],
    ['a created slice not cached yet', (t) => t.recordWrite(KEY, slice('a', 1)), [], true],
    ['a created slice cached', (t) => t.recordWrite(KEY, slice('a', 1)), [slice('a', 1)], false],
    ['an update cached at an older generation', (t) => t.recordWrite(KEY, slice('a', 3)), [slice('a', 2)], true],
    ['an update cached at a newer generation', (t) => t.recordWrite(KEY, slice('a', 3)), [slice('a', 4)], false],
    ['a deleted slice still cached', (t) => t.recordDeletion(KEY, slice('a', 1)), [slice('a', 1)], true],
    ['a deleted slice gone from the cache', (t) => t.recordDeletion(KEY, slice('a', 1)), [], false],
    ['a written slice someone deleted (deletion observed)', (t) => (t.recordWrite(KEY, slice('a', 1)), t.observeDeletion(KEY, slice('a', 1))), [], false],
    ['a forgotten key', (t) => (t.recordWrite(KEY, slice('a', 1)), t.forget(KEY)), [], false],
    ['another key', (t) => t.recordWrite('ns/other', slice('a', 1)), [], false],
  ])('%s → stale=%s', (_name, act, cached, want) => {
    const tracker = new EndpointSliceTracker();
    act(tracker);
    expect(tracker.isStale(KEY, cached)).toBe(want);
  });

  it.each<[string, (t: EndpointSliceTracker) => void, EndpointSlice, boolean]>([
    ['a slice it never wrote', () => {}, slice('a', 1), true],
    ['its own create coming back', (t) => t.recordWrite(KEY, slice('a', 1)), slice('a', 1), false],
    ['its own update coming back', (t) => t.recordWrite(KEY, slice('a', 4)), slice('a', 4), false],
    ['an older event of a slice it updated since', (t) => t.recordWrite(KEY, slice('a', 4)), slice('a', 3), false],
    ['someone else changed it after', (t) => t.recordWrite(KEY, slice('a', 4)), slice('a', 5), true],
    ['a slice it deleted', (t) => t.recordDeletion(KEY, slice('a', 2)), slice('a', 3), false],
    ['the same uid under another key', (t) => t.recordWrite('ns/other', slice('a', 1)), slice('a', 1), true],
  ])('shouldSync: %s → %s', (_name, act, event, want) => {
    const tracker = new EndpointSliceTracker();
    act(tracker);
    expect(tracker.shouldSync(KEY, event)).toBe(want);
  });

  it('tells its own deletions from others, forgetting the slice either way', () => {
    const tracker = new EndpointSliceTracker();
    tracker.recordDeletion(KEY, slice('a', 1));
    tracker.recordWrite(KEY, slice('b', 1));
    expect(tracker.observeDeletion(KEY, slice('a', 1))).toBe(true);
    expect(tracker.observeDeletion(KEY, slice('b', 1))).toBe(false);
    expect(tracker.observeDeletion(KEY, slice('c', 1))).toBe(false);
    expect(tracker.isStale(KEY, [])).toBe(false);
    expect(tracker.shouldSync(KEY, slice('b', 1))).toBe(true);
  });

  it('keeps what it wrote once the cache shows it, so the event of its own write stays quiet', () => {
    const tracker = new EndpointSliceTracker();
    tracker.recordWrite(KEY, slice('a', 1));
    expect(tracker.isStale(KEY, [slice('a', 1)])).toBe(false);
    expect(tracker.shouldSync(KEY, slice('a', 1))).toBe(false);
  });

  it('names the owner of a slice its controller manages, and of no other', () => {
    const owner = managedSliceOwner('endpointslice-controller.k8s.io');
    const labelled = (labels: Record<string, string>) => ({ metadata: { name: 's', namespace: 'ns', labels }, addressType: 'IPv4' }) as EndpointSlice;
    expect(owner(labelled({ 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' }))).toBe('ns/web');
    expect(owner(labelled({ 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslicemirroring-controller.k8s.io' }))).toBeUndefined();
    expect(owner(labelled({ 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' }))).toBeUndefined();
  });
});
