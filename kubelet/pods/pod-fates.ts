/**
 * What this kubelet decided about each pod beyond its spec (upstream's pod admission and the
 * pod workers' "terminate abnormally" requests): whether it admitted the pod, and the final
 * status it gave a pod it rejected or evicted — phase Failed, a reason, a message, a condition,
 * the grace period to stop it with — laid over the pod's own status on every sync until the pod
 * is gone, so a watch that still shows the old status never restarts it. An eviction waits for
 * the pod's next finished sync.
 */
import type { PodCondition } from '../../pkg/api/core/v1/pod-status.ts';
import type { Pod } from '../../pkg/api/core/v1/pod.ts';
import { isTerminalPodPhase } from '../../pkg/api/core/v1/pod-status.ts';

/** The final status this kubelet decided for a pod. */
export interface PodFate {
  reason: string;
  message: string;
  condition?: PodCondition;
  /** Stop the pod within this many seconds (an eviction's); default its own grace period. */
  graceSeconds?: number;
}

/**
 * Contract: a pod is decided once (`admitted` or `fail`) until `forget(uid)`; `overlay` returns
 * the pod with its fate's final status (or the pod unchanged); `waitForSync(uid)` resolves after
 * the next sync that started after it, and rejects if that sync fails or on `rejectAll`.
 */
export class PodFates {
  private readonly admitted = new Set<string>();
  private readonly fates = new Map<string, PodFate>();
  private readonly waiters = new Map<string, { resolve(): void; reject(err: unknown): void }>();

  /** Whether the pod still needs an admission decision (not decided, not already final). */
  undecided(pod: Pod): boolean {
    const uid = pod.metadata.uid as string;
    return !this.admitted.has(uid) && !this.fates.has(uid) && !isTerminalPodPhase(pod.status?.phase);
  }

  admit(uid: string): void {
    this.admitted.add(uid);
  }

  /** Gives the pod a final status (rejected at admission, or evicted). */
  fail(uid: string, fate: PodFate): void {
    this.fates.set(uid, fate);
  }

  get(uid: string): PodFate | undefined {
    return this.fates.get(uid);
  }

  /** Admitted, no fate decided, not final: upstream's active pods. */
  active(pod: Pod): boolean {
    const uid = pod.metadata.uid as string;
    return this.admitted.has(uid) && !this.fates.has(uid) && !isTerminalPodPhase(pod.status?.phase);
  }

  /** Resolves once the pod's next sync finished (rejects if it failed). */
  waitForSync(uid: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiters.get(uid)?.reject(new Error('superseded by a newer request'));
      this.waiters.set(uid, { resolve, reject });
    });
  }

  /** Call as a sync of the pod starts; hand the result to {@link synced}. */
  syncing(uid: string): unknown {
    return this.waiters.get(uid);
  }

  /**
   * Reports a finished sync of the pod (`started` from {@link syncing}) to whoever waited for it
   * since before it started: a wait begun during a sync is for the next one.
   */
  synced(uid: string, started: unknown, err?: unknown): void {
    const waiter = this.waiters.get(uid);
    if (!waiter || waiter !== started) return;
    this.waiters.delete(uid);
    if (err === undefined) waiter.resolve();
    else waiter.reject(err);
  }

  /** The pod is gone: forget everything about it. */
  forget(uid: string): void {
    this.admitted.delete(uid);
    this.fates.delete(uid);
  }

  rejectAll(err: Error): void {
    for (const waiter of this.waiters.values()) waiter.reject(err);
    this.waiters.clear();
  }

  /** The pod (mutated) with its fate's phase Failed, reason, message and condition over its own status. */
  overlay(pod: Pod): Pod {
    const fate = this.fates.get(pod.metadata.uid as string);
    if (!fate) return pod;
    const type = fate.condition?.type;
    const own = pod.status?.conditions ?? [];
    const conditions = fate.condition ? [...own.filter((c) => c.type !== type), own.find((c) => c.type === type && c.status === fate.condition?.status) ?? fate.condition] : own;
    pod.status = { ...pod.status, phase: 'Failed', reason: fate.reason, message: fate.message, ...(conditions.length ? { conditions } : {}) };
    return pod;
  }
}
