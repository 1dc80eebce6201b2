/**
 * The watch cache of one resource: a single storage watch feeds an in-memory copy that serves
 * get, list and watch. Objects held here are frozen and shared by every reader — callers must
 * copy before mutating. Watchers get a bounded queue; one that falls `maxPending` events behind
 * is cut off (its iterator throws `StorageError('Expired')`, and the client re-watches). A watch
 * from before the cache's history expires ("too old resource version", 410) and the client
 * relists, as with upstream's cacher: replaying it from the storage would cost one storage watch
 * per such client — after a relist of the cache, every watcher of the resource at once.
 * A watcher with a {@link WatchHint} is indexed by it: an event reaches it only when its object
 * or previous object has the hinted field value (a kubelet's pod watch costs nothing for other
 * nodes' pods), as upstream's cacher indexes pod watchers by spec.nodeName.
 */
import type { KubeObject } from '../../pkg/api/meta.ts';
import { StorageError, tooLargeRevision, type ListOptions, type ListResult, type Storage, type WatchEvent, type WatchHint, type WatchStream } from '../../pkg/storage/types.ts';
import { EventBuffer } from './event-buffer.ts';

export interface ResourceCacheOptions {
  inner: Storage;
  /** The resource's key prefix, ending in `/` (e.g. `/registry/pods/`). */
  prefix: string;
  /** Events kept for watches that start in the past. */
  historySize: number;
  /** Events a watcher may have queued before it is cut off. */
  maxPending: number;
  onError?(err: unknown): void;
}

/** Whether a watch waits with every event up to the cache's revision delivered. */
interface WatchProgress {
  idle: boolean;
  watcher?: Watcher;
}

interface Watcher {
  prefix: string;
  hint?: WatchHint;
  queue: WatchEvent[];
  wake?: () => void;
  failed?: StorageError;
}

export class ResourceCache {
  private readonly objects = new Map<string, KubeObject>();
  private sortedKeys: string[] | undefined;
  private revision = 0;
  private buffer = new EventBuffer(1, 0);
  private readonly watchers = new Set<Watcher>();
  /** Watchers without a hint get every event under their prefix. */
  private readonly unindexed = new Set<Watcher>();
  /** Hinted watchers by field, then by value. */
  private readonly indexed = new Map<string, Map<string, Set<Watcher>>>();
  private readonly waiters: Array<{ revision: number; resolve: () => void }> = [];
  private readonly abort = new AbortController();
  readonly ready: Promise<void>;

  constructor(private readonly options: ResourceCacheOptions) {
    this.ready = this.run();
    this.ready.catch(() => undefined);
  }

  /** The revision the cache reflects. */
  get currentRevision(): number {
    return this.revision;
  }

  stop(): void {
    this.abort.abort();
    for (const w of this.watchers) this.fail(w, new StorageError('Unavailable', 'watch cache stopped'));
  }

  private async run(): Promise<void> {
    const { inner, prefix } = this.options;
    const first = await inner.list(prefix);
    this.load(first.items, first.revision);
    void this.follow(first.revision);
  }

  private load(items: KubeObject[], revision: number): void {
    this.objects.clear();
    for (const item of items) this.objects.set(keyOf(this.options.prefix, item), deepFreeze(item));
    this.sortedKeys = undefined;
    this.revision = revision;
    this.buffer = new EventBuffer(this.options.historySize, revision);
    this.release();
  }

  private async follow(fromRevision: number): Promise<void> {
    const { inner, prefix } = this.options;
    let from = fromRevision;
    while (!this.abort.signal.aborted) {
      try {
        for await (const event of inner.watch(prefix, from, this.abort.signal)) {
          this.apply(event);
          from = event.revision;
        }
      } catch (err) {
        if (this.abort.signal.aborted) return;
        this.options.onError?.(err);
        // Lost history: start over from a fresh list; current watchers must re-watch.
        for (const w of this.watchers) this.fail(w, new StorageError('Expired', 'watch cache re-listed; please re-watch', this.revision));
        await new Promise((r) => setTimeout(r, 200));
        try {
          const fresh = await inner.list(prefix);
          this.load(fresh.items, fresh.revision);
          from = fresh.revision;
        } catch (listErr) {
          this.options.onError?.(listErr);
        }
      }
    }
  }

