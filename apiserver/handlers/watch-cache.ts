/**
 * Puts the watch cache (`apiserver/cacher`) in front of a storage for every resource the registry
 * serves (resources added later are cached from their first use); other keys (allocator
 * reservations) go straight to the storage.
 */
import type { ResourceRegistry } from '../../pkg/api/registry.ts';
import type { Storage } from '../../pkg/storage/types.ts';
import { CachedStorage } from '../cacher/cached-storage.ts';
import { storagePrefix } from './objects.ts';

export interface WatchCacheOptions {
  inner: Storage;
  registry: ResourceRegistry;
  keyPrefix: string;
  onError?(err: unknown): void;
}

/** The resource prefix (`/registry/apps/deployments/`) a key or list prefix belongs to. */
export function resourcePrefixFinder(registry: ResourceRegistry, keyPrefix: string): (keyOrPrefix: string) => string | undefined {
  return (keyOrPrefix) => {
    for (const info of registry.all()) {
      const prefix = storagePrefix(info, undefined, keyPrefix);
      if (keyOrPrefix.startsWith(prefix)) return prefix;
    }
    return undefined;
  };
}

export function createWatchCachedStorage(options: WatchCacheOptions): CachedStorage {
  return new CachedStorage({ inner: options.inner, resourcePrefixOf: resourcePrefixFinder(options.registry, options.keyPrefix), onError: options.onError });
}
