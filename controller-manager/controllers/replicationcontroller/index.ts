/**
 * The `replicationcontroller` controller: core/v1 ReplicationControllers run by the ReplicaSet
 * reconciler through conversion, as upstream's replication manager wraps the ReplicaSet
 * controller. Pods get controller references of kind ReplicationController; events come from
 * `replication-controller`.
 */
import type { ReplicaSet } from '../../../pkg/api/apps/v1/replicaset.ts';
import type { Pod } from '../../../pkg/api/core/v1/pod.ts';
import type { ReplicationController } from '../../../pkg/api/core/v1/replicationcontroller.ts';
import type { KubeObject } from '../../../pkg/api/meta.ts';
import { BUILTIN_COORDINATES as C } from '../../../pkg/client/index.ts';
import { deletedObject, type DeepReadonly } from '../../../pkg/informer/index.ts';
import { childRequests, controllerKeyOf, type ControllerKind, ensureControllerUidIndex, newControllerBuilder } from '../../../pkg/runtime/index.ts';
import type { ControllerDescriptor } from '../types.ts';
import { Expectations } from '../replicaset/expectations.ts';
import { ReplicaSetReconciler, type ReplicaSetKind } from '../replicaset/replicaset-reconciler.ts';
import { rcFromReplicaSet, rcStatus, replicaSetFromRC, replicaSetListerOverRCs } from './conversion.ts';

/** core/v1 ReplicationController as the ReplicaSet reconciler's kind. */
export const REPLICATION_CONTROLLER_KIND: ReplicaSetKind = {
  owner: { apiVersion: 'v1', kind: 'ReplicationController' },
  getFresh: async (client, namespace, name) => replicaSetFromRC(await client.replicationControllers.inNamespace(namespace).get(name)),
  async updateStatus(client, rs, status) {
    const rc = rcFromReplicaSet(rs);
    await client.replicationControllers.inNamespace(rc.metadata.namespace as string).updateStatus({ ...rc, status: rcStatus(status) });
  },
};

export const replicationControllerController: ControllerDescriptor = {
  name: 'replicationcontroller',
  enabledByDefault: true,
  register({ manager, settings }) {
    const rcs = manager.lister<ReplicationController>(C.replicationControllers);
    const replicaSets = replicaSetListerOverRCs(rcs);
    const pods = manager.lister<Pod>(C.pods);
    const expectations = new Expectations(manager.clock);
    const type: ControllerKind = { group: '', kind: 'ReplicationController' };
    const ownerKey = (child: DeepReadonly<KubeObject>) => controllerKeyOf(type, child);
    const podInformer = manager.informer<Pod>(C.pods);
    ensureControllerUidIndex(podInformer);
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
    const requestsForPod = childRequests<ReplicaSet>(type, replicaSets, (rs) => rs.spec?.selector);
    newControllerBuilder(manager, 'replicationcontroller')
      .for(C.replicationControllers)
      .watches<Pod>(C.pods, requestsForPod)
      .withMaxConcurrentReconciles(settings.concurrentSyncs.replicationcontroller ?? 5)
      .complete(new ReplicaSetReconciler({ client: manager.client, replicaSets, pods, expectations, recorder: manager.eventRecorder('replication-controller'), clock: manager.clock, kind: REPLICATION_CONTROLLER_KIND }));
  },
};
