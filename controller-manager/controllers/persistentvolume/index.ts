/**
 * The `persistentvolume-binder` controller (upstream PersistentVolumeController): binds claims to
 * volumes, asks external provisioners (any class provisioner outside `kubernetes.io/`, such as
 * the built-in `k8ts.io/hostpath`) for new ones, and applies reclaim policies. Two queues, one
 * worker each, as upstream (concurrent binders would race for the same volume): claims and
 * volumes, each resynced every `--pvclaimbinder-sync-period` (default 15 s).
 */
import type { Pod } from '../../../pkg/api/core/v1/pod.ts';
import type { PersistentVolume } from '../../../pkg/api/core/v1/persistentvolume.ts';
import type { PersistentVolumeClaim } from '../../../pkg/api/core/v1/persistentvolumeclaim.ts';
import type { StorageClass } from '../../../pkg/api/storage/v1/storageclass.ts';
import { BUILTIN_COORDINATES as C } from '../../../pkg/client/index.ts';
import type { DeepReadonly } from '../../../pkg/informer/index.ts';
import { newControllerBuilder, type ReconcileRequest } from '../../../pkg/runtime/index.ts';
import type { ControllerDescriptor } from '../types.ts';
import { ClaimReconciler } from './claim-reconciler.ts';
import { claimNamesOf } from '../../../pkg/volume/pod-claims.ts';
import { VolumeReconciler } from './volume-reconciler.ts';
import { BinderWrites } from './writes.ts';

/** Upstream `--pvclaimbinder-sync-period` default. */
export const DEFAULT_SYNC_PERIOD_MS = 15_000;

export const persistentVolumeBinderController: ControllerDescriptor = {
  name: 'persistentvolume-binder',
  enabledByDefault: true,
  register({ manager, settings }) {
    const claims = manager.lister<PersistentVolumeClaim>(C.persistentVolumeClaims);
    const volumes = manager.lister<PersistentVolume>(C.persistentVolumes);
    const classes = manager.lister<StorageClass>(C.storageClasses);
    const pods = manager.lister<Pod>(C.pods);
    const resyncMs = settings.pvClaimBinderSyncPeriodMs ?? DEFAULT_SYNC_PERIOD_MS;
    const writes = new BinderWrites({ client: manager.client, recorder: manager.eventRecorder('persistentvolume-controller'), clock: manager.clock });
    const claimRequest = (key: string): ReconcileRequest => ({ namespace: key.slice(0, key.indexOf('/')), name: key.slice(key.indexOf('/') + 1) });
    // A volume event: its claim; a volume that became Available: every pending claim (upstream waits for the resync).
    const claimsForVolume = (v: DeepReadonly<PersistentVolume>): ReconcileRequest[] => {
      const ref = v.spec?.claimRef;
      if (ref?.name) return [{ namespace: ref.namespace ?? '', name: ref.name }];
      if (v.status?.phase !== 'Available') return [];
      return claims.list().filter((c) => !c.spec?.volumeName).map((c) => ({ namespace: c.metadata.namespace as string, name: c.metadata.name as string }));
    };
    const claimController = newControllerBuilder(manager, 'persistentvolume-binder-claims')
      .for(C.persistentVolumeClaims)
      .watches<PersistentVolume>(C.persistentVolumes, claimsForVolume)
      .watches<StorageClass>(C.storageClasses, () => claims.list().filter((c) => !c.spec?.volumeName).map((c) => ({ namespace: c.metadata.namespace as string, name: c.metadata.name as string })))
      .watches<Pod>(C.pods, (p) => (p.spec?.nodeName ? [] : claimNamesOf(p).map((name) => ({ namespace: p.metadata.namespace as string, name }))))
      .withMaxConcurrentReconciles(1)
      .complete(new ClaimReconciler({ claims, volumes, classes, pods, writes, resyncMs }));
    newControllerBuilder(manager, 'persistentvolume-binder-volumes')
      .for(C.persistentVolumes)
      .watches<PersistentVolumeClaim>(C.persistentVolumeClaims, (c) => {
        const byRef = volumes.list().filter((v) => v.spec?.claimRef?.uid && v.spec.claimRef.uid === c.metadata.uid);
        const names = new Set([...(c.spec?.volumeName ? [c.spec.volumeName] : []), ...byRef.map((v) => v.metadata.name as string)]);
        return [...names].map((name) => ({ namespace: '', name }));
      })
      .withMaxConcurrentReconciles(1)
      .complete(new VolumeReconciler({ claims, volumes, writes, resyncMs, syncClaim: (key) => claimController.enqueue(claimRequest(key)) }));
  },
};
