/**
 * What happened while pods were in flight (upstream PriorityQueue's inFlightPods and
 * inFlightEvents): one list, in arrival order, of the pods popped for scheduling and the cluster
 * events recorded after them. A pod whose attempt fails looks only at the events after its own
 * entry; when the oldest pod in flight finishes, the events no other pod can look at any more are
 * dropped from the front. Starting, recording and finishing cost O(1) amortized, however many
 * pods wait for their bindings and however many events arrive meanwhile.
 */

interface Entry<E> {
  prev: Entry<E> | undefined;
  next: Entry<E> | undefined;
  /** Set for a pod entry, unset for an event. */
  uid?: string;
  event?: E;
}

/**
 * Contract: `start(uid, flight)` once per flight, then `finish(uid)`; `flight` is the caller's
 * data about that pod's attempt (read and updated through `get`); events are recorded only while
 * a pod is in flight.
 */
export class InFlightLog<E, F> {
  private head: Entry<E> | undefined;
  private tail: Entry<E> | undefined;
  private readonly pods = new Map<string, { entry: Entry<E>; flight: F }>();

  /** Pods in flight. */
  get size(): number {
    return this.pods.size;
  }

  has(uid: string): boolean {
    return this.pods.has(uid);
  }

  /** The data given to `start` for a pod in flight. */
  get(uid: string): F | undefined {
    return this.pods.get(uid)?.flight;
  }

  /** A pod was popped for scheduling (a pod already in flight starts again from now). */
  start(uid: string, flight: F): void {
    this.finish(uid);
    this.pods.set(uid, { entry: this.append({ prev: undefined, next: undefined, uid }), flight });
  }

  /** Records `event` for the pods in flight; dropped when there are none. */
  record(event: E): void {
    if (this.pods.size > 0) this.append({ prev: undefined, next: undefined, event });
  }

  /** The events recorded since `uid` was popped, oldest first (none when it is not in flight). */
  *eventsSince(uid: string): Generator<E> {
    for (let e = this.pods.get(uid)?.entry.next; e; e = e.next) if (e.uid === undefined) yield e.event as E;
  }

  /** The pod's attempt ended: its entry goes, and so do the events no pod in flight precedes. */
  finish(uid: string): void {
    const pod = this.pods.get(uid);
    if (!pod) return;
    this.pods.delete(uid);
    this.unlink(pod.entry);
    while (this.head && this.head.uid === undefined) this.unlink(this.head);
  }

  /** Entries held (pods and events), for tests. */
  get length(): number {
    let n = 0;
    for (let e = this.head; e; e = e.next) n++;
    return n;
  }

  private append(entry: Entry<E>): Entry<E> {
    entry.prev = this.tail;
    if (this.tail) this.tail.next = entry;
    else this.head = entry;
    this.tail = entry;
    return entry;
  }

  private unlink(entry: Entry<E>): void {
    if (entry.prev) entry.prev.next = entry.next;
    else this.head = entry.next;
    if (entry.next) entry.next.prev = entry.prev;
    else this.tail = entry.prev;
    entry.prev = entry.next = undefined;
  }
}
