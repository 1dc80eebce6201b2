/**
 * Creation → Running bookkeeping of the density run, fed by one pod watch: when each pod was
 * first seen and when it was first seen Running (times are the watcher's clock, ms). Pure state;
 * no I/O.
 */

/** The part of a pod the tracker reads. */
export interface TrackedPod {
  metadata: { uid?: string; namespace?: string };
  status?: { phase?: string };
}

/** Counts of the tracker at one moment. */
export interface TrackerCounts {
  created: number;
  running: number;
}

export class PodTracker {
  private readonly firstSeen = new Map<string, number>();
  private readonly runningAt = new Map<string, number>();
  private firstCreateMs = Infinity;
  private lastRunningMs = 0;

  /** `namespaces` limits tracking to the benchmark's own namespaces (undefined: every pod). */
  constructor(private readonly namespaces?: ReadonlySet<string>) {}

  /** One ADDED/MODIFIED pod seen at `nowMs`. Deleted pods keep their record. */
  observe(pod: TrackedPod, nowMs: number): void {
    const uid = pod.metadata.uid;
    if (!uid) return;
    if (this.namespaces && !this.namespaces.has(pod.metadata.namespace ?? '')) return;
    if (!this.firstSeen.has(uid)) {
      this.firstSeen.set(uid, nowMs);
      this.firstCreateMs = Math.min(this.firstCreateMs, nowMs);
    }
    if (pod.status?.phase === 'Running' && !this.runningAt.has(uid)) {
      this.runningAt.set(uid, nowMs);
      this.lastRunningMs = Math.max(this.lastRunningMs, nowMs);
    }
  }

  /** Marks the start of the run (e.g. the first Deployment POST), if earlier than any pod seen. */
  started(nowMs: number): void {
    this.firstCreateMs = Math.min(this.firstCreateMs, nowMs);
  }

  counts(): TrackerCounts {
    return { created: this.firstSeen.size, running: this.runningAt.size };
  }

  /** Running pods ÷ seconds from the run's start to the last pod seen Running (0 before any). */
  podsPerSecond(): number {
    const seconds = (this.lastRunningMs - this.firstCreateMs) / 1000;
    return this.runningAt.size === 0 || !(seconds > 0) ? 0 : this.runningAt.size / seconds;
  }

  /** Seconds from the run's start to the last pod seen Running. */
  seconds(): number {
    return this.runningAt.size === 0 ? 0 : (this.lastRunningMs - this.firstCreateMs) / 1000;
  }

  /** Per-pod creation → Running latencies in ms, sorted ascending. */
  latenciesMs(): number[] {
    const out: number[] = [];
    for (const [uid, t] of this.runningAt) out.push(t - (this.firstSeen.get(uid) as number));
    return out.sort((a, b) => a - b);
  }
}
