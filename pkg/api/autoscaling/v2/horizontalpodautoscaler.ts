/**
 * autoscaling/v2 HorizontalPodAutoscaler, the storage version of the kind: the schema with
 * upstream 1.33 field names and the TypeScript types reconcilers build against. Defaulting,
 * validation, the registry strategy and the autoscaling/v1 conversion live next to this file.
 *
 * Go fields without `omitempty` are always present on the wire; the schema fills their zero
 * values (`''`, `0`) so a decoded object serialises as upstream's does.
 */
import { z } from 'zod';
import { kubeObject, LabelSelectorSchema, QuantitySchema } from '../../meta.ts';

const int = () => z.number().int().optional();

/** CrossVersionObjectReference: the scale target or an Object metric's described object. */
export const CrossVersionObjectReferenceSchema = z.object({
  kind: z.string().default(''),
  name: z.string().default(''),
  apiVersion: z.string().optional(),
});
export type CrossVersionObjectReference = z.infer<typeof CrossVersionObjectReferenceSchema>;

/** MetricTarget: `type` is Utilization, Value or AverageValue; the matching field carries the target. */
export const MetricTargetSchema = z.object({
  type: z.string().default(''),
  value: QuantitySchema.optional(),
  averageValue: QuantitySchema.optional(),
  averageUtilization: int(),
});
export type MetricTarget = z.infer<typeof MetricTargetSchema>;

/** MetricIdentifier: a metric's name and optional label selector. */
export const MetricIdentifierSchema = z.object({
  name: z.string().default(''),
  selector: LabelSelectorSchema.optional(),
});
export type MetricIdentifier = z.infer<typeof MetricIdentifierSchema>;

/** MetricValueStatus: the current value of a metric, in the same three shapes as a target. */
export const MetricValueStatusSchema = z.object({
  value: QuantitySchema.optional(),
  averageValue: QuantitySchema.optional(),
  averageUtilization: int(),
});
export type MetricValueStatus = z.infer<typeof MetricValueStatusSchema>;

/** The metric source types (`MetricSpec.type` / `MetricStatus.type`), upstream constants. */
export const METRIC_SOURCE_TYPES = ['Object', 'Pods', 'Resource', 'ContainerResource', 'External'] as const;
export type MetricSourceType = (typeof METRIC_SOURCE_TYPES)[number];

/** The metric target types (`MetricTarget.type`), upstream constants. */
export const METRIC_TARGET_TYPES = ['Utilization', 'Value', 'AverageValue'] as const;
export type MetricTargetType = (typeof METRIC_TARGET_TYPES)[number];

/**
 * MetricSpec: one metric to scale on. `type` names the one source field that is set
 * (`resource` for Resource, `containerResource` for ContainerResource, and so on).
 */
export const MetricSpecSchema = z.object({
  type: z.string().default(''),
  object: z.object({ describedObject: CrossVersionObjectReferenceSchema.prefault({}), target: MetricTargetSchema.prefault({}), metric: MetricIdentifierSchema.prefault({}) }).optional(),
  pods: z.object({ metric: MetricIdentifierSchema.prefault({}), target: MetricTargetSchema.prefault({}) }).optional(),
  resource: z.object({ name: z.string().default(''), target: MetricTargetSchema.prefault({}) }).optional(),
  containerResource: z.object({ name: z.string().default(''), target: MetricTargetSchema.prefault({}), container: z.string().default('') }).optional(),
  external: z.object({ metric: MetricIdentifierSchema.prefault({}), target: MetricTargetSchema.prefault({}) }).optional(),
});
export type MetricSpec = z.infer<typeof MetricSpecSchema>;

/**
 * MetricStatus: the last-read state of one metric, shaped as `MetricSpec` with `current`
 * (a `MetricValueStatus`) in place of `target`.
 */
export const MetricStatusSchema = z.object({
  type: z.string().default(''),
  object: z.object({ metric: MetricIdentifierSchema.prefault({}), current: MetricValueStatusSchema.prefault({}), describedObject: CrossVersionObjectReferenceSchema.prefault({}) }).optional(),
  pods: z.object({ metric: MetricIdentifierSchema.prefault({}), current: MetricValueStatusSchema.prefault({}) }).optional(),
  resource: z.object({ name: z.string().default(''), current: MetricValueStatusSchema.prefault({}) }).optional(),
  containerResource: z.object({ name: z.string().default(''), current: MetricValueStatusSchema.prefault({}), container: z.string().default('') }).optional(),
  external: z.object({ metric: MetricIdentifierSchema.prefault({}), current: MetricValueStatusSchema.prefault({}) }).optional(),
});
export type MetricStatus = z.infer<typeof MetricStatusSchema>;

