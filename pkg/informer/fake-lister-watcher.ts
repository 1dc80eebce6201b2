/**
 * A scripted {@link ListerWatcher} for reflector and informer tests: lists and watch sessions
 * are answered from queues the test fills; every call is recorded.
 */
import type { KubeList, KubeObject } from '../api/meta.ts';
import type { WatchEvent } from '../client/watch.ts';
import type { ListerWatcher, ListPageOptions, WatchStartOptions } from './lister-watcher.ts';

/** One scripted watch: events, then close, or hang until aborted, or fail to start. */
export type WatchScript<T extends KubeObject> = { events: WatchEvent<T>[]; then: 'close' | 'hang' } | { fail: Error };

export class FakeListerWatcher<T extends KubeObject> implements ListerWatcher<T> {
  readonly listCalls: ListPageOptions[] = [];
  readonly watchCalls: WatchStartOptions[] = [];
  private readonly lists: Array<KubeList<T> | Error> = [];
  private readonly watches: WatchScript<T>[] = [];
  private wake: (() => void) | undefined;

  queueList(list: KubeList<T> | Error): void {
    this.lists.push(list);
    this.wake?.();
  }

  queueWatch(script: WatchScript<T>): void {
    this.watches.push(script);
    this.wake?.();
  }

  async list(options: ListPageOptions): Promise<KubeList<T>> {
    this.listCalls.push(options);
    const next = await this.take(this.lists, options.signal);
    if (next instanceof Error) throw next;
    return next;
  }

  async *watch(options: WatchStartOptions): AsyncGenerator<WatchEvent<T>> {
    this.watchCalls.push(options);
    const script = await this.take(this.watches, options.signal);
    if ('fail' in script) throw script.fail;
    for (const ev of script.events) yield ev;
    if (script.then === 'hang') await this.aborted(options.signal);
  }

  /** Takes the next scripted answer, waiting for the test to queue one (or for abort). */
  private async take<X>(queue: X[], signal?: AbortSignal): Promise<X> {
    while (queue.length === 0) {
      if (signal?.aborted) throw signal.reason;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        signal?.addEventListener('abort', () => resolve(), { once: true });
      });
    }
    return queue.shift()!;
  }

  private aborted(signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (!signal || signal.aborted) return resolve();
      signal.addEventListener('abort', () => resolve(), { once: true });
    });
  }
}

/** Polls (microtask/immediate turns, bounded) until `cond` holds; throws if it never does. */
export async function until(cond: () => boolean, what = 'condition'): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    if (cond()) return;
    await new Promise((r) => setImmediate(r));
  }
  throw new Error(`timed out waiting for ${what}`);
}
