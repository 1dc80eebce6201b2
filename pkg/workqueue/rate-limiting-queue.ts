/**
 * The rate-limiting queue (client-go `RateLimitingInterface`): retries wait as long as the
 * rate limiter says.
 */
import { DelayingQueue, type DelayingWorkQueue } from './delaying-queue.ts';
import type { QueueOptions } from './queue.ts';
import { defaultControllerRateLimiter, type RateLimiter } from './rate-limiters.ts';

/**
 * A {@link DelayingWorkQueue} with retry bookkeeping. Contract: `addRateLimited(item)` counts a
 * failure and adds the item after the limiter's delay; `forget(item)` ends its retry history
 * (call it when the item was processed successfully — `done` is still required);
 * `numRequeues(item)` is the count of failures on record.
 */
export interface RateLimitingWorkQueue<T> extends DelayingWorkQueue<T> {
  addRateLimited(item: T): void;
  forget(item: T): void;
  numRequeues(item: T): number;
}

export interface RateLimitingQueueOptions<T> extends QueueOptions {
  /** Defaults to {@link defaultControllerRateLimiter} on the queue's clock. */
  rateLimiter?: RateLimiter<T>;
}

export class RateLimitingQueue<T> extends DelayingQueue<T> implements RateLimitingWorkQueue<T> {
  private readonly limiter: RateLimiter<T>;

  constructor(options: RateLimitingQueueOptions<T> = {}) {
    super(options);
    this.limiter = options.rateLimiter ?? defaultControllerRateLimiter<T>(this.clock);
  }

  addRateLimited(item: T): void {
    if (this.shuttingDown()) return;
    this.metrics.retried?.(this.name);
    this.addAfter(item, this.limiter.when(item));
  }

  forget(item: T): void {
    this.limiter.forget(item);
  }

  numRequeues(item: T): number {
    return this.limiter.numRequeues(item);
  }
}

/** A fair, stingy, delaying queue with rate-limited retries. */
export function newRateLimitingQueue<T = string>(options: RateLimitingQueueOptions<T> = {}): RateLimitingQueue<T> {
  return new RateLimitingQueue<T>(options);
}
