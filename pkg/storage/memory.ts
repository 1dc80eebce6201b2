/**
 * `MemoryStorage`: an in-process `Storage` with etcd's semantics (one global revision, per-key
 * create/mod revisions, compaction), for tests and reconciler development.
 *
 * - Values are kept as JSON text, so everything returned is a fresh deep copy and nothing a
 *   caller does to an object it passed in or got back changes the store (and values behave
 *   exactly as they do through etcd: `undefined` fields vanish, etc.).
 * - A bounded event history (`historySize`, default 10,000 events) serves watches and reads
 *   at older revisions. Dropping the oldest event advances the compact revision, exactly as if
 *   etcd had compacted: a watch or list from before it throws StorageError('Expired').
 * - `list` at an older revision is served by undoing the history after it (consistent paging).
 *   Revisions newer than the current one throw StorageError('TooLarge').
 * - Keys under a `keyTtls` prefix are deleted (an ordinary delete event) once their TTL has
 *   passed since their last write, checked every second, as etcd expires a lease.
 */
import type { KubeObject } from '../api/meta.ts';
import { decodeObject, encodeObject } from './codec.ts';
import { guaranteedUpdateLoop } from './guaranteed-update.ts';
import { EventHistory, type HistoryEntry, type StoredValue } from './memory-history.ts';
import { ttlSecondsFor, type KeyTtl } from './key-ttl.ts';
import { assertReached, StorageError, tooLargeRevision, type ListOptions, type ListResult, type Storage, type WatchEvent } from './types.ts';

export interface MemoryStorageOptions {
  /** Events kept for watches / old reads (default 10,000). */
  historySize?: number;
  /** Events a watcher may have queued unread before it is ended with Expired (default 100,000). */
  maxPendingPerWatcher?: number;
  /** Keys that expire after their last write. */
  keyTtls?: readonly KeyTtl[];
  /** Clock in milliseconds for expiry (default Date.now). */
  now?: () => number;
}

interface Subscriber {
  prefix: string;
  deliver(entry: HistoryEntry): void;
  end(err?: StorageError): void;
}

export class MemoryStorage implements Storage {
  private revision = 1;
  private readonly data = new Map<string, StoredValue>();
  /** All keys, sorted (byte order for ASCII keys, as etcd). */
  private readonly keys: string[] = [];
  private readonly history: EventHistory;
  private readonly subscribers = new Set<Subscriber>();
  private readonly maxPending: number;
  private readonly keyTtls: readonly KeyTtl[];
  private readonly now: () => number;
  /** When each expiring key's last write expires. */
  private readonly expiries = new Map<string, number>();
  private readonly expiryTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(options: MemoryStorageOptions = {}) {
    this.history = new EventHistory(options.historySize ?? 10_000);
    this.maxPending = options.maxPendingPerWatcher ?? 100_000;
    this.keyTtls = options.keyTtls ?? [];
    this.now = options.now ?? Date.now;
    if (this.keyTtls.length) this.expiryTimer = setInterval(() => this.expireDue(), 1000).unref();
  }

  /** Deletes every expiring key whose TTL has passed since its last write; returns how many. */
  expireDue(): number {
    if (this.closed) return 0;
    const now = this.now();
    let expired = 0;
    for (const [key, expiresAt] of this.expiries) {
      if (expiresAt > now) continue;
      this.remove(key, this.data.get(key)!);
      expired++;
    }
    return expired;
  }

