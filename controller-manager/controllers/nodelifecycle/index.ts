/**
 * The node lifecycle controllers, as kube-controller-manager's `--controllers` names them:
 * - `nodelifecycle` (`node-lifecycle-controller`): node health from status heartbeats and Leases,
 *   Unknown conditions, not-ready/unreachable and condition taints, pods marked not ready
 *   (see `node-lifecycle-controller.ts`);
 * - `taint-eviction-controller`: evicts pods from nodes with NoExecute taints they do not
 *   tolerate (see `taint-eviction-controller.ts`). Upstream runs it separately since the
 *   SeparateTaintEvictionController feature (on by default since 1.29); both are on by default.
 */
import type { ControllerDescriptor } from '../types.ts';
import { NodeLifecycleController } from './node-lifecycle-controller.ts';
import { podsOnNodeLookup } from './pods-by-node.ts';
import { TAINT_EVICTION_CONTROLLER_NAME, TaintEvictionController } from './taint-eviction-controller.ts';

export const nodeLifecycleController: ControllerDescriptor = {
  name: 'nodelifecycle',
  enabledByDefault: true,
  register({ manager, settings }) {
    new NodeLifecycleController({ manager, settings, podsOnNode: podsOnNodeLookup(manager) }).register();
  },
};

export const taintEvictionController: ControllerDescriptor = {
  name: TAINT_EVICTION_CONTROLLER_NAME,
  enabledByDefault: true,
  register({ manager }) {
    new TaintEvictionController({ manager, podsOnNode: podsOnNodeLookup(manager) }).register();
  },
};
