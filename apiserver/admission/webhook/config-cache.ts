/**
 * The webhook configurations, read from storage through a small cache: an entry is reused for
 * `ttlMs` (default 1 s, so writes by other servers are seen within that time) and dropped at
 * once by {@link WebhookConfigCache.invalidate}, which the plugin calls after every committed
 * write of a configuration through this server — a new configuration applies to the next request.
 */
import type { KubeObject } from '../../../pkg/api/meta.ts';
import type { AdmissionContext } from '../types.ts';

/** The admission configuration kinds read through the cache (webhook configurations, and the ValidatingAdmissionPolicy plugin's policies and bindings). */
export type WebhookConfigKind = 'mutatingwebhookconfigurations' | 'validatingwebhookconfigurations' | 'validatingadmissionpolicies' | 'validatingadmissionpolicybindings';

/** Configurations of one kind, sorted by name (the order webhooks are called in). */
export interface WebhookConfigCache {
  list(kind: WebhookConfigKind): Promise<KubeObject[]>;
  /** What `list` would return, when it is cached, fresh and already read; undefined otherwise (then call `list`). */
  peek(kind: WebhookConfigKind): KubeObject[] | undefined;
  invalidate(): void;
}

export interface WebhookConfigCacheOptions {
  ttlMs?: number;
  now?: () => number;
}

/** One kind's configurations: the read in flight, and its result once it arrived (for `peek`). */
interface CacheEntry {
  expiresAt: number;
  items: Promise<KubeObject[]>;
  read?: KubeObject[];
}

export function createWebhookConfigCache(ctx: AdmissionContext, options: WebhookConfigCacheOptions = {}): WebhookConfigCache {
  const ttl = options.ttlMs ?? 1000;
  const now = options.now ?? Date.now;
  const entries = new Map<WebhookConfigKind, CacheEntry>();
  let generation = 0;

  async function read(kind: WebhookConfigKind): Promise<KubeObject[]> {
    const prefix = ctx.keyFor({ group: 'admissionregistration.k8s.io', plural: kind, namespaced: false }, undefined, '');
    const { items } = await ctx.storage.list(prefix);
    return [...items].sort((a, b) => ((a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : (a.metadata.name ?? '') > (b.metadata.name ?? '') ? 1 : 0));
  }

  return {
    list(kind) {
      const cached = entries.get(kind);
      if (cached && cached.expiresAt > now()) return cached.items;
      const started = generation;
      const items = read(kind);
      const entry: CacheEntry = { expiresAt: now() + ttl, items };
      entries.set(kind, entry);
      // A failed read or one that raced an invalidation is not kept.
      items.then(
        (read) => {
          entry.read = read;
          if (generation !== started && entries.get(kind) === entry) entries.delete(kind);
        },
        () => void (entries.get(kind) === entry && entries.delete(kind)),
      );
      return items;
    },
    peek(kind) {
      const cached = entries.get(kind);
      return cached && cached.expiresAt > now() ? cached.read : undefined;
    },
    invalidate() {
      generation++;
      entries.clear();
    },
  };
}
