/**
 * HorizontalPodAutoscaler validation, as upstream's pkg/apis/autoscaling/validation (1.33 with
 * the HPAScaleToZero and HPAConfigurableTolerance gates off): replica bounds, the scale target
 * reference, each metric (exactly the source its type names, a well-formed target) and the
 * behavior rules. Paths and messages are upstream's; quantities passed by value print as Go's
 * `%#v`, as upstream's do. Pure.
 */
import type { FieldError } from '../../../errors/index.ts';
import { parseQuantity, QUANTITY_FORMAT_ERROR } from '../../quantity.ts';
import { containerResourceNameErrors } from '../../core/v1/pod-validation.ts';
import { child, forbidden, index, invalidValue, notSupported, required } from '../../validation/field-errors.ts';
import { goQuantityValue } from '../../validation/go-quantity.ts';
import { isDNS1123Label, isValidPathSegmentName } from '../../validation/names.ts';
import { validateObjectMeta } from '../../validation/object-meta.ts';
import type { CrossVersionObjectReference, HorizontalPodAutoscaler, HorizontalPodAutoscalerBehavior, HorizontalPodAutoscalerSpec, HPAScalingPolicy, HPAScalingRules, MetricIdentifier, MetricSpec, MetricTarget } from './horizontalpodautoscaler.ts';

/** Upstream MaxPeriodSeconds and MaxStabilizationWindowSeconds. */
export const MAX_PERIOD_SECONDS = 1800;
export const MAX_STABILIZATION_WINDOW_SECONDS = 3600;

/** Sorted, as upstream's sets list them in messages. */
const METRIC_SOURCE_TYPES = ['ContainerResource', 'External', 'Object', 'Pods', 'Resource'];
const SELECT_POLICIES = ['Disabled', 'Max', 'Min'];
const POLICY_TYPES = ['Percent', 'Pods'];

type Quantity = string | number;

function invalidQuantity(path: string, value: Quantity, detail: string): FieldError {
  return { type: 'FieldValueInvalid', field: path, detail: `Invalid value: ${goQuantityValue(value)}: ${detail}` };
}

/** Sign of a quantity; undefined (with an error) when it does not parse. */
function sign(path: string, value: Quantity, errs: FieldError[]): number | undefined {
  const q = parseQuantity(value);
  if (!q) {
    errs.push(invalidValue(path, String(value), QUANTITY_FORMAT_ERROR));
    return undefined;
  }
  return q.nano > 0n ? 1 : q.nano < 0n ? -1 : 0;
}

/** Upstream ValidateCrossVersionObjectReference. */
export function validateCrossVersionObjectReference(ref: CrossVersionObjectReference | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const f of ['kind', 'name'] as const) {
    const value = ref?.[f] ?? '';
    if (!value) errs.push(required(child(path, f)));
    else for (const msg of isValidPathSegmentName(value)) errs.push(invalidValue(child(path, f), value, msg));
  }
  return errs;
}

function validateMetricIdentifier(id: MetricIdentifier, path: string): FieldError[] {
  if (!id.name) return [required(child(path, 'name'), 'must specify a metric name')];
  return isValidPathSegmentName(id.name).map((msg) => invalidValue(child(path, 'name'), id.name, msg));
}

function validateMetricTarget(target: MetricTarget, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!target.type) errs.push(required(child(path, 'type'), 'must specify a metric target type'));
  if (!['Utilization', 'Value', 'AverageValue'].includes(target.type)) errs.push(invalidValue(child(path, 'type'), target.type, 'must be either Utilization, Value, or AverageValue'));
  for (const f of ['value', 'averageValue'] as const) {
    const q = target[f];
    if (q === undefined) continue;
    const s = sign(child(path, f), q, errs);
    if (s !== undefined && s !== 1) errs.push(invalidQuantity(child(path, f), q, 'must be positive'));
  }
  if (target.averageUtilization !== undefined && target.averageUtilization < 1) errs.push(invalidValue(child(path, 'averageUtilization'), target.averageUtilization, 'must be greater than 0'));
  return errs;
}

/** The utilization-or-raw-value rules shared by Resource and ContainerResource sources. */
function validateResourceTarget(target: MetricTarget, path: string): FieldError[] {
  const errs = validateMetricTarget(target, child(path, 'target'));
  if (target.averageUtilization === undefined && target.averageValue === undefined) errs.push(required(child(path, 'target.averageUtilization'), 'must set either a target raw value or a target utilization'));
  if (target.averageUtilization !== undefined && target.averageValue !== undefined) errs.push(forbidden(child(path, 'target.averageValue'), 'may not set both a target raw value and a target utilization'));
  return errs;
}

