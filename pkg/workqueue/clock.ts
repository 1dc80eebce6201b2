/**
 * An injectable clock. Everything in the client libraries that waits (delaying queue, rate
 * limiters, reflector backoff, resync) goes through a {@link Clock}, so tests drive time with
 * {@link FakeClock} instead of global fake timers.
 */

/** An opaque handle returned by {@link Clock.setTimeout}. */
export interface TimerHandle {
  readonly __timer: true;
}

/**
 * Time source and one-shot timers. Contract: `now()` is milliseconds and never goes backwards;
 * a timer fires once, at or after `now() + ms`, unless cleared first; clearing an already fired
 * or cleared timer is a no-op.
 */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** The process clock (`Date.now`, `setTimeout`). */
export const realClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, Math.max(0, ms)) as unknown as TimerHandle,
  clearTimeout: (handle) => clearTimeout(handle as unknown as ReturnType<typeof setTimeout>),
};

interface FakeTimer extends TimerHandle {
  due: number;
  seq: number;
  fn: () => void;
}

/**
 * A manual clock for tests. Time moves only through {@link FakeClock.step} / {@link FakeClock.setTime},
 * which fire due timers in due order (timers scheduled while stepping fire too if they fall
 * inside the step), each with `now()` equal to its due time.
 */
export class FakeClock implements Clock {
  private current: number;
  private seq = 0;
  private timers: FakeTimer[] = [];

  constructor(start = 1_700_000_000_000) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const timer: FakeTimer = { __timer: true, due: this.current + Math.max(0, ms), seq: this.seq++, fn };
    this.timers.push(timer);
    return timer;
  }

  clearTimeout(handle: TimerHandle): void {
    this.timers = this.timers.filter((t) => t !== handle);
  }

  /** Number of timers not yet fired or cleared. */
  pendingTimers(): number {
    return this.timers.length;
  }

  /** Due times of pending timers, relative to now, ascending. */
  pendingDelays(): number[] {
    return this.timers.map((t) => t.due - this.current).sort((a, b) => a - b);
  }

  /** Advances time by `ms`, firing every timer that becomes due. */
  step(ms: number): void {
    this.setTime(this.current + ms);
  }

  /** Moves time to `t` (never backwards), firing every timer due by then. */
  setTime(t: number): void {
    const target = Math.max(t, this.current);
    for (;;) {
      const next = this.nextDue(target);
      if (!next) break;
      this.timers = this.timers.filter((x) => x !== next);
      this.current = next.due;
      next.fn();
    }
    this.current = target;
  }

  private nextDue(limit: number): FakeTimer | undefined {
    let best: FakeTimer | undefined;
    for (const t of this.timers) {
      if (t.due > limit) continue;
      if (!best || t.due < best.due || (t.due === best.due && t.seq < best.seq)) best = t;
    }
    return best;
  }
}