/** HPAScalingPolicy: at most `value` pods (type Pods) or percent (type Percent) per `periodSeconds`. */
export const HPAScalingPolicySchema = z.object({
  type: z.string().default(''),
  value: z.number().int().default(0),
  periodSeconds: z.number().int().default(0),
});
export type HPAScalingPolicy = z.infer<typeof HPAScalingPolicySchema>;

/** `HPAScalingPolicy.type` values. */
export const SCALING_POLICY_TYPES = ['Pods', 'Percent'] as const;
/** `HPAScalingRules.selectPolicy` values. */
export const SCALING_POLICY_SELECTS = ['Max', 'Min', 'Disabled'] as const;

/**
 * HPAScalingRules: the scaling rules of one direction. `stabilizationWindowSeconds` unset on
 * scaleDown means the controller's default (300 s); `tolerance` is the 1.33 alpha field of the
 * HPAConfigurableTolerance feature gate, which is off: the API server drops it on create.
 */
export const HPAScalingRulesSchema = z.object({
  stabilizationWindowSeconds: int(),
  selectPolicy: z.string().optional(),
  policies: z.array(HPAScalingPolicySchema).optional(),
  tolerance: QuantitySchema.optional(),
});
export type HPAScalingRules = z.infer<typeof HPAScalingRulesSchema>;

/** HorizontalPodAutoscalerBehavior: the scaling rules for each direction. */
export const HorizontalPodAutoscalerBehaviorSchema = z.object({
  scaleUp: HPAScalingRulesSchema.optional(),
  scaleDown: HPAScalingRulesSchema.optional(),
});
export type HorizontalPodAutoscalerBehavior = z.infer<typeof HorizontalPodAutoscalerBehaviorSchema>;

/**
 * HorizontalPodAutoscalerSpec. After defaulting, `minReplicas` is set (1 unless given) and
 * `metrics` is non-empty (80% average CPU utilization unless given).
 */
export const HorizontalPodAutoscalerSpecSchema = z.object({
  scaleTargetRef: CrossVersionObjectReferenceSchema.prefault({}),
  minReplicas: int(),
  maxReplicas: z.number().int().default(0),
  metrics: z.array(MetricSpecSchema).optional(),
  behavior: HorizontalPodAutoscalerBehaviorSchema.optional(),
});
export type HorizontalPodAutoscalerSpec = z.infer<typeof HorizontalPodAutoscalerSpecSchema>;

/** The condition types the HPA controller sets. */
export const HPA_CONDITION_TYPES = ['ScalingActive', 'AbleToScale', 'ScalingLimited'] as const;

/** HorizontalPodAutoscalerCondition (its own shape, not metav1.Condition). */
export const HorizontalPodAutoscalerConditionSchema = z.object({
  type: z.string().default(''),
  status: z.string().default(''),
  lastTransitionTime: z.string().optional(),
  reason: z.string().optional(),
  message: z.string().optional(),
});
export type HorizontalPodAutoscalerCondition = z.infer<typeof HorizontalPodAutoscalerConditionSchema>;

/**
 * HorizontalPodAutoscalerStatus, written by the HPA controller through `/status`. As upstream
 * serialises it, `desiredReplicas` is always present and `currentMetrics` is `null` until the
 * controller has read metrics.
 */
export const HorizontalPodAutoscalerStatusSchema = z.object({
  observedGeneration: int(),
  lastScaleTime: z.string().optional(),
  currentReplicas: int(),
  desiredReplicas: z.number().int().default(0),
  currentMetrics: z.array(MetricStatusSchema).nullable().optional(),
  conditions: z.array(HorizontalPodAutoscalerConditionSchema).optional(),
});
export type HorizontalPodAutoscalerStatus = z.infer<typeof HorizontalPodAutoscalerStatusSchema>;

/** autoscaling/v2 HorizontalPodAutoscaler. */
export const HorizontalPodAutoscalerSchema = kubeObject({
  spec: HorizontalPodAutoscalerSpecSchema.optional(),
  status: HorizontalPodAutoscalerStatusSchema.optional(),
});
export type HorizontalPodAutoscaler = z.infer<typeof HorizontalPodAutoscalerSchema>;
