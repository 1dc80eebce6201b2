/**
 * `persistentVolumeClaimRetentionPolicy` as owner references on a pod's claims, pure (upstream
 * stateful_set_utils.go isClaimOwnerUpToDate / updateClaimOwnerRefForSetAndPod /
 * PodClaimIsStale). Desired controller references:
 * - whenDeleted Retain, whenScaled Retain: none;
 * - whenDeleted Delete, whenScaled Retain: the StatefulSet;
 * - whenDeleted Retain, whenScaled Delete: the pod, once it is scaled down (outside the ordinal range);
 * - both Delete: the StatefulSet while the pod is in range, the pod once it is scaled down.
 * A claim referencing an older set or pod of the same name (stale uid), or controlled by some
 * other owner, is left alone (only our own references are scrubbed in the latter case).
 */
import type { StatefulSet } from '../../../pkg/api/apps/v1/statefulset.ts';
import type { Pod } from '../../../pkg/api/core/v1/pod.ts';
import type { OwnerReference } from '../../../pkg/api/meta.ts';
import type { DeepReadonly } from '../../../pkg/informer/index.ts';
import type { PVC } from '../../../pkg/volume/claims.ts';
import { ordinalOf, replicasOf, startOrdinal } from './identity.ts';

type S = StatefulSet | DeepReadonly<StatefulSet>;
type P = Pod | DeepReadonly<Pod>;
type Ref = OwnerReference | DeepReadonly<OwnerReference>;
type Owner = { metadata: { name?: string; uid?: string } };

const SET_KIND = { apiVersion: 'apps/v1', kind: 'StatefulSet' };
const POD_KIND = { apiVersion: 'v1', kind: 'Pod' };

/** whenDeleted / whenScaled with upstream's defaults (Retain). */
export function retentionPolicy(set: S): { whenDeleted: string; whenScaled: string } {
  const p = set.spec?.persistentVolumeClaimRetentionPolicy;
  return { whenDeleted: p?.whenDeleted || 'Retain', whenScaled: p?.whenScaled || 'Retain' };
}

/** Upstream podInOrdinalRange. */
export function podInOrdinalRange(pod: P, set: S): boolean {
  const o = ordinalOf(pod);
  return o >= startOrdinal(set) && o < startOrdinal(set) + replicasOf(set);
}

const refs = (claim: PVC): readonly Ref[] => claim.metadata.ownerReferences ?? [];
const matchesRef = (ref: Ref, obj: Owner, kind: { apiVersion: string; kind: string }) => ref.name === obj.metadata.name && ref.kind === kind.kind && ref.apiVersion === kind.apiVersion;
const hasOwnerRef = (claim: PVC, owner: Owner) => Boolean(owner.metadata.uid) && refs(claim).some((r) => r.uid === owner.metadata.uid);

/** A reference to an object of that kind and name but another uid (upstream hasStaleOwnerRef). */
export function hasStaleOwnerRef(claim: PVC, obj: Owner, kind: { apiVersion: string; kind: string }): boolean {
  const ref = refs(claim).find((r) => matchesRef(r, obj, kind));
  return ref !== undefined && ref.uid !== (obj.metadata.uid ?? '');
}

const hasUnexpectedController = (claim: PVC, set: S, pod: P) => refs(claim).some((r) => r.controller && r.uid !== set.metadata.uid && r.uid !== pod.metadata.uid);
const hasNonControllerOwner = (claim: PVC, set: S, pod: P) => refs(claim).some((r) => (r.uid === set.metadata.uid || (pod.metadata.uid && r.uid === pod.metadata.uid)) && !r.controller);

/** Whether the claim's owners already match the policy (upstream isClaimOwnerUpToDate). */
export function isClaimOwnerUpToDate(claim: PVC, set: S, pod: P): boolean {
  if (hasStaleOwnerRef(claim, set, SET_KIND) || hasStaleOwnerRef(claim, pod, POD_KIND)) return true;
  if (hasUnexpectedController(claim, set, pod)) return !hasOwnerRef(claim, set) && !hasOwnerRef(claim, pod);
  if (hasNonControllerOwner(claim, set, pod)) return false;
  const { setRef, podRef } = desired(set, pod);
  return hasOwnerRef(claim, set) === setRef && hasOwnerRef(claim, pod) === podRef;
}

function desired(set: S, pod: P): { setRef: boolean; podRef: boolean } {
  const { whenDeleted, whenScaled } = retentionPolicy(set);
  const scaledDown = !podInOrdinalRange(pod, set);
  const deleteOnScale = whenScaled === 'Delete';
  const deleteOnDelete = whenDeleted === 'Delete';
  if (deleteOnScale && scaledDown) return { setRef: false, podRef: true };
  return { setRef: deleteOnDelete, podRef: false };
}

const controllerRef = (owner: Owner, kind: { apiVersion: string; kind: string }): OwnerReference => ({ ...kind, name: owner.metadata.name as string, uid: owner.metadata.uid as string, controller: true, blockOwnerDeletion: true }) as OwnerReference;

/** The claim's owner references as the policy wants them (upstream updateClaimOwnerRefForSetAndPod). */
export function claimOwnerRefs(claim: PVC, set: S, pod: P): OwnerReference[] {
  const unexpected = hasUnexpectedController(claim, set, pod);
  const kept = refs(claim).filter((r) => !matchesRef(r, set, SET_KIND) && !matchesRef(r, pod, POD_KIND)).map((r) => ({ ...r }) as OwnerReference);
  if (unexpected) return kept;
  const { setRef, podRef } = desired(set, pod);
  if (setRef) kept.push(controllerRef(set, SET_KIND));
  if (podRef && pod.metadata.uid) kept.push(controllerRef(pod, POD_KIND));
  return kept;
}

/** Upstream PodClaimIsStale: with whenScaled Delete, a claim still owned by an earlier pod of that name must go first. */
export function claimIsStale(set: S, pod: P, claim: PVC | undefined): boolean {
  return retentionPolicy(set).whenScaled !== 'Retain' && claim !== undefined && hasStaleOwnerRef(claim, pod, POD_KIND);
}
