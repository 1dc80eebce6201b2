/**
 * Garbage-collector decisions for one object (upstream `attemptToDeleteItem`,
 * `processDeletingDependentsItem`, `orphanDependents`), pure: given the object and what is
 * known about each owner, keep it, delete it, or drop dangling owner references; given an owner
 * being deleted in the foreground or with the orphan policy, what to do with its dependents.
 */
import type { KubeObject } from '../../../pkg/api/meta.ts';
import type { DeepReadonly } from '../../../pkg/informer/index.ts';

type Obj = KubeObject | DeepReadonly<KubeObject>;

export const FOREGROUND = 'foregroundDeletion';
export const ORPHAN = 'orphan';

/** What is known of one owner reference. */
export type OwnerState = 'present' | 'absent' | 'deleting-foreground';

export type DependentAction =
  | { action: 'keep' }
  | { action: 'delete'; propagation: 'Background' | 'Foreground' }
  | { action: 'remove-refs'; uids: string[] };

/** The action for an object with owner references. */
export function decideDependent(obj: Obj, owners: ReadonlyMap<string, OwnerState>, hasDependents: boolean): DependentAction {
  const refs = obj.metadata.ownerReferences ?? [];
  if (!refs.length || obj.metadata.deletionTimestamp) return { action: 'keep' };
  const states = refs.map((r) => owners.get(r.uid) ?? 'present');
  const absent = refs.filter((_, i) => states[i] === 'absent').map((r) => r.uid);
  if (absent.length === refs.length) return { action: 'delete', propagation: hasDependents ? 'Foreground' : 'Background' };
  const solid = states.filter((s) => s === 'present').length;
  // Every remaining owner waits for its dependents to go: go (in the foreground if we own others).
  if (solid === 0) return { action: 'delete', propagation: hasDependents ? 'Foreground' : 'Background' };
  if (absent.length) return { action: 'remove-refs', uids: absent };
  return { action: 'keep' };
}

/** What an owner being deleted needs next. */
export type OwnerAction =
  | { action: 'none' }
  | { action: 'delete-dependents'; names: string[] }
  | { action: 'orphan-dependents'; names: string[] }
  | { action: 'remove-finalizer'; finalizer: string };

/** For an owner with a deletionTimestamp: foreground waits for dependents, orphan detaches them. */
export function decideDeletingOwner(owner: Obj, dependents: readonly Obj[]): OwnerAction {
  if (!owner.metadata.deletionTimestamp) return { action: 'none' };
  const finalizers = owner.metadata.finalizers ?? [];
  if (finalizers.includes(ORPHAN)) {
    const attached = dependents.filter((d) => d.metadata.ownerReferences?.some((r) => r.uid === owner.metadata.uid));
    return attached.length ? { action: 'orphan-dependents', names: attached.map((d) => d.metadata.name as string) } : { action: 'remove-finalizer', finalizer: ORPHAN };
  }
  if (finalizers.includes(FOREGROUND)) {
    const blocking = dependents.filter((d) => d.metadata.ownerReferences?.some((r) => r.uid === owner.metadata.uid && r.blockOwnerDeletion));
    if (!blocking.length) return { action: 'remove-finalizer', finalizer: FOREGROUND };
    const toDelete = dependents.filter((d) => !d.metadata.deletionTimestamp);
    return toDelete.length ? { action: 'delete-dependents', names: toDelete.map((d) => d.metadata.name as string) } : { action: 'none' };
  }
  return { action: 'none' };
}
