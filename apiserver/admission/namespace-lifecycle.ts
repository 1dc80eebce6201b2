/**
 * Admission plugin `NamespaceLifecycle` (upstream plugin/pkg/admission/namespace/lifecycle):
 * - deleting `default`, `kube-system` or `kube-public` → 403 `this namespace may not be deleted`;
 * - any non-delete write of a namespaced object in a namespace that does not exist → 404
 *   `namespaces "x" not found`;
 * - creating in a Terminating namespace → 403 with cause `NamespaceTerminating`.
 *
 * Namespace reads go through the {@link NamespaceReader} (shared with PodSecurity); every
 * namespace write through this server evicts its entry once committed.
 */
import type { KubeObject } from '../../pkg/api/meta.ts';
import { forbidden, notFound } from '../../pkg/errors/index.ts';
import type { AdmissionAttributes, AdmissionContext, AdmissionPlugin } from './types.ts';
import { createNamespaceReader, type NamespaceReader, type NamespaceReaderOptions } from './namespace-reader.ts';

export const NAMESPACE_LIFECYCLE_PLUGIN = 'NamespaceLifecycle';

/** Namespaces that can never be deleted. */
export const IMMORTAL_NAMESPACES: readonly string[] = ['default', 'kube-system', 'kube-public'];

export interface NamespaceLifecycleOptions extends NamespaceReaderOptions {
  /** The namespace reader to share (default: one of its own, with these options). */
  namespaces?: NamespaceReader;
}

/** `Active` or `Terminating`; a namespace with deletionTimestamp counts as Terminating. */
export function namespacePhase(ns: KubeObject): 'Active' | 'Terminating' {
  const status = ns.status as { phase?: string } | undefined;
  return status?.phase === 'Terminating' || ns.metadata.deletionTimestamp ? 'Terminating' : 'Active';
}

export function createNamespaceLifecyclePlugin(ctx: AdmissionContext, options: NamespaceLifecycleOptions = {}): AdmissionPlugin {
  const namespaces = options.namespaces ?? createNamespaceReader(ctx, options);

  return {
    name: NAMESPACE_LIFECYCLE_PLUGIN,
    // Creates and updates are refused early, before later plugins reserve anything.
    admit(attrs: AdmissionAttributes) {
      if (isNamespaceWrite(attrs) || attrs.operation === 'DELETE' || !attrs.info.namespaced || !attrs.namespace) return;
      // A namespace known (fresh) to be Active admits at once; everything else reads and decides.
      const known = namespaces.fresh(attrs.namespace);
      if (known && namespacePhase(known) === 'Active') return;
      return admitInNamespace(attrs, attrs.namespace);
    },
    // Namespace deletes are checked here: a DELETE may run only the validating phase.
    validate(attrs: AdmissionAttributes) {
      if (!isNamespaceWrite(attrs)) return;
      if (attrs.operation === 'DELETE' && IMMORTAL_NAMESPACES.includes(attrs.name)) {
        throw forbidden({ group: '', resource: 'namespaces' }, attrs.name, 'this namespace may not be deleted');
      }
      const name = attrs.name;
      attrs.onSuccess(async () => namespaces.evict(name));
    },
  };

  async function admitInNamespace(attrs: AdmissionAttributes, namespace: string): Promise<void> {
    const ns = await namespaces.get(namespace);
    if (!ns) throw notFound({ group: '', resource: 'namespaces' }, namespace);
    if (attrs.operation === 'CREATE' && namespacePhase(ns) === 'Terminating') throw terminating(attrs);
  }
}

function isNamespaceWrite(attrs: AdmissionAttributes): boolean {
  return attrs.info.group === '' && attrs.info.plural === 'namespaces';
}

function terminating(attrs: AdmissionAttributes) {
  const namespace = attrs.namespace ?? '';
  const name = attrs.name || attrs.object?.metadata.name || '';
  const err = forbidden({ group: attrs.info.group, resource: attrs.info.plural }, name, `unable to create new content in namespace ${namespace} because it is being terminated`);
  err.details!.causes = [{ reason: 'NamespaceTerminating', message: `namespace ${namespace} is being terminated`, field: 'metadata.namespace' }];
  return err;
}
