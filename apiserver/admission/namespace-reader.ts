/**
 * Namespace reads shared by the admission plugins that look at a write's namespace
 * (NamespaceLifecycle, PodSecurity): one short-lived cache of the namespace objects. Only
 * namespaces that exist are cached (a missing one is always read again, so creating a namespace
 * and using it at once works); whoever sees a namespace write commit evicts it.
 */
import type { KubeObject } from '../../pkg/api/meta.ts';
import type { AdmissionContext } from './types.ts';

const NAMESPACES = { group: '', plural: 'namespaces', namespaced: false } as const;

/** Reads namespaces through the cache. */
export interface NamespaceReader {
  /** The namespace while its cached read is fresh, else undefined; no I/O. */
  fresh(name: string): KubeObject | undefined;
  /** The namespace (cached while fresh, else read from storage); undefined when it does not exist. */
  get(name: string): Promise<KubeObject | undefined>;
  /** Forgets a namespace (a write to it committed). */
  evict(name: string): void;
}

/** Options of {@link createNamespaceReader}. */
export interface NamespaceReaderOptions {
  /** How long a namespace read stays fresh (default 1000 ms). */
  cacheTtlMs?: number;
  /** Clock (epoch ms). */
  now?: () => number;
}

export function createNamespaceReader(ctx: AdmissionContext, options: NamespaceReaderOptions = {}): NamespaceReader {
  const ttl = options.cacheTtlMs ?? 1000;
  const now = options.now ?? Date.now;
  const cache = new Map<string, { namespace: KubeObject; expiresAt: number }>();
  const fresh = (name: string) => {
    const cached = cache.get(name);
    return cached && cached.expiresAt > now() ? cached.namespace : undefined;
  };
  return {
    fresh,
    async get(name) {
      const cached = fresh(name);
      if (cached) return cached;
      const namespace = await ctx.storage.get(ctx.keyFor(NAMESPACES, undefined, name));
      if (namespace) cache.set(name, { namespace, expiresAt: now() + ttl });
      else cache.delete(name);
      return namespace;
    },
    evict: (name) => void cache.delete(name),
  };
}
