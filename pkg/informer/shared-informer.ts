/**
 * The shared informer (client-go `SharedIndexInformer`): one reflector feeding one frozen,
 * indexed cache, fanning changes out to any number of event handlers.
 */
import type { Logger } from 'pino';
import type { KubeObject } from '../api/meta.ts';
import { realClock, type Clock, type TimerHandle } from '../workqueue/index.ts';
import { deepFreeze, type DeepReadonly } from './deep-readonly.ts';
import { newLister, type Lister } from './lister.ts';
import type { ListerWatcher } from './lister-watcher.ts';
import { Reflector, type ReflectorOptions, type ReflectorSink } from './reflector.ts';
import { keyOf, Store, type Indexers, type ReadonlyStore } from './store.ts';

/**
 * Delivered to `onDelete` when an object vanished while the watch was not looking (found
 * missing on a relist): `obj` is the last state the cache knew, which may be stale.
 */
export class DeletedFinalStateUnknown<T extends KubeObject> {
  constructor(
    readonly key: string,
    readonly obj: DeepReadonly<T>,
  ) {}
}

/** The object of a delete notification, whether its final state is known or not. */
export function deletedObject<T extends KubeObject>(obj: DeepReadonly<T> | DeletedFinalStateUnknown<T>): DeepReadonly<T> {
  return obj instanceof DeletedFinalStateUnknown ? obj.obj : obj;
}

/**
 * Event callbacks. Contract: called synchronously, in event order, with frozen objects; keep
 * them cheap — enqueue a key and return (reconcilers read the lister). A thrown error is
 * logged and does not stop delivery. `onUpdate` is also called on relists and resyncs, with
 * possibly identical objects.
 */
export interface EventHandler<T extends KubeObject> {
  onAdd?(obj: DeepReadonly<T>, isInInitialList: boolean): void;
  onUpdate?(oldObj: DeepReadonly<T>, newObj: DeepReadonly<T>): void;
  onDelete?(obj: DeepReadonly<T> | DeletedFinalStateUnknown<T>): void;
}

export interface HandlerRegistration {
  remove(): void;
}

export interface SharedInformerOptions<T extends KubeObject> {
  listerWatcher: ListerWatcher<T>;
  /** Name for logs. */
  name?: string;
  indexers?: Indexers<T>;
  /** When set, every handler gets `onUpdate(obj, obj)` for every cached object this often. */
  resyncPeriodMs?: number;
  clock?: Clock;
  logger?: Logger;
  /** Reflector tuning (watch timeouts, backoff, randomness). */
  reflector?: Pick<ReflectorOptions<T>, 'minWatchTimeoutSeconds' | 'pageSize' | 'backoff' | 'random'>;
}

/**
 * Contract: after `run(signal)`, the cache converges to the server's state; `hasSynced()`
 * turns true once the first list is in the cache and its notifications are delivered. A handler
 * added late first receives `onAdd(obj, true)` for everything already cached. Objects are
 * read-only (`DeepReadonly`, frozen).
 */
export interface SharedInformer<T extends KubeObject> {
  addEventHandler(handler: EventHandler<T>): HandlerRegistration;
  addIndexers(indexers: Indexers<T>): void;
  lister(): Lister<T>;
  store(): ReadonlyStore<T>;
  hasSynced(): boolean;
  /** Resolves true once synced, false if `signal` aborts first. */
  waitForSync(signal?: AbortSignal): Promise<boolean>;
  /** Runs until `signal` aborts; may be called once. */
  run(signal: AbortSignal): Promise<void>;
  lastSyncResourceVersion(): string;
}

export class DefaultSharedInformer<T extends KubeObject> implements SharedInformer<T>, ReflectorSink<T> {
  private readonly cache: Store<T>;
  private readonly handlers = new Set<EventHandler<T>>();
  private readonly reflector: Reflector<T>;
  private readonly clock: Clock;
  private readonly logger: Logger | undefined;
  private readonly name: string;
  private readonly resyncPeriodMs: number | undefined;
  private synced = false;
  private started = false;
  private syncWaiters: Array<() => void> = [];
  private resyncTimer: TimerHandle | undefined;

