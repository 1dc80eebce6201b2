/**
 * What a controller last wrote to each EndpointSlice it manages, per owner key (`namespace/name`
 * of the Service or Endpoints), as upstream's `EndpointSliceTracker`. It answers two questions:
 * - is a slice event news ({@link EndpointSliceTracker.shouldSync})? An event showing the
 *   generation the controller itself wrote is not, so its own writes do not sync the owner again;
 * - does the slice cache lag the controller's writes ({@link EndpointSliceTracker.isStale})?
 *   Acting on such a cache would create a slice twice or resurrect a deleted one.
 * Entries live until the cache shows the slice gone or the owner is forgotten.
 */
import type { EndpointSlice } from '../../pkg/api/discovery/v1/endpointslice.ts';
import { LABEL_MANAGED_BY, LABEL_SERVICE_NAME } from '../../pkg/api/discovery/v1/well-known-labels.ts';
import type { DeepReadonly } from '../../pkg/informer/index.ts';
import type { Predicate } from '../../pkg/runtime/index.ts';

type Slice = DeepReadonly<EndpointSlice>;

/** Marks a slice the controller deleted. */
const DELETED = -1;

/** Per owner key: slice uid → generation written, or {@link DELETED}. Not safe to share across controllers. */
export class EndpointSliceTracker {
  private readonly expected = new Map<string, Map<string, number>>();

  /** A create or update of the controller returned `slice` (its uid and generation). */
  recordWrite(key: string, slice: Slice): void {
    if (slice.metadata.uid) this.entries(key).set(slice.metadata.uid, slice.metadata.generation ?? 0);
  }

  /** The controller deleted `slice`; until the cache drops it, a cache still holding it is stale. */
  recordDeletion(key: string, slice: Slice): void {
    if (slice.metadata.uid) this.entries(key).set(slice.metadata.uid, DELETED);
  }

  /**
   * Does a cached add or update of `slice` need a sync of its owner? Yes unless the controller
   * wrote this slice at this generation or a later one (or deleted it).
   */
  shouldSync(key: string, slice: Slice): boolean {
    const written = this.expected.get(key)?.get(slice.metadata.uid ?? '');
    return written === undefined || (written !== DELETED && (slice.metadata.generation ?? 0) > written);
  }

  /**
   * The cache saw `slice` go: forgets it, and answers whether the controller expected that (it
   * deleted the slice itself). Any other deletion means the owner needs a sync.
   */
  observeDeletion(key: string, slice: Slice): boolean {
    const entries = this.expected.get(key);
    const written = entries?.get(slice.metadata.uid ?? '');
    if (entries && slice.metadata.uid) {
      entries.delete(slice.metadata.uid);
      if (!entries.size) this.expected.delete(key);
    }
    return written === DELETED;
  }

  /** Stops tracking an owner (it is gone, or its slices are being removed). */
  forget(key: string): void {
    this.expected.delete(key);
  }

  /**
   * True when `cached` (the slice cache's view of the owner's slices, without those already
   * being deleted) lags the controller's writes: a slice it deleted is still there, one it wrote
   * is missing, or shows an older generation than it wrote (upstream `StaleSlices`).
   */
  isStale(key: string, cached: readonly Slice[]): boolean {
    const entries = this.expected.get(key);
    if (!entries) return false;
    const seen = new Map(cached.map((s) => [s.metadata.uid ?? '', s.metadata.generation ?? 0]));
    for (const [uid, written] of entries) {
      const generation = seen.get(uid);
      if (written === DELETED ? generation !== undefined : generation === undefined || generation < written) return true;
    }
    return false;
  }

  private entries(key: string): Map<string, number> {
    let entries = this.expected.get(key);
    if (!entries) this.expected.set(key, (entries = new Map()));
    return entries;
  }
}

/**
 * The owner key (`namespace/<kubernetes.io/service-name>`) of a slice the controller named
 * `managedBy` manages; undefined for any other slice.
 */
export function managedSliceOwner(managedBy: string): (slice: Slice) => string | undefined {
  return (slice) => {
    const labels = slice.metadata.labels;
    const name = labels?.[LABEL_MANAGED_BY] === managedBy ? labels[LABEL_SERVICE_NAME] : undefined;
    return name ? `${slice.metadata.namespace ?? ''}/${name}` : undefined;
  };
}

/**
 * The slice events that need a sync of their owner, as upstream's slice handlers decide: a slice
 * the controller manages appearing or changing unless it shows the controller's own write, moving
 * between owners or in or out of the controller's management, or deleted by someone else.
 * `ownerKeyOf` names the owner of a slice the controller manages (undefined for other slices).
 * The predicate also tells the tracker which slices the cache saw go, so install it once per
 * controller.
 */
export function trackedSliceEvents(tracker: EndpointSliceTracker, ownerKeyOf: (slice: Slice) => string | undefined): Predicate<EndpointSlice> {
  return {
    create: (slice) => {
      const key = ownerKeyOf(slice);
      return key !== undefined && tracker.shouldSync(key, slice);
    },
    update: (oldSlice, newSlice) => {
      const oldKey = ownerKeyOf(oldSlice);
      const newKey = ownerKeyOf(newSlice);
      if (oldKey === newKey) return newKey !== undefined && tracker.shouldSync(newKey, newSlice);
      // No longer the old owner's: for it, the slice is gone.
      if (oldKey !== undefined) tracker.observeDeletion(oldKey, oldSlice);
      return true;
    },
    delete: (slice) => {
      const key = ownerKeyOf(slice);
      return key !== undefined && !tracker.observeDeletion(key, slice);
    },
  };
}
