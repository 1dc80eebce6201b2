/**
 * The storage contract the API server is written against. Two implementations: `etcd3.ts`
 * (production) and `memory.ts` (tests and reconciler developers); `contract.test-suite.ts`
 * runs the same tests on both.
 *
 * Values are plain JSON objects. A revision is a monotonically increasing integer shared by
 * the whole store (etcd's revision); an object's `metadata.resourceVersion` is the string form
 * of the revision that last modified it (etcd mod revision). Implementations set
 * `metadata.resourceVersion` on every object they return and never store it.
 */
import type { KubeObject } from '../api/meta.ts';

/**
 * Errors storage throws; the API server maps them to Status errors. `Expired`: the revision was
 * compacted (410). `TooLarge`: a read/compaction at a revision newer than the store's current one
 * (upstream "Too large resource version"). `Unavailable`: the backend cannot be reached, or the
 * store was closed. `Rejected`: the backend refused the request for a reason of its own; the
 * message is its text (etcd's `etcdserver: request is too large`).
 */
export class StorageError extends Error {
  constructor(
    readonly code: 'NotFound' | 'KeyExists' | 'Conflict' | 'Expired' | 'TooLarge' | 'Unavailable' | 'Rejected',
    message: string,
    /** For Expired: the oldest revision still available. */
    readonly compactedRevision?: number,
  ) {
    super(message);
    this.name = 'StorageError';
  }
}

/** TooLarge for a read at `requested` when the store (or cache) has only reached `current`, in upstream's words. */
export function tooLargeRevision(requested: number, current: number): StorageError {
  return new StorageError('TooLarge', `Too large resource version: ${requested}, current: ${current}`);
}

/** Throws TooLarge when a read that takes any state at or after `minRevision` finds the store at `current`, still before it. */
export function assertReached(minRevision: number | undefined, current: number): void {
  if (minRevision !== undefined && minRevision > current) throw tooLargeRevision(minRevision, current);
}

export interface ListOptions {
  /** At most this many items (0 or undefined = all). */
  limit?: number;
  /** Continue after this key (exclusive); from a previous page's `nextKey`. */
  startAfter?: string;
  /**
   * Read at this revision (a consistent snapshot for paging). Undefined = latest.
   * Throws StorageError('Expired') if compacted.
   */
  revision?: number;
  /**
   * Any state at or after this revision will do (resourceVersion "N" NotOlderThan; 0 = any, as
   * resourceVersion "0"): a cache in front of the store answers once it holds that revision,
   * without waiting to catch up with more recent writes; a store without a cache reads its latest
   * state, and throws TooLarge when that is older. Ignored with `revision`.
   */
  minRevision?: number;
}

