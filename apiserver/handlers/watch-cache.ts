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
  /** Other API servers write to the same storage: consistent reads wait for its current revision (CachedStorageOptions.sharedStorage). */
  sharedStorage?: boolean;
}

/**
 * The resource prefix (`/registry/apps/deployments/`) a key or list prefix belongs to. The
 * prefixes are computed once per registry change (in registration order), not per call.
 */
export function resourcePrefixFinder(registry: ResourceRegistry, keyPrefix: string): (keyOrPrefix: string) => string | undefined {
  let prefixes: string[] | undefined;
  registry.onChange(() => {
    prefixes = undefined;
  });
  return (keyOrPrefix) => {
    prefixes ??= registry.all().map((info) => storagePrefix(info, undefined, keyPrefix));
    for (const prefix of prefixes) if (keyOrPrefix.startsWith(prefix)) return prefix;
    return undefined;
  };
}

export function createWatchCachedStorage(options: WatchCacheOptions): CachedStorage {
  return new CachedStorage({ inner: options.inner, resourcePrefixOf: resourcePrefixFinder(options.registry, options.keyPrefix), onError: options.onError, sharedStorage: options.sharedStorage });
}
