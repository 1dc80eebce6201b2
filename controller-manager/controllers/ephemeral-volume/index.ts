/**
 * The `ephemeral-volume` controller (upstream ephemeralController): for each pod that is not being
 * deleted, every generic ephemeral volume gets its claim `<pod>-<volume>` owned by the pod (so the
 * garbage collector removes it with the pod). A claim of that name that is not the pod's, or a
 * failed create, is reported on the pod as `FailedBinding` "ephemeral volume <name>: …" and
 * retried with back-off.
 */
import type { Pod } from '../../../pkg/api/core/v1/pod.ts';
import type { PersistentVolumeClaim } from '../../../pkg/api/core/v1/persistentvolumeclaim.ts';
import type { KubeObject } from '../../../pkg/api/meta.ts';
import { BUILTIN_COORDINATES as C } from '../../../pkg/client/index.ts';
import { isAlreadyExists } from '../../../pkg/errors/index.ts';
import { controllerRefOf, newControllerBuilder } from '../../../pkg/runtime/index.ts';
import type { ControllerDescriptor } from '../types.ts';
import { ephemeralClaim } from './claim.ts';
import { claimNotForPod, ephemeralClaimName } from '../../../pkg/volume/pod-claims.ts';

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

export const ephemeralVolumeController: ControllerDescriptor = {
  name: 'ephemeral-volume',
  enabledByDefault: true,
  register({ manager, settings }) {
    const pods = manager.lister<Pod>(C.pods);
    const claims = manager.lister<PersistentVolumeClaim>(C.persistentVolumeClaims);
    const recorder = manager.eventRecorder('ephemeral_volume');
    const api = manager.client.resource<PersistentVolumeClaim>(C.persistentVolumeClaims);
    newControllerBuilder(manager, 'ephemeral-volume')
      .for(C.pods, { predicates: [{ create: (p) => hasEphemeral(p as Pod), update: (_o, n) => hasEphemeral(n as Pod), delete: () => false }] })
      // A deleted claim of a live pod is recreated.
      .watches<PersistentVolumeClaim>(C.persistentVolumeClaims, (claim) => {
        const ref = controllerRefOf(claim);
        return ref?.kind === 'Pod' ? [{ namespace: claim.metadata.namespace as string, name: ref.name }] : [];
      })
      .withMaxConcurrentReconciles(settings.concurrentSyncs['ephemeral-volume'] ?? 5)
      .complete({
        async reconcile(req, ctx) {
          const pod = pods.get(`${req.namespace}/${req.name}`);
          if (!pod || pod.metadata.deletionTimestamp) return;
          for (const volume of pod.spec?.volumes ?? []) {
            if (!volume.ephemeral) continue;
            const name = ephemeralClaimName(pod, volume);
            const existing = claims.get(`${req.namespace}/${name}`);
            let failure = existing ? claimNotForPod(pod, existing) : undefined;
            if (!existing) {
              try {
                await api.inNamespace(req.namespace).create(ephemeralClaim(pod, volume));
                ctx.log.info({ pod: `${req.namespace}/${req.name}`, claim: name }, 'created ephemeral volume claim');
              } catch (err) {
                if (!isAlreadyExists(err)) failure = `create PVC ${name}: ${messageOf(err)}`;
              }
            }
            if (failure) {
              recorder.event({ ...(pod as KubeObject), apiVersion: 'v1', kind: 'Pod' }, 'Warning', 'FailedBinding', `ephemeral volume ${volume.name}: ${failure}`);
              throw new Error(`pod ${req.namespace}/${req.name}, ephemeral volume ${volume.name}: ${failure}`);
            }
          }
        },
      });
  },
};

function hasEphemeral(pod: Pod): boolean {
  return (pod.spec?.volumes ?? []).some((v) => v.ephemeral);
}
