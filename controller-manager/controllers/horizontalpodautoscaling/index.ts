/**
 * The `horizontalpodautoscaling` controller (upstream pkg/controller/podautoscaler): scales the
 * target of each HorizontalPodAutoscaler through its `scale` subresource from the pods' resource
 * usage (metrics.k8s.io), every `--horizontal-pod-autoscaler-sync-period` (default 15 s) and
 * whenever an HPA is created or its spec changes (status writes do not retrigger it). Five
 * workers by default (`--concurrent-horizontal-pod-autoscaler-syncs`), as upstream; events name
 * `horizontal-pod-autoscaler` as their source.
 */
import type { HorizontalPodAutoscaler } from '../../../pkg/api/autoscaling/v2/horizontalpodautoscaler.ts';
import type { Pod } from '../../../pkg/api/core/v1/pod.ts';
import { BUILTIN_COORDINATES as C, type ResourceCoordinates } from '../../../pkg/client/index.ts';
import { newControllerBuilder, type Predicate } from '../../../pkg/runtime/index.ts';
import { jsonEqual } from '../../../pkg/util/json-equal.ts';
import type { ControllerContext, ControllerDescriptor } from '../types.ts';
import { AutoscalerMemory } from './memory.ts';
import { RestResourceMetricsClient, type ResourceMetricsClient } from './metrics-client.ts';
import { DEFAULT_HPA_OPTIONS, HorizontalPodAutoscalerReconciler, type HpaOptions } from './reconciler.ts';
import { RestScaleClient, type ScaleClient } from './scale-target.ts';

export { FakeResourceMetricsClient, RestResourceMetricsClient, type PodMetricsItem, type ResourceMetricsClient } from './metrics-client.ts';
export { DEFAULT_HPA_OPTIONS, type HpaOptions } from './reconciler.ts';

/** autoscaling/v2 HorizontalPodAutoscalers (the storage version). */
export const HPA_COORDINATES: ResourceCoordinates = C.horizontalPodAutoscalers;

/** Reconcile on spec changes only: the controller's own status writes must not re-run it early. */
const specChanged: Predicate<HorizontalPodAutoscaler> = { update: (oldHpa, newHpa) => !jsonEqual(oldHpa.spec, newHpa.spec) };

/** The autoscaler's options from the controller-manager settings. */
export function hpaOptionsFrom(settings: ControllerContext['settings']): HpaOptions {
  return {
    syncPeriodMs: settings.hpaSyncPeriodMs ?? DEFAULT_HPA_OPTIONS.syncPeriodMs,
    downscaleStabilizationMs: settings.hpaDownscaleStabilizationMs ?? DEFAULT_HPA_OPTIONS.downscaleStabilizationMs,
    tolerance: settings.hpaTolerance ?? DEFAULT_HPA_OPTIONS.tolerance,
    cpuInitializationPeriodMs: settings.hpaCpuInitializationPeriodMs ?? DEFAULT_HPA_OPTIONS.cpuInitializationPeriodMs,
    initialReadinessDelayMs: settings.hpaInitialReadinessDelayMs ?? DEFAULT_HPA_OPTIONS.initialReadinessDelayMs,
  };
}

/**
 * Builds the controller on the manager. `metrics` and `scales` default to the REST
 * implementations over the manager's client; tests inject a fake metrics client.
 */
export function registerHorizontalPodAutoscaling(context: ControllerContext, deps: { metrics?: ResourceMetricsClient; scales?: ScaleClient } = {}): void {
  const { manager, settings } = context;
  const hpas = manager.lister<HorizontalPodAutoscaler>(HPA_COORDINATES);
  const api = manager.client.resource<HorizontalPodAutoscaler>(HPA_COORDINATES);
  newControllerBuilder(manager, 'horizontalpodautoscaling')
    .for(HPA_COORDINATES, { predicates: [specChanged] })
    .withMaxConcurrentReconciles(settings.concurrentSyncs['horizontalpodautoscaling'] ?? 5)
    .complete(new HorizontalPodAutoscalerReconciler({
      hpas,
      pods: manager.lister<Pod>(C.pods),
      scales: deps.scales ?? new RestScaleClient(manager.client),
      metrics: deps.metrics ?? new RestResourceMetricsClient(manager.client),
      writeStatus: (hpa) => api.inNamespace(hpa.metadata.namespace ?? '').updateStatus(hpa),
      recorder: manager.eventRecorder('horizontal-pod-autoscaler'),
      clock: manager.clock,
      memory: new AutoscalerMemory(),
      options: hpaOptionsFrom(settings),
    }));
}

export const horizontalPodAutoscalingController: ControllerDescriptor = {
  name: 'horizontalpodautoscaling',
  enabledByDefault: true,
  register: (context) => registerHorizontalPodAutoscaling(context),
};
