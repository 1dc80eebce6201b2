/**
 * The work queue (client-go `workqueue.Typed`): fair and stingy.
 */
import { realClock, type Clock } from './clock.ts';

/** Optional observation points (e.g. wired to prom-client by the controller runtime). */
export interface QueueMetrics {
  /** Queue length after every change. */
  depth?(name: string, depth: number): void;
  /** An add that was not collapsed or ignored. */
  added?(name: string): void;
  /** Milliseconds an item waited between add and get. */
  queueLatency?(name: string, ms: number): void;
  /** Milliseconds between get and done. */
  workDuration?(name: string, ms: number): void;
  /** A rate-limited re-add. */
  retried?(name: string): void;
}

export interface QueueOptions {
  /** Name for metrics and logs. */
  name?: string;
  clock?: Clock;
  metrics?: QueueMetrics;
}

/** What {@link WorkQueue.get} resolves to. */
export type GetResult<T> = { shutdown: false; item: T } | { shutdown: true };

/**
 * A work queue of keys. Contract:
 * - fair: items are handed out in the order they were (first) added;
 * - stingy: an item is never handed to two workers at once, and adding an item that is
 *   already queued does nothing; adding an item that is being processed marks it dirty, and
 *   it is queued again when its worker calls {@link done};
 * - `get()` resolves with the next item (waiting if none), or with `{ shutdown: true }` once the
 *   queue is shut down and empty; items queued before shutdown are still handed out;
 * - every item obtained from `get()` must be passed to `done()` exactly once.
 * Items are compared with `===` (use string keys such as `ns/name`).
 */
export interface WorkQueue<T> {
  add(item: T): void;
  /** Number of queued items (not counting those being processed). */
  len(): number;
  get(): Promise<GetResult<T>>;
  done(item: T): void;
  /** Stops accepting items; pending and future `get()`s resolve once the queue is empty. */
  shutDown(): void;
  /** Like {@link shutDown}, and resolves when no item is being processed any more. */
  shutDownWithDrain(): Promise<void>;
  shuttingDown(): boolean;
}

/** The basic queue; the delaying and rate-limiting queues build on it. */
export class Queue<T> implements WorkQueue<T> {
  protected readonly name: string;
  protected readonly clock: Clock;
  protected readonly metrics: QueueMetrics;
  private items: T[] = [];
  private head = 0;
  private readonly dirty = new Set<T>();
  private readonly processing = new Map<T, number>();
  private readonly addedAt = new Map<T, number>();
  private waiters: Array<(r: GetResult<T>) => void> = [];
  private drainWaiters: Array<() => void> = [];
  private stopping = false;

  constructor(options: QueueOptions = {}) {
    this.name = options.name ?? '';
    this.clock = options.clock ?? realClock;
    this.metrics = options.metrics ?? {};
  }

  add(item: T): void {
    if (this.stopping || this.dirty.has(item)) return;
    this.metrics.added?.(this.name);
    this.dirty.add(item);
    if (this.processing.has(item)) return;
    this.enqueue(item);
  }

  len(): number {
    return this.items.length - this.head;
  }

  get(): Promise<GetResult<T>> {
    if (this.len() > 0) return Promise.resolve({ shutdown: false, item: this.take() });
    if (this.stopping) return Promise.resolve({ shutdown: true });
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  done(item: T): void {
    const started = this.processing.get(item);
    if (started === undefined) return;
    this.processing.delete(item);
    this.metrics.workDuration?.(this.name, this.clock.now() - started);
    if (this.dirty.has(item)) this.enqueue(item);
    else if (this.processing.size === 0) this.resolveDrain();
  }

  shutDown(): void {
    this.stopping = true;
    this.releaseWaiters();
  }

  shutDownWithDrain(): Promise<void> {
    this.shutDown();
    if (this.processing.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  shuttingDown(): boolean {
    return this.stopping;
  }

  private enqueue(item: T): void {
    this.addedAt.set(item, this.clock.now());
    const waiter = this.waiters.shift();
    if (waiter) {
      this.items.push(item);
      waiter({ shutdown: false, item: this.take() });
      return;
    }
    this.items.push(item);
    this.metrics.depth?.(this.name, this.len());
  }

  private take(): T {
    const item = this.items[this.head++];
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    this.dirty.delete(item);
    const now = this.clock.now();
    this.processing.set(item, now);
    this.metrics.queueLatency?.(this.name, now - (this.addedAt.get(item) ?? now));
    this.addedAt.delete(item);
    this.metrics.depth?.(this.name, this.len());
    return item;
  }

  private releaseWaiters(): void {
    if (this.len() > 0) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w({ shutdown: true });
  }

  private resolveDrain(): void {
    const drained = this.drainWaiters;
    this.drainWaiters = [];
    for (const d of drained) d();
  }
}

/** A fair, stingy work queue. */
export function newQueue<T = string>(options: QueueOptions = {}): Queue<T> {
  return new Queue<T>(options);
}
