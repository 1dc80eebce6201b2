/**
 * Controller references (upstream `metav1.GetControllerOf`, `NewControllerRef` and the
 * `ControllerRefManager` claim logic): an owner adopts matching orphans and releases children
 * whose labels no longer match, so that each child has at most one controller.
 */
import type { KubeObject, OwnerReference } from '../api/meta.ts';
import { fromLabelSelector, type LabelSelectorMatcher } from '../api/selectors/index.ts';
import type { LabelSelector } from '../api/meta.ts';
import type { ReconcileRequest } from './reconciler.ts';
import type { ResourceClient } from '../client/index.ts';
import { isNotFound } from '../errors/index.ts';
import type { DeepReadonly, IndexFunc, Lister, SharedInformer } from '../informer/index.ts';

type AnyObject = KubeObject | DeepReadonly<KubeObject>;

/** The owner's type as written into references. */
export interface OwnerType {
  apiVersion: string;
  kind: string;
}

/** The ownerReference with `controller: true`, if any. */
export function controllerRefOf(obj: AnyObject): DeepReadonly<OwnerReference> | undefined {
  return (obj.metadata.ownerReferences ?? []).find((ref) => ref.controller === true);
}

/**
 * Name of the index of children by their controller's uid (upstream's PodControllerUIDIndex):
 * a child with a controller reference is filed under that uid, an orphan under
 * {@link orphanIndexKey} of its namespace.
 */
export const CONTROLLER_UID_INDEX = 'controller-uid';

/** The {@link CONTROLLER_UID_INDEX} value of the orphans of `namespace` (no uid looks like it). */
export function orphanIndexKey(namespace: string): string {
  return `_ORPHAN/${namespace}`;
}

/** Index function of {@link CONTROLLER_UID_INDEX}. */
export const controllerUidIndexFunc: IndexFunc<KubeObject> = (obj) => {
  const ref = controllerRefOf(obj);
  return [ref ? ref.uid : orphanIndexKey(obj.metadata?.namespace ?? '')];
};

/** The group of an `apiVersion`: `apps` of `apps/v1`, '' of `v1`. */
const apiGroupOf = (apiVersion: string): string => (apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '');

/** Which owners a controller keeps: their kind and API group. */
export interface ControllerKind {
  group: string;
  kind: string;
}

/** The child's controller as `namespace/name` when it is of `type`, else undefined (the key a controller's expectations use). */
export function controllerKeyOf(type: ControllerKind, child: AnyObject): string | undefined {
  const ref = controllerRefOf(child);
  return ref && ref.kind === type.kind && apiGroupOf(ref.apiVersion ?? '') === type.group ? `${child.metadata.namespace ?? ''}/${ref.name}` : undefined;
}

/**
 * Maps a child (a pod, a ControllerRevision) to the owners of `kind` in `group` that must sync
 * when it changes: its controller when that is one of them; nothing when another controller
 * owns it; for an orphan, every owner in its namespace whose selector matches its labels (the
 * candidates for adoption). An owner with no or an invalid selector adopts nothing.
 */
export function childRequests<O extends KubeObject>(type: ControllerKind, owners: Lister<O>, selectorOf: (owner: DeepReadonly<O>) => DeepReadonly<LabelSelector> | undefined): (child: AnyObject) => ReconcileRequest[] {
  const selects = (owner: DeepReadonly<O>, child: AnyObject): boolean => {
    const selector = selectorOf(owner);
    try {
      return selector !== undefined && fromLabelSelector(selector as LabelSelector).matches(child.metadata.labels);
    } catch {
      return false;
    }
  };
  return (child) => {
    const namespace = child.metadata.namespace ?? '';
    const ref = controllerRefOf(child);
    if (ref) return controllerKeyOf(type, child) ? [{ namespace, name: ref.name }] : [];
    return owners
      .listInNamespace(namespace)
      .filter((owner) => selects(owner, child))
      .map((owner) => ({ namespace, name: owner.metadata.name as string }));
  };
}

/**
 * Adds {@link CONTROLLER_UID_INDEX} to a (shared) informer: several controllers index the same
 * pods informer, in any registration order (a store takes the same function under the same
 * name again as a no-op).
 */
export function ensureControllerUidIndex<T extends KubeObject>(informer: Pick<SharedInformer<T>, 'addIndexers'>): void {
  informer.addIndexers({ [CONTROLLER_UID_INDEX]: controllerUidIndexFunc as IndexFunc<T> });
}

/**
 * The children `owner` may claim (upstream FilterPodsByOwner): those it controls and the orphans
 * of its namespace, from a lister whose informer has {@link CONTROLLER_UID_INDEX}, in name order.
 * Children of other controllers are never claimed, so they are not looked at.
 */
