/**
 * What a reflector lists and watches: an interface (so tests can script it) and the adapter
 * from a {@link ResourceClient} with a fixed namespace and selectors.
 */
import type { KubeList, KubeObject } from '../api/meta.ts';
import type { ResourceClient } from '../client/resource-client.ts';
import type { WatchEvent } from '../client/watch.ts';

export interface ListPageOptions {
  resourceVersion?: string;
  limit?: number;
  continue?: string;
  signal?: AbortSignal;
}

export interface WatchStartOptions {
  resourceVersion: string;
  allowWatchBookmarks: boolean;
  timeoutSeconds: number;
  signal?: AbortSignal;
}

/**
 * Contract: `list` returns one page (rejects with an ApiError); `watch` yields events from the
 * given resourceVersion, ends when the server closes the stream or `signal` aborts, and throws
 * an ApiError when it cannot start (410 Expired → the reflector relists).
 */
export interface ListerWatcher<T extends KubeObject> {
  list(options: ListPageOptions): Promise<KubeList<T>>;
  watch(options: WatchStartOptions): AsyncIterable<WatchEvent<T>>;
}

/** The scope of an informer: one namespace (or all) and optional selectors. */
export interface InformerScope {
  /** Undefined = all namespaces. */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

export function listerWatcherFor<T extends KubeObject>(client: ResourceClient<T>, scope: InformerScope = {}): ListerWatcher<T> {
  return {
    list: (o) => client.list({ ...scope, ...o }),
    watch: (o) => client.watch({ ...scope, ...o }),
  };
}
