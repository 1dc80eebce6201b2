/**
 * The `disruption` controller: keeps each PodDisruptionBudget's status (healthy, desired and
 * expected pods, disruptions allowed, the DisruptionAllowed condition) current as the pods it
 * selects come, go and become ready, so that the eviction API can allow or refuse evictions.
 * One worker, as upstream; a second loop sets a stale `DisruptionTarget` pod condition (an
 * eviction whose pod was not deleted within two minutes) back to False.
 */
import type { Deployment } from '../../../pkg/api/apps/v1/deployment.ts';
import type { ReplicaSet } from '../../../pkg/api/apps/v1/replicaset.ts';
import type { ReplicationController } from '../../../pkg/api/core/v1/replicationcontroller.ts';
import type { StatefulSet } from '../../../pkg/api/apps/v1/statefulset.ts';
import type { Pod } from '../../../pkg/api/core/v1/pod.ts';
import type { PodDisruptionBudget } from '../../../pkg/api/policy/v1/poddisruptionbudget.ts';
import { fromLabelSelector } from '../../../pkg/api/selectors/index.ts';
import { BUILTIN_COORDINATES as C } from '../../../pkg/client/index.ts';
import type { DeepReadonly, Lister } from '../../../pkg/informer/index.ts';
import { newControllerBuilder, type ReconcileRequest } from '../../../pkg/runtime/index.ts';
import type { ControllerDescriptor } from '../types.ts';
import { DisruptionReconciler } from './disruption-reconciler.ts';
import { scaleFinder } from './scale-finders.ts';
import { staleDisruption, StaleDisruptionReconciler } from './stale-disruption.ts';

/** The budgets of the pod's namespace whose selector picks it. */
export function budgetsForPod(budgets: Lister<PodDisruptionBudget>, pod: DeepReadonly<Pod>): ReconcileRequest[] {
  const namespace = pod.metadata.namespace ?? '';
  return budgets.listInNamespace(namespace).filter((pdb) => {
    try {
      return fromLabelSelector(pdb.spec?.selector as never).matches(pod.metadata.labels ?? {});
    } catch {
      return false;
    }
  }).map((pdb) => ({ namespace, name: pdb.metadata.name ?? '' }));
}

export const disruptionController: ControllerDescriptor = {
  name: 'disruption',
  enabledByDefault: true,
  register({ manager }) {
    const budgets = manager.lister<PodDisruptionBudget>(C.podDisruptionBudgets);
    const pods = manager.lister<Pod>(C.pods);
    const findScale = scaleFinder({
      replicaSets: manager.lister<ReplicaSet>(C.replicaSets),
      deployments: manager.lister<Deployment>(C.deployments),
      statefulSets: manager.lister<StatefulSet>(C.statefulSets),
      replicationControllers: manager.lister<ReplicationController>(C.replicationControllers),
    });
    newControllerBuilder(manager, 'disruption')
      .for(C.podDisruptionBudgets)
      .watches<Pod>(C.pods, (pod) => budgetsForPod(budgets, pod))
      .withMaxConcurrentReconciles(1)
      .complete(new DisruptionReconciler({ client: manager.client, budgets, pods, findScale, recorder: manager.eventRecorder('controllermanager'), clock: manager.clock }));
    // Only pods carrying a live DisruptionTarget condition are queued for the stale-condition cleanup.
    const disrupted = (pod: DeepReadonly<Pod>) => staleDisruption(pod, manager.clock.now()).action !== 'none';
    newControllerBuilder(manager, 'disruption-stale-pods')
      .watches<Pod>(C.pods, (pod) => (disrupted(pod) ? [{ namespace: pod.metadata.namespace ?? '', name: pod.metadata.name ?? '' }] : []))
      .withMaxConcurrentReconciles(1)
      .complete(new StaleDisruptionReconciler({ client: manager.client, pods, clock: manager.clock }));
  },
};
