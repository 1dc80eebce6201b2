/**
 * The `replicaset` controller: ReplicaSets and their pods (owned by controller reference, or
 * orphans whose labels match a ReplicaSet's selector — candidates for adoption).
 */
import type { ReplicaSet } from '../../../pkg/api/apps/v1/replicaset.ts';
import { BUILTIN_COORDINATES as C } from '../../../pkg/client/index.ts';
import type { ControllerDescriptor } from '../types.ts';
import { registerReplicaSetLike } from './register.ts';
import { REPLICASET_KIND } from './replicaset-reconciler.ts';

export const replicasetController: ControllerDescriptor = {
  name: 'replicaset',
  enabledByDefault: true,
  register(context) {
    registerReplicaSetLike(context, { name: 'replicaset', owners: C.replicaSets, replicaSets: context.manager.lister<ReplicaSet>(C.replicaSets), kind: REPLICASET_KIND, component: 'replicaset-controller' });
  },
};
