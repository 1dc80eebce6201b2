/**
 * autoscaling/v2 HorizontalPodAutoscaler defaulting, as upstream's SetDefaults_HorizontalPodAutoscaler
 * (pkg/apis/autoscaling/v2/defaults.go), plus the always-present parts of Go's serialisation:
 * `spec` and `status` are structs upstream, so they are never absent, and `status.currentMetrics`
 * has no `omitempty` (an unset list is written as `null`). Quantities are rewritten canonically,
 * as upstream writes them back.
 */
import { canonicalQuantity } from '../../quantity.ts';
import type { HorizontalPodAutoscaler, HorizontalPodAutoscalerSpec, HPAScalingRules, MetricSpec, MetricStatus, MetricTarget, MetricValueStatus } from './horizontalpodautoscaler.ts';

/** Upstream `autoscaling.DefaultCPUUtilization`. */
export const DEFAULT_CPU_UTILIZATION = 80;

/** The scale-down stabilization window the controller uses when the rules leave it unset (seconds). */
export const DEFAULT_SCALE_DOWN_STABILIZATION_SECONDS = 300;

/** The metric a spec without metrics gets: 80% average CPU utilization. */
export function defaultCpuMetric(): MetricSpec {
  return { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: DEFAULT_CPU_UTILIZATION } } };
}

/** Upstream defaultHPAScaleUpRules: no stabilization, the larger of +4 pods or +100% per 15 s. */
export function defaultScaleUpRules(): HPAScalingRules {
  return {
    stabilizationWindowSeconds: 0,
    selectPolicy: 'Max',
    policies: [
      { type: 'Pods', value: 4, periodSeconds: 15 },
      { type: 'Percent', value: 100, periodSeconds: 15 },
    ],
  };
}

/**
 * Upstream defaultHPAScaleDownRules: -100% per 15 s, stabilization window left unset (the
 * controller then uses its `--horizontal-pod-autoscaler-downscale-stabilization`, 300 s).
 */
export function defaultScaleDownRules(): HPAScalingRules {
  return { selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] };
}

/** Upstream copyHPAScalingRules: every field the user set wins over the default. Pure. */
export function withScalingRuleDefaults(given: HPAScalingRules | undefined, defaults: HPAScalingRules): HPAScalingRules {
  if (!given) return defaults;
  const out: HPAScalingRules = { ...defaults };
  if (given.stabilizationWindowSeconds !== undefined) out.stabilizationWindowSeconds = given.stabilizationWindowSeconds;
  if (given.selectPolicy !== undefined) out.selectPolicy = given.selectPolicy;
  if (given.policies !== undefined) out.policies = given.policies;
  if (given.tolerance !== undefined) out.tolerance = given.tolerance;
  return out;
}

function canonical<T extends MetricTarget | MetricValueStatus>(target: T | undefined): void {
  if (!target) return;
  if (target.value !== undefined) target.value = canonicalQuantity(target.value);
  if (target.averageValue !== undefined) target.averageValue = canonicalQuantity(target.averageValue);
}

function canonicalMetricSpec(metric: MetricSpec): void {
  canonical(metric.object?.target);
  canonical(metric.pods?.target);
  canonical(metric.resource?.target);
  canonical(metric.containerResource?.target);
  canonical(metric.external?.target);
}

function canonicalMetricStatus(metric: MetricStatus): void {
  canonical(metric.object?.current);
  canonical(metric.pods?.current);
  canonical(metric.resource?.current);
  canonical(metric.containerResource?.current);
  canonical(metric.external?.current);
}

/** The spec defaults (minReplicas 1, CPU 80% when no metrics, behavior rules filled in). Mutates. */
export function applyHpaSpecDefaults(spec: HorizontalPodAutoscalerSpec): void {
  spec.minReplicas ??= 1;
  if (!spec.metrics || spec.metrics.length === 0) spec.metrics = [defaultCpuMetric()];
  if (spec.behavior) {
    spec.behavior.scaleUp = withScalingRuleDefaults(spec.behavior.scaleUp, defaultScaleUpRules());
    spec.behavior.scaleDown = withScalingRuleDefaults(spec.behavior.scaleDown, defaultScaleDownRules());
    for (const rules of [spec.behavior.scaleUp, spec.behavior.scaleDown]) {
      if (rules.tolerance !== undefined) rules.tolerance = canonicalQuantity(rules.tolerance);
    }
  }
  spec.metrics.forEach(canonicalMetricSpec);
}

/** SetDefaults_HorizontalPodAutoscaler plus the always-present status. Idempotent, never throws. */
export function applyHpaDefaults(hpa: HorizontalPodAutoscaler): void {
  hpa.spec ??= { scaleTargetRef: { kind: '', name: '' }, maxReplicas: 0 };
  applyHpaSpecDefaults(hpa.spec);
  const status = (hpa.status ??= { desiredReplicas: 0 });
  status.desiredReplicas ??= 0;
  // currentReplicas is `omitempty` upstream: a zero is not written.
  if (status.currentReplicas === 0) delete status.currentReplicas;
  if (status.currentMetrics === undefined) status.currentMetrics = null;
  status.currentMetrics?.forEach(canonicalMetricStatus);
}