  private apply(event: WatchEvent): void {
    // Object.assign, not `{ ...event, object, prevObject }`: Node 20's V8 adds a key missing from a spread copy on a slow path (≈ 1.5 µs).
    const frozen: WatchEvent = Object.assign({}, event, { object: deepFreeze(event.object), prevObject: event.prevObject && deepFreeze(event.prevObject) });
    if (event.type === 'DELETED') {
      this.objects.delete(event.key);
      this.sortedKeys = undefined;
    } else {
      if (!this.objects.has(event.key)) this.sortedKeys = undefined;
      this.objects.set(event.key, frozen.object);
    }
    this.revision = event.revision;
    this.buffer.push(frozen, Date.now());
    for (const w of this.targets(event)) {
      if (!event.key.startsWith(w.prefix) || w.failed) continue;
      if (w.queue.length >= this.options.maxPending) {
        this.fail(w, new StorageError('Expired', 'watcher fell too far behind; please re-watch', this.revision));
        continue;
      }
      w.queue.push(frozen);
      w.wake?.();
    }
    this.release();
  }

  /** The watchers an event may concern: every unindexed one, and hinted ones whose value the object or its previous state has. */
  private targets(event: WatchEvent): Iterable<Watcher> {
    if (this.indexed.size === 0) return this.unindexed;
    const out = new Set(this.unindexed);
    for (const [field, byValue] of this.indexed) {
      for (const obj of [event.object, event.prevObject]) {
        const value = obj && fieldValue(obj, field);
        if (value !== undefined) for (const w of byValue.get(value) ?? []) out.add(w);
      }
    }
    return out;
  }

  private addWatcher(w: Watcher): void {
    this.watchers.add(w);
    if (!w.hint) {
      this.unindexed.add(w);
      return;
    }
    const byValue = this.indexed.get(w.hint.field) ?? new Map<string, Set<Watcher>>();
    this.indexed.set(w.hint.field, byValue);
    const set = byValue.get(w.hint.value) ?? new Set<Watcher>();
    byValue.set(w.hint.value, set);
    set.add(w);
  }

  private removeWatcher(w: Watcher): void {
    this.watchers.delete(w);
    if (!w.hint) {
      this.unindexed.delete(w);
      return;
    }
    const byValue = this.indexed.get(w.hint.field);
    const set = byValue?.get(w.hint.value);
    set?.delete(w);
    if (set?.size === 0) byValue?.delete(w.hint.value);
    if (byValue?.size === 0) this.indexed.delete(w.hint.field);
  }

