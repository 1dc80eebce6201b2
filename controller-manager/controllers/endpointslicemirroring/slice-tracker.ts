/**
 * What this controller last wrote to each mirrored slice, so a reconcile can tell that the
 * slice cache has not caught up with its own writes yet (upstream `EndpointSliceTracker`).
 * Acting on such a cache would create a slice twice or resurrect a deleted one.
 */
import type { EndpointSlice } from '../../../pkg/api/discovery/v1/endpointslice.ts';
import type { DeepReadonly } from '../../../pkg/informer/index.ts';

type Slice = DeepReadonly<EndpointSlice>;

const DELETED = -1;

/** Per Endpoints key (`namespace/name`): slice uid → generation written, or deleted. */
export class MirroredSliceTracker {
  private readonly expected = new Map<string, Map<string, number>>();

  /** A create or update of ours returned `slice` (its uid and generation). */
  recordWrite(key: string, slice: Slice): void {
    if (slice.metadata.uid) this.entries(key).set(slice.metadata.uid, slice.metadata.generation ?? 0);
  }

  /** We deleted `slice`; until the cache drops it, a cache still holding it is stale. */
  recordDeletion(key: string, slice: Slice): void {
    if (slice.metadata.uid) this.entries(key).set(slice.metadata.uid, DELETED);
  }

  /** The cache saw `slice` go (deleted by us or anyone): nothing more to expect of it. */
  observeDeletion(key: string, slice: Slice): void {
    const entries = this.expected.get(key);
    if (!entries || !slice.metadata.uid) return;
    entries.delete(slice.metadata.uid);
    if (!entries.size) this.expected.delete(key);
  }

  /** Stop tracking an Endpoints key (its slices are being removed or it is no longer mirrored). */
  forget(key: string): void {
    this.expected.delete(key);
  }

  /**
   * True when `cached` (the slice cache's view of the key) lags our writes: a slice we deleted
   * is still there, one we wrote is missing, or it shows an older generation than we wrote.
   * Writes the cache already reflects are forgotten on the way (the cache never goes back).
   */
  lagsBehindWrites(key: string, cached: readonly Slice[]): boolean {
    const entries = this.expected.get(key);
    if (!entries) return false;
    const seen = new Map(cached.map((s) => [s.metadata.uid ?? '', s.metadata.generation ?? 0]));
    for (const [uid, generation] of entries) {
      const cachedGeneration = seen.get(uid);
      const reflected = generation === DELETED ? cachedGeneration === undefined : cachedGeneration !== undefined && cachedGeneration >= generation;
      if (reflected) entries.delete(uid);
    }
    if (!entries.size) this.expected.delete(key);
    return entries.size > 0;
  }

  private entries(key: string): Map<string, number> {
    const entries = this.expected.get(key) ?? new Map<string, number>();
    this.expected.set(key, entries);
    return entries;
  }
}
