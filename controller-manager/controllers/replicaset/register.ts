/**
 * The wiring of a ReplicaSet-style controller, shared by `replicaset` and `replicationcontroller`
 * (upstream runs the same ReplicaSetController for both): owners and their pods (owned by
 * controller reference, or orphans whose labels match an owner's selector — candidates for
 * adoption), expectations lowered by what the pod cache observes, and the reconciler.
 */
import type { ReplicaSet } from '../../../pkg/api/apps/v1/replicaset.ts';
import type { Pod } from '../../../pkg/api/core/v1/pod.ts';
import type { KubeObject } from '../../../pkg/api/meta.ts';
import { BUILTIN_COORDINATES as C, type ResourceCoordinates } from '../../../pkg/client/index.ts';
import { deletedObject, type DeepReadonly, type Lister } from '../../../pkg/informer/index.ts';
import { childRequests, controllerKeyOf, type ControllerKind, ensureControllerUidIndex, newControllerBuilder } from '../../../pkg/runtime/index.ts';
import type { ControllerContext } from '../types.ts';
import { Expectations } from './expectations.ts';
import { ReplicaSetReconciler, type ReplicaSetKind } from './replicaset-reconciler.ts';

/** What differs between the ReplicaSet-style controllers. */
export interface ReplicaSetLikeOptions {
  /** Controller name (`--controllers`, `concurrentSyncs` key, logs). */
  name: string;
  /** The owners' resource, watched as the primary. */
  owners: ResourceCoordinates;
  /** The owners as ReplicaSets (the owners' own lister, or a converting view of it). */
  replicaSets: Lister<ReplicaSet>;
  kind: ReplicaSetKind;
  /** Event source component (`replicaset-controller`, `replication-controller`). */
  component: string;
}

export function registerReplicaSetLike({ manager, settings }: ControllerContext, options: ReplicaSetLikeOptions): void {
  const pods = manager.lister<Pod>(C.pods);
  const expectations = new Expectations(manager.clock);
  const owner = options.kind.owner;
  const type: ControllerKind = { group: owner.apiVersion.includes('/') ? owner.apiVersion.split('/')[0]! : '', kind: owner.kind };
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
  const requestsForPod = childRequests<ReplicaSet>(type, options.replicaSets, (rs) => rs.spec?.selector);
  newControllerBuilder(manager, options.name)
    .for(options.owners)
    .watches<Pod>(C.pods, requestsForPod)
    .withMaxConcurrentReconciles(settings.concurrentSyncs[options.name] ?? 5)
    .complete(new ReplicaSetReconciler({ client: manager.client, replicaSets: options.replicaSets, pods, expectations, recorder: manager.eventRecorder(options.component), clock: manager.clock, kind: options.kind }));
}
