/**
 * Proxier health as upstream kube-proxy's /healthz: healthy unless an update has been queued
 * for longer than `timeoutMs` without a sync, or no sync ever succeeded within `timeoutMs` of
 * the start. Pure over an injected clock.
 */
export class ProxyHealth {
  private lastUpdated: number | undefined;
  private oldestPending: number | undefined;
  private readonly startedAt: number;

  constructor(
    private readonly timeoutMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.startedAt = now();
  }

  /** A change was queued (informer event). */
  queued(): void {
    this.oldestPending ??= this.now();
  }

  /** A sync succeeded. */
  updated(): void {
    this.lastUpdated = this.now();
    this.oldestPending = undefined;
  }

  /** The /healthz status code and upstream JSON body. */
  report(): { status: number; body: { lastUpdated: string; currentTime: string; nodeEligible: boolean } } {
    const now = this.now();
    const stalePending = this.oldestPending !== undefined && now - this.oldestPending > this.timeoutMs;
    const neverSynced = this.lastUpdated === undefined && now - this.startedAt > this.timeoutMs;
    const healthy = !stalePending && !neverSynced;
    return {
      status: healthy ? 200 : 503,
      body: {
        lastUpdated: new Date(this.lastUpdated ?? 0).toISOString(),
        currentTime: new Date(now).toISOString(),
        nodeEligible: true,
      },
    };
  }
}
