/**
 * The scale of a pod's controller, read from the informer caches (upstream's finders): a
 * ReplicaSet not owned by a Deployment, the Deployment behind a ReplicaSet, a ReplicationController,
 * a StatefulSet.
 * A controller of a kind without `/scale` is an error, as upstream's generic scale finder says.
 */
import type { Deployment } from '../../../pkg/api/apps/v1/deployment.ts';
import type { ReplicaSet } from '../../../pkg/api/apps/v1/replicaset.ts';
import type { StatefulSet } from '../../../pkg/api/apps/v1/statefulset.ts';
import type { ReplicationController } from '../../../pkg/api/core/v1/replicationcontroller.ts';
import type { Lister } from '../../../pkg/informer/index.ts';
import { controllerRefOf } from '../../../pkg/runtime/index.ts';
import type { ScaleFinder } from './budget.ts';

/** Controller kinds served without a scale subresource, as `resource.group`. */
const WITHOUT_SCALE: Readonly<Record<string, string>> = { DaemonSet: 'daemonsets.apps', Job: 'jobs.batch', CronJob: 'cronjobs.batch' };

export function scaleFinder(listers: { replicaSets: Lister<ReplicaSet>; deployments: Lister<Deployment>; statefulSets: Lister<StatefulSet>; replicationControllers?: Lister<ReplicationController> }): ScaleFinder {
  return (ref, namespace) => {
    if (ref.kind === 'ReplicaSet') {
      const rs = listers.replicaSets.get(`${namespace}/${ref.name}`);
      if (!rs || rs.metadata.uid !== ref.uid) return undefined;
      const owner = controllerRefOf(rs);
      if (owner?.kind !== 'Deployment') return { uid: ref.uid, scale: rs.spec?.replicas ?? 1 };
      const d = listers.deployments.get(`${namespace}/${owner.name}`);
      if (!d || d.metadata.uid !== owner.uid) return undefined;
      return { uid: owner.uid, scale: d.spec?.replicas ?? 1 };
    }
    if (ref.kind === 'ReplicationController' && ref.apiVersion === 'v1' && listers.replicationControllers) {
      const rc = listers.replicationControllers.get(`${namespace}/${ref.name}`);
      if (!rc || rc.metadata.uid !== ref.uid) return undefined;
      return { uid: ref.uid, scale: rc.spec?.replicas ?? 1 };
    }
    if (ref.kind === 'StatefulSet') {
      const sts = listers.statefulSets.get(`${namespace}/${ref.name}`);
      if (!sts || sts.metadata.uid !== ref.uid) return undefined;
      return { uid: ref.uid, scale: sts.spec?.replicas ?? 1 };
    }
    const resource = WITHOUT_SCALE[ref.kind];
    if (resource) throw new Error(`${resource} does not implement the scale subresource`);
    return undefined;
  };
}
