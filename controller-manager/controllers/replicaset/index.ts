/**
 * The `replicaset` controller: ReplicaSets and their pods (owned by controller reference, or
 * orphans whose labels match a ReplicaSet's selector — candidates for adoption).
 */
import type { ReplicaSet } from '../../../pkg/api/apps/v1/replicaset.ts';
import type { Pod } from '../../../pkg/api/core/v1/pod.ts';
import type { KubeObject } from '../../../pkg/api/meta.ts';
import { BUILTIN_COORDINATES as C } from '../../../pkg/client/index.ts';
import { deletedObject, type DeepReadonly } from '../../../pkg/informer/index.ts';
import { childRequests, controllerKeyOf, type ControllerKind, ensureControllerUidIndex, newControllerBuilder } from '../../../pkg/runtime/index.ts';
import type { ControllerDescriptor } from '../types.ts';
import { Expectations } from './expectations.ts';
import { ReplicaSetReconciler } from './replicaset-reconciler.ts';

export const replicasetController: ControllerDescriptor = {
  name: 'replicaset',
  enabledByDefault: true,
  register({ manager, settings }) {
    const replicaSets = manager.lister<ReplicaSet>(C.replicaSets);
    const pods = manager.lister<Pod>(C.pods);
    const expectations = new Expectations(manager.clock);
    const type: ControllerKind = { group: 'apps', kind: 'ReplicaSet' };
    const ownerKey = (child: DeepReadonly<KubeObject>) => controllerKeyOf(type, child);
    const podInformer = manager.informer<Pod>(C.pods);
    // A sync looks at its own pods and the orphans only, not at every pod of the namespace.
    ensureControllerUidIndex(podInformer);
    // Expectations are lowered by what the cache observes (never acted on here).
    podInformer.addEventHandler({
      onAdd: (pod) => {
        const key = ownerKey(pod);
        if (key) expectations.creationObserved(key);
      },
      onDelete: (obj) => {
        const key = ownerKey(deletedObject(obj));
        if (key) expectations.deletionObserved(key);
      },
    });
    const requestsForPod = childRequests(type, replicaSets, (rs) => rs.spec?.selector);
    newControllerBuilder(manager, 'replicaset')
      .for(C.replicaSets)
      .watches<Pod>(C.pods, requestsForPod)
      .withMaxConcurrentReconciles(settings.concurrentSyncs.replicaset ?? 5)
      .complete(new ReplicaSetReconciler({ client: manager.client, replicaSets, pods, expectations, recorder: manager.eventRecorder('replicaset-controller'), clock: manager.clock }));
  },
};
