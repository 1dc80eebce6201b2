/**
 * The `statefulset` controller: StatefulSets, their pods (owned by controller reference, or
 * orphans a set's selector matches — candidates for adoption) and their ControllerRevisions.
 */
import type { ControllerRevision } from '../../../pkg/api/apps/v1/controllerrevision.ts';
import type { StatefulSet } from '../../../pkg/api/apps/v1/statefulset.ts';
import type { Pod } from '../../../pkg/api/core/v1/pod.ts';
import type { PersistentVolumeClaim } from '../../../pkg/api/core/v1/persistentvolumeclaim.ts';
import { BUILTIN_COORDINATES as C } from '../../../pkg/client/index.ts';
import type { DeepReadonly } from '../../../pkg/informer/index.ts';
import { childRequests, controllerRefOf, ensureControllerUidIndex, newControllerBuilder, type ReconcileRequest } from '../../../pkg/runtime/index.ts';
import { parseOrdinal } from './identity.ts';
import type { ControllerDescriptor } from '../types.ts';
import { StatefulSetReconciler } from './statefulset-reconciler.ts';

/**
 * A claim owned (per the retention policy) by a set or by one of its pods: that set. A stale
 * claim being garbage-collected lets a held-back pod be created.
 */
function requestsForClaim(claim: DeepReadonly<PersistentVolumeClaim>): ReconcileRequest[] {
  const ref = controllerRefOf(claim);
  const namespace = claim.metadata.namespace as string;
  if (ref?.kind === 'StatefulSet' && ref.apiVersion?.startsWith('apps/')) return [{ namespace, name: ref.name }];
  if (ref?.kind === 'Pod') {
    const { parent } = parseOrdinal(ref.name);
    return parent ? [{ namespace, name: parent }] : [];
  }
  return [];
}

export const statefulsetController: ControllerDescriptor = {
  name: 'statefulset',
  enabledByDefault: true,
  register({ manager, settings }) {
    const statefulSets = manager.lister<StatefulSet>(C.statefulSets);
    const pods = manager.lister<Pod>(C.pods);
    const revisions = manager.lister<ControllerRevision>(C.controllerRevisions);
    const claims = manager.lister<PersistentVolumeClaim>(C.persistentVolumeClaims);
    // A sync looks at its own pods and revisions and the orphans only.
    ensureControllerUidIndex(manager.informer<Pod>(C.pods));
    ensureControllerUidIndex(manager.informer<ControllerRevision>(C.controllerRevisions));
    const requestsForPod = childRequests({ group: 'apps', kind: 'StatefulSet' }, statefulSets, (set) => set.spec?.selector);
    newControllerBuilder(manager, 'statefulset')
      .for(C.statefulSets)
      .owns(C.controllerRevisions)
      .watches<Pod>(C.pods, requestsForPod)
      .watches<PersistentVolumeClaim>(C.persistentVolumeClaims, requestsForClaim)
      .withMaxConcurrentReconciles(settings.concurrentSyncs.statefulset ?? 5)
      .complete(new StatefulSetReconciler({ client: manager.client, statefulSets, pods, revisions, claims, recorder: manager.eventRecorder('statefulset-controller'), clock: manager.clock }));
  },
};
