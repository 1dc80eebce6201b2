/**
 * The `replicaset` controller: ReplicaSets and their pods (owned by controller reference, or
 * orphans whose labels match a ReplicaSet's selector — candidates for adoption).
 */
import type { ReplicaSet } from '../../../pkg/api/apps/v1/replicaset.ts';
import type { Pod } from '../../../pkg/api/core/v1/pod.ts';
import { fromLabelSelector } from '../../../pkg/api/selectors/index.ts';
import { BUILTIN_COORDINATES as C } from '../../../pkg/client/index.ts';
import { deletedObject, type DeepReadonly } from '../../../pkg/informer/index.ts';
import { controllerRefOf, ensureControllerUidIndex, newControllerBuilder, type ReconcileRequest } from '../../../pkg/runtime/index.ts';
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
    const ownerKey = (pod: DeepReadonly<Pod>): string | undefined => {
      const ref = controllerRefOf(pod);
      return ref?.kind === 'ReplicaSet' && ref.apiVersion?.startsWith('apps/') ? `${pod.metadata.namespace}/${ref.name}` : undefined;
    };
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
    const requestsForPod = (pod: DeepReadonly<Pod>): ReconcileRequest[] => {
      const ref = controllerRefOf(pod);
      if (ref) return ref.kind === 'ReplicaSet' ? [{ namespace: pod.metadata.namespace ?? '', name: ref.name }] : [];
      // An orphan: every ReplicaSet that could adopt it.
      return replicaSets
        .listInNamespace(pod.metadata.namespace ?? '')
        .filter((rs) => rs.spec?.selector && fromLabelSelector(rs.spec.selector as never).matches(pod.metadata.labels))
        .map((rs) => ({ namespace: rs.metadata.namespace ?? '', name: rs.metadata.name as string }));
    };
    newControllerBuilder(manager, 'replicaset')
      .for(C.replicaSets)
      .watches<Pod>(C.pods, requestsForPod)
      .withMaxConcurrentReconciles(settings.concurrentSyncs.replicaset ?? 5)
      .complete(new ReplicaSetReconciler({ client: manager.client, replicaSets, pods, expectations, recorder: manager.eventRecorder('replicaset-controller'), clock: manager.clock }));
  },
};