type Source = 'object' | 'external' | 'pods' | 'resource' | 'containerResource';

function validateSource(spec: MetricSpec, source: Source, path: string): FieldError[] {
  const p = child(path, source);
  switch (source) {
    case 'object': {
      const src = spec.object!;
      const errs = [...validateCrossVersionObjectReference(src.describedObject, child(p, 'describedObject')), ...validateMetricIdentifier(src.metric, child(p, 'metric')), ...validateMetricTarget(src.target, child(p, 'target'))];
      if (src.target.value === undefined && src.target.averageValue === undefined) errs.push(required(child(p, 'target.averageValue'), 'must set either a target value or averageValue'));
      return errs;
    }
    case 'external': {
      const src = spec.external!;
      const errs = [...validateMetricIdentifier(src.metric, child(p, 'metric')), ...validateMetricTarget(src.target, child(p, 'target'))];
      if (src.target.value === undefined && src.target.averageValue === undefined) errs.push(required(child(p, 'target.averageValue'), 'must set either a target value for metric or a per-pod target'));
      if (src.target.value !== undefined && src.target.averageValue !== undefined) errs.push(forbidden(child(p, 'target.value'), 'may not set both a target value for metric and a per-pod target'));
      return errs;
    }
    case 'pods': {
      const src = spec.pods!;
      const errs = [...validateMetricIdentifier(src.metric, child(p, 'metric')), ...validateMetricTarget(src.target, child(p, 'target'))];
      if (src.target.averageValue === undefined) errs.push(required(child(p, 'target.averageValue'), 'must specify a positive target averageValue'));
      return errs;
    }
    case 'resource': {
      const src = spec.resource!;
      const errs = src.name ? [] : [required(child(p, 'name'), 'must specify a resource name')];
      return [...errs, ...validateResourceTarget(src.target, p)];
    }
    case 'containerResource': {
      const src = spec.containerResource!;
      const errs = src.name ? containerResourceNameErrors(src.name).map((msg) => invalidValue(child(p, 'name'), src.name, msg)) : [required(child(p, 'name'), 'must specify a resource name')];
      if (!src.container) errs.push(required(child(p, 'container'), 'must specify a container'));
      else errs.push(...isDNS1123Label(src.container).map((msg) => invalidValue(child(p, 'container'), src.container, msg)));
      return [...errs, ...validateResourceTarget(src.target, p)];
    }
  }
}

/** The source field each metric type names. */
const SOURCE_OF_TYPE: Readonly<Record<string, Source>> = { Object: 'object', Pods: 'pods', Resource: 'resource', External: 'external', ContainerResource: 'containerResource' };
/** The order upstream checks the sources in. */
const SOURCE_ORDER: readonly Source[] = ['object', 'external', 'pods', 'resource', 'containerResource'];

/** Upstream validateMetricSpec. */
export function validateMetricSpec(spec: MetricSpec, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!spec.type) errs.push(required(child(path, 'type'), 'must specify a metric source type'));
  if (!METRIC_SOURCE_TYPES.includes(spec.type)) errs.push(notSupported(child(path, 'type'), spec.type, METRIC_SOURCE_TYPES));
  const present = SOURCE_ORDER.filter((s) => spec[s] !== undefined);
  // Only the first source present is validated (upstream checks while the set has one member).
  if (present.length) errs.push(...validateSource(spec, present[0]!, path));
  const expected = SOURCE_OF_TYPE[spec.type];
  if (expected === undefined) errs.push(notSupported(child(path, 'type'), spec.type, METRIC_SOURCE_TYPES));
  else if (spec[expected] === undefined) errs.push(required(child(path, expected), 'must populate information for the given metric source'));
  if (present.length !== 1) {
    for (const other of present.filter((s) => s !== expected).sort()) errs.push(forbidden(child(path, other), 'must populate the given metric source only'));
  }
  return errs;
}

function validateScalingPolicy(policy: HPAScalingPolicy, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (policy.type !== 'Pods' && policy.type !== 'Percent') errs.push(notSupported(child(path, 'type'), policy.type, POLICY_TYPES));
  if (policy.value <= 0) errs.push(invalidValue(child(path, 'value'), policy.value, 'must be greater than zero'));
  if (policy.periodSeconds <= 0) errs.push(invalidValue(child(path, 'periodSeconds'), policy.periodSeconds, 'must be greater than zero'));
  if (policy.periodSeconds > MAX_PERIOD_SECONDS) errs.push(invalidValue(child(path, 'periodSeconds'), policy.periodSeconds, `must be less than or equal to ${MAX_PERIOD_SECONDS}`));
  return errs;
}

