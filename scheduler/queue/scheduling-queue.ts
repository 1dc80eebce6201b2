/**
 * The scheduling queue (upstream PriorityQueue): activeQ (heap by QueueSort), backoffQ (heap by
 * back-off expiry) and unschedulablePods (waiting for a relevant cluster event or the 5-minute
 * flush). Time comes from an injected Clock.
 */
import {
  eventMatches,
  FORCE_ACTIVATE,
  newPodInfo,
  podUid,
  UNSCHEDULABLE_TIMEOUT,
  WILDCARD_EVENT,
  type ClusterEvent,
  type ClusterEventWithHint,
  type PodObject,
  type QueuedPodInfo,
  type Status,
} from '../framework/index.ts';
import type { Clock, TimerHandle } from '../../pkg/workqueue/index.ts';
import { backoffDuration } from './backoff.ts';
import { KeyedHeap } from './heap.ts';
import { InFlightLog } from './in-flight-log.ts';
import { Nominator } from './nominator.ts';

/** What the queue needs to know about a profile (by schedulerName). */
export interface QueueProfile {
  /** PreEnqueue plugins; non-success keeps the pod gated in unschedulablePods. */
  preEnqueue(pod: PodObject): Status;
  /** Plugin name → events that can make a pod it rejected schedulable. */
  enqueueExtensions: ReadonlyMap<string, readonly ClusterEventWithHint[]>;
}

export interface SchedulingQueueOptions {
  clock: Clock;
  /** QueueSort of the profiles (all profiles share one). */
  less(a: QueuedPodInfo, b: QueuedPodInfo): boolean;
  profiles: ReadonlyMap<string, QueueProfile>;
  podInitialBackoffMs?: number;
  podMaxBackoffMs?: number;
  /** Pods unschedulable longer than this are retried (default 5 min). */
  podMaxInUnschedulablePodsDurationMs?: number;
  /** Shared with the frameworks' handles (default: a new one). */
  nominator?: Nominator;
}

export type QueueName = 'active' | 'backoff' | 'unschedulable' | 'gated';

interface RecordedEvent {
  event: ClusterEvent;
  oldObj: unknown;
  newObj: unknown;
}

const profileOf = (pod: PodObject) => pod.spec?.schedulerName || 'default-scheduler';

/**
 * Contract: a pod (by UID) is in at most one of activeQ, backoffQ, unschedulablePods, or in
 * flight (popped, not `done`). `pop` hands out activeQ's head and waits while it is empty.
 * A failed pod comes back through {@link addUnschedulableIfNotPresent}: rejected pods wait
 * in unschedulablePods unless a matching event arrived while they were in flight; error'ed pods
 * go to backoffQ. Events move matching unschedulable pods to backoffQ (still backing off) or
 * activeQ. Every mutation that adds to activeQ wakes a waiting `pop`.
 */
export class SchedulingQueue {
  readonly nominator: Nominator;
  private readonly active: KeyedHeap<QueuedPodInfo>;
  private readonly backoff: KeyedHeap<QueuedPodInfo>;
  private readonly unschedulable = new Map<string, QueuedPodInfo>();
  /**
   * The pods in flight (with their latest object, and whether an update may change their
   * outcome) and the events recorded while any is, in order.
   */
  private readonly inFlight = new InFlightLog<RecordedEvent, { pod: PodObject; updated?: boolean }>();
  private waiters: (() => void)[] = [];
  private closed = false;
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly maxUnschedulableMs: number;
  private timers: TimerHandle[] = [];
  /** Incremented on every pop (upstream schedulingCycle). */
  schedulingCycle = 0;

  constructor(private readonly options: SchedulingQueueOptions) {
    this.nominator = options.nominator ?? new Nominator();
    this.initialMs = options.podInitialBackoffMs ?? 1000;
    this.maxMs = options.podMaxBackoffMs ?? 10_000;
    this.maxUnschedulableMs = options.podMaxInUnschedulablePodsDurationMs ?? 5 * 60_000;
    this.active = new KeyedHeap((q) => podUid(q.podInfo.pod), (a, b) => options.less(a, b));
    this.backoff = new KeyedHeap((q) => podUid(q.podInfo.pod), (a, b) => this.backoffExpiry(a) < this.backoffExpiry(b));
  }

  /** Starts the periodic flushes (backoffQ every 1 s, unschedulable leftovers every 30 s) until `signal` aborts. */
  run(signal: AbortSignal): void {
    const every = (ms: number, fn: () => void) => {
      const tick = () => {
        if (signal.aborted) return;
        fn();
        this.timers.push(this.options.clock.setTimeout(tick, ms));
      };
      this.timers.push(this.options.clock.setTimeout(tick, ms));
    };
    every(1000, () => this.flushBackoffQCompleted());
    every(30_000, () => this.flushUnschedulablePodsLeftover());
    signal.addEventListener('abort', () => this.close(), { once: true });
  }

