/**
 * Creates of namespaced objects in a namespace that does not exist → 404 `namespaces "x" not found`.
 * A stand-in for the NamespaceLifecycle admission plugin: the server only installs it when no
 * plugin named `NamespaceLifecycle` is configured.
 */
import type { ResourceRegistry } from '../../pkg/api/registry.ts';
import { notFound } from '../../pkg/errors/index.ts';
import type { AdmissionContext, AdmissionPlugin } from '../admission/types.ts';

export const NAMESPACE_EXISTS_FALLBACK = 'NamespaceExistsFallback';

export function namespaceExistsFallback(ctx: AdmissionContext, registry: ResourceRegistry): AdmissionPlugin {
  return {
    name: NAMESPACE_EXISTS_FALLBACK,
    async validate(attrs) {
      if (attrs.operation !== 'CREATE' || !attrs.info.namespaced || !attrs.namespace) return;
      const namespaces = registry.lookup('', 'v1', 'namespaces');
      if (!namespaces) return;
      const existing = await ctx.storage.get(ctx.keyFor(namespaces, undefined, attrs.namespace));
      if (!existing) throw notFound({ group: '', resource: 'namespaces' }, attrs.namespace);
    },
  };
}
