/**
 * The `replicationcontroller` controller: core/v1 ReplicationControllers run by the ReplicaSet
 * controller through conversion, as upstream's replication manager wraps the ReplicaSet
 * controller. Pods get controller references of kind ReplicationController; events come from
 * `replication-controller`.
 */
import type { ReplicationController } from '../../../pkg/api/core/v1/replicationcontroller.ts';
import { BUILTIN_COORDINATES as C } from '../../../pkg/client/index.ts';
import type { ControllerDescriptor } from '../types.ts';
import { registerReplicaSetLike } from '../replicaset/register.ts';
import type { ReplicaSetKind } from '../replicaset/replicaset-reconciler.ts';
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
  register(context) {
    const replicaSets = replicaSetListerOverRCs(context.manager.lister<ReplicationController>(C.replicationControllers));
    registerReplicaSetLike(context, { name: 'replicationcontroller', owners: C.replicationControllers, replicaSets, kind: REPLICATION_CONTROLLER_KIND, component: 'replication-controller' });
  },
};
