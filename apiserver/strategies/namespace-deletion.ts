/**
 * Namespace deletion (upstream registry/core/namespace/storage `REST.Delete`): the first DELETE
 * marks the namespace (deletionTimestamp, phase Terminating) for the namespace controller; a later
 * DELETE while `spec.finalizers` is non-empty is a 409; once finalized it goes away. Pure.
 */
import type { KubeObject } from '../../pkg/api/meta.ts';
import { conflict } from '../../pkg/errors/index.ts';
import { FOREGROUND_FINALIZER, ORPHAN_FINALIZER, type DeleteOptions } from './deletion.ts';
import { rfc3339 } from './time.ts';

export type NamespaceDeletionDecision = { action: 'delete' } | { action: 'mark'; object: KubeObject };

export function isNamespaceKind(info: { group: string; kind: string }): boolean {
  return info.group === '' && info.kind === 'Namespace';
}

export function decideNamespaceDeletion(ns: KubeObject, options: DeleteOptions, now: Date): NamespaceDeletionDecision {
  const name = ns.metadata.name ?? '';
  if (!ns.metadata.deletionTimestamp) {
    const metadata = { ...ns.metadata, deletionTimestamp: rfc3339(now) };
    let finalizers = metadata.finalizers ?? [];
    const policy = options.propagationPolicy ?? (options.orphanDependents === undefined ? undefined : options.orphanDependents ? 'Orphan' : 'Background');
    if (policy === 'Orphan' && !finalizers.includes(ORPHAN_FINALIZER)) finalizers = [...finalizers, ORPHAN_FINALIZER];
    if (policy === 'Foreground' && !finalizers.includes(FOREGROUND_FINALIZER)) finalizers = [...finalizers, FOREGROUND_FINALIZER];
    if (policy === 'Background') finalizers = finalizers.filter((f) => f !== ORPHAN_FINALIZER && f !== FOREGROUND_FINALIZER);
    if (finalizers.length) metadata.finalizers = finalizers;
    else delete metadata.finalizers;
    const status = { ...((ns.status ?? {}) as Record<string, unknown>), phase: 'Terminating' };
    return { action: 'mark', object: { ...ns, metadata, status } };
  }
  const specFinalizers = ((ns.spec ?? {}) as { finalizers?: string[] }).finalizers ?? [];
  if (specFinalizers.length > 0) {
    throw conflict(
      { group: '', resource: 'namespaces' },
      name,
      'The system is ensuring all content is removed from this namespace.  Upon completion, this namespace will automatically be purged by the system.',
    );
  }
  return { action: 'delete' };
}
