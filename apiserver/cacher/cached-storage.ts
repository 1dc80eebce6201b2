/**
 * A `Storage` that serves reads and watches of registered resources from per-resource watch
 * caches (one storage watch each) and passes writes through.
 *
 * Freshness: a read waits until the cache has seen every write this server made to that
 * resource (read-your-writes) — with `sharedStorage`, where other servers write too, a consistent
 * read goes to the storage, as upstream's did before 1.31 (a cache's revision only moves with its
 * own resource's events, so it cannot tell it has seen everything up to the storage's revision) —
 * and reads the storage when that takes longer than the wait; a list
 * that takes any state at or after a revision (`minRevision`: resourceVersion "0" or "N") waits
 * only for that revision; a list at an explicit older revision (a paging snapshot the cache no
 * longer holds) goes to the inner storage. Writes by another API server become visible as fast as
 * the storage watch delivers them.
 * Objects returned by reads are shared and frozen: copy before mutating.
 */
import type { KubeObject } from '../../pkg/api/meta.ts';
import { checkWatchable, StorageError, type ListOptions, type ListResult, type Storage, type WatchHint, type WatchStream } from '../../pkg/storage/types.ts';
import { RecentWrites } from './recent-writes.ts';
import { ResourceCache } from './resource-cache.ts';

export interface CachedStorageOptions {
  inner: Storage;
  /** The resource prefix (ending in `/`) a key or list prefix belongs to, or undefined to bypass the cache. */
  resourcePrefixOf(keyOrPrefix: string): string | undefined;
  historySize?: number;
  maxPending?: number;
  onError?(err: unknown): void;
  /**
   * Other API servers (or processes) write to the same storage: a consistent read (no
   * `minRevision`) then reads the storage, so a client that wrote through one server reads its
   * write through another; reads at resourceVersion "0"/"N" are still served from the cache.
   */
  sharedStorage?: boolean;
}

export class CachedStorage implements Storage {
  private readonly caches = new Map<string, ResourceCache>();
  private readonly lastWrite = new Map<string, number>();
  private readonly recent = new RecentWrites();
  /** The revision the cache of `key`'s resource reflects; infinite without one (nothing to be ahead of). Starts no cache. */
  private readonly cacheRevision = (key: string): number => {
    const prefix = this.options.resourcePrefixOf(key);
    const cache = prefix === undefined ? undefined : this.caches.get(prefix);
    return cache ? cache.currentRevision : Number.POSITIVE_INFINITY;
  };

  constructor(private readonly options: CachedStorageOptions) {}

  private cacheFor(keyOrPrefix: string): ResourceCache | undefined {
    const prefix = this.options.resourcePrefixOf(keyOrPrefix);
    if (!prefix) return undefined;
    let cache = this.caches.get(prefix);
    if (!cache) {
      cache = new ResourceCache({
        inner: this.options.inner,
        prefix,
        historySize: this.options.historySize ?? 10_000,
        maxPending: this.options.maxPending ?? 10_000,
        onError: this.options.onError,
      });
      this.caches.set(prefix, cache);
    }
    return cache;
  }

  /** Starts the caches of these resource prefixes now (at server start), so their history begins there. */
  async warm(prefixes: string[]): Promise<void> {
    await Promise.all(prefixes.map((p) => this.cacheFor(p)?.ready));
  }

  /**
   * The cache once it holds this server's writes to the resource — or only `minRevision`, for a
   * read that takes any state at or after it (resourceVersion "0" or "N": every informer's list;
   * upstream serves those from the watch cache, so a thousand kubelets relisting at once never
   * each read every pod from the storage); undefined (read the storage instead) when it is not
   * there within the wait — as upstream's consistent reads from the cache fall back to etcd — so a
   * lagging cache slows reads down instead of failing them (the storage then answers TooLarge for a
   * `minRevision` it has not reached either); undefined for a consistent read with `sharedStorage`.
   */
  private async fresh(keyOrPrefix: string, minRevision?: number): Promise<ResourceCache | undefined> {
    const cache = this.cacheFor(keyOrPrefix);
    if (!cache) return undefined;
    const prefix = this.options.resourcePrefixOf(keyOrPrefix) as string;
    if (minRevision === undefined && this.options.sharedStorage) return undefined;
    try {
      await cache.waitFor(minRevision ?? this.lastWrite.get(prefix) ?? 0);
    } catch (err) {
      if (err instanceof StorageError && err.code === 'TooLarge') return undefined;
      throw err;
    }
    return cache;
  }

