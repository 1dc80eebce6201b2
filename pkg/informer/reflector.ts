/**
 * The reflector (client-go `cache.Reflector`): list, then watch from the list's
 * resourceVersion; rewatch from the last seen version when a watch closes; relist when the
 * version is too old (410); back off on errors.
 */
import type { Logger } from 'pino';
import type { KubeList, KubeObject } from '../api/meta.ts';
import { ApiError, isExpired, isTooManyRequests } from '../errors/index.ts';
import { realClock, sleep, type Clock } from '../workqueue/index.ts';
import type { ListerWatcher } from './lister-watcher.ts';

/** Where the reflector delivers what it sees (the informer). Called synchronously, in order. */
export interface ReflectorSink<T extends KubeObject> {
  /** The complete state as of `resourceVersion` (after every list). */
  replace(items: T[], resourceVersion: string): void;
  /** One change from the watch. */
  apply(event: { type: 'ADDED' | 'MODIFIED' | 'DELETED'; object: T }): void;
}

export interface ReflectorOptions<T extends KubeObject> {
  listerWatcher: ListerWatcher<T>;
  sink: ReflectorSink<T>;
  /** Name for logs (e.g. `pods`). */
  name?: string;
  clock?: Clock;
  logger?: Logger;
  /** Watch timeouts are uniformly random in [min, 2·min) seconds (default 300, as client-go). */
  minWatchTimeoutSeconds?: number;
  /** Page size for lists that are not served from the cache (default 500). */
  pageSize?: number;
  /** Backoff after failures: initial and maximum delay (default 800 ms → 30 s). */
  backoff?: { initialMs: number; maxMs: number };
  /** Random source in [0,1) (injectable for tests). */
  random?: () => number;
}

type WatchOutcome = 'closed' | 'expired' | 'aborted';

/**
 * Contract: `run(signal)` keeps the sink in sync with the server until `signal` aborts, then
 * resolves; it never rejects. Each list is delivered as one `replace`; watch events follow in
 * order, each newer than the last list. After 410 Expired the next list is a fresh quorum read.
 */
export class Reflector<T extends KubeObject> {
  private readonly lw: ListerWatcher<T>;
  private readonly sink: ReflectorSink<T>;
  private readonly name: string;
  private readonly clock: Clock;
  private readonly logger: Logger | undefined;
  private readonly minWatchTimeout: number;
  private readonly pageSize: number;
  private readonly backoff: { initialMs: number; maxMs: number };
  private readonly random: () => number;
  private lastRV = '';
  private lastRVUnavailable = false;
  private failures = 0;

  constructor(options: ReflectorOptions<T>) {
    this.lw = options.listerWatcher;
    this.sink = options.sink;
    this.name = options.name ?? '';
    this.clock = options.clock ?? realClock;
    this.logger = options.logger;
    this.minWatchTimeout = options.minWatchTimeoutSeconds ?? 300;
    this.pageSize = options.pageSize ?? 500;
    this.backoff = options.backoff ?? { initialMs: 800, maxMs: 30_000 };
    this.random = options.random ?? Math.random;
  }

