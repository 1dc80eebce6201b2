/**
 * A bounded, revision-ordered history of watch events for one resource: serves "events after
 * revision R" while R is inside the window, and says when it is not (the caller answers 410).
 */
import type { WatchEvent } from '../../pkg/storage/types.ts';

export class EventBuffer {
  private readonly events: WatchEvent[] = [];
  private start = 0;
  /** Revision up to which history is complete (events after it are all buffered). */
  private oldest: number;

  constructor(
    private readonly capacity: number,
    startRevision: number,
  ) {
    this.oldest = startRevision;
  }

  push(event: WatchEvent): void {
    this.events.push(event);
    if (this.events.length - this.start > this.capacity) {
      this.oldest = this.events[this.start].revision;
      this.start++;
      if (this.start > 1024 && this.start * 2 > this.events.length) {
        this.events.splice(0, this.start);
        this.start = 0;
      }
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
