/**
 * The objects this API server wrote last, per key, kept until its watch cache has caught up with
 * them. An update's optimistic first attempt (`Storage.peek`) starts from the newer of the
 * cache's copy and this server's own last write: a client that writes one object twice in a row
 * (a kubelet's successive pod status patches) then starts from its first write even when the
 * watch has not delivered it yet, instead of from an older copy that fails the compare-and-swap
 * and makes the update read the storage and run again.
 */
import type { KubeObject } from '../../pkg/api/meta.ts';
import { deepFreeze } from '../../pkg/informer/deep-readonly.ts';
import { copyJson } from '../../pkg/util/json-copy.ts';

/** Entries kept at most; beyond it the oldest go first (a lagging cache then costs retries, not memory). */
const DEFAULT_CAPACITY = 10_000;

/**
 * Contract: `newest` returns a frozen private copy of the last object `record`ed for a key while
 * that write is newer than what the cache reflects (`cacheRevision`), else the cache's copy.
 * Entries leave once their cache has reached their revision (checked oldest first on every
 * record, and on lookup), when their key is deleted through this server, and beyond `capacity`.
 */
export class RecentWrites {
  /** Key → the object as written (resourceVersion set), in write order. */
  private readonly byKey = new Map<string, KubeObject>();

  constructor(private readonly capacity = DEFAULT_CAPACITY) {}

  /**
   * Remembers `obj`, just written as `key`; `cacheRevision(key)` is the revision the cache of a
   * key's resource reflects (used to drop entries it has caught up with).
   */
  record(key: string, obj: KubeObject, cacheRevision: (key: string) => number): void {
    this.byKey.delete(key);
    this.byKey.set(key, deepFreeze(copyJson(obj)) as KubeObject);
    for (const [k, o] of this.byKey) {
      if (this.byKey.size <= this.capacity && revisionOf(o) > cacheRevision(k)) break;
      this.byKey.delete(k);
    }
  }

  /** Forgets `key` (deleted through this server: the cache's copy, or the storage, tells the rest). */
  forget(key: string): void {
    this.byKey.delete(key);
  }

  /** This server's last write of `key` when the cache (at `cacheRevision`) has not seen it yet, else `cached`. */
  newest(key: string, cached: KubeObject | undefined, cacheRevision: number): KubeObject | undefined {
    const mine = this.byKey.get(key);
    if (mine === undefined) return cached;
    if (revisionOf(mine) > cacheRevision) return mine;
    this.byKey.delete(key);
    return cached;
  }

  /** Entries kept (for tests and metrics). */
  get size(): number {
    return this.byKey.size;
  }
}

function revisionOf(obj: KubeObject): number {
  return Number(obj.metadata.resourceVersion);
}
