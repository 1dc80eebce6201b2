/** Pods held at Permit (upstream waitingPodsMap): resolved by allow/reject or their timeout. */
import type { Clock, TimerHandle } from '../../../pkg/workqueue/index.ts';
import type { WaitingPod } from '../handle.ts';
import { Code, Status } from '../status.ts';
import { podUid, type PodObject } from '../types.ts';

class PermitWaiter implements WaitingPod {
  private readonly pending: Map<string, TimerHandle>;
  private settle!: (s: Status) => void;
  readonly done: Promise<Status>;

  constructor(
    readonly pod: PodObject,
    timeouts: Map<string, number>,
    private readonly clock: Clock,
  ) {
    this.done = new Promise((resolve) => (this.settle = resolve));
    this.pending = new Map();
    for (const [plugin, ms] of timeouts) {
      this.pending.set(plugin, clock.setTimeout(() => this.reject(plugin, `rejected due to timeout after waiting ${ms / 1000}s at plugin ${plugin}`), ms));
    }
  }

  pendingPlugins(): string[] {
    return [...this.pending.keys()];
  }

  allow(plugin: string): void {
    const t = this.pending.get(plugin);
    if (!t) return;
    this.clock.clearTimeout(t);
    this.pending.delete(plugin);
    if (this.pending.size === 0) this.settle(Status.SUCCESS);
  }

  reject(plugin: string, message: string): void {
    for (const t of this.pending.values()) this.clock.clearTimeout(t);
    this.pending.clear();
    this.settle(Status.of(Code.Unschedulable, message).withPlugin(plugin));
  }
}

/** Contract: at most one waiter per pod UID; `wait` resolves with Success or a rejection. */
export class WaitingPods {
  private readonly byUid = new Map<string, PermitWaiter>();
  constructor(private readonly clock: Clock) {}

  /** Starts waiting for `pod` on the plugins in `timeouts` (plugin → ms). */
  add(pod: PodObject, timeouts: Map<string, number>): Promise<Status> {
    const w = new PermitWaiter(pod, timeouts, this.clock);
    const uid = podUid(pod);
    this.byUid.set(uid, w);
    return w.done.finally(() => this.byUid.delete(uid));
  }

  get(uid: string): WaitingPod | undefined {
    return this.byUid.get(uid);
  }

  forEach(fn: (wp: WaitingPod) => void): void {
    for (const w of this.byUid.values()) fn(w);
  }
}
