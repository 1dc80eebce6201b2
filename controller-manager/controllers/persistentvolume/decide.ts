/**
 * The binder's decisions, pure (upstream pv_controller.go syncUnboundClaim, syncBoundClaim,
 * syncVolume, reclaimVolume, findProvisionablePlugin/findDeletablePlugin). The reconcilers read
 * the caches, call these and perform the returned action; event texts are upstream's.
 */
import type { StorageClass } from '../../../pkg/api/storage/v1/storageclass.ts';
import type { DeepReadonly } from '../../../pkg/informer/index.ts';
import { ANN_BOUND_BY_CONTROLLER, ANN_DYNAMICALLY_PROVISIONED, ANN_SELECTED_NODE, claimClass, hasAnnotation, isVolumeBoundToClaim, type PV, type PVC } from '../../../pkg/volume/claims.ts';
import { findBestMatch, volumeMismatch } from './match.ts';

type SC = StorageClass | DeepReadonly<StorageClass>;

/** An event to record: on the claim for claim decisions, on the volume for volume ones. */
export interface EventSpec {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

/** What the claim side does now (performed by claim-reconciler.ts). */
export type ClaimAction =
  /** Bind both sides (also used to finish or repair a binding). */
  | { action: 'bind'; volume: PV }
  /** Retroactively give the class-less claim the default class (upstream assignDefaultStorageClass). */
  | { action: 'assign-class'; className: string }
  /** Ask the external provisioner: annotate the claim, then event (claim status untouched, as upstream). */
  | { action: 'provision'; provisioner: string }
  /** Set the claim phase (Pending: no volume; Lost: terminal), optionally with an event. */
  | { action: 'phase'; phase: 'Pending' | 'Lost'; event?: EventSpec; eventOnChangeOnly?: boolean }
  /** Record an event only (claim status untouched). */
  | { action: 'event'; event: EventSpec }
  /** Upstream returns an error (retry with back-off). */
  | { action: 'error'; message: string };

/** Upstream's message while the external provisioner works. */
export const externalProvisioningMessage = (provisioner: string): string =>
  `Waiting for a volume to be created either by the external provisioner '${provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.`;

/** Upstream util.GetDefaultClass: the newest class annotated default (ties: by name), or undefined. */
export function defaultClass(classes: readonly SC[]): SC | undefined {
  const defaults = classes.filter((c) => c.metadata.annotations?.['storageclass.kubernetes.io/is-default-class'] === 'true' || c.metadata.annotations?.['storageclass.beta.kubernetes.io/is-default-class'] === 'true');
  return [...defaults].sort((a, b) => (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? '') || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''))[0];
}

/** Upstream IsDelayBindingMode: the claim's class exists and says WaitForFirstConsumer. */
export function isDelayBinding(claim: PVC, classes: ReadonlyMap<string, SC>): boolean {
  const name = claimClass(claim);
  return name !== '' && classes.get(name)?.volumeBindingMode === 'WaitForFirstConsumer';
}

/** Inputs of {@link decideClaim}. */
export interface ClaimState {
  claim: PVC;
  /** Every volume (the cache). */
  volumes: readonly PV[];
  classes: ReadonlyMap<string, SC>;
  /** Names of live, unscheduled pods using the claim (for the delayed-binding event). */
  unscheduledPods: readonly string[];
  /** Whether the claim has no class field at all (then a default class may be assigned). */
  hasClass: boolean;
}

/** What to do with a claim now. */
export function decideClaim(s: ClaimState): ClaimAction {
  if (s.claim.metadata.annotations?.['pv.kubernetes.io/bind-completed'] === undefined) return decideUnbound(s);
  return decideBound(s);
}

function decideUnbound(s: ClaimState): ClaimAction {
  const { claim } = s;
  const wanted = claim.spec?.volumeName;
  if (!wanted) {
    const delay = isDelayBinding(claim, s.classes);
    const volume = findBestMatch(claim, s.volumes, delay);
    if (volume) return { action: 'bind', volume };
    if (!s.hasClass) {
      const fallback = defaultClass([...s.classes.values()]);
      if (fallback) return { action: 'assign-class', className: fallback.metadata.name as string };
    }
    if (delay && claim.metadata.annotations?.[ANN_SELECTED_NODE] === undefined) return { action: 'phase', phase: 'Pending', event: waitEvent(s.unscheduledPods) };
    const className = claimClass(claim);
    if (className !== '') return provisionAction(className, s.classes);
    return { action: 'phase', phase: 'Pending', event: { type: 'Normal', reason: 'FailedBinding', message: 'no persistent volumes available for this claim and no storage class is set' } };
  }
  const volume = s.volumes.find((v) => v.metadata.name === wanted);
  if (!volume) return { action: 'phase', phase: 'Pending' };
  if (!volume.spec?.claimRef) {
    const why = volumeMismatch(volume, claim);
    if (why) return { action: 'phase', phase: 'Pending', event: { type: 'Warning', reason: 'VolumeMismatch', message: `Cannot bind to requested volume "${wanted}": ${why}` } };
    return { action: 'bind', volume };
  }
  if (isVolumeBoundToClaim(volume, claim)) return { action: 'bind', volume };
  const event: EventSpec = { type: 'Warning', reason: 'FailedBinding', message: `volume "${wanted}" already bound to a different claim.` };
  if (!hasAnnotation(claim, ANN_BOUND_BY_CONTROLLER)) return { action: 'phase', phase: 'Pending', event };
  return { action: 'error', message: `invalid binding of claim "${claim.metadata.namespace}/${claim.metadata.name}" to volume "${wanted}": volume already claimed by "${volume.spec.claimRef.namespace}/${volume.spec.claimRef.name}"` };
}

