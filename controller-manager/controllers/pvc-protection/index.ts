/**
 * The `pvc-protection` controller (upstream PVCProtectionController): keeps the
 * `kubernetes.io/pvc-protection` finalizer on every claim and removes it from a deleting claim
 * once no pod uses it (see decide.ts). Before removing, the pods are listed live from the API
 * server, as upstream does, so a lagging pod cache cannot release a claim still in use.
 */
import type { Pod } from '../../../pkg/api/core/v1/pod.ts';
import type { PersistentVolumeClaim } from '../../../pkg/api/core/v1/persistentvolumeclaim.ts';
import { BUILTIN_COORDINATES as C } from '../../../pkg/client/index.ts';
import { isNotFound } from '../../../pkg/errors/index.ts';
import { addFinalizer, newControllerBuilder, removeFinalizer } from '../../../pkg/runtime/index.ts';
import { PVC_PROTECTION_FINALIZER } from '../../../pkg/volume/claims.ts';
import { claimNamesOf } from '../../../pkg/volume/pod-claims.ts';
import type { ControllerDescriptor } from '../types.ts';
import { decideClaimProtection, podUsesClaim } from './decide.ts';

export const pvcProtectionController: ControllerDescriptor = {
  name: 'pvc-protection',
  enabledByDefault: true,
  register({ manager }) {
    const claims = manager.lister<PersistentVolumeClaim>(C.persistentVolumeClaims);
    const pods = manager.lister<Pod>(C.pods);
    const api = manager.client.resource<PersistentVolumeClaim>(C.persistentVolumeClaims);
    newControllerBuilder(manager, 'pvc-protection')
      .for(C.persistentVolumeClaims)
      .watches<Pod>(C.pods, (pod) => claimNamesOf(pod).map((name) => ({ namespace: pod.metadata.namespace as string, name })))
      .withMaxConcurrentReconciles(1)
      .complete({
        async reconcile(req, ctx) {
          const claim = claims.get(`${req.namespace}/${req.name}`);
          if (!claim) return;
          const cachedUse = pods.listInNamespace(req.namespace).some((p) => podUsesClaim(p, claim));
          const action = decideClaimProtection(claim, () => cachedUse);
          if (action === 'keep') return;
          try {
            if (action === 'add') {
              await addFinalizer(api.inNamespace(req.namespace), claim, PVC_PROTECTION_FINALIZER);
              return;
            }
            const live = (await manager.client.pods.inNamespace(req.namespace).list()).items;
            if (live.some((p) => podUsesClaim(p, claim))) return;
            await removeFinalizer(api.inNamespace(req.namespace), claim, PVC_PROTECTION_FINALIZER);
            ctx.log.info({ claim: `${req.namespace}/${req.name}` }, 'removed pvc-protection finalizer');
          } catch (err) {
            if (!isNotFound(err)) throw err;
          }
        },
      });
  },
};
