/**
 * The `statefulset` controller: StatefulSets, their pods (owned by controller reference, or
 * orphans a set's selector matches — candidates for adoption) and their ControllerRevisions.
 */
import type { ControllerRevision } from '../../../pkg/api/apps/v1/controllerrevision.ts';
import type { StatefulSet } from '../../../pkg/api/apps/v1/statefulset.ts';
import type { Pod } from '../../../pkg/api/core/v1/pod.ts';
import { BUILTIN_COORDINATES as C } from '../../../pkg/client/index.ts';
import { childRequests, ensureControllerUidIndex, newControllerBuilder } from '../../../pkg/runtime/index.ts';
import type { ControllerDescriptor } from '../types.ts';
import { StatefulSetReconciler } from './statefulset-reconciler.ts';

/** Whether the set's selector selects the pod (an unusable selector selects nothing). */
export const statefulsetController: ControllerDescriptor = {
  name: 'statefulset',
  enabledByDefault: true,
  register({ manager, settings }) {
    const statefulSets = manager.lister<StatefulSet>(C.statefulSets);
    const pods = manager.lister<Pod>(C.pods);
    const revisions = manager.lister<ControllerRevision>(C.controllerRevisions);
    // A sync looks at its own pods and revisions and the orphans only.
    ensureControllerUidIndex(manager.informer<Pod>(C.pods));
    ensureControllerUidIndex(manager.informer<ControllerRevision>(C.controllerRevisions));
    const requestsForPod = childRequests({ group: 'apps', kind: 'StatefulSet' }, statefulSets, (set) => set.spec?.selector);
    newControllerBuilder(manager, 'statefulset')
      .for(C.statefulSets)
      .owns(C.controllerRevisions)
      .watches<Pod>(C.pods, requestsForPod)
      .withMaxConcurrentReconciles(settings.concurrentSyncs.statefulset ?? 5)
      .complete(new StatefulSetReconciler({ client: manager.client, statefulSets, pods, revisions, recorder: manager.eventRecorder('statefulset-controller'), clock: manager.clock }));
  },
};
