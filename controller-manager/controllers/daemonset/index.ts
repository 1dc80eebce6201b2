/**
 * The `daemonset` controller: DaemonSets, their pods (by controller reference, or orphans a
 * DaemonSet's selector matches), their ControllerRevisions, and the nodes they run on.
 */
import type { ControllerRevision } from '../../../pkg/api/apps/v1/controllerrevision.ts';
import type { DaemonSet } from '../../../pkg/api/apps/v1/daemonset.ts';
import type { Node } from '../../../pkg/api/core/v1/node.ts';
import type { Pod } from '../../../pkg/api/core/v1/pod.ts';
import type { KubeObject } from '../../../pkg/api/meta.ts';
import { BUILTIN_COORDINATES as C } from '../../../pkg/client/index.ts';
import { deletedObject, type DeepReadonly } from '../../../pkg/informer/index.ts';
import { childRequests, controllerKeyOf, type ControllerKind, ensureControllerUidIndex, newControllerBuilder, type ReconcileRequest } from '../../../pkg/runtime/index.ts';
import { Expectations } from '../replicaset/expectations.ts';
import type { ControllerDescriptor } from '../types.ts';
import { DaemonSetReconciler } from './daemonset-reconciler.ts';
import { daemonSetsForNewNode, daemonSetsForNodeUpdate } from './node-events.ts';

const request = (ds: DeepReadonly<DaemonSet>): ReconcileRequest => ({ namespace: ds.metadata.namespace ?? '', name: ds.metadata.name ?? '' });

export const daemonsetController: ControllerDescriptor = {
  name: 'daemonset',
  enabledByDefault: true,
  register({ manager, settings }) {
    const daemonSets = manager.lister<DaemonSet>(C.daemonSets);
    const expectations = new Expectations(manager.clock);
    const podInformer = manager.informer<Pod>(C.pods);
    const revisionInformer = manager.informer<ControllerRevision>(C.controllerRevisions);
    ensureControllerUidIndex(podInformer);
    ensureControllerUidIndex(revisionInformer);

    const type: ControllerKind = { group: 'apps', kind: 'DaemonSet' };
    const ownerKey = (child: DeepReadonly<KubeObject>) => controllerKeyOf(type, child);
    // Expectations are lowered by what the cache observes: a pod appearing, or going (its
    // deletion timestamp set, or its removal when it had none).
    podInformer.addEventHandler({
      onAdd: (pod) => {
        const key = ownerKey(pod);
        if (key) (pod.metadata.deletionTimestamp ? expectations.deletionObserved(key) : expectations.creationObserved(key));
      },
      onUpdate: (old, cur) => {
        const key = ownerKey(cur);
        if (key && cur.metadata.deletionTimestamp && !old.metadata.deletionTimestamp) expectations.deletionObserved(key);
      },
      onDelete: (obj) => {
        const pod = deletedObject(obj);
        const key = ownerKey(pod);
        if (key && !pod.metadata.deletionTimestamp) expectations.deletionObserved(key);
      },
    });

    /** The DaemonSet controlling `obj`, or for an orphan every DaemonSet that could adopt it. */
    const requestsFor = childRequests(type, daemonSets, (ds) => ds.spec?.selector);

    const controller = newControllerBuilder(manager, 'daemonset')
      .for(C.daemonSets)
      .watches<Pod>(C.pods, requestsFor)
      .watches<ControllerRevision>(C.controllerRevisions, requestsFor)
      .withMaxConcurrentReconciles(settings.concurrentSyncs.daemonset ?? 2)
      .complete(new DaemonSetReconciler({
        client: manager.client,
        daemonSets,
        pods: podInformer.lister(),
        nodes: manager.lister<Node>(C.nodes),
        revisions: revisionInformer.lister(),
        expectations,
        recorder: manager.eventRecorder('daemonset-controller'),
        clock: manager.clock,
      }));

    manager.informer<Node>(C.nodes).addEventHandler({
      onAdd: (node) => daemonSetsForNewNode(node, daemonSets.list()).forEach((ds) => controller.enqueue(request(ds))),
      onUpdate: (old, cur) => daemonSetsForNodeUpdate(old, cur, daemonSets.list()).forEach((ds) => controller.enqueue(request(ds))),
      // Unscheduled pods meant for a node that is gone are this controller's to delete.
      onDelete: () => daemonSets.list().forEach((ds) => controller.enqueue(request(ds))),
    });
  },
};