  constructor(options: SharedInformerOptions<T>) {
    this.cache = new Store<T>(options.indexers);
    this.clock = options.clock ?? realClock;
    this.logger = options.logger;
    this.name = options.name ?? '';
    this.resyncPeriodMs = options.resyncPeriodMs;
    this.reflector = new Reflector<T>({ ...options.reflector, listerWatcher: options.listerWatcher, sink: this, name: this.name, clock: this.clock, logger: this.logger });
  }

  addEventHandler(handler: EventHandler<T>): HandlerRegistration {
    this.handlers.add(handler);
    for (const obj of this.cache.list()) this.call(handler, 'onAdd', () => handler.onAdd?.(obj, true));
    return { remove: () => this.handlers.delete(handler) };
  }

  addIndexers(indexers: Indexers<T>): void {
    this.cache.addIndexers(indexers);
  }

  lister(): Lister<T> {
    return newLister(this.cache);
  }

  store(): ReadonlyStore<T> {
    return this.cache;
  }

  hasSynced(): boolean {
    return this.synced;
  }

  waitForSync(signal?: AbortSignal): Promise<boolean> {
    if (this.synced) return Promise.resolve(true);
    if (signal?.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const onAbort = (): void => resolve(false);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.syncWaiters.push(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve(true);
      });
    });
  }

  lastSyncResourceVersion(): string {
    return this.reflector.lastSyncResourceVersion();
  }

  async run(signal: AbortSignal): Promise<void> {
    if (this.started) throw new Error(`informer ${this.name} already started`);
    this.started = true;
    this.scheduleResync(signal);
    try {
      await this.reflector.run(signal);
    } finally {
      if (this.resyncTimer) this.clock.clearTimeout(this.resyncTimer);
    }
  }

  /** Reflector sink: a full list. Existing keys → update, new → add, missing → delete (final state unknown). */
  replace(items: T[], _resourceVersion: string): void {
    const seen = new Set<string>();
    const initial = !this.synced;
    for (const item of items) {
      const { key, old, obj } = this.cache.put(item);
      seen.add(key);
      if (old) this.notifyUpdate(old, obj);
      else this.notifyAdd(obj, initial);
    }
    for (const key of this.cache.listKeys()) {
      if (seen.has(key)) continue;
      const old = this.cache.remove(key)!;
      this.notifyDelete(new DeletedFinalStateUnknown<T>(key, old));
    }
    if (!this.synced) {
      this.synced = true;
      const waiters = this.syncWaiters;
      this.syncWaiters = [];
      for (const w of waiters) w();
    }
  }

  /** Reflector sink: one watch event. */
  apply(event: { type: 'ADDED' | 'MODIFIED' | 'DELETED'; object: T }): void {
    if (event.type === 'DELETED') {
      const key = keyOf(event.object);
      if (this.cache.remove(key) === undefined) return;
      this.notifyDelete(deepFreeze(event.object) as DeepReadonly<T>);
      return;
    }
    const { old, obj } = this.cache.put(event.object);
    if (old) this.notifyUpdate(old, obj);
    else this.notifyAdd(obj, false);
  }

  private scheduleResync(signal: AbortSignal): void {
    const period = this.resyncPeriodMs;
    if (!period || period <= 0) return;
    const tick = (): void => {
      if (signal.aborted) return;
      if (this.synced) for (const obj of this.cache.list()) this.notifyUpdate(obj, obj);
      this.resyncTimer = this.clock.setTimeout(tick, period);
    };
    this.resyncTimer = this.clock.setTimeout(tick, period);
  }

  private notifyAdd(obj: DeepReadonly<T>, initial: boolean): void {
    for (const h of this.handlers) this.call(h, 'onAdd', () => h.onAdd?.(obj, initial));
  }

  private notifyUpdate(old: DeepReadonly<T>, obj: DeepReadonly<T>): void {
    for (const h of this.handlers) this.call(h, 'onUpdate', () => h.onUpdate?.(old, obj));
  }

  private notifyDelete(obj: DeepReadonly<T> | DeletedFinalStateUnknown<T>): void {
    for (const h of this.handlers) this.call(h, 'onDelete', () => h.onDelete?.(obj));
  }

  private call(_h: EventHandler<T>, callback: string, fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.logger?.error({ err, informer: this.name, callback }, 'event handler failed');
    }
  }
}

/** A new shared informer (see {@link SharedInformer}). */
export function newSharedInformer<T extends KubeObject>(options: SharedInformerOptions<T>): SharedInformer<T> {
  return new DefaultSharedInformer<T>(options);
}
