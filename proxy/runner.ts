/** Clock the runner uses; injectable for tests. */
export interface RunnerClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The real clock. */
export const realClock: RunnerClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

/** Options of a BoundedFrequencyRunner. */
export interface BoundedFrequencyRunnerOptions {
  /** Minimum time between the starts of two runs (upstream --min-sync-period, default 1000 ms). */
  minIntervalMs?: number;
  /** A run happens at least this often even without triggers (upstream --sync-period, default 30000 ms). */
  maxIntervalMs?: number;
  clock?: RunnerClock;
  /** Called when a run throws or rejects. */
  onError?: (err: unknown) => void;
}

/**
 * Runs `fn` at most once per minInterval and at least once per maxInterval, like upstream
 * async.BoundedFrequencyRunner (burst 1): triggers via `run()` coalesce; only one run is in
 * flight at a time; a trigger during a run schedules one more run after it.
 */
export class BoundedFrequencyRunner {
  private readonly minInterval: number;
  private readonly maxInterval: number;
  private readonly clock: RunnerClock;
  private lastStart = Number.NEGATIVE_INFINITY;
  private timer: unknown;
  private timerDue = Number.POSITIVE_INFINITY;
  private running = false;
  private rerun = false;
  private stopped = true;

  constructor(
    private readonly fn: () => void | Promise<void>,
    private readonly options: BoundedFrequencyRunnerOptions = {},
  ) {
    this.minInterval = options.minIntervalMs ?? 1000;
    this.maxInterval = options.maxIntervalMs ?? 30000;
    this.clock = options.clock ?? realClock;
  }

  /** Start periodic runs (the first one after maxInterval unless triggered). */
  start(): void {
    this.stopped = false;
    this.schedule(this.maxInterval);
  }

  /** Stop; a run in flight completes, nothing further is scheduled. */
  stop(): void {
    this.stopped = true;
    this.cancelTimer();
  }

  /** Request a run as soon as minInterval allows. */
  run(): void {
    if (this.stopped) return;
    if (this.running) {
      this.rerun = true;
      return;
    }
    const wait = Math.max(0, this.lastStart + this.minInterval - this.clock.now());
    this.schedule(wait);
  }

  /** Number of runs started so far. */
  runs = 0;

  private schedule(delay: number): void {
    const due = this.clock.now() + delay;
    if (this.timer !== undefined && this.timerDue <= due) return;
    this.cancelTimer();
    this.timerDue = due;
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      this.timerDue = Number.POSITIVE_INFINITY;
      void this.execute();
    }, delay);
  }

  private cancelTimer(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.timerDue = Number.POSITIVE_INFINITY;
  }

  private async execute(): Promise<void> {
    if (this.stopped || this.running) return;
    this.running = true;
    this.rerun = false;
    this.lastStart = this.clock.now();
    this.runs++;
    try {
      await this.fn();
    } catch (err) {
      this.options.onError?.(err);
    } finally {
      this.running = false;
    }
    if (this.stopped) return;
    if (this.rerun) this.run();
    else this.schedule(Math.max(0, this.lastStart + this.maxInterval - this.clock.now()));
  }
}
