/**
 * The PersistentVolume and PersistentVolumeClaim registry strategies (upstream
 * pkg/registry/core/persistentvolume(claim)/strategy.go): status starts empty on create (a PV's
 * phase Pending stamped with `lastPhaseTransitionTime`), main-resource writes keep the stored
 * status (the server does that generically), `/status` writes keep everything but the status and
 * re-stamp a PV's `lastPhaseTransitionTime` when its phase changes. `volumeAttributesClassName`
 * is dropped unless the stored object already had one (the VolumeAttributesClass feature is off
 * by default in 1.33).
 */
import type { FieldError } from '../../../errors/index.ts';
import { rfc3339 } from '../../../util/time.ts';
import type { KubeObject } from '../../meta.ts';
import type { PersistentVolume } from './persistentvolume.ts';

type WithClassSpec = { spec?: { volumeAttributesClassName?: string | undefined } | undefined };

/** DropDisabledSpecFields for VolumeAttributesClass (gate off): keep it only if the old object used it. */
export function dropVolumeAttributesClass(obj: WithClassSpec, old?: WithClassSpec): void {
  if (obj.spec && old?.spec?.volumeAttributesClassName === undefined) delete obj.spec.volumeAttributesClassName;
}

/** PersistentVolume PrepareForCreate: empty status, phase Pending since `now`. */
export function preparePersistentVolumeForCreate(pv: PersistentVolume, now: Date = new Date()): void {
  pv.status = { phase: 'Pending', lastPhaseTransitionTime: rfc3339(now) };
  dropVolumeAttributesClass(pv);
}

/** A `/status` write: the stored object with the requested status (resource version and managed fields from the request). */
export function withRequestedStatus<T extends KubeObject & { status?: unknown }>(requested: T, stored: T): T {
  const out = structuredClone(stored);
  if (requested.status === undefined) delete out.status;
  else out.status = structuredClone(requested.status);
  out.metadata = { ...out.metadata, resourceVersion: requested.metadata.resourceVersion, managedFields: requested.metadata.managedFields ?? stored.metadata.managedFields };
  return out;
}

/**
 * PersistentVolume `/status` update: the phase's transition time is kept while the phase stays,
 * and set to `now` when the phase changes unless the client moved it itself. Pure.
 */
export function persistentVolumeStatusUpdate(requested: PersistentVolume, stored: PersistentVolume, context?: { now: Date }): { object: PersistentVolume; errors: FieldError[] } {
  const object = withRequestedStatus(requested, stored);
  const status = (object.status ??= {});
  const oldStatus = stored.status ?? {};
  const time = status.lastPhaseTransitionTime;
  if ((status.phase ?? '') === (oldStatus.phase ?? '')) {
    if (time === undefined && oldStatus.lastPhaseTransitionTime !== undefined) status.lastPhaseTransitionTime = oldStatus.lastPhaseTransitionTime;
  } else if (time === undefined || time === oldStatus.lastPhaseTransitionTime) {
    status.lastPhaseTransitionTime = rfc3339(context?.now ?? new Date());
  }
  return { object, errors: [] };
}
