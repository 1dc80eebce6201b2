import { isDeepStrictEqual } from 'node:util';

/** A pending change of one object: what the proxier last applied and what it should now be. */
export interface PendingChange<T> {
  previous: T | undefined;
  current: T | undefined;
}

/**
 * Records changes of one source (Services or EndpointSlices), keyed by `ns/name`, as
 * {previous, current}. Several updates of one key collapse into one change whose `previous` is the
 * value last applied; a change that ends equal to what was applied is dropped (a no-op).
 * `drain()` hands over the pending changes and makes their `current` the applied value.
 */
export class ChangeTracker<T> {
  private readonly applied = new Map<string, T>();
  private readonly pending = new Map<string, PendingChange<T>>();

  /** Record that `key` now has `value` (undefined = deleted). Returns true if a change is pending for it. */
  update(key: string, value: T | undefined): boolean {
    const existing = this.pending.get(key);
    const previous = existing ? existing.previous : this.applied.get(key);
    if (isDeepStrictEqual(previous, value)) {
      this.pending.delete(key);
      return false;
    }
    this.pending.set(key, { previous, current: value });
    return true;
  }

  /** What `key` will be after the next drain: its pending value, else its applied one. */
  latest(key: string): T | undefined {
    const change = this.pending.get(key);
    return change ? change.current : this.applied.get(key);
  }

  /** Number of keys with a pending change. */
  get pendingCount(): number {
    return this.pending.size;
  }

  /** Take the pending changes and mark them applied. */
  drain(): Map<string, PendingChange<T>> {
    const out = new Map(this.pending);
    this.pending.clear();
    for (const [key, change] of out) {
      if (change.current === undefined) this.applied.delete(key);
      else this.applied.set(key, change.current);
    }
    return out;
  }

  /** The applied value of every key. */
  appliedValues(): ReadonlyMap<string, T> {
    return this.applied;
  }
}