function waitEvent(pods: readonly string[]): EventSpec {
  if (!pods.length) return { type: 'Normal', reason: 'WaitForFirstConsumer', message: 'waiting for first consumer to be created before binding' };
  const message = pods.length > 1 ? `waiting for pods ${pods.join(',')} to be scheduled` : `waiting for pod ${pods[0]} to be scheduled`;
  return { type: 'Normal', reason: 'WaitForPodScheduled', message };
}

/** Upstream provisionClaim/findProvisionablePlugin: this control plane has no in-tree provisioners, so `kubernetes.io/*` fails. */
function provisionAction(className: string, classes: ReadonlyMap<string, SC>): ClaimAction {
  const klass = classes.get(className);
  if (!klass) return { action: 'event', event: { type: 'Warning', reason: 'ProvisioningFailed', message: `storageclass.storage.k8s.io "${className}" not found` } };
  if (klass.provisioner.startsWith('kubernetes.io/')) return { action: 'event', event: { type: 'Warning', reason: 'ProvisioningFailed', message: `no volume plugin matched name: ${klass.provisioner}` } };
  return { action: 'provision', provisioner: klass.provisioner };
}

function decideBound(s: ClaimState): ClaimAction {
  const { claim } = s;
  const name = claim.spec?.volumeName;
  const lost = (reason: string, message: string): ClaimAction => ({ action: 'phase', phase: 'Lost', event: { type: 'Warning', reason, message }, eventOnChangeOnly: true });
  if (!name) return lost('ClaimLost', 'Bound claim has lost reference to PersistentVolume. Data on the volume is lost!');
  const volume = s.volumes.find((v) => v.metadata.name === name);
  if (!volume) return lost('ClaimLost', 'Bound claim has lost its PersistentVolume. Data on the volume is lost!');
  if (!volume.spec?.claimRef || volume.spec.claimRef.uid === claim.metadata.uid) return { action: 'bind', volume };
  return lost('ClaimMisbound', 'Two claims are bound to the same volume, this one is bound incorrectly');
}

/** What the volume side does now (performed by volume-reconciler.ts). */
export type VolumeAction =
  | { action: 'phase'; phase: 'Available' | 'Bound' }
  /** The claim is mid-binding: sync it. */
  | { action: 'sync-claim'; key: string }
  /** Mark Released (unless Released/Failed already) and reclaim. */
  | { action: 'reclaim' }
  | { action: 'unbind' }
  | { action: 'none' };

/**
 * What to do with a volume (upstream syncVolume). `claim` is the claim its claimRef names as the
 * caches and, when they miss it, the API server see it (undefined: gone).
 */
export function decideVolume(volume: PV, claim: PVC | undefined): VolumeAction {
  const ref = volume.spec?.claimRef;
  if (!ref) return { action: 'phase', phase: 'Available' };
  if (!ref.uid) return { action: 'phase', phase: 'Available' };
  const live = claim && claim.metadata.uid === ref.uid ? claim : undefined;
  if (!live) return { action: 'reclaim' };
  if (!live.spec?.volumeName) return { action: 'sync-claim', key: `${live.metadata.namespace}/${live.metadata.name}` };
  if (live.spec.volumeName === volume.metadata.name) return { action: 'phase', phase: 'Bound' };
  if (hasAnnotation(volume, ANN_DYNAMICALLY_PROVISIONED) && volume.spec?.persistentVolumeReclaimPolicy === 'Delete') return { action: 'reclaim' };
  return { action: 'unbind' };
}

/** How a released volume is reclaimed. */
export type ReclaimAction =
  | { action: 'retain' }
  /** Its provisioner (not this controller) deletes it: wait, as upstream does for external deleters. */
  | { action: 'external'; provisioner: string }
  /** No way to reclaim it here: mark Failed with this event. */
  | { action: 'fail'; event: EventSpec };

/** Upstream reclaimVolume with no in-tree recycler or deleter plugins. */
export function decideReclaim(volume: PV): ReclaimAction {
  const policy = volume.spec?.persistentVolumeReclaimPolicy;
  const name = volume.metadata.name;
  if (policy === 'Retain') return { action: 'retain' };
  if (policy === 'Recycle') return { action: 'fail', event: { type: 'Warning', reason: 'VolumeFailedRecycle', message: 'No recycler plugin found for the volume!' } };
  if (policy === 'Delete') {
    const provisioner = volume.metadata.annotations?.[ANN_DYNAMICALLY_PROVISIONED];
    if (provisioner && !provisioner.startsWith('kubernetes.io/')) return { action: 'external', provisioner };
    if (volume.spec?.csi) return { action: 'external', provisioner: volume.spec.csi.driver };
    return { action: 'fail', event: { type: 'Warning', reason: 'VolumeFailedDelete', message: `error getting deleter volume plugin for volume "${name}": no deletable volume plugin matched` } };
  }
  return { action: 'fail', event: { type: 'Warning', reason: 'VolumeUnknownReclaimPolicy', message: 'Volume has unrecognized PersistentVolumeReclaimPolicy' } };
}
