/**
 * The binder's writes (upstream pv_controller.go bind, updateVolumePhase(WithEvent),
 * updateClaimStatus(WithEvent), setClaimProvisioner, unbindVolume), each a no-op when the object
 * already says so. `bind` writes in upstream's order — volume claimRef, volume phase Bound, claim
 * volumeName + annotations, claim status Bound — and stops at the first failure (thrown; the next
 * sync finishes the binding). Events are recorded only when a phase actually changes.
 */
import type { PersistentVolume } from '../../../pkg/api/core/v1/persistentvolume.ts';
import type { PersistentVolumeClaim } from '../../../pkg/api/core/v1/persistentvolumeclaim.ts';
import type { KubeObject } from '../../../pkg/api/meta.ts';
import { BUILTIN_COORDINATES as C, type Client, type ResourceClient } from '../../../pkg/client/index.ts';
import type { EventRecorder, EventType } from '../../../pkg/runtime/index.ts';
import { copyJson } from '../../../pkg/util/json-copy.ts';
import { jsonEqual } from '../../../pkg/util/json-equal.ts';
import { rfc3339 } from '../../../pkg/util/time.ts';
import type { Clock } from '../../../pkg/workqueue/index.ts';
import { ANN_BETA_STORAGE_PROVISIONER, ANN_BIND_COMPLETED, ANN_BOUND_BY_CONTROLLER, ANN_STORAGE_PROVISIONER, hasAnnotation, isVolumeBoundToClaim, type PV, type PVC } from '../../../pkg/volume/claims.ts';

/** The object with its kind, as events need it. */
export const volumeRef = (v: PV): KubeObject => ({ ...(v as KubeObject), apiVersion: 'v1', kind: 'PersistentVolume' });
export const claimRef = (c: PVC): KubeObject => ({ ...(c as KubeObject), apiVersion: 'v1', kind: 'PersistentVolumeClaim' });

/** Dependencies of {@link BinderWrites}. */
export interface BinderWritesDeps {
  client: Client;
  recorder: EventRecorder;
  clock: Clock;
}

/**
 * Contract: every method reads nothing but its arguments, writes only when the object differs
 * from what is wanted, returns the object as written (or the argument unchanged) and throws the
 * API error on failure (a Conflict means the cache was stale: the caller's retry reads again).
 */
export class BinderWrites {
  readonly volumes: ResourceClient<PersistentVolume>;
  constructor(private readonly deps: BinderWritesDeps) {
    this.volumes = deps.client.resource<PersistentVolume>(C.persistentVolumes);
  }

  claims(namespace: string): ResourceClient<PersistentVolumeClaim> {
    return this.deps.client.resource<PersistentVolumeClaim>(C.persistentVolumeClaims).inNamespace(namespace);
  }

  event(obj: KubeObject, type: EventType, reason: string, message: string): void {
    this.deps.recorder.event(obj, type, reason, message);
  }

  /** Sets the volume's phase (and message); returns the updated volume. */
  async volumePhase(volume: PV, phase: string, message = ''): Promise<PV> {
    if (volume.status?.phase === phase) return volume;
    const next = copyJson(volume) as PersistentVolume;
    next.status = { ...(next.status ?? {}), phase, lastPhaseTransitionTime: rfc3339(this.deps.clock.now()) };
    if (message) next.status.message = message;
    else delete next.status.message;
    return this.volumes.updateStatus(next);
  }

  /** {@link volumePhase} plus an event on the volume when the phase changed. */
  async volumePhaseWithEvent(volume: PV, phase: string, type: EventType, reason: string, message: string): Promise<PV> {
    if (volume.status?.phase === phase) return volume;
    const next = await this.volumePhase(volume, phase, message);
    this.event(volumeRef(next), type, reason, message);
    return next;
  }

  /** Claim phase, with access modes and capacity from `volume` (cleared without one). */
  async claimStatus(claim: PVC, phase: string, volume?: PV): Promise<PVC> {
    const status = { ...(copyJson(claim.status ?? {}) as NonNullable<PersistentVolumeClaim['status']>), phase };
    if (volume) {
      status.accessModes = copyJson((volume.spec?.accessModes ?? []) as string[]);
      status.capacity = copyJson((volume.spec?.capacity ?? {}) as Record<string, string>);
    } else {
      delete status.accessModes;
      delete status.capacity;
    }
    if (jsonEqual(status, claim.status ?? {})) return claim;
    return this.claims(claim.metadata.namespace as string).updateStatus({ ...(copyJson(claim) as PersistentVolumeClaim), status });
  }

