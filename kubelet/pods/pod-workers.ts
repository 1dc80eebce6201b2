/**
 * One serialized worker per pod UID (upstream `podWorkers`): a sync requested while one runs
 * for the same pod runs once more afterwards (requests coalesce), different pods sync in
 * parallel, and a failing sync is retried after a short delay by the caller's next trigger.
 */
import type { Logger } from 'pino';

/**
 * Contract: `sync(uid)` never runs twice at once for one uid; `idle()` resolves when no sync runs
 * or is pending; after `stop()` no sync starts (requests are dropped).
 */
export class PodWorkers {
  private readonly running = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();
  private stopped = false;

  constructor(
    private readonly sync: (uid: string) => Promise<void>,
    private readonly log: Logger,
  ) {}

  /** Requests a sync of `uid`. */
  enqueue(uid: string): void {
    if (this.stopped) return;
    if (this.running.has(uid)) {
      this.again.add(uid);
      return;
    }
    const run = (async () => {
      do {
        this.again.delete(uid);
        try {
          await this.sync(uid);
        } catch (err) {
          this.log.warn({ err, podUID: uid }, 'pod sync failed; will retry');
        }
      } while (this.again.has(uid));
    })();
    this.running.set(uid, run);
    void run.finally(() => this.running.delete(uid));
  }

  /** Number of pods syncing now. */
  busy(): number {
    return this.running.size;
  }

  /**
   * Start no more syncs: later requests, and those queued behind a running sync, are dropped.
   * The running ones finish; `idle()` waits for them. Used at shutdown, so that nothing (an
   * informer event, a probe or backoff timer) creates a sandbox once the kubelet has stopped.
   */
  stop(): void {
    this.stopped = true;
    this.again.clear();
  }

  async idle(): Promise<void> {
    while (this.running.size) await Promise.all([...this.running.values()]);
  }
}
