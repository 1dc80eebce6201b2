/**
 * Pod evictions on a timer (upstream `TimedWorkerQueue`), keyed by `namespace/name`, on an
 * injectable clock. An eviction that ran successfully is remembered (so the same pod is not
 * scheduled again while it terminates) until it is forgotten; one that failed is forgotten so a
 * later event can schedule it again.
 */
import type { Logger } from 'pino';
import type { Clock, TimerHandle } from '../../../pkg/workqueue/index.ts';
import type { ScheduledEviction } from './eviction.ts';

interface Entry {
  readonly schedule: ScheduledEviction;
  timer?: TimerHandle;
  /** The eviction has started (its pod is being deleted): there is nothing left to cancel. */
  started: boolean;
  done: boolean;
}

/** Runs one eviction; rejecting means it failed. */
export type EvictPod = (key: string, schedule: ScheduledEviction) => Promise<void>;

/** The eviction timers of one controller (see the module comment). */
export class TimedEvictions {
  private readonly entries = new Map<string, Entry>();
  private stopped = false;

  constructor(
    private readonly clock: Clock,
    private readonly evict: EvictPod,
    private readonly log: Logger,
  ) {}

  /** The eviction waiting for `key` (undefined when none, or it already ran; upstream `GetWorkerUnsafe`). */
  scheduled(key: string): ScheduledEviction | undefined {
    const entry = this.entries.get(key);
    return entry && !entry.done ? entry.schedule : undefined;
  }

  /** Schedules an eviction unless `key` has one (waiting or done); true when scheduled. */
  add(key: string, schedule: ScheduledEviction): boolean {
    if (this.stopped || this.entries.has(key)) return false;
    const entry: Entry = { schedule, started: false, done: false };
    this.entries.set(key, entry);
    entry.timer = this.clock.setTimeout(() => void this.fire(key, entry), schedule.fireAt - this.clock.now());
    return true;
  }

  /**
   * Forgets `key`'s eviction, cancelling it if it still waits; true only then (upstream
   * `CancelWork`: an eviction that already ran is forgotten, not cancelled). One under way counts
   * as run: its pod's deletion, seen while the delete call is still answering, cancels nothing.
   */
  cancel(key: string): boolean {
    const entry = this.entries.get(key);
    if (!entry) return false;
    if (entry.timer) this.clock.clearTimeout(entry.timer);
    this.entries.delete(key);
    return !entry.started;
  }

  /** Cancels every timer; later `add`s are ignored (the controller stopped or lost the lease). */
  stop(): void {
    this.stopped = true;
    for (const entry of this.entries.values()) if (entry.timer) this.clock.clearTimeout(entry.timer);
    this.entries.clear();
  }

  private async fire(key: string, entry: Entry): Promise<void> {
    entry.timer = undefined;
    entry.started = true;
    try {
      await this.evict(key, entry.schedule);
      if (this.entries.get(key) === entry) entry.done = true;
    } catch (err) {
      this.log.warn({ err, pod: key }, 'evicting pod failed');
      if (this.entries.get(key) === entry) this.entries.delete(key);
    }
  }
}
