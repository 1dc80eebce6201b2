/**
 * A per-zone queue of nodes to taint NoExecute, rate limited (upstream
 * `scheduler.RateLimitedTimedQueue` with a burst-1 token bucket). A node is added at most once
 * until it is explicitly removed — once processed it stays "seen" so a node that remains
 * unreachable is not tainted again every pass — and each `process` call handles due nodes while
 * the limiter allows.
 */
import type { Clock } from '../../../pkg/workqueue/index.ts';

/** Upstream `EvictionRateLimiterBurst`. */
export const EVICTION_RATE_LIMITER_BURST = 1;

/**
 * A token bucket answering "may I, now?" (client-go `flowcontrol.TokenBucketRateLimiter.TryAccept`).
 * Starts full; a rate of 0 or less never accepts.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    readonly qps: number,
    private readonly burst: number,
    private readonly clock: Clock,
  ) {
    this.tokens = burst;
    this.last = clock.now();
  }

  /** Takes a token when one is available. */
  tryAccept(): boolean {
    if (!(this.qps > 0)) return false;
    const now = this.clock.now();
    this.tokens = Math.min(this.burst, this.tokens + (Math.max(0, now - this.last) * this.qps) / 1000);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/** A queued node. */
export interface TimedValue {
  readonly value: string;
  readonly uid: string;
  readonly addedAt: number;
  readonly processAt: number;
}

/** What processing one value answers: done, or retry after `retryAfterMs`. */
export type ProcessOutcome = { readonly done: true } | { readonly done: false; readonly retryAfterMs: number };

/** The rate-limited queue of one zone (see the module comment). */
export class RateLimitedTimedQueue {
  private queue: TimedValue[] = [];
  private readonly seen = new Set<string>();
  private limiter: TokenBucket;
  private processing: Promise<void> = Promise.resolve();

  constructor(
    qps: number,
    private readonly clock: Clock,
  ) {
    this.limiter = new TokenBucket(qps, EVICTION_RATE_LIMITER_BURST, clock);
  }

  /** Adds `value` unless it was added and not removed since; true when added. */
  add(value: string, uid: string): boolean {
    if (this.seen.has(value)) return false;
    const now = this.clock.now();
    this.seen.add(value);
    this.insert({ value, uid, addedAt: now, processAt: now });
    return true;
  }

  /** Forgets `value` (queued or already processed) so it may be added again; true when it was known. */
  remove(value: string): boolean {
    if (!this.seen.delete(value)) return false;
    this.queue = this.queue.filter((v) => v.value !== value);
    return true;
  }

  /** Values waiting, soonest first. */
  pending(): readonly TimedValue[] {
    return this.queue;
  }

  /** The current rate (per second). */
  get qps(): number {
    return this.limiter.qps;
  }

  /**
   * Uses a new rate; a limiter that was out of tokens is replaced by a drained one (burst 1), as
   * upstream `SwapLimiter`.
   */
  swapLimiter(qps: number): void {
    if (this.limiter.qps === qps) return;
    const next = new TokenBucket(qps, EVICTION_RATE_LIMITER_BURST, this.clock);
    if (qps > 0 && !this.limiter.tryAccept()) next.tryAccept();
    this.limiter = next;
  }

  /**
   * Processes due values in order while the limiter gives tokens (upstream `Try`): a value whose
   * `fn` is done leaves the queue but stays seen; one that is not is retried after the wait.
   * Calls never overlap.
   */
  process(fn: (value: TimedValue) => Promise<ProcessOutcome>): Promise<void> {
    const run = this.processing.then(async () => {
      let head = this.queue[0];
      while (head) {
        if (!this.limiter.tryAccept()) break;
        const now = this.clock.now();
        if (now < head.processAt) break;
        const outcome = await fn(head);
        const current = head;
        this.queue = this.queue.filter((v) => v !== current);
        if (!outcome.done && this.seen.has(current.value)) this.insert({ ...current, processAt: now + outcome.retryAfterMs + 1 });
        head = this.queue[0];
      }
    });
    this.processing = run.catch(() => {});
    return run;
  }

  private insert(value: TimedValue): void {
    const at = this.queue.findIndex((v) => v.processAt > value.processAt);
    if (at < 0) this.queue.push(value);
    else this.queue.splice(at, 0, value);
  }
}
