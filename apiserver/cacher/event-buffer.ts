/**
 * A bounded, revision-ordered history of watch events for one resource: serves "events after
 * revision R" while R is inside the window, and says when it is not (the caller answers 410).
 * The window holds the last `capacity` events, and more while they are younger than
 * {@link EVENT_FRESH_MS} (up to {@link MAX_HISTORY}): upstream's watch cache grows the same way,
 * so a watch resuming from a revision a minute old is served from memory even when hundreds of
 * events a second go by.
 */
import type { WatchEvent } from '../../pkg/storage/types.ts';

/** Events younger than this stay in the history (upstream's eventFreshDuration). */
export const EVENT_FRESH_MS = 75_000;
/** The history never holds more events than this (upstream's watch cache upper bound). */
export const MAX_HISTORY = 100 * 1024;

export class EventBuffer {
  private readonly events: WatchEvent[] = [];
  private readonly times: number[] = [];
  private start = 0;
  /** Revision up to which history is complete (events after it are all buffered). */
  private oldest: number;

  constructor(
    private readonly capacity: number,
    startRevision: number,
  ) {
    this.oldest = startRevision;
  }

  /** Appends an event that happened at `nowMs`, dropping what left the window. */
  push(event: WatchEvent, nowMs: number): void {
    this.events.push(event);
    this.times.push(nowMs);
    for (;;) {
      const held = this.events.length - this.start;
      const dropOne = held > MAX_HISTORY || (held > this.capacity && nowMs - this.times[this.start]! > EVENT_FRESH_MS);
      if (!dropOne) break;
      this.oldest = this.events[this.start]!.revision;
      this.start++;
    }
    if (this.start > 1024 && this.start * 2 > this.events.length) {
      this.events.splice(0, this.start);
      this.times.splice(0, this.start);
      this.start = 0;
    }
  }

  /** The oldest revision a watch may start from (exclusive). */
  get oldestRevision(): number {
    return this.oldest;
  }

  /** Events with revision > `revision`, or undefined if history before it was dropped. */
  since(revision: number): WatchEvent[] | undefined {
    if (revision < this.oldest) return undefined;
    const out: WatchEvent[] = [];
    for (let i = this.events.length - 1; i >= this.start; i--) {
      if (this.events[i].revision <= revision) break;
      out.push(this.events[i]);
    }
    return out.reverse();
  }
}