  private release(): void {
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      if (this.waiters[i].revision <= this.revision) {
        this.waiters[i].resolve();
        this.waiters.splice(i, 1);
      }
    }
  }

  private fail(w: Watcher, err: StorageError): void {
    w.failed = err;
    w.wake?.();
  }

  /** Resolves once the cache reflects `revision`, or rejects with TooLarge after `timeoutMs`. */
  async waitFor(revision: number, timeoutMs = 3000): Promise<void> {
    await this.ready;
    if (this.revision >= revision) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(tooLargeRevision(revision, this.revision)), timeoutMs);
      this.waiters.push({ revision, resolve: () => { clearTimeout(timer); resolve(); } });
    });
  }

  get(key: string): KubeObject | undefined {
    return this.objects.get(key);
  }

  list(prefix: string, options: ListOptions = {}): ListResult {
    this.sortedKeys ??= [...this.objects.keys()].sort();
    const keys = this.sortedKeys;
    // The keys under `prefix` are one run of the sorted keys: both ends by binary search, so a small page costs O(log n).
    const start = lowerBound(keys, options.startAfter !== undefined && options.startAfter >= prefix ? options.startAfter + '\0' : prefix);
    const after = prefixEnd(prefix);
    const end = after === undefined ? keys.length : lowerBound(keys, after);
    const limit = options.limit && options.limit > 0 ? options.limit : Infinity;
    const stop = Math.max(start, Math.min(end, start + limit));
    const items = keys.slice(start, stop).map((key) => this.objects.get(key) as KubeObject);
    if (stop < end) return { items, revision: this.revision, nextKey: keys[stop - 1], remaining: end - stop };
    return { items, revision: this.revision };
  }

  count(prefix: string): number {
    let n = 0;
    for (const key of this.objects.keys()) if (key.startsWith(prefix)) n++;
    return n;
  }

  /**
   * Events under `prefix` after `fromRevision`, following live changes until `signal` aborts.
   * While the watch waits with nothing queued, `progressRevision()` is the cache's revision.
   */
  watch(prefix: string, fromRevision: number, signal: AbortSignal, hint?: WatchHint): WatchStream {
    const progress: WatchProgress = { idle: false };
    const events = this.events(prefix, fromRevision, signal, hint, progress);
    return {
      [Symbol.asyncIterator]: () => events,
      progressRevision: () => (progress.idle && progress.watcher?.queue.length === 0 ? this.revision : undefined),
    };
  }

  /** Resolves (once the cache is ready) when its history reaches back to `fromRevision`, else rejects with upstream's "too old resource version". */
  async checkWatchable(fromRevision: number): Promise<void> {
    await this.ready;
    if (fromRevision < this.buffer.oldestRevision) throw this.tooOld(fromRevision);
  }

  /** Upstream's cacher error for a watch from before its history. */
  private tooOld(fromRevision: number): StorageError {
    const oldest = this.buffer.oldestRevision;
    return new StorageError('Expired', `too old resource version: ${fromRevision} (${oldest})`, oldest);
  }

  private async *events(prefix: string, fromRevision: number, signal: AbortSignal, hint: WatchHint | undefined, progress: WatchProgress): AsyncGenerator<WatchEvent> {
    await this.ready;
    const past = this.buffer.since(fromRevision);
    if (!past) throw this.tooOld(fromRevision);
    const concerns = (e: WatchEvent) => !hint || fieldValue(e.object, hint.field) === hint.value || (e.prevObject !== undefined && fieldValue(e.prevObject, hint.field) === hint.value);
    const w: Watcher = { prefix, hint, queue: past.filter((e) => e.key.startsWith(prefix) && concerns(e)) };
    this.addWatcher(w);
    progress.watcher = w;
    const onAbort = () => w.wake?.();
    signal.addEventListener('abort', onAbort);
    try {
      while (!signal.aborted) {
        if (w.queue.length) {
          const batch = w.queue;
          w.queue = [];
          for (const e of batch) if (e.revision > fromRevision) yield e;
          continue;
        }
        if (w.failed) throw w.failed;
        progress.idle = true;
        await new Promise<void>((resolve) => (w.wake = resolve));
        progress.idle = false;
        w.wake = undefined;
      }
    } finally {
      signal.removeEventListener('abort', onAbort);
      this.removeWatcher(w);
    }
  }
}

/** The string at a dotted path of an object (e.g. `spec.nodeName`); undefined when absent or not a string. */
export function fieldValue(obj: KubeObject, path: string): string | undefined {
  let v: unknown = obj;
  for (const part of path.split('.')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  return typeof v === 'string' ? v : undefined;
}

function keyOf(prefix: string, obj: KubeObject): string {
  const ns = obj.metadata.namespace;
  return ns ? `${prefix}${ns}/${obj.metadata.name}` : `${prefix}${obj.metadata.name}`;
}

/** The least string above every string that starts with `prefix` (JavaScript's string order); undefined when there is none ("" or only U+FFFF). */
function prefixEnd(prefix: string): string | undefined {
  let i = prefix.length - 1;
  while (i >= 0 && prefix.charCodeAt(i) === 0xffff) i--;
  return i < 0 ? undefined : prefix.slice(0, i) + String.fromCharCode(prefix.charCodeAt(i) + 1);
}

function lowerBound(keys: string[], target: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid] < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
