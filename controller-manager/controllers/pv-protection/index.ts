/**
 * The `pv-protection` controller (upstream PVProtectionController): keeps the
 * `kubernetes.io/pv-protection` finalizer on every volume and removes it from a deleting volume
 * once it is not Bound ({@link decideVolumeProtection}).
 */
import type { PersistentVolume } from '../../../pkg/api/core/v1/persistentvolume.ts';
import { BUILTIN_COORDINATES as C } from '../../../pkg/client/index.ts';
import { isNotFound } from '../../../pkg/errors/index.ts';
import { addFinalizer, newControllerBuilder, removeFinalizer } from '../../../pkg/runtime/index.ts';
import { PV_PROTECTION_FINALIZER, type PV } from '../../../pkg/volume/claims.ts';
import type { ProtectionAction } from '../pvc-protection/decide.ts';
import type { ControllerDescriptor } from '../types.ts';

/** Add to a live volume lacking it; remove from a deleting volume that is not Bound (upstream isBeingUsed). */
export function decideVolumeProtection(volume: PV): ProtectionAction {
  const has = volume.metadata.finalizers?.includes(PV_PROTECTION_FINALIZER) ?? false;
  if (!volume.metadata.deletionTimestamp) return has ? 'keep' : 'add';
  return has && volume.status?.phase !== 'Bound' ? 'remove' : 'keep';
}

export const pvProtectionController: ControllerDescriptor = {
  name: 'pv-protection',
  enabledByDefault: true,
  register({ manager }) {
    const volumes = manager.lister<PersistentVolume>(C.persistentVolumes);
    const api = manager.client.resource<PersistentVolume>(C.persistentVolumes);
    newControllerBuilder(manager, 'pv-protection')
      .for(C.persistentVolumes)
      .withMaxConcurrentReconciles(1)
      .complete({
        async reconcile(req, ctx) {
          const volume = volumes.get(req.name);
          if (!volume) return;
          const action = decideVolumeProtection(volume);
          try {
            if (action === 'add') await addFinalizer(api, volume, PV_PROTECTION_FINALIZER);
            if (action === 'remove') {
              await removeFinalizer(api, volume, PV_PROTECTION_FINALIZER);
              ctx.log.info({ volume: req.name }, 'removed pv-protection finalizer');
            }
          } catch (err) {
            if (!isNotFound(err)) throw err;
          }
        },
      });
  },
};
