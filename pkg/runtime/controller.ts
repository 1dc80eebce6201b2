/**
 * A controller: a rate-limited work queue of request keys and N workers calling one
 * {@link Reconciler}. The queue is stingy, so one key is never reconciled by two workers at once.
 */
import { setImmediate } from 'node:timers/promises';
import type { Logger } from 'pino';
import { newRateLimitingQueue, type Clock, type RateLimitingQueue } from '../workqueue/index.ts';
import type { RuntimeMetrics } from './metrics.ts';
import { requestFromKey, requestKey, TerminalError, type ReconcileRequest, type Reconciler, type Result } from './reconciler.ts';

/** Options of {@link Controller}. */
export interface ControllerOptions {
  name: string;
  reconciler: Reconciler;
  logger: Logger;
  clock: Clock;
  metrics: RuntimeMetrics;
  /** Workers (default 1). */
  maxConcurrentReconciles?: number;
}

/**
 * Contract: `enqueue`/`enqueueAfter` may be called any time (before `start` they are queued);
 * `start(signal)` runs the workers until the signal aborts, then drains in-flight reconciles
 * and resolves. Outcomes: normal return forgets the key's failures (and requeues as the
 * {@link Result} asks); a thrown error requeues with back-off; {@link TerminalError} does not.
 */
export class Controller {
  readonly name: string;
  private readonly queue: RateLimitingQueue<string>;
  private readonly log: Logger;

  constructor(private readonly options: ControllerOptions) {
    this.name = options.name;
    this.log = options.logger.child({ controller: options.name });
    this.queue = newRateLimitingQueue<string>({ name: options.name, clock: options.clock, metrics: options.metrics.queueMetrics });
  }

  /** Queues a reconcile of `request` (collapsing with one already queued). */
  enqueue(request: ReconcileRequest): void {
    this.queue.add(requestKey(request));
  }

  /** Queues a reconcile of `request` after `ms`. */
  enqueueAfter(request: ReconcileRequest, ms: number): void {
    this.queue.addAfter(requestKey(request), ms);
  }

  /** Runs the workers until `signal` aborts; resolves once every worker has returned. */
  async start(signal: AbortSignal): Promise<void> {
    const workers = Math.max(1, this.options.maxConcurrentReconciles ?? 1);
    const stop = () => void this.queue.shutDownWithDrain();
    if (signal.aborted) stop();
    else signal.addEventListener('abort', stop, { once: true });
    this.log.info({ workers }, 'starting workers');
    await Promise.all(Array.from({ length: workers }, () => this.work(signal)));
    this.log.info('workers stopped');
  }

  private async work(signal: AbortSignal): Promise<void> {
    for (;;) {
      const next = await this.queue.get();
      if (next.shutdown) return;
      try {
        await this.reconcileKey(next.item, signal);
      } finally {
        this.queue.done(next.item);
      }
      // get() and a reconcile that needs no API call settle as microtasks: without a turn of the
      // event loop a long queue (every pod at start-up) would keep watch streams unread and
      // timers (leader-election renewals) from firing until it is empty.
      await setImmediate();
    }
  }

  private async reconcileKey(key: string, signal: AbortSignal): Promise<void> {
    const request = requestFromKey(key);
    const log = this.log.child({ request: key });
    const started = this.options.clock.now();
    const { metrics } = this.options;
    let result: Result | void;
    try {
      result = await this.options.reconciler.reconcile(request, { signal, log });
    } catch (err) {
      metrics.observeReconcile(this.name, err instanceof TerminalError ? 'terminal_error' : 'error', this.options.clock.now() - started);
      if (err instanceof TerminalError) {
        log.error({ err }, 'reconcile failed terminally; not retrying');
        this.queue.forget(key);
        return;
      }
      if (signal.aborted) return;
      log.warn({ err, retries: this.queue.numRequeues(key) }, 'reconcile failed; retrying with back-off');
      this.queue.addRateLimited(key);
      return;
    }
    const outcome = result?.requeueAfterMs !== undefined ? 'requeue_after' : result?.requeue ? 'requeue' : 'success';
    metrics.observeReconcile(this.name, outcome, this.options.clock.now() - started);
    if (result?.requeueAfterMs !== undefined) {
      this.queue.forget(key);
      this.queue.addAfter(key, result.requeueAfterMs);
    } else if (result?.requeue) {
      this.queue.addRateLimited(key);
    } else {
      this.queue.forget(key);
    }
  }
}
