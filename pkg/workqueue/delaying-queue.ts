/**
 * The delaying queue (client-go `DelayingInterface`): `addAfter` queues an item once a delay
 * has passed on the injected clock.
 */
import { Queue, type QueueOptions, type WorkQueue } from './queue.ts';
import type { TimerHandle } from './clock.ts';

/**
 * A {@link WorkQueue} that can also add an item later. Contract: `addAfter(item, ms)` with
 * `ms <= 0` adds now; otherwise the item is added when the clock reaches the ready time. An
 * item waiting twice keeps the earlier ready time. After shutdown, waiting items are dropped.
 */
export interface DelayingWorkQueue<T> extends WorkQueue<T> {
  addAfter(item: T, ms: number): void;
}

interface Waiting<T> {
  item: T;
  readyAt: number;
  seq: number;
}

export class DelayingQueue<T> extends Queue<T> implements DelayingWorkQueue<T> {
  private heap: Waiting<T>[] = [];
  private readonly waiting = new Map<T, Waiting<T>>();
  private timer: TimerHandle | undefined;
  private timerDue = Infinity;
  private seq = 0;

  addAfter(item: T, ms: number): void {
    if (this.shuttingDown()) return;
    if (ms <= 0) {
      this.add(item);
      return;
    }
    const readyAt = this.clock.now() + ms;
    const existing = this.waiting.get(item);
    if (existing) {
      if (readyAt >= existing.readyAt) return;
      this.heap = this.heap.filter((w) => w !== existing);
      heapify(this.heap);
    }
    const entry: Waiting<T> = { item, readyAt, seq: this.seq++ };
    this.waiting.set(item, entry);
    heapPush(this.heap, entry);
    this.arm();
  }

  override shutDown(): void {
    if (this.timer) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.timerDue = Infinity;
    this.heap = [];
    this.waiting.clear();
    super.shutDown();
  }

  /** Number of items waiting for their delay (for tests and metrics). */
  waitingCount(): number {
    return this.heap.length;
  }

  private arm(): void {
    const next = this.heap[0];
    if (!next || next.readyAt >= this.timerDue) return;
    if (this.timer) this.clock.clearTimeout(this.timer);
    this.timerDue = next.readyAt;
    this.timer = this.clock.setTimeout(() => this.fire(), next.readyAt - this.clock.now());
  }

  private fire(): void {
    this.timer = undefined;
    this.timerDue = Infinity;
    const now = this.clock.now();
    while (this.heap.length > 0 && this.heap[0].readyAt <= now) {
      const entry = heapPop(this.heap)!;
      this.waiting.delete(entry.item);
      this.add(entry.item);
    }
    this.arm();
  }
}

/** A fair, stingy queue with `addAfter`. */
export function newDelayingQueue<T = string>(options: QueueOptions = {}): DelayingQueue<T> {
  return new DelayingQueue<T>(options);
}

const before = <T>(a: Waiting<T>, b: Waiting<T>): boolean => a.readyAt < b.readyAt || (a.readyAt === b.readyAt && a.seq < b.seq);

function heapPush<T>(heap: Waiting<T>[], entry: Waiting<T>): void {
  heap.push(entry);
  let i = heap.length - 1;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (!before(heap[i], heap[parent])) break;
    [heap[i], heap[parent]] = [heap[parent], heap[i]];
    i = parent;
  }
}

function siftDown<T>(heap: Waiting<T>[], start: number): void {
  let i = start;
  for (;;) {
    const l = 2 * i + 1;
    const r = l + 1;
    let smallest = i;
    if (l < heap.length && before(heap[l], heap[smallest])) smallest = l;
    if (r < heap.length && before(heap[r], heap[smallest])) smallest = r;
    if (smallest === i) return;
    [heap[i], heap[smallest]] = [heap[smallest], heap[i]];
    i = smallest;
  }
}

function heapPop<T>(heap: Waiting<T>[]): Waiting<T> | undefined {
  if (heap.length === 0) return undefined;
  const top = heap[0];
  const last = heap.pop()!;
  if (heap.length > 0) {
    heap[0] = last;
    siftDown(heap, 0);
  }
  return top;
}

function heapify<T>(heap: Waiting<T>[]): void {
  for (let i = (heap.length >> 1) - 1; i >= 0; i--) siftDown(heap, i);
}
