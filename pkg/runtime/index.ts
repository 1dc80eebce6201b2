/**
 * `k8ts/runtime`: write controllers (reconcilers) the controller-runtime way.
 *
 * ```ts
 * const manager = new Manager({ client: createClient(), leaderElection: { name: 'my-operator' } });
 * newControllerBuilder(manager, 'website')
 *   .for(websites)
 *   .owns(BUILTIN_COORDINATES.deployments)
 *   .complete({ async reconcile(req, { log }) { ... } });
 * await manager.start(signal);
 * ```
 */
export * from './reconciler.ts';
export * from './predicates.ts';
export { Controller, type ControllerOptions } from './controller.ts';
export { ControllerBuilder, newControllerBuilder, requestForControllerOwner, requestForObject, type MapFunction, type SourceOptions } from './builder.ts';
export { LeadershipLostError, Manager, type ManagerOptions, type Runnable } from './manager.ts';
export { LeaderElector, microTime, nextLeaseSpec, type LeaderCallbacks, type LeaderElectionConfig, type Observation } from './leader-election.ts';
export { EventSink, type EventRecorder, type EventType } from './event-recorder.ts';
export {
  claimChildren,
  claimDecision,
  CONTROLLER_UID_INDEX,
  childRequests,
  controllerKeyOf,
  type ControllerKind,
  controllerRefOf,
  controllerUidIndexFunc,
  ensureControllerUidIndex,
  newControllerRef,
  orphanIndexKey,
  ownedOrOrphans,
  type ClaimDecision,
  type ClaimOptions,
  type OwnerType,
} from './controller-ref.ts';
export { RuntimeMetrics, type ReconcileOutcome } from './metrics.ts';
export { findStatusCondition, isStatusConditionTrue, removeStatusCondition, setStatusCondition, type StatusCondition } from './conditions.ts';
export { addFinalizer, hasFinalizer, removeFinalizer } from './finalizers.ts';