  /** The resourceVersion of the last list or event seen ('' before the first list). */
  lastSyncResourceVersion(): string {
    return this.lastRV;
  }

  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        await this.listAndWatch(signal);
      } catch (err) {
        if (signal.aborted) break;
        this.failures++;
        this.logger?.warn({ err, resource: this.name, failures: this.failures }, 'list/watch failed');
        if (!(await this.pause(signal))) break;
      }
    }
  }

  private async listAndWatch(signal: AbortSignal): Promise<void> {
    const { items, resourceVersion } = await this.listAll(signal);
    if (signal.aborted) return;
    this.sink.replace(items, resourceVersion);
    this.lastRV = resourceVersion;
    this.lastRVUnavailable = false;
    this.failures = 0;
    while (!signal.aborted) {
      let outcome: WatchOutcome;
      try {
        outcome = await this.watchOnce(signal);
      } catch (err) {
        if (signal.aborted) return;
        if (isExpired(err)) {
          this.expire(err);
          return;
        }
        if (!isTooManyRequests(err) && (err as ApiError).reason !== 'ServiceUnavailable') throw err;
        this.failures++;
        this.logger?.info({ err, resource: this.name }, 'watch refused; retrying');
        if (!(await this.pause(signal))) return;
        continue;
      }
      if (outcome === 'expired' || outcome === 'aborted') return;
    }
  }

  private expire(err: unknown): void {
    this.logger?.info({ resource: this.name, resourceVersion: this.lastRV, reason: (err as Error).message }, 'watch expired; relisting');
    this.lastRVUnavailable = true;
  }

  /** Which version to list at: '0' first (any cached state), '' after expiry, else the last seen. */
  private listResourceVersion(): string {
    if (this.lastRVUnavailable) return '';
    return this.lastRV === '' ? '0' : this.lastRV;
  }

  private async listAll(signal: AbortSignal): Promise<{ items: T[]; resourceVersion: string }> {
    let rv = this.listResourceVersion();
    let list: KubeList<T>;
    try {
      list = await this.lw.list({ resourceVersion: rv, limit: rv === '0' ? undefined : this.pageSize, signal });
    } catch (err) {
      if (!isExpired(err) || rv === '') throw err;
      this.lastRVUnavailable = true;
      rv = '';
      list = await this.lw.list({ resourceVersion: rv, limit: this.pageSize, signal });
    }
    const items = [...list.items];
    let cont = list.metadata?.continue;
    while (cont) {
      let page: KubeList<T>;
      try {
        page = await this.lw.list({ continue: cont, limit: this.pageSize, signal });
      } catch (err) {
        if (!isExpired(err)) throw err;
        // The continue token expired: fall back to one full, unpaged list.
        const full = await this.lw.list({ resourceVersion: '', signal });
        return { items: [...full.items], resourceVersion: full.metadata?.resourceVersion ?? '' };
      }
      items.push(...page.items);
      list = page;
      cont = page.metadata?.continue;
    }
    return { items, resourceVersion: list.metadata?.resourceVersion ?? '' };
  }

  private async watchOnce(signal: AbortSignal): Promise<WatchOutcome> {
    const timeoutSeconds = Math.floor(this.minWatchTimeout * (1 + this.random()));
    const started = this.clock.now();
    let events = 0;
    for await (const ev of this.lw.watch({ resourceVersion: this.lastRV, allowWatchBookmarks: true, timeoutSeconds, signal })) {
      if (signal.aborted) return 'aborted';
      if (ev.type === 'ERROR') {
        const err = ApiError.fromStatus(ev.object);
        if (isExpired(err) || err.code === 410) {
          this.expire(err);
          return 'expired';
        }
        throw err;
      }
      events++;
      const rv = ev.object.metadata?.resourceVersion;
      if (ev.type !== 'BOOKMARK') this.sink.apply({ type: ev.type, object: ev.object });
      if (rv) this.lastRV = rv;
    }
    if (signal.aborted) return 'aborted';
    if (events === 0 && this.clock.now() - started < 1000) {
      // A watch that closes at once with nothing in it would otherwise spin.
      this.failures++;
      this.logger?.info({ resource: this.name }, 'very short watch; backing off');
      return (await this.pause(signal)) ? 'closed' : 'aborted';
    }
    this.failures = 0;
    return 'closed';
  }

  /** Sleeps the backoff for the current failure count; false when aborted meanwhile. */
  private async pause(signal: AbortSignal): Promise<boolean> {
    const exp = Math.max(0, this.failures - 1);
    const base = Math.min(this.backoff.initialMs * 2 ** exp, this.backoff.maxMs);
    const delay = base * (1 + this.random());
    try {
      await sleep(this.clock, Math.min(delay, this.backoff.maxMs), signal);
      return true;
    } catch {
      return false;
    }
  }
}
