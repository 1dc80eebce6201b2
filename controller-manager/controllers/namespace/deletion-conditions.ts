/**
 * The status conditions of a namespace being deleted (upstream `namespaceConditionUpdater`): the
 * five condition types the namespace deleter maintains, each `False` with its "all is well"
 * reason unless something holds the deletion — resources remaining (`SomeResourcesRemain`,
 * "pods. has 2 resource instances"), finalizers on them (`SomeFinalizersRemain`), or items that
 * should have gone and did not (`ContentDeletionFailed`). A condition keeps its
 * lastTransitionTime while its status stays. Pure.
 */
import type { NamespaceCondition } from '../../../pkg/api/core/v1/namespace.ts';

/** The condition types in upstream's order, with the reason and message each has when all is well. */
const OK: ReadonlyArray<[type: string, reason: string, message: string]> = [
  ['NamespaceDeletionDiscoveryFailure', 'ResourcesDiscovered', 'All resources successfully discovered'],
  ['NamespaceDeletionGroupVersionParsingFailure', 'ParsedGroupVersions', 'All legacy kube types successfully parsed'],
  ['NamespaceDeletionContentFailure', 'ContentDeleted', 'All content successfully deleted, may be waiting on finalization'],
  ['NamespaceContentRemaining', 'ContentRemoved', 'All content successfully removed'],
  ['NamespaceFinalizersRemaining', 'ContentHasNoFinalizers', 'All content-preserving finalizers finished'],
];

/** What one pass over a namespace's content left behind. */
export interface DeletionFacts {
  /** Items left per resource, as `<resource>.<group>` (`pods.` for the core group). */
  remaining: ReadonlyArray<[resource: string, count: number]>;
  /** Items left per finalizer they carry. */
  finalizers: ReadonlyMap<string, number>;
  /** Resources whose items are neither finalized nor terminating gracefully, as a GroupVersionResource (`/v1, Resource=pods`). */
  unexpected: readonly string[];
}

/** `<resource>.<group>`, as upstream names a resource in the remaining message (`pods.`, `crontabs.stable.example.com`). */
export function remainingResourceName(resource: string, group: string): string {
  return `${resource}.${group}`;
}

/** The NamespaceContentRemaining message for what is left. */
export function remainingMessage(counts: DeletionFacts['remaining']): string {
  return `Some resources are remaining: ${counts.map(([r, n]) => `${r} has ${n} resource instances`).sort().join(', ')}`;
}

/** The NamespaceFinalizersRemaining message for the finalizers left. */
export function finalizersMessage(counts: DeletionFacts['finalizers']): string {
  return `Some content in the namespace has finalizers remaining: ${[...counts].filter(([, n]) => n > 0).map(([f, n]) => `${f} in ${n} resource instances`).sort().join(', ')}`;
}

/** The failure conditions the facts call for, by type. */
function failures(namespace: string, facts: DeletionFacts): Map<string, [reason: string, message: string]> {
  const out = new Map<string, [string, string]>();
  if (facts.unexpected.length) {
    const errors = facts.unexpected.map((gvr) => `unexpected items still remain in namespace: ${namespace} for gvr: ${gvr}`);
    out.set('NamespaceDeletionContentFailure', ['ContentDeletionFailed', `Failed to delete all resource types, ${errors.length} remaining: ${errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`}`]);
  }
  if (facts.remaining.length) out.set('NamespaceContentRemaining', ['SomeResourcesRemain', remainingMessage(facts.remaining)]);
  if ([...facts.finalizers.values()].some((n) => n > 0)) out.set('NamespaceFinalizersRemaining', ['SomeFinalizersRemain', finalizersMessage(facts.finalizers)]);
  return out;
}

/** The namespace's next conditions: the five deleter conditions (others kept after them). */
export function deletionConditions(namespace: string, old: readonly NamespaceCondition[], facts: DeletionFacts, now: string): NamespaceCondition[] {
  const failed = failures(namespace, facts);
  const next = OK.map(([type, okReason, okMessage]): NamespaceCondition => {
    const failure = failed.get(type);
    const status = failure ? 'True' : 'False';
    const [reason, message] = failure ?? [okReason, okMessage];
    const before = old.find((c) => c.type === type);
    const lastTransitionTime = before && before.status === status && before.lastTransitionTime ? before.lastTransitionTime : now;
    return { type, status, lastTransitionTime, reason, message };
  });
  return [...next, ...old.filter((c) => !OK.some(([type]) => type === c.type))];
}