  /** Records a write's revision (read-your-writes) and, unless it deleted `key`, the object for {@link peek}. */
  private noteWrite(key: string, obj: KubeObject, deleted = false): KubeObject {
    const prefix = this.options.resourcePrefixOf(key);
    const rv = Number(obj.metadata.resourceVersion);
    if (!prefix || !Number.isFinite(rv)) return obj;
    if (rv > (this.lastWrite.get(prefix) ?? 0)) this.lastWrite.set(prefix, rv);
    if (deleted) this.recent.forget(key);
    else if (this.caches.has(prefix)) this.recent.record(key, obj, this.cacheRevision);
    return obj;
  }

  async get(key: string, options: { minRevision?: number } = {}): Promise<KubeObject | undefined> {
    const cache = await this.fresh(key, options.minRevision);
    return cache ? cache.get(key) : this.options.inner.get(key, options);
  }

  /** The cache's copy as it is, or this server's own later write of `key` the cache has not seen yet. */
  peek(key: string): KubeObject | undefined {
    const cache = this.cacheFor(key);
    return cache ? this.recent.newest(key, cache.get(key), cache.currentRevision) : undefined;
  }

  getUncached(key: string): Promise<KubeObject | undefined> {
    return this.options.inner.get(key);
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ListResult> {
    const cache = await this.fresh(prefix, options.revision === undefined ? options.minRevision : undefined);
    if (!cache) return this.options.inner.list(prefix, options);
    if (options.revision !== undefined && options.revision !== cache.currentRevision) {
      return this.options.inner.list(prefix, options);
    }
    return cache.list(prefix, options);
  }

  async count(prefix: string): Promise<number> {
    const cache = await this.fresh(prefix);
    return cache ? cache.count(prefix) : this.options.inner.count(prefix);
  }

  async create(key: string, obj: KubeObject): Promise<KubeObject> {
    return this.noteWrite(key, await this.options.inner.create(key, obj));
  }

  async update(key: string, obj: KubeObject, expectedRevision?: number): Promise<KubeObject> {
    return this.noteWrite(key, await this.options.inner.update(key, obj, expectedRevision));
  }

  async guaranteedUpdate(key: string, fn: (current: KubeObject | undefined) => KubeObject | Promise<KubeObject>): Promise<KubeObject> {
    return this.noteWrite(key, await this.options.inner.guaranteedUpdate(key, fn));
  }

  async delete(key: string, expectedRevision?: number): Promise<KubeObject> {
    return this.noteWrite(key, await this.options.inner.delete(key, expectedRevision), true);
  }

  watch(prefix: string, fromRevision: number, signal: AbortSignal, hint?: WatchHint): WatchStream {
    const cache = this.cacheFor(prefix);
    return cache ? cache.watch(prefix, fromRevision, signal, hint) : this.options.inner.watch(prefix, fromRevision, signal, hint);
  }

  async checkWatchable(prefix: string, fromRevision: number): Promise<void> {
    const cache = this.cacheFor(prefix);
    if (cache) return cache.checkWatchable(fromRevision);
    await checkWatchable(this.options.inner, prefix, fromRevision);
  }

  currentRevision(): Promise<number> {
    return this.options.inner.currentRevision();
  }

  compact(revision: number): Promise<void> {
    return this.options.inner.compact(revision);
  }

  async close(): Promise<void> {
    for (const cache of this.caches.values()) cache.stop();
    await this.options.inner.close();
  }
}
