import { describe, expect, it } from 'vitest';
import type { EndpointSlice } from '../../../pkg/api/discovery/v1/endpointslice.ts';
import { MirroredSliceTracker } from './slice-tracker.ts';

const slice = (uid: string, generation: number) => ({ metadata: { name: uid, uid, generation }, addressType: 'IPv4' }) as EndpointSlice;
const KEY = 'ns/ext';

describe('MirroredSliceTracker', () => {
  it.each<[string, (t: MirroredSliceTracker) => void, EndpointSlice[], boolean]>([
    ['nothing written: never lagging', () => {}, [], false],
    ['a created slice not cached yet', (t) => t.recordWrite(KEY, slice('a', 1)), [], true],
    ['a created slice cached', (t) => t.recordWrite(KEY, slice('a', 1)), [slice('a', 1)], false],
    ['an update cached at an older generation', (t) => t.recordWrite(KEY, slice('a', 3)), [slice('a', 2)], true],
    ['an update cached at a newer generation', (t) => t.recordWrite(KEY, slice('a', 3)), [slice('a', 4)], false],
    ['a deleted slice still cached', (t) => t.recordDeletion(KEY, slice('a', 1)), [slice('a', 1)], true],
    ['a deleted slice gone from the cache', (t) => t.recordDeletion(KEY, slice('a', 1)), [], false],
    ['a written slice someone deleted (deletion observed)', (t) => (t.recordWrite(KEY, slice('a', 1)), t.observeDeletion(KEY, slice('a', 1))), [], false],
    ['a forgotten key', (t) => (t.recordWrite(KEY, slice('a', 1)), t.forget(KEY)), [], false],
    ['another key', (t) => t.recordWrite('ns/other', slice('a', 1)), [], false],
  ])('%s → lagging=%s', (_name, act, cached, want) => {
    const tracker = new MirroredSliceTracker();
    act(tracker);
    expect(tracker.lagsBehindWrites(KEY, cached)).toBe(want);
  });

  it('forgets writes once the cache reflects them', () => {
    const tracker = new MirroredSliceTracker();
    tracker.recordWrite(KEY, slice('a', 1));
    expect(tracker.lagsBehindWrites(KEY, [slice('a', 1)])).toBe(false);
    // The slice vanishing later (not through an observed delete) no longer counts as lag.
    expect(tracker.lagsBehindWrites(KEY, [])).toBe(false);
  });
});
