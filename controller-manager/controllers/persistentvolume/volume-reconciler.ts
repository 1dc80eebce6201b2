/**
 * The binder's volume side (upstream syncVolume + reclaimVolume): phases Available / Bound /
 * Released / Failed, and the reclaim policy once the claim is gone. A claim missing from the
 * cache is looked up on the API server before the volume is released (as upstream does, so a
 * freshly provisioned volume is not reclaimed because of a lagging cache).
 */
import type { PersistentVolume } from '../../../pkg/api/core/v1/persistentvolume.ts';
import type { PersistentVolumeClaim } from '../../../pkg/api/core/v1/persistentvolumeclaim.ts';
import { isNotFound } from '../../../pkg/errors/index.ts';
import type { Lister } from '../../../pkg/informer/index.ts';
import type { ReconcileContext, ReconcileRequest, Reconciler, Result } from '../../../pkg/runtime/index.ts';
import type { PV, PVC } from '../../../pkg/volume/claims.ts';
import { decideReclaim, decideVolume } from './decide.ts';
import type { BinderWrites } from './writes.ts';

/** Dependencies of {@link VolumeReconciler}. */
export interface VolumeReconcilerDeps {
  claims: Lister<PersistentVolumeClaim>;
  volumes: Lister<PersistentVolume>;
  writes: BinderWrites;
  /** Asks the claim side to sync a claim now (`ns/name`). */
  syncClaim: (key: string) => void;
  resyncMs: number;
}

/** Level-based; a thrown error is retried with back-off; every volume is requeued after `resyncMs`. */
export class VolumeReconciler implements Reconciler {
  constructor(private readonly deps: VolumeReconcilerDeps) {}

  async reconcile(req: ReconcileRequest, ctx: ReconcileContext): Promise<Result | void> {
    const volume = this.deps.volumes.get(req.name);
    if (!volume) return;
    try {
      await this.sync(volume, ctx);
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
    return { requeueAfterMs: this.deps.resyncMs };
  }

  private async claimOf(volume: PV): Promise<PVC | undefined> {
    const ref = volume.spec?.claimRef;
    if (!ref?.name) return undefined;
    const cached = this.deps.claims.get(`${ref.namespace ?? ''}/${ref.name}`);
    if (cached || volume.status?.phase === 'Released' || volume.status?.phase === 'Failed') return cached;
    return this.deps.writes.claims(ref.namespace ?? '').get(ref.name).catch((err: unknown) => (isNotFound(err) ? undefined : Promise.reject(err)));
  }

  private async sync(volume: PV, ctx: ReconcileContext): Promise<void> {
    const { writes } = this.deps;
    const decision = decideVolume(volume, await this.claimOf(volume));
    ctx.log.debug({ volume: volume.metadata.name, action: decision.action }, 'syncing volume');
    switch (decision.action) {
      case 'phase':
        await writes.volumePhase(volume, decision.phase);
        return;
      case 'sync-claim':
        this.deps.syncClaim(decision.key);
        return;
      case 'unbind':
        await writes.unbindVolume(volume);
        return;
      case 'none':
        return;
      case 'reclaim':
        await this.reclaim(volume, ctx);
    }
  }

  private async reclaim(volume: PV, ctx: ReconcileContext): Promise<void> {
    const { writes } = this.deps;
    let current = volume;
    if (current.status?.phase !== 'Released' && current.status?.phase !== 'Failed') {
      ctx.log.info({ volume: volume.metadata.name, policy: volume.spec?.persistentVolumeReclaimPolicy }, 'volume released');
      current = await writes.volumePhase(current, 'Released');
    }
    const reclaim = decideReclaim(current);
    if (reclaim.action === 'fail') await writes.volumePhaseWithEvent(current, 'Failed', reclaim.event.type, reclaim.event.reason, reclaim.event.message);
  }
}