  /** Stops: pending and future `pop`s resolve undefined. */
  close(): void {
    this.closed = true;
    for (const t of this.timers) this.options.clock.clearTimeout(t);
    this.timers = [];
    for (const w of this.waiters.splice(0)) w();
  }

  private newQueued(pod: PodObject): QueuedPodInfo {
    const now = this.options.clock.now();
    return { podInfo: newPodInfo(pod), timestamp: now, attempts: 0, initialAttemptTimestamp: undefined, unschedulablePlugins: new Set(), pendingPlugins: new Set(), gated: false };
  }

  /** Runs PreEnqueue; puts the pod in activeQ or, when gated, in unschedulablePods. */
  private moveToActiveQ(q: QueuedPodInfo): boolean {
    const profile = this.options.profiles.get(profileOf(q.podInfo.pod));
    const s = profile?.preEnqueue(q.podInfo.pod);
    const uid = podUid(q.podInfo.pod);
    if (s && !s.isSuccess()) {
      q.gated = true;
      q.gatingPlugin = s.plugin;
      q.unschedulablePlugins = new Set([s.plugin]);
      this.unschedulable.set(uid, q);
      return false;
    }
    q.gated = false;
    q.gatingPlugin = undefined;
    this.backoff.delete(uid);
    this.unschedulable.delete(uid);
    this.active.push(q);
    this.wake();
    return true;
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  /** A new unscheduled pod. */
  add(pod: PodObject): void {
    const uid = podUid(pod);
    if (this.has(uid)) return this.update(undefined, pod);
    this.moveToActiveQ(this.newQueued(pod));
    this.nominator.addNominatedPod(newPodInfo(pod));
  }

  /** Whether the pod is queued anywhere or in flight. */
  has(uid: string): boolean {
    return this.active.has(uid) || this.backoff.has(uid) || this.unschedulable.has(uid) || this.inFlight.has(uid);
  }

  /** An update of an unscheduled pod. */
  update(oldPod: PodObject | undefined, pod: PodObject): void {
    const uid = podUid(pod);
    const pi = newPodInfo(pod);
    if (oldPod) this.nominator.updateNominatedPod(oldPod, pi);
    for (const heap of [this.active, this.backoff]) {
      const q = heap.get(uid);
      if (q) {
        q.podInfo = pi;
        heap.push(q);
        return;
      }
    }
    const q = this.unschedulable.get(uid);
    if (q) {
      q.podInfo = pi;
      if (oldPod && !specChanged(oldPod, pod)) return;
      if (q.gated) {
        this.moveToActiveQ(q);
        return;
      }
      this.unschedulable.delete(uid);
      if (this.isBackingOff(q)) this.backoff.push(q);
      else this.moveToActiveQ(q);
      return;
    }
    const flight = this.inFlight.get(uid);
    if (flight) {
      if (!oldPod || specChanged(oldPod, pod)) flight.updated = true;
      flight.pod = pod;
      return;
    }
    this.moveToActiveQ(this.newQueued(pod));
  }

  /** The pod was deleted or got bound by someone else. */
  delete(pod: PodObject): void {
    const uid = podUid(pod);
    this.nominator.deleteNominatedPodIfExists(pod);
    this.active.delete(uid);
    this.backoff.delete(uid);
    this.unschedulable.delete(uid);
  }

  /** Waits for activeQ's head; undefined once closed or when `signal` aborts. */
  async pop(signal?: AbortSignal): Promise<QueuedPodInfo | undefined> {
    for (;;) {
      if (this.closed || signal?.aborted) return undefined;
      const q = this.active.pop();
      if (q) {
        this.schedulingCycle++;
        q.attempts++;
        q.initialAttemptTimestamp ??= this.options.clock.now();
        const uid = podUid(q.podInfo.pod);
        this.inFlight.start(uid, { pod: q.podInfo.pod });
        return q;
      }
      await new Promise<void>((resolve) => {
        const done = () => {
          signal?.removeEventListener('abort', done);
          resolve();
        };
        this.waiters.push(done);
        signal?.addEventListener('abort', done, { once: true });
      });
    }
  }

  /** The scheduling attempt of a popped pod ended (success or failure). */
  done(uid: string): void {
    this.inFlight.finish(uid);
  }

  /**
   * Returns a pod whose attempt failed. Error (no rejecting plugin) → backoffQ. Rejected:
   * if an event that could help arrived while it was in flight → backoffQ/activeQ, else
   * unschedulablePods.
   */
  addUnschedulableIfNotPresent(q: QueuedPodInfo): void {
    const uid = podUid(q.podInfo.pod);
    if (this.active.has(uid) || this.backoff.has(uid) || this.unschedulable.has(uid)) return;
    const flight = this.inFlight.get(uid);
    if (flight) q.podInfo = newPodInfo(flight.pod);
    q.timestamp = this.options.clock.now();
    const rejected = q.unschedulablePlugins.size > 0 || q.pendingPlugins.size > 0;
    const helped = flight ? flight.updated || this.helpedWhileInFlight(q, uid) : false;
    this.inFlight.finish(uid);
    if (!rejected || helped) this.backoff.push(q);
    else this.unschedulable.set(uid, q);
  }

  /** A cluster event happened: move the unschedulable pods it may help. */
  moveAllToActiveOrBackoffQueue(event: ClusterEvent, oldObj?: unknown, newObj?: unknown, preCheck?: (pod: PodObject) => boolean): void {
    this.inFlight.record({ event, oldObj, newObj });
    const moved: QueuedPodInfo[] = [];
    for (const q of this.unschedulable.values()) {
      if (q.gated && event !== FORCE_ACTIVATE) continue;
      if (preCheck && !preCheck(q.podInfo.pod)) continue;
      if (this.worthRequeuing(q, event, oldObj, newObj)) moved.push(q);
    }
    for (const q of moved) {
      const uid = podUid(q.podInfo.pod);
      this.unschedulable.delete(uid);
      if (this.isBackingOff(q)) this.backoff.push(q);
      else this.moveToActiveQ(q);
    }
  }

  /** Whether an event recorded while `uid` was in flight may make `q` schedulable. */
  private helpedWhileInFlight(q: QueuedPodInfo, uid: string): boolean {
    for (const e of this.inFlight.eventsSince(uid)) if (this.worthRequeuing(q, e.event, e.oldObj, e.newObj)) return true;
    return false;
  }

  /** Whether `event` may make `q` schedulable (per its rejecting plugins' EnqueueExtensions and hints). */
  private worthRequeuing(q: QueuedPodInfo, event: ClusterEvent, oldObj: unknown, newObj: unknown): boolean {
    if (event === UNSCHEDULABLE_TIMEOUT || event === FORCE_ACTIVATE || event === WILDCARD_EVENT) return true;
    const rejectors = new Set([...q.unschedulablePlugins, ...q.pendingPlugins]);
    if (rejectors.size === 0) return true;
    const profile = this.options.profiles.get(profileOf(q.podInfo.pod));
    if (!profile) return true;
    for (const plugin of rejectors) {
      const regs = profile.enqueueExtensions.get(plugin);
      if (!regs) return true; // a plugin without EnqueueExtensions may be helped by any event
      for (const r of regs) {
        if (!eventMatches(r.event, event)) continue;
        if (!r.queueingHintFn) return true;
        try {
          if (r.queueingHintFn(q.podInfo.pod, oldObj, newObj) === 'Queue') return true;
        } catch {
          return true;
        }
      }
    }
    return false;
  }

  private backoffExpiry(q: QueuedPodInfo): number {
    return q.timestamp + backoffDuration(q.attempts, this.initialMs, this.maxMs);
  }

  private isBackingOff(q: QueuedPodInfo): boolean {
    return this.backoffExpiry(q) > this.options.clock.now();
  }

  /** Moves pods whose back-off expired to activeQ. */
  flushBackoffQCompleted(): void {
    for (;;) {
      const head = this.backoff.peek();
      if (!head || this.isBackingOff(head)) return;
      this.backoff.pop();
      this.moveToActiveQ(head);
    }
  }

  /** Retries pods that stayed unschedulable longer than the maximum (5 min). */
  flushUnschedulablePodsLeftover(): void {
    const now = this.options.clock.now();
    const stale = [...this.unschedulable.values()].filter((q) => !q.gated && now - q.timestamp > this.maxUnschedulableMs);
    if (stale.length === 0) return;
    const uids = new Set(stale.map((q) => podUid(q.podInfo.pod)));
    this.moveAllToActiveOrBackoffQueue(UNSCHEDULABLE_TIMEOUT, undefined, undefined, (p) => uids.has(podUid(p)));
  }

  /** Pending pods per queue (for `scheduler_pending_pods`). */
  counts(): Record<QueueName, number> {
    let gated = 0;
    for (const q of this.unschedulable.values()) if (q.gated) gated++;
    return { active: this.active.size, backoff: this.backoff.size, unschedulable: this.unschedulable.size - gated, gated };
  }

  /** Which queue holds a pod (for tests and debugging). */
  whereIs(uid: string): QueueName | 'inFlight' | undefined {
    if (this.active.has(uid)) return 'active';
    if (this.backoff.has(uid)) return 'backoff';
    const u = this.unschedulable.get(uid);
    if (u) return u.gated ? 'gated' : 'unschedulable';
    return this.inFlight.has(uid) ? 'inFlight' : undefined;
  }
}

function specChanged(a: PodObject, b: PodObject): boolean {
  return JSON.stringify(a.spec) !== JSON.stringify(b.spec) || JSON.stringify(a.metadata?.labels) !== JSON.stringify(b.metadata?.labels);
}
