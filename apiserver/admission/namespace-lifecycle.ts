/**
 * Admission plugin `NamespaceLifecycle` (upstream plugin/pkg/admission/namespace/lifecycle):
 * - deleting `default`, `kube-system` or `kube-public` → 403 `this namespace may not be deleted`;
 * - any non-delete write of a namespaced object in a namespace that does not exist → 404
 *   `namespaces "x" not found`;
 * - creating in a Terminating namespace → 403 with cause `NamespaceTerminating`.
 *
 * Namespace reads go through a short-lived cache. Only positive answers are cached (a missing
 * namespace is always re-read from storage, so creating a namespace and using it at once works),
 * and every namespace write through this server evicts its entry once committed.
 */
import type { KubeObject } from '../../pkg/api/meta.ts';
import { forbidden, notFound } from '../../pkg/errors/index.ts';
import type { AdmissionAttributes, AdmissionContext, AdmissionPlugin } from './types.ts';

export const NAMESPACE_LIFECYCLE_PLUGIN = 'NamespaceLifecycle';

/** Namespaces that can never be deleted. */
export const IMMORTAL_NAMESPACES: readonly string[] = ['default', 'kube-system', 'kube-public'];

const NAMESPACES = { group: '', plural: 'namespaces', namespaced: false } as const;

export interface NamespaceLifecycleOptions {
  /** How long a namespace read stays fresh (default 1000 ms). */
  cacheTtlMs?: number;
  /** Clock (epoch ms). */
  now?: () => number;
}

/** `Active` or `Terminating`; a namespace with deletionTimestamp counts as Terminating. */
export function namespacePhase(ns: KubeObject): 'Active' | 'Terminating' {
  const status = ns.status as { phase?: string } | undefined;
  return status?.phase === 'Terminating' || ns.metadata.deletionTimestamp ? 'Terminating' : 'Active';
}

export function createNamespaceLifecyclePlugin(ctx: AdmissionContext, options: NamespaceLifecycleOptions = {}): AdmissionPlugin {
  const ttl = options.cacheTtlMs ?? 1000;
  const now = options.now ?? Date.now;
  const cache = new Map<string, { phase: 'Active' | 'Terminating'; expiresAt: number }>();

  /** The cached phase while it is fresh. */
  function cachedPhase(name: string): 'Active' | 'Terminating' | undefined {
    const cached = cache.get(name);
    return cached && cached.expiresAt > now() ? cached.phase : undefined;
  }

  async function lookup(name: string): Promise<'Active' | 'Terminating' | undefined> {
    const cached = cachedPhase(name);
    if (cached) return cached;
    const ns = await ctx.storage.get(ctx.keyFor(NAMESPACES, undefined, name));
    if (!ns) {
      cache.delete(name);
      return undefined;
    }
    const phase = namespacePhase(ns);
    cache.set(name, { phase, expiresAt: now() + ttl });
    return phase;
  }

  return {
    name: NAMESPACE_LIFECYCLE_PLUGIN,
    // Creates and updates are refused early, before later plugins reserve anything.
    admit(attrs: AdmissionAttributes) {
      if (isNamespaceWrite(attrs) || attrs.operation === 'DELETE' || !attrs.info.namespaced || !attrs.namespace) return;
      // A namespace known (fresh) to be Active admits at once; everything else reads and decides.
      if (cachedPhase(attrs.namespace) === 'Active') return;
      return admitInNamespace(attrs, attrs.namespace);
    },
    // Namespace deletes are checked here: a DELETE may run only the validating phase.
    validate(attrs: AdmissionAttributes) {
      if (!isNamespaceWrite(attrs)) return;
      if (attrs.operation === 'DELETE' && IMMORTAL_NAMESPACES.includes(attrs.name)) {
        throw forbidden({ group: '', resource: 'namespaces' }, attrs.name, 'this namespace may not be deleted');
      }
      const name = attrs.name;
      attrs.onSuccess(async () => void cache.delete(name));
    },
  };

  async function admitInNamespace(attrs: AdmissionAttributes, namespace: string): Promise<void> {
    const phase = await lookup(namespace);
    if (phase === undefined) throw notFound({ group: '', resource: 'namespaces' }, namespace);
    if (attrs.operation === 'CREATE' && phase === 'Terminating') throw terminating(attrs);
  }
}

function isNamespaceWrite(attrs: AdmissionAttributes): boolean {
  return attrs.info.group === '' && attrs.info.plural === 'namespaces';
}

function terminating(attrs: AdmissionAttributes) {
  const namespace = attrs.namespace ?? '';
  const name = attrs.name || attrs.object?.metadata.name || '';
  const err = forbidden({ group: attrs.info.group, resource: attrs.info.plural }, name, `unable to create new content in namespace ${namespace} because it is being terminated`);
  err.details!.causes = [{ type: 'NamespaceTerminating', message: `namespace ${namespace} is being terminated`, field: 'metadata.namespace' }];
  return err;
}