export function ownedOrOrphans<T extends KubeObject>(lister: Lister<T>, owner: AnyObject): DeepReadonly<T>[] {
  const ns = owner.metadata.namespace ?? '';
  // A reference across namespaces is no ownership (the garbage collector treats it as dangling).
  const owned = lister.byIndex(CONTROLLER_UID_INDEX, owner.metadata.uid as string).filter((o) => ((o as DeepReadonly<KubeObject>).metadata.namespace ?? '') === ns);
  const orphans = lister.byIndex(CONTROLLER_UID_INDEX, orphanIndexKey(ns));
  if (orphans.length === 0) return owned;
  const name = (o: DeepReadonly<T>) => (o as DeepReadonly<KubeObject>).metadata.name ?? '';
  return [...owned, ...orphans].sort((a, b) => (name(a) < name(b) ? -1 : name(a) > name(b) ? 1 : 0));
}

/** A controller reference to `owner` (controller and blockOwnerDeletion true, as upstream). */
export function newControllerRef(owner: AnyObject, type: OwnerType): OwnerReference {
  return { apiVersion: type.apiVersion, kind: type.kind, name: owner.metadata.name as string, uid: owner.metadata.uid as string, controller: true, blockOwnerDeletion: true };
}

/** What one claimed child turned into. */
export type ClaimDecision = 'keep' | 'adopt' | 'release' | 'ignore';

/**
 * Pure claim decision for one child ("matching" = selected by `selector` and, when given, accepted
 * by `filter`, as upstream ClaimPods' filters): owned by us and matching → keep; owned by us, not matching
 * → release (unless the owner is being deleted); orphan, matching, alive, same namespace and the
 * owner not being deleted → adopt; anything else → ignore.
 */
export function claimDecision(owner: AnyObject, child: AnyObject, selector: LabelSelectorMatcher, filter?: (child: AnyObject) => boolean): ClaimDecision {
  const ref = controllerRefOf(child);
  const matches = selector.matches(child.metadata.labels) && (filter?.(child) ?? true);
  const ownerDeleting = Boolean(owner.metadata.deletionTimestamp);
  if (ref) {
    if (ref.uid !== owner.metadata.uid) return 'ignore';
    if (matches) return 'keep';
    return ownerDeleting ? 'ignore' : 'release';
  }
  if (!matches || ownerDeleting || child.metadata.deletionTimestamp) return 'ignore';
  if ((child.metadata.namespace ?? '') !== (owner.metadata.namespace ?? '')) return 'ignore';
  return 'adopt';
}

/** Options of {@link claimChildren}. */
export interface ClaimOptions<T extends KubeObject> {
  owner: AnyObject;
  ownerType: OwnerType;
  selector: LabelSelectorMatcher;
  /** Further condition for matching (e.g. a StatefulSet's pods must be named after it). */
  filter?: (child: AnyObject) => boolean;
  /** Candidate children (e.g. every pod of the namespace from a lister). */
  children: readonly DeepReadonly<T>[];
  /** Client for the children's resource, used for adopt/release patches. */
  client: ResourceClient<T>;
  /**
   * Re-reads the owner from the API server (not a cache). Adoption happens only if it still has
   * the same uid and is not being deleted, as upstream's `RecheckDeletionTimestamp`.
   */
  getOwnerFresh: () => Promise<AnyObject>;
}

/**
 * Claims children for `owner` and returns those it controls afterwards. Patches carry the
 * child's uid, so a recreated object of the same name is never touched. A child that vanished
 * meanwhile is skipped; other write errors propagate (the reconcile is retried).
 */
export async function claimChildren<T extends KubeObject>(options: ClaimOptions<T>): Promise<DeepReadonly<T>[]> {
  const { owner, selector, client } = options;
  const claimed: DeepReadonly<T>[] = [];
  let canAdopt: Promise<boolean> | undefined;
  const ownerUid = owner.metadata.uid;
  for (const child of options.children) {
    const decision = claimDecision(owner, child, selector, options.filter);
    if (decision === 'keep') claimed.push(child);
    if (decision === 'adopt') {
      canAdopt ??= options.getOwnerFresh().then(
        (fresh) => fresh.metadata.uid === ownerUid && !fresh.metadata.deletionTimestamp,
        (err) => (isNotFound(err) ? false : Promise.reject(err)),
      );
      if (!(await canAdopt)) continue;
      const refs = [...(child.metadata.ownerReferences ?? []).filter((r) => r.uid !== ownerUid), newControllerRef(owner, options.ownerType)];
      const patched = await patchOwnerRefs(client, child, refs);
      if (patched) claimed.push(patched as DeepReadonly<T>);
    }
    if (decision === 'release') {
      const refs = (child.metadata.ownerReferences ?? []).filter((r) => r.uid !== ownerUid);
      await patchOwnerRefs(client, child, refs);
    }
  }
  return claimed;
}

async function patchOwnerRefs<T extends KubeObject>(client: ResourceClient<T>, child: DeepReadonly<T>, refs: readonly DeepReadonly<OwnerReference>[]): Promise<T | undefined> {
  const patch = { metadata: { uid: child.metadata.uid, ownerReferences: refs.length ? refs : null } };
  try {
    return await client.inNamespace(child.metadata.namespace ?? '').patch(child.metadata.name as string, patch, { type: 'merge' });
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}