export interface ListResult {
  items: KubeObject[];
  /** The revision the list was read at. */
  revision: number;
  /** Set when more items follow: the key to pass as `startAfter`. */
  nextKey?: string;
  /** How many items follow (when known). */
  remaining?: number;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface WatchEvent {
  type: WatchEventType;
  key: string;
  /** The object after the change; for DELETED, the last state with resourceVersion = deletion revision. */
  object: KubeObject;
  /** The object before the change (MODIFIED and DELETED). */
  prevObject?: KubeObject;
  revision: number;
}

/**
 * A watch hint: the caller needs only events whose object (or previous object) has `value` at
 * the dotted `field` path (e.g. a kubelet's pods: `spec.nodeName` = its node). The caller still
 * filters every event it gets; a storage may use the hint to skip events (the watch cache
 * indexes watchers by it, as upstream's cacher does with its trigger functions) or ignore it.
 */
export interface WatchHint {
  field: string;
  value: string;
}

/** The events of a storage watch; a cache may also say how far the watch has got. */
export interface WatchStream extends AsyncIterable<WatchEvent> {
  /**
   * A revision through which every event of this watch has been yielded, while the watch has
   * nothing undelivered (a cache's current revision: any later event is newer); undefined when
   * unknown. A BOOKMARK carries it, so a watch that sees few events (a kubelet's, for its node)
   * resumes from a recent revision — upstream's cacher bookmarks at its own resourceVersion.
   */
  progressRevision?(): number | undefined;
}

export interface Storage {
  /**
   * The object at key, or undefined. With `minRevision` (a GET's resourceVersion "0" or "N") any
   * state at or after that revision will do, so a cache may answer without catching up first;
   * a store that has not reached `minRevision` throws TooLarge (the state asked for does not exist).
   */
  get(key: string, options?: { minRevision?: number }): Promise<KubeObject | undefined>;
  /**
   * The object at key as a cache in front of the store holds it right now, without waiting for
   * the cache to catch up (or as this server last wrote it, when the cache has not seen that write
   * yet): possibly stale, undefined when neither knows it (or there is no cache). Only a starting point for a compare-and-swap write (upstream's GuaranteedUpdate
   * `cachedExistingObject`), which fails on a stale revision; never an answer to a read.
   */
  peek?(key: string): KubeObject | undefined;
  /**
   * The object at key read from the store itself, past any cache and without waiting for one:
   * the fresh state an update restarts from after a conflict (upstream's `getCurrentState`).
   * Storages without a cache need not implement it (`get` is that read).
   */
  getUncached?(key: string): Promise<KubeObject | undefined>;
  /** Objects whose keys start with `prefix`, sorted by key. */
  list(prefix: string, options?: ListOptions): Promise<ListResult>;
  /** Count of keys under prefix. */
  count(prefix: string): Promise<number>;
  /** Stores a new object; throws StorageError('KeyExists') if present. Returns the stored object. */
  create(key: string, obj: KubeObject): Promise<KubeObject>;
  /**
   * Replaces the object. If `expectedRevision` is given and the current mod revision differs,
   * throws StorageError('Conflict'); throws StorageError('NotFound') if absent.
   */
  update(key: string, obj: KubeObject, expectedRevision?: number): Promise<KubeObject>;
  /**
   * Read-modify-write with retries on conflict: `fn` gets the current object (or undefined) and
   * returns the new one (or throws to abort). Returns the stored object. If `fn` returns an object
   * equal to the current one, nothing is written and the current resourceVersion is kept.
   */
  guaranteedUpdate(key: string, fn: (current: KubeObject | undefined) => KubeObject | Promise<KubeObject>): Promise<KubeObject>;
  /**
   * Deletes; if `expectedRevision` is given it must match (else Conflict). Throws NotFound if
   * absent. Returns the deleted object with resourceVersion = the deletion revision.
   */
  delete(key: string, expectedRevision?: number): Promise<KubeObject>;
  /**
   * Events for keys under `prefix` strictly after `fromRevision`, in revision order, until
   * `signal` aborts. Throws (from the iterator) StorageError('Expired') if `fromRevision` is
   * compacted.
   */
  watch(prefix: string, fromRevision: number, signal: AbortSignal, hint?: WatchHint): WatchStream;
  /**
   * Resolves when a watch under `prefix` from `fromRevision` can start, and rejects with
   * StorageError('Expired') (its `compactedRevision` the oldest revision still served) when its
   * history is gone — so the API server answers 410 before it starts streaming. A cache answers
   * from its own history, without asking the store. Storages without it are probed with a
   * one-item list at that revision.
   */
  checkWatchable?(prefix: string, fromRevision: number): Promise<void>;
  /** The store's current revision. */
  currentRevision(): Promise<number>;
  /** Discards history up to `revision` (watches from before it then expire). */
  compact(revision: number): Promise<void>;
  close(): Promise<void>;
}

/** Resolves when a watch under `prefix` from `fromRevision` can start on `storage` ({@link Storage.checkWatchable}, else a one-item list at that revision); rejects with StorageError('Expired') when its history is gone. */
export async function checkWatchable(storage: Storage, prefix: string, fromRevision: number): Promise<void> {
  await (storage.checkWatchable?.(prefix, fromRevision) ?? storage.list(prefix, { revision: fromRevision, limit: 1 }));
}
