/**
 * Per-key exponential back-off (client-go `flowcontrol.Backoff` as the kubelet uses it):
 * container restarts wait 10 s doubling to 300 s (`CrashLoopBackOff`), image pulls the same
 * (`ImagePullBackOff`). An entry idle for twice the maximum is forgotten, so a container that
 * ran fine for 10 minutes starts over at 10 s.
 */
import type { Clock } from '../../pkg/workqueue/index.ts';

interface Entry {
  delayMs: number;
  lastUpdateMs: number;
}

/** Contract: `inBackoffSince(key, t)` is true while `now - t` < the key's current delay; `next` grows the delay. */
export class Backoff {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly clock: Clock,
    private readonly initialMs = 10_000,
    private readonly maxMs = 300_000,
  ) {}

  /** Records one more failure of `key`, growing its delay. */
  next(key: string): void {
    const now = this.clock.now();
    const entry = this.entries.get(key);
    if (!entry || now - entry.lastUpdateMs > 2 * this.maxMs) this.entries.set(key, { delayMs: this.initialMs, lastUpdateMs: now });
    else this.entries.set(key, { delayMs: Math.min(entry.delayMs * 2, this.maxMs), lastUpdateMs: now });
  }

  /** The current delay of `key` (0 when none). */
  delay(key: string): number {
    return this.entries.get(key)?.delayMs ?? 0;
  }

  /** True while `key` must still wait after an event at `sinceMs`. */
  inBackoffSince(key: string, sinceMs: number): boolean {
    const entry = this.entries.get(key);
    if (!entry) return false;
    if (this.clock.now() - entry.lastUpdateMs > 2 * this.maxMs) return false;
    return this.clock.now() - sinceMs < entry.delayMs;
  }

  /** True while `key` must wait after its last failure. */
  inBackoff(key: string): boolean {
    const entry = this.entries.get(key);
    return entry !== undefined && this.clock.now() - entry.lastUpdateMs < entry.delayMs;
  }

  /** The delay `key` is held back by after an event at `sinceMs` (0 = go ahead). */
  waitSince(key: string, sinceMs: number): number {
    return this.inBackoffSince(key, sinceMs) ? (this.entries.get(key)?.delayMs ?? 0) : 0;
  }

  /** Drops keys no longer needed (e.g. of deleted pods). */
  forget(prefix: string): void {
    for (const key of this.entries.keys()) if (key.startsWith(prefix)) this.entries.delete(key);
  }
}
