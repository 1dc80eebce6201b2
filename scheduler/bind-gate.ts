/**
 * How many binding cycles may write to the API server at once before the scheduling loop waits
 * (k8ts; upstream starts one goroutine per binding without a bound, and its client's QPS limit
 * queues them). Beyond the API server's own pace more bindings in flight only queue there: at
 * 5,000 nodes ~780 were, and a pod waited seconds from its scheduling attempt to its binding while
 * the loop kept assuming pods. 64 keeps the API server busy without that queue.
 */
export const MAX_BINDS_IN_FLIGHT = 64;

/**
 * Counts binding cycles past Permit (PreBind and Bind, the API writes) and lets the scheduling loop
 * wait while `limit` of them are in flight. Pods waiting at Permit do not count: a Permit plugin
 * may hold them until more pods are scheduled (gangs), so counting them could stall the loop.
 */
export class BindGate {
  private inFlight = 0;
  private waiters: Array<() => void> = [];

  constructor(readonly limit: number = MAX_BINDS_IN_FLIGHT) {}

  /** Binds in flight now. */
  get size(): number {
    return this.inFlight;
  }

  /** Resolves once fewer than `limit` binds are in flight (at once when already so). */
  async whenOpen(): Promise<void> {
    while (this.inFlight >= this.limit) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  /** A binding cycle starts writing. Pair with {@link BindGate.leave}. */
  enter(): void {
    this.inFlight++;
  }

  /** A binding cycle is done writing (bound or failed); wakes the loop if it waits. */
  leave(): void {
    this.inFlight--;
    const waiting = this.waiters;
    this.waiters = [];
    for (const wake of waiting) wake();
  }
}