  async get(key: string, options: { minRevision?: number } = {}): Promise<KubeObject | undefined> {
    assertReached(options.minRevision, this.revision);
    const stored = this.data.get(key);
    return stored && decodeObject(stored.text, stored.modRevision);
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ListResult> {
    const revision = options.revision || this.revision;
    if (revision > this.revision) throw tooLargeRevision(revision, this.revision);
    if (!options.revision) assertReached(options.minRevision, this.revision);
    if (revision < this.history.compactRevision) {
      throw new StorageError('Expired', `required revision ${revision} has been compacted`, this.history.compactRevision);
    }
    const { keys, lookup } = revision === this.revision ? this.currentView(prefix) : this.pastView(prefix, revision);
    let start = 0;
    if (options.startAfter !== undefined) start = upperBound(keys, options.startAfter);
    const limit = options.limit && options.limit > 0 ? options.limit : Infinity;
    const end = Math.min(keys.length, start + limit);
    const items: KubeObject[] = [];
    for (let i = start; i < end; i++) {
      const stored = lookup(keys[i]!)!;
      items.push(decodeObject(stored.text, stored.modRevision));
    }
    const result: ListResult = { items, revision };
    if (end < keys.length) {
      result.nextKey = keys[end - 1] ?? options.startAfter;
      result.remaining = keys.length - end;
    }
    return result;
  }

  async count(prefix: string): Promise<number> {
    const [from, to] = this.prefixBounds(prefix);
    return to - from;
  }

  async create(key: string, obj: KubeObject): Promise<KubeObject> {
    this.assertOpen();
    if (this.data.has(key)) throw new StorageError('KeyExists', `key already exists: ${key}`);
    const revision = ++this.revision;
    const value: StoredValue = { text: encodeObject(obj), createRevision: revision, modRevision: revision };
    this.data.set(key, value);
    this.keys.splice(lowerBound(this.keys, key), 0, key);
    this.noteWrite(key);
    this.record({ key, revision, value });
    return decodeObject(value.text, revision);
  }

  async update(key: string, obj: KubeObject, expectedRevision?: number): Promise<KubeObject> {
    this.assertOpen();
    const prev = this.data.get(key);
    if (!prev) throw new StorageError('NotFound', `key not found: ${key}`);
    if (expectedRevision !== undefined && prev.modRevision !== expectedRevision) {
      throw new StorageError('Conflict', `revision of ${key} is ${prev.modRevision}, expected ${expectedRevision}`);
    }
    const revision = ++this.revision;
    const value: StoredValue = { text: encodeObject(obj), createRevision: prev.createRevision, modRevision: revision };
    this.data.set(key, value);
    this.noteWrite(key);
    this.record({ key, revision, value, prev });
    return decodeObject(value.text, revision);
  }

  guaranteedUpdate(key: string, fn: (current: KubeObject | undefined) => KubeObject | Promise<KubeObject>): Promise<KubeObject> {
    return guaranteedUpdateLoop(this, key, fn);
  }

  async delete(key: string, expectedRevision?: number): Promise<KubeObject> {
    this.assertOpen();
    const prev = this.data.get(key);
    if (!prev) throw new StorageError('NotFound', `key not found: ${key}`);
    if (expectedRevision !== undefined && prev.modRevision !== expectedRevision) {
      throw new StorageError('Conflict', `revision of ${key} is ${prev.modRevision}, expected ${expectedRevision}`);
    }
    return this.remove(key, prev);
  }

  private remove(key: string, prev: StoredValue): KubeObject {
    const revision = ++this.revision;
    this.data.delete(key);
    this.keys.splice(lowerBound(this.keys, key), 1);
    this.expiries.delete(key);
    this.record({ key, revision, prev });
    return decodeObject(prev.text, revision);
  }

  /** Starts (or restarts) the TTL of an expiring key just written. */
  private noteWrite(key: string): void {
    const ttl = ttlSecondsFor(this.keyTtls, key);
    if (ttl !== undefined) this.expiries.set(key, this.now() + ttl * 1000);
  }

  watch(prefix: string, fromRevision: number, signal: AbortSignal): AsyncIterable<WatchEvent> {
    return { [Symbol.asyncIterator]: () => this.watchIterator(prefix, fromRevision, signal) };
  }

  async currentRevision(): Promise<number> {
    return this.revision;
  }

  async compact(revision: number): Promise<void> {
    if (revision > this.revision) throw new StorageError('TooLarge', `cannot compact to future revision ${revision} (current ${this.revision})`);
    this.history.compact(revision);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.expiryTimer);
    for (const s of [...this.subscribers]) s.end();
    this.subscribers.clear();
  }

