/**
 * The `deployment` controller: Deployments, the ReplicaSets they own, and (for Recreate, which
 * waits for old pods to be gone) the pods of those ReplicaSets.
 */
import type { Deployment } from '../../../pkg/api/apps/v1/deployment.ts';
import type { ReplicaSet } from '../../../pkg/api/apps/v1/replicaset.ts';
import type { Pod } from '../../../pkg/api/core/v1/pod.ts';
import { BUILTIN_COORDINATES as C } from '../../../pkg/client/index.ts';
import type { DeepReadonly } from '../../../pkg/informer/index.ts';
import { controllerRefOf, newControllerBuilder, type ReconcileRequest } from '../../../pkg/runtime/index.ts';
import type { ControllerDescriptor } from '../types.ts';
import { DeploymentReconciler } from './deployment-reconciler.ts';

export const deploymentController: ControllerDescriptor = {
  name: 'deployment',
  enabledByDefault: true,
  register({ manager, settings }) {
    const deployments = manager.lister<Deployment>(C.deployments);
    const replicaSets = manager.lister<ReplicaSet>(C.replicaSets);
    const pods = manager.lister<Pod>(C.pods);
    const deploymentOfPod = (pod: DeepReadonly<Pod>): ReconcileRequest[] => {
      const rsRef = controllerRefOf(pod);
      if (rsRef?.kind !== 'ReplicaSet') return [];
      const rs = replicaSets.get(`${pod.metadata.namespace}/${rsRef.name}`);
      const dRef = rs && controllerRefOf(rs);
      return dRef?.kind === 'Deployment' ? [{ namespace: pod.metadata.namespace ?? '', name: dRef.name }] : [];
    };
    newControllerBuilder(manager, 'deployment')
      .for(C.deployments)
      .owns(C.replicaSets)
      .watches<Pod>(C.pods, deploymentOfPod, { predicates: [{ create: () => false, update: () => false }] })
      .withMaxConcurrentReconciles(settings.concurrentSyncs.deployment ?? 5)
      .complete(new DeploymentReconciler({ client: manager.client, deployments, replicaSets, pods, recorder: manager.eventRecorder('deployment-controller'), clock: manager.clock }));
  },
};
