/**
 * The binder's claim side (upstream syncClaim): reads the claim, every volume, the classes and the
 * pods using the claim from the caches, asks {@link decideClaim} and performs the answer. Every
 * claim is looked at again after the resync period (upstream `--pvclaimbinder-sync-period`), so
 * a claim waiting for a matching volume binds once one appears even without a volume event.
 */
import type { Pod } from '../../../pkg/api/core/v1/pod.ts';
import type { PersistentVolume } from '../../../pkg/api/core/v1/persistentvolume.ts';
import type { PersistentVolumeClaim } from '../../../pkg/api/core/v1/persistentvolumeclaim.ts';
import type { StorageClass } from '../../../pkg/api/storage/v1/storageclass.ts';
import { isNotFound } from '../../../pkg/errors/index.ts';
import type { DeepReadonly, Lister } from '../../../pkg/informer/index.ts';
import type { ReconcileContext, ReconcileRequest, Reconciler, Result } from '../../../pkg/runtime/index.ts';
import { copyJson } from '../../../pkg/util/json-copy.ts';
import { claimHasClass, type PVC } from '../../../pkg/volume/claims.ts';
import { decideClaim, externalProvisioningMessage } from './decide.ts';
import { podsUsingClaim } from './pod-claims.ts';
import { claimRef, type BinderWrites } from './writes.ts';

/** Dependencies of {@link ClaimReconciler}. */
export interface ClaimReconcilerDeps {
  claims: Lister<PersistentVolumeClaim>;
  volumes: Lister<PersistentVolume>;
  classes: Lister<StorageClass>;
  pods: Lister<Pod>;
  writes: BinderWrites;
  /** Resync period in ms. */
  resyncMs: number;
}

/**
 * Level-based: acts on the cached state only; a thrown error (a failed write) is retried with
 * back-off, and every claim is requeued after `resyncMs`.
 */
export class ClaimReconciler implements Reconciler {
  constructor(private readonly deps: ClaimReconcilerDeps) {}

  async reconcile(req: ReconcileRequest, ctx: ReconcileContext): Promise<Result | void> {
    const { deps } = this;
    const claim = deps.claims.get(`${req.namespace}/${req.name}`);
    if (!claim) return;
    const classes = new Map(deps.classes.list().map((c) => [c.metadata.name as string, c]));
    const unscheduledPods = podsUsingClaim(deps.pods.listInNamespace(req.namespace), claim)
      .filter((p) => !p.spec?.nodeName)
      .map((p) => p.metadata.name as string);
    const decision = decideClaim({ claim, volumes: deps.volumes.list(), classes, unscheduledPods, hasClass: claimHasClass(claim) });
    ctx.log.debug({ claim: `${req.namespace}/${req.name}`, action: decision.action }, 'syncing claim');
    try {
      await this.perform(claim, decision);
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
    return { requeueAfterMs: deps.resyncMs };
  }

  private async perform(claim: DeepReadonly<PersistentVolumeClaim>, decision: ReturnType<typeof decideClaim>): Promise<void> {
    const { writes } = this.deps;
    switch (decision.action) {
      case 'bind':
        await writes.bind(decision.volume, claim);
        return;
      case 'assign-class': {
        const next = copyJson(claim) as PersistentVolumeClaim;
        next.spec = { ...(next.spec ?? {}), storageClassName: decision.className };
        await writes.claims(claim.metadata.namespace as string).update(next);
        return;
      }
      case 'provision': {
        const updated = await writes.setClaimProvisioner(claim, decision.provisioner);
        writes.event(claimRef(updated), 'Normal', 'ExternalProvisioning', externalProvisioningMessage(decision.provisioner));
        return;
      }
      case 'phase': {
        const { event } = decision;
        if (event && decision.eventOnChangeOnly) {
          await writes.claimStatusWithEvent(claim, decision.phase, event.type, event.reason, event.message);
          return;
        }
        if (event) writes.event(claimRef(claim), event.type, event.reason, event.message);
        await writes.claimStatus(claim as PVC, decision.phase);
        return;
      }
      case 'event':
        writes.event(claimRef(claim), decision.event.type, decision.event.reason, decision.event.message);
        return;
      case 'error':
        throw new Error(decision.message);
    }
  }
}