  private async *watchIterator(prefix: string, fromRevision: number, signal: AbortSignal): AsyncGenerator<WatchEvent> {
    if (fromRevision + 1 < this.history.compactRevision) {
      throw new StorageError('Expired', `required revision ${fromRevision + 1} has been compacted`, this.history.compactRevision);
    }
    if (signal.aborted || this.closed) return;
    // Replay and subscribe in one synchronous step: no event can fall between the two.
    const queue: HistoryEntry[] = this.history.after(fromRevision).filter((e) => e.key.startsWith(prefix));
    let wake: (() => void) | undefined;
    let ended = false;
    let failure: StorageError | undefined;
    const subscriber: Subscriber = {
      prefix,
      deliver: (entry) => {
        if (ended || entry.revision <= fromRevision) return;
        queue.push(entry);
        if (queue.length > this.maxPending) subscriber.end(new StorageError('Expired', 'watcher fell too far behind; please re-watch', entry.revision));
        wake?.();
      },
      end: (err) => {
        this.subscribers.delete(subscriber);
        ended = true;
        failure ??= err;
        wake?.();
      },
    };
    const onAbort = () => subscriber.end();
    this.subscribers.add(subscriber);
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      let next = 0;
      while (!ended) {
        if (next < queue.length) {
          const entry = queue[next]!;
          queue[next++] = undefined as never;
          if (next > 1024 && next * 2 > queue.length) {
            queue.splice(0, next);
            next = 0;
          }
          yield toWatchEvent(entry);
          continue;
        }
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
      }
      if (failure) throw failure;
    } finally {
      this.subscribers.delete(subscriber);
      signal.removeEventListener('abort', onAbort);
    }
  }

  private record(entry: HistoryEntry): void {
    this.history.append(entry);
    for (const s of this.subscribers) if (entry.key.startsWith(s.prefix)) s.deliver(entry);
  }

  private prefixBounds(prefix: string): [number, number] {
    const from = lowerBound(this.keys, prefix);
    let to = from;
    while (to < this.keys.length && this.keys[to]!.startsWith(prefix)) to++;
    return [from, to];
  }

  private currentView(prefix: string): { keys: string[]; lookup: (key: string) => StoredValue | undefined } {
    const [from, to] = this.prefixBounds(prefix);
    return { keys: this.keys.slice(from, to), lookup: (key) => this.data.get(key) };
  }

  /** The keys under `prefix` as they were at `revision`, rebuilt by undoing later history. */
  private pastView(prefix: string, revision: number): { keys: string[]; lookup: (key: string) => StoredValue | undefined } {
    const snapshot = new Map<string, StoredValue>();
    const [from, to] = this.prefixBounds(prefix);
    for (let i = from; i < to; i++) snapshot.set(this.keys[i]!, this.data.get(this.keys[i]!)!);
    const later = this.history.after(revision);
    for (let i = later.length - 1; i >= 0; i--) {
      const e = later[i]!;
      if (!e.key.startsWith(prefix)) continue;
      if (e.prev) snapshot.set(e.key, e.prev);
      else snapshot.delete(e.key);
    }
    const keys = [...snapshot.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return { keys, lookup: (key) => snapshot.get(key) };
  }

  private assertOpen(): void {
    if (this.closed) throw new StorageError('Unavailable', 'storage is closed');
  }
}

function toWatchEvent(entry: HistoryEntry): WatchEvent {
  const { key, revision, value, prev } = entry;
  if (!value) {
    return { type: 'DELETED', key, revision, object: decodeObject(prev!.text, revision), prevObject: decodeObject(prev!.text, prev!.modRevision) };
  }
  const object = decodeObject(value.text, revision);
  if (!prev) return { type: 'ADDED', key, revision, object };
  return { type: 'MODIFIED', key, revision, object, prevObject: decodeObject(prev.text, prev.modRevision) };
}

/** Index of the first element >= `key`. */
function lowerBound(sorted: string[], key: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first element > `key`. */
function upperBound(sorted: string[], key: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
