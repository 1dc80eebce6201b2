/**
 * The back-off between deletions of failed daemon pods on one node (upstream's
 * `flowcontrol.Backoff` as the DaemonSet controller uses it: 1 s doubling to 15 min, an entry
 * forgotten after twice the maximum without failures), so a node whose kubelet keeps rejecting
 * the pod is not hot-looped. Time comes from the injected clock.
 */
import type { Clock } from '../../../pkg/workqueue/index.ts';

export const FAILED_POD_BACKOFF_INITIAL_MS = 1_000;
export const FAILED_POD_BACKOFF_MAX_MS = 15 * 60_000;

interface Entry {
  delayMs: number;
  lastUpdate: number;
}

/** Contract: `inBackoff(key)` is true from `next(key)` until the current delay has passed. */
export class FailedPodBackoff {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly clock: Clock,
    private readonly initialMs = FAILED_POD_BACKOFF_INITIAL_MS,
    private readonly maxMs = FAILED_POD_BACKOFF_MAX_MS,
  ) {}

  private expired(entry: Entry, now: number): boolean {
    return now - entry.lastUpdate > 2 * this.maxMs;
  }

  /** Whether a deletion for `key` must wait (upstream `IsInBackOffSinceUpdate`). */
  inBackoff(key: string): boolean {
    const entry = this.entries.get(key);
    const now = this.clock.now();
    return !!entry && !this.expired(entry, now) && now - entry.lastUpdate < entry.delayMs;
  }

  /** The current delay of `key` in ms (0 when unknown). */
  delayMs(key: string): number {
    return this.entries.get(key)?.delayMs ?? 0;
  }

  /** Records a deletion now: the first (or first in a long while) waits the initial delay, each next one twice the last. */
  next(key: string): void {
    const now = this.clock.now();
    for (const [k, e] of this.entries) if (this.expired(e, now)) this.entries.delete(k);
    const entry = this.entries.get(key);
    const delayMs = entry ? Math.min(entry.delayMs * 2, this.maxMs) : this.initialMs;
    this.entries.set(key, { delayMs, lastUpdate: now });
  }
}