  /** {@link claimStatus} plus an event when the phase changed. */
  async claimStatusWithEvent(claim: PVC, phase: string, type: EventType, reason: string, message: string): Promise<PVC> {
    if (claim.status?.phase === phase) return claim;
    const next = await this.claimStatus(claim, phase);
    this.event(claimRef(next), type, reason, message);
    return next;
  }

  /** Both sides bound and Bound (upstream bind). */
  async bind(volume: PV, claim: PVC): Promise<void> {
    let v = await this.bindVolume(volume, claim);
    v = await this.volumePhase(v, 'Bound');
    let c = await this.bindClaim(claim, v);
    c = await this.claimStatus(c, 'Bound', v);
  }

  /** Upstream GetBindVolumeToClaim + update: claimRef to the claim (with uid), bound-by-controller unless the user pre-bound it. */
  private async bindVolume(volume: PV, claim: PVC): Promise<PV> {
    const next = copyJson(volume) as PersistentVolume;
    const spec = (next.spec ??= {});
    let dirty = false;
    const byController = !isVolumeBoundToClaim(volume, claim);
    const ref = spec.claimRef;
    if (!ref || ref.name !== claim.metadata.name || ref.namespace !== claim.metadata.namespace || ref.uid !== claim.metadata.uid) {
      spec.claimRef = { kind: 'PersistentVolumeClaim', namespace: claim.metadata.namespace, name: claim.metadata.name, uid: claim.metadata.uid, apiVersion: 'v1', resourceVersion: claim.metadata.resourceVersion };
      dirty = true;
    }
    if (byController && !hasAnnotation(next, ANN_BOUND_BY_CONTROLLER)) {
      next.metadata.annotations = { ...(next.metadata.annotations ?? {}), [ANN_BOUND_BY_CONTROLLER]: 'yes' };
      dirty = true;
    }
    return dirty ? this.volumes.update(next) : volume;
  }

  /** Upstream bindClaimToVolume: volumeName (+ bound-by-controller when the binder chose it) and bind-completed. */
  private async bindClaim(claim: PVC, volume: PV): Promise<PVC> {
    const next = copyJson(claim) as PersistentVolumeClaim;
    const annotations = { ...(next.metadata.annotations ?? {}) };
    let dirty = false;
    if (next.spec?.volumeName !== volume.metadata.name) {
      next.spec = { ...(next.spec ?? {}), volumeName: volume.metadata.name };
      annotations[ANN_BOUND_BY_CONTROLLER] ??= 'yes';
      dirty = true;
    }
    if (annotations[ANN_BIND_COMPLETED] === undefined) {
      annotations[ANN_BIND_COMPLETED] = 'yes';
      dirty = true;
    }
    if (!dirty) return claim;
    next.metadata.annotations = annotations;
    return this.claims(claim.metadata.namespace as string).update(next);
  }

  /** Upstream unbindVolume: a controller binding is undone; a user's pre-binding keeps name/namespace but loses the uid. */
  async unbindVolume(volume: PV): Promise<void> {
    const next = copyJson(volume) as PersistentVolume;
    if (hasAnnotation(volume, ANN_BOUND_BY_CONTROLLER)) {
      delete next.spec?.claimRef;
      const annotations = { ...(next.metadata.annotations ?? {}) };
      delete annotations[ANN_BOUND_BY_CONTROLLER];
      next.metadata.annotations = Object.keys(annotations).length ? annotations : undefined;
    } else if (next.spec?.claimRef) {
      delete next.spec.claimRef.uid;
    }
    const updated = await this.volumes.update(next);
    await this.volumePhase(updated, 'Available');
  }

  /** Upstream setClaimProvisioner: both provisioner annotations name `provisioner`. */
  async setClaimProvisioner(claim: PVC, provisioner: string): Promise<PVC> {
    const annotations = claim.metadata.annotations ?? {};
    if (annotations[ANN_STORAGE_PROVISIONER] === provisioner && annotations[ANN_BETA_STORAGE_PROVISIONER] === provisioner) return claim;
    const next = copyJson(claim) as PersistentVolumeClaim;
    next.metadata.annotations = { ...annotations, [ANN_STORAGE_PROVISIONER]: provisioner, [ANN_BETA_STORAGE_PROVISIONER]: provisioner };
    return this.claims(claim.metadata.namespace as string).update(next);
  }
}