function validateScalingRules(rules: HPAScalingRules | undefined, path: string): FieldError[] {
  if (!rules) return [];
  const errs: FieldError[] = [];
  const window = rules.stabilizationWindowSeconds;
  if (window !== undefined && window < 0) errs.push(invalidValue(child(path, 'stabilizationWindowSeconds'), window, 'must be greater than or equal to zero'));
  if (window !== undefined && window > MAX_STABILIZATION_WINDOW_SECONDS) errs.push(invalidValue(child(path, 'stabilizationWindowSeconds'), window, `must be less than or equal to ${MAX_STABILIZATION_WINDOW_SECONDS}`));
  if (rules.selectPolicy !== undefined && !SELECT_POLICIES.includes(rules.selectPolicy)) errs.push(notSupported(child(path, 'selectPolicy'), rules.selectPolicy, SELECT_POLICIES));
  const policies = rules.policies ?? [];
  if (policies.length === 0) errs.push(required(child(path, 'policies'), 'must specify at least one Policy'));
  policies.forEach((policy, i) => errs.push(...validateScalingPolicy(policy, index(child(path, 'policies'), i))));
  if (rules.tolerance !== undefined && sign(child(path, 'tolerance'), rules.tolerance, errs) === -1) errs.push(invalidQuantity(child(path, 'tolerance'), rules.tolerance, 'must be greater than or equal to zero'));
  return errs;
}

function validateBehavior(behavior: HorizontalPodAutoscalerBehavior | undefined, path: string): FieldError[] {
  if (!behavior) return [];
  return [...validateScalingRules(behavior.scaleUp, child(path, 'scaleUp')), ...validateScalingRules(behavior.scaleDown, child(path, 'scaleDown'))];
}

/** Upstream validateHorizontalPodAutoscalerSpec; `minReplicasLowerBound` is 1 unless scale-to-zero applies. */
export function validateHpaSpec(spec: HorizontalPodAutoscalerSpec, path: string, minReplicasLowerBound: number): FieldError[] {
  const errs: FieldError[] = [];
  if (spec.minReplicas !== undefined && spec.minReplicas < minReplicasLowerBound) errs.push(invalidValue(child(path, 'minReplicas'), spec.minReplicas, `must be greater than or equal to ${minReplicasLowerBound}`));
  if (spec.maxReplicas < 1) errs.push(invalidValue(child(path, 'maxReplicas'), spec.maxReplicas, 'must be greater than 0'));
  if (spec.minReplicas !== undefined && spec.maxReplicas < spec.minReplicas) errs.push(invalidValue(child(path, 'maxReplicas'), spec.maxReplicas, 'must be greater than or equal to `minReplicas`'));
  errs.push(...validateCrossVersionObjectReference(spec.scaleTargetRef, child(path, 'scaleTargetRef')));
  const metrics = spec.metrics ?? [];
  metrics.forEach((metric, i) => errs.push(...validateMetricSpec(metric, index(child(path, 'metrics'), i))));
  if (spec.minReplicas === 0 && !metrics.some((m) => m.type === 'Object' || m.type === 'External')) {
    errs.push(forbidden(child(path, 'metrics'), 'must specify at least one Object or External metric to support scaling to zero replicas'));
  }
  errs.push(...validateBehavior(spec.behavior, child(path, 'behavior')));
  return errs;
}

/** Upstream ValidateHorizontalPodAutoscalerStatusUpdate's checks: replica counts non-negative. */
function validateHpaStatus(hpa: HorizontalPodAutoscaler): FieldError[] {
  const errs: FieldError[] = [];
  for (const f of ['currentReplicas', 'desiredReplicas'] as const) {
    const value = hpa.status?.[f];
    if (value !== undefined && value < 0) errs.push(invalidValue(`status.${f}`, value, 'must be greater than or equal to 0'));
  }
  return errs;
}

/**
 * ValidateHorizontalPodAutoscaler / ValidateHorizontalPodAutoscalerUpdate: on update, an object
 * that already had `minReplicas: 0` may keep it (upstream's lower bound drops to 0).
 */
export function validateHorizontalPodAutoscaler(hpa: HorizontalPodAutoscaler, old?: HorizontalPodAutoscaler): FieldError[] {
  const errs = validateObjectMeta(hpa.metadata, { namespaced: true });
  const lowerBound = old?.spec?.minReplicas === 0 ? 0 : 1;
  errs.push(...validateHpaSpec(hpa.spec ?? { scaleTargetRef: { kind: '', name: '' }, maxReplicas: 0 }, 'spec', lowerBound));
  errs.push(...validateHpaStatus(hpa));
  return errs;
}
