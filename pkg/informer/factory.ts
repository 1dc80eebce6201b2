/**
 * The shared informer factory: one informer per (resource, namespace, selectors), shared by
 * every controller in the process.
 */
import { setMaxListeners } from 'node:events';
import type { Logger } from 'pino';
import type { KubeObject } from '../api/meta.ts';
import type { Client } from '../client/index.ts';
import type { ResourceCoordinates } from '../client/coordinates.ts';
import type { Clock } from '../workqueue/index.ts';
import { listerWatcherFor, type InformerScope } from './lister-watcher.ts';
import { newSharedInformer, type SharedInformer, type SharedInformerOptions } from './shared-informer.ts';

export interface SharedInformerFactoryOptions {
  /** Default resync period for informers (none when unset). */
  resyncPeriodMs?: number;
  /** Default scope (namespace, selectors) for informers that do not give their own. */
  scope?: InformerScope;
  clock?: Clock;
  logger?: Logger;
  reflector?: SharedInformerOptions<KubeObject>['reflector'];
}

/** The factory key: group/version/plural plus the scope. */
export function informerKey(coords: ResourceCoordinates, scope: InformerScope): string {
  return `${coords.group}/${coords.version}/${coords.plural}|ns=${scope.namespace ?? ''}|l=${scope.labelSelector ?? ''}|f=${scope.fieldSelector ?? ''}`;
}

/**
 * Contract: `forResource` returns the same informer for the same resource and scope; `start`
 * runs every informer created so far that is not running yet (call it again after adding
 * more); `waitForCacheSync` resolves true when all started informers have synced (false if
 * aborted); `shutdown` stops them all and waits for them to finish.
 */
export class SharedInformerFactory {
  private readonly informers = new Map<string, SharedInformer<KubeObject>>();
  private readonly running = new Map<string, Promise<void>>();
  private readonly stop = new AbortController();

  constructor(
    private readonly client: Client,
    private readonly options: SharedInformerFactoryOptions = {},
  ) {}

  forResource<T extends KubeObject = KubeObject>(coords: ResourceCoordinates, scope: InformerScope = this.options.scope ?? {}): SharedInformer<T> {
    const key = informerKey(coords, scope);
    let informer = this.informers.get(key);
    if (!informer) {
      informer = newSharedInformer<KubeObject>({
        listerWatcher: listerWatcherFor(this.client.resource(coords), scope),
        name: coords.group ? `${coords.plural}.${coords.group}` : coords.plural,
        resyncPeriodMs: this.options.resyncPeriodMs,
        clock: this.options.clock,
        logger: this.options.logger,
        reflector: this.options.reflector,
      });
      this.informers.set(key, informer);
    }
    return informer as unknown as SharedInformer<T>;
  }

  /** Starts informers not yet running; `signal` (optional) stops them too. */
  start(signal?: AbortSignal): void {
    const stop = signal ? AbortSignal.any([signal, this.stop.signal]) : this.stop.signal;
    // One listener per informer run on the same signal is expected.
    setMaxListeners(0, stop);
    for (const [key, informer] of this.informers) {
      if (this.running.has(key)) continue;
      this.running.set(key, informer.run(stop));
    }
  }

  async waitForCacheSync(signal?: AbortSignal): Promise<boolean> {
    const results = await Promise.all([...this.running.keys()].map((k) => this.informers.get(k)!.waitForSync(signal)));
    return results.every(Boolean);
  }

  async shutdown(): Promise<void> {
    this.stop.abort();
    await Promise.all(this.running.values());
  }
}
