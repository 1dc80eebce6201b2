/**
 * Annotation keys and small pure readers of claims and volumes that the PersistentVolume
 * controllers, the scheduler's VolumeBinding plugin and the kubelet share (upstream
 * pkg/volume/util/persistentvolume/util.go, component-helpers storage/volume and
 * pkg/apis/core/v1/helper): the claim's and volume's class, requested size, access-mode
 * containment, volume mode, and whether a volume points at a claim.
 */
import type { PersistentVolume } from '../api/core/v1/persistentvolume.ts';
import type { PersistentVolumeClaim } from '../api/core/v1/persistentvolumeclaim.ts';
import type { DeepReadonly } from '../informer/index.ts';

export type PV = PersistentVolume | DeepReadonly<PersistentVolume>;
export type PVC = PersistentVolumeClaim | DeepReadonly<PersistentVolumeClaim>;

/** Claim: binding finished once (set by the binder). */
export const ANN_BIND_COMPLETED = 'pv.kubernetes.io/bind-completed';
/** Claim or volume: the binder (not the user) chose the other side. */
export const ANN_BOUND_BY_CONTROLLER = 'pv.kubernetes.io/bound-by-controller';
/** Volume: the provisioner that created it. */
export const ANN_DYNAMICALLY_PROVISIONED = 'pv.kubernetes.io/provisioned-by';
/** Claim: the provisioner asked to create its volume (GA name and the beta one, both set). */
export const ANN_STORAGE_PROVISIONER = 'volume.kubernetes.io/storage-provisioner';
export const ANN_BETA_STORAGE_PROVISIONER = 'volume.beta.kubernetes.io/storage-provisioner';
/** Claim: the node the scheduler picked for a WaitForFirstConsumer claim. */
export const ANN_SELECTED_NODE = 'volume.kubernetes.io/selected-node';
/** Claim or volume: the deprecated class annotation (wins over `storageClassName`). */
export const ANN_BETA_STORAGE_CLASS = 'volume.beta.kubernetes.io/storage-class';
/** StorageClass: the default class. */
export const ANN_IS_DEFAULT_CLASS = 'storageclass.kubernetes.io/is-default-class';
export const ANN_BETA_IS_DEFAULT_CLASS = 'storageclass.beta.kubernetes.io/is-default-class';

/** A class with this provisioner cannot provision (local static volumes). */
export const NOT_SUPPORTED_PROVISIONER = 'kubernetes.io/no-provisioner';

export const PVC_PROTECTION_FINALIZER = 'kubernetes.io/pvc-protection';
export const PV_PROTECTION_FINALIZER = 'kubernetes.io/pv-protection';

/** Upstream GetPersistentVolumeClaimClass: the beta annotation, else `storageClassName`, else ''. */
export function claimClass(claim: PVC): string {
  const ann = claim.metadata.annotations?.[ANN_BETA_STORAGE_CLASS];
  if (ann !== undefined) return ann;
  return claim.spec?.storageClassName ?? '';
}

/** Upstream PersistentVolumeClaimHasClass: the claim names a class (possibly ''), so no default is assigned. */
export function claimHasClass(claim: PVC): boolean {
  return claim.metadata.annotations?.[ANN_BETA_STORAGE_CLASS] !== undefined || claim.spec?.storageClassName !== undefined;
}

/** Upstream GetPersistentVolumeClass. */
export function volumeClass(volume: PV): string {
  const ann = volume.metadata.annotations?.[ANN_BETA_STORAGE_CLASS];
  if (ann !== undefined) return ann;
  return volume.spec?.storageClassName ?? '';
}

/** The claim's `resources.requests.storage` ('0' when absent). */
export function requestedStorage(claim: PVC): string {
  return String(claim.spec?.resources?.requests?.storage ?? '0');
}

/** The volume's `capacity.storage` ('0' when absent). */
export function volumeCapacity(volume: PV): string {
  return String(volume.spec?.capacity?.storage ?? '0');
}

/** Every mode the claim asks for is among the volume's (upstream CheckAccessModes). */
export function accessModesContained(volumeModes: readonly string[] | undefined, claimModes: readonly string[] | undefined): boolean {
  const have = new Set(volumeModes ?? []);
  return (claimModes ?? []).every((m) => have.has(m));
}

/** Upstream CheckVolumeModeMismatches (both default to Filesystem). */
export function volumeModeMismatch(claim: PVC, volume: PV): boolean {
  return (claim.spec?.volumeMode || 'Filesystem') !== (volume.spec?.volumeMode || 'Filesystem');
}

/** Upstream IsVolumeBoundToClaim: the claimRef names the claim and its uid is empty or the claim's. */
export function isVolumeBoundToClaim(volume: PV, claim: PVC): boolean {
  const ref = volume.spec?.claimRef;
  if (!ref) return false;
  if (ref.name !== claim.metadata.name || ref.namespace !== claim.metadata.namespace) return false;
  return !ref.uid || ref.uid === claim.metadata.uid;
}

/** `ns/name` of the claim a volume's claimRef names. */
export function claimRefKey(volume: PV): string | undefined {
  const ref = volume.spec?.claimRef;
  return ref?.name ? `${ref.namespace ?? ''}/${ref.name}` : undefined;
}

export const hasAnnotation = (obj: PV | PVC, key: string): boolean => obj.metadata.annotations?.[key] !== undefined;
