/**
 * autoscaling/v1 ⇄ autoscaling/v2 HorizontalPodAutoscaler conversion, as upstream's
 * pkg/apis/autoscaling/v1/conversion.go. v1 has only `targetCPUUtilizationPercentage` and
 * `currentCPUUtilizationPercentage`; what else v2 holds travels in annotations so a v1 client
 * that reads an object and writes it back loses nothing:
 *
 * - `autoscaling.alpha.kubernetes.io/metrics`: the metrics other than CPU utilization, as a JSON
 *   list of v1 `MetricSpec`s (the v2beta1-shaped `targetAverageValue`, `metricName`, …);
 * - `autoscaling.alpha.kubernetes.io/current-metrics`: every status metric, as v1 `MetricStatus`es;
 * - `autoscaling.alpha.kubernetes.io/behavior`: the behavior, as Go marshals upstream's internal
 *   type (no json tags: `{"ScaleUp":{"StabilizationWindowSeconds":0,…}}`, nil as `null`);
 * - `autoscaling.alpha.kubernetes.io/conditions`: the status conditions.
 *
 * Going to v2, the annotations are read back (malformed ones are ignored) and dropped; a spec
 * with no metric at all gets the 80% CPU default. Pure functions on plain objects.
 */
import type { KubeObject, LabelSelector, ObjectMeta } from '../../meta.ts';
import { canonicalQuantity } from '../../quantity.ts';
import { DEFAULT_CPU_UTILIZATION } from '../v2/horizontalpodautoscaler-defaults.ts';
import type { CrossVersionObjectReference, HorizontalPodAutoscaler, HorizontalPodAutoscalerBehavior, HorizontalPodAutoscalerCondition, HPAScalingRules, MetricSpec, MetricStatus } from '../v2/horizontalpodautoscaler.ts';
import type { HorizontalPodAutoscalerV1 } from './horizontalpodautoscaler.ts';

/** The round-trip annotations (upstream pkg/apis/autoscaling/annotations.go). */
export const HPA_ANNOTATIONS = {
  metrics: 'autoscaling.alpha.kubernetes.io/metrics',
  currentMetrics: 'autoscaling.alpha.kubernetes.io/current-metrics',
  conditions: 'autoscaling.alpha.kubernetes.io/conditions',
  behavior: 'autoscaling.alpha.kubernetes.io/behavior',
  scaleDownTolerance: 'autoscaling.alpha.kubernetes.io/scale-down-tolerance',
  scaleUpTolerance: 'autoscaling.alpha.kubernetes.io/scale-up-tolerance',
} as const;

type Json = Record<string, unknown>;
type Quantity = string | number;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Upstream DropRoundTripHorizontalPodAutoscalerAnnotations: metadata without them (no empty map). */
export function dropRoundTripAnnotations(meta: ObjectMeta): ObjectMeta {
  const annotations = meta.annotations;
  if (!annotations || !Object.values(HPA_ANNOTATIONS).some((k) => k in annotations)) return meta;
  const kept = Object.fromEntries(Object.entries(annotations).filter(([k]) => !(Object.values(HPA_ANNOTATIONS) as string[]).includes(k)));
  const { annotations: _dropped, ...rest } = meta;
  return Object.keys(kept).length ? { ...rest, annotations: kept } : rest;
}

/** A Go non-pointer Quantity: the zero quantity marshals as `"0"`. */
function quantityOrZero(q: Quantity | undefined): string {
  return q === undefined ? '0' : canonicalQuantity(q);
}

function ref(r: Partial<CrossVersionObjectReference> | undefined): CrossVersionObjectReference {
  return { kind: r?.kind ?? '', name: r?.name ?? '', ...(r?.apiVersion ? { apiVersion: r.apiVersion } : {}) };
}

function opt<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

function optQ<K extends string>(key: K, value: Quantity | undefined): Partial<Record<K, string>> {
  return opt(key, value === undefined ? undefined : canonicalQuantity(value));
}

/** A label selector as Go marshals metav1.LabelSelector: struct fields in order, map keys sorted. */
function goSelector(sel: LabelSelector | undefined): Json | undefined {
  if (!sel) return undefined;
  const labels = sel.matchLabels;
  return {
    ...(labels && Object.keys(labels).length ? { matchLabels: Object.fromEntries(Object.keys(labels).sort().map((k) => [k, labels[k]])) } : {}),
    ...(sel.matchExpressions?.length ? { matchExpressions: sel.matchExpressions.map((e) => ({ key: e.key, operator: e.operator, ...(e.values ? { values: e.values } : {}) })) } : {}),
  };
}

/** Go's json.Marshal text of a value built in Go field order: `<`, `>`, `&` escaped as Go does. */
function goMarshal(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** v2 MetricSpec → the v1 MetricSpec of the metrics annotation (Go field order). */
export function metricSpecToV1(m: MetricSpec): Json {
  const out: Json = { type: m.type };
  if (m.object) {
    const t = m.object.target;
    out.object = { target: ref(m.object.describedObject), metricName: m.object.metric.name, targetValue: quantityOrZero(t.value), ...opt('selector', goSelector(m.object.metric.selector)), ...optQ('averageValue', t.averageValue) };
  }
  if (m.pods) out.pods = { metricName: m.pods.metric.name, targetAverageValue: quantityOrZero(m.pods.target.averageValue), ...opt('selector', goSelector(m.pods.metric.selector)) };
  if (m.resource) {
    const t = m.resource.target;
    out.resource = { name: m.resource.name, ...opt('targetAverageUtilization', t.averageUtilization), ...optQ('targetAverageValue', t.averageValue) };
  }
  if (m.containerResource) {
    const t = m.containerResource.target;
    out.containerResource = { name: m.containerResource.name, ...opt('targetAverageUtilization', t.averageUtilization), ...optQ('targetAverageValue', t.averageValue), container: m.containerResource.container };
  }
  if (m.external) {
    const t = m.external.target;
    out.external = { metricName: m.external.metric.name, ...opt('metricSelector', goSelector(m.external.metric.selector)), ...optQ('targetValue', t.value), ...optQ('targetAverageValue', t.averageValue) };
  }
  return out;
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function q(v: unknown): Quantity | undefined {
  return typeof v === 'string' || typeof v === 'number' ? v : undefined;
}

function int(v: unknown): number | undefined {
  return typeof v === 'number' ? v : undefined;
}

function selector(v: unknown): LabelSelector | undefined {
  return isObject(v) ? (v as LabelSelector) : undefined;
}

function identifier(name: unknown, sel: unknown): { name: string; selector?: LabelSelector } {
  const s = selector(sel);
  return { name: str(name), ...(s ? { selector: s } : {}) };
}

/** A v1 resource-like source (Resource, ContainerResource): Utilization when a percentage is set. */
function resourceTargetFromV1(src: Json): MetricSpec['resource'] & object {
  const utilization = int(src.targetAverageUtilization);
  const target = { type: utilization === undefined ? 'AverageValue' : 'Utilization', ...opt('averageValue', q(src.targetAverageValue)), ...opt('averageUtilization', utilization) };
  return { name: str(src.name), target };
}

/** A v1 MetricSpec from the metrics annotation → v2 MetricSpec. */
export function metricSpecFromV1(m: Json): MetricSpec {
  const out: MetricSpec = { type: str(m.type) };
  if (isObject(m.object)) {
    const o = m.object;
    const average = q(o.averageValue);
    out.object = { describedObject: ref(isObject(o.target) ? (o.target as Partial<CrossVersionObjectReference>) : undefined), target: { type: average === undefined ? 'Value' : 'AverageValue', value: q(o.targetValue) ?? '0', ...opt('averageValue', average) }, metric: identifier(o.metricName, o.selector) };
  }
  if (isObject(m.pods)) out.pods = { metric: identifier(m.pods.metricName, m.pods.selector), target: { type: 'AverageValue', averageValue: q(m.pods.targetAverageValue) ?? '0' } };
  if (isObject(m.resource)) out.resource = resourceTargetFromV1(m.resource);
  if (isObject(m.containerResource)) out.containerResource = { ...resourceTargetFromV1(m.containerResource), container: str(m.containerResource.container) };
  if (isObject(m.external)) {
    const e = m.external;
    const value = q(e.targetValue);
    out.external = { metric: identifier(e.metricName, e.metricSelector), target: { type: value === undefined ? 'AverageValue' : 'Value', ...opt('value', value), ...opt('averageValue', q(e.targetAverageValue)) } };
  }
  return out;
}

/** v2 MetricStatus → the v1 MetricStatus of the current-metrics annotation (Go field order). */
export function metricStatusToV1(m: MetricStatus): Json {
  const out: Json = { type: m.type };
  if (m.object) {
    const c = m.object.current;
    out.object = { target: ref(m.object.describedObject), metricName: m.object.metric.name, currentValue: quantityOrZero(c.value), ...opt('selector', goSelector(m.object.metric.selector)), ...optQ('averageValue', c.averageValue) };
  }
  if (m.pods) out.pods = { metricName: m.pods.metric.name, currentAverageValue: quantityOrZero(m.pods.current.averageValue), ...opt('selector', goSelector(m.pods.metric.selector)) };
  if (m.resource) out.resource = { name: m.resource.name, ...opt('currentAverageUtilization', m.resource.current.averageUtilization), currentAverageValue: quantityOrZero(m.resource.current.averageValue) };
  if (m.containerResource) {
    const c = m.containerResource.current;
    out.containerResource = { name: m.containerResource.name, ...opt('currentAverageUtilization', c.averageUtilization), currentAverageValue: quantityOrZero(c.averageValue), container: m.containerResource.container };
  }
  if (m.external) {
    const c = m.external.current;
    out.external = { metricName: m.external.metric.name, ...opt('metricSelector', goSelector(m.external.metric.selector)), currentValue: quantityOrZero(c.value), ...optQ('currentAverageValue', c.averageValue) };
  }
  return out;
}

/** A v1 MetricStatus from the current-metrics annotation → v2 MetricStatus. */
export function metricStatusFromV1(m: Json): MetricStatus {
  const out: MetricStatus = { type: str(m.type) };
  if (isObject(m.object)) {
    const o = m.object;
    out.object = { metric: identifier(o.metricName, o.selector), current: { value: q(o.currentValue) ?? '0', ...opt('averageValue', q(o.averageValue)) }, describedObject: ref(isObject(o.target) ? (o.target as Partial<CrossVersionObjectReference>) : undefined) };
  }
  if (isObject(m.pods)) out.pods = { metric: identifier(m.pods.metricName, m.pods.selector), current: { averageValue: q(m.pods.currentAverageValue) ?? '0' } };
  for (const key of ['resource', 'containerResource'] as const) {
    const r = m[key];
    if (!isObject(r)) continue;
    const current = { averageValue: q(r.currentAverageValue) ?? '0', ...opt('averageUtilization', int(r.currentAverageUtilization)) };
    if (key === 'resource') out.resource = { name: str(r.name), current };
    else out.containerResource = { name: str(r.name), current, container: str(r.container) };
  }
  if (isObject(m.external)) {
    const e = m.external;
    out.external = { metric: identifier(e.metricName, e.metricSelector), current: { value: q(e.currentValue) ?? '0', ...opt('averageValue', q(e.currentAverageValue)) } };
  }
  return out;
}

/** The behavior as Go's json.Marshal writes upstream's internal type: Go field names, nil as null. */
export function behaviorToGoJson(behavior: HorizontalPodAutoscalerBehavior): string {
  const rules = (r: HPAScalingRules | undefined) => (r === undefined ? null : {
    StabilizationWindowSeconds: r.stabilizationWindowSeconds ?? null,
    SelectPolicy: r.selectPolicy ?? null,
    Policies: r.policies ? r.policies.map((p) => ({ Type: p.type, Value: p.value, PeriodSeconds: p.periodSeconds })) : null,
    Tolerance: r.tolerance === undefined ? null : canonicalQuantity(r.tolerance),
  });
  return goMarshal({ ScaleUp: rules(behavior.scaleUp), ScaleDown: rules(behavior.scaleDown) });
}

/** A JSON member matched as encoding/json matches struct fields: exactly, else ignoring case. */
function member(obj: Json, name: string): unknown {
  if (name in obj) return obj[name];
  const lower = name.toLowerCase();
  const key = Object.keys(obj).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : obj[key];
}

function rulesFromGo(v: unknown): HPAScalingRules | undefined {
  if (!isObject(v)) return undefined;
  const out: HPAScalingRules = {};
  const window = member(v, 'StabilizationWindowSeconds');
  if (typeof window === 'number') out.stabilizationWindowSeconds = window;
  const select = member(v, 'SelectPolicy');
  if (typeof select === 'string') out.selectPolicy = select;
  const policies = member(v, 'Policies');
  if (Array.isArray(policies)) {
    out.policies = policies.filter(isObject).map((p) => ({ type: str(member(p, 'Type')), value: int(member(p, 'Value')) ?? 0, periodSeconds: int(member(p, 'PeriodSeconds')) ?? 0 }));
  }
  const tolerance = q(member(v, 'Tolerance'));
  if (tolerance !== undefined) out.tolerance = tolerance;
  return out;
}

/** The behavior annotation read back; undefined when malformed or the zero behavior. */
export function behaviorFromGoJson(text: string): HorizontalPodAutoscalerBehavior | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(parsed)) return undefined;
  const scaleUp = rulesFromGo(member(parsed, 'ScaleUp'));
  const scaleDown = rulesFromGo(member(parsed, 'ScaleDown'));
  if (!scaleUp && !scaleDown) return undefined;
  return { ...(scaleUp ? { scaleUp } : {}), ...(scaleDown ? { scaleDown } : {}) };
}

function parseList(text: string | undefined): Json[] | undefined {
  if (text === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) && parsed.every(isObject) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function isCpuUtilization(m: MetricSpec): boolean {
  return m.type === 'Resource' && m.resource?.name === 'cpu' && m.resource.target.averageUtilization !== undefined;
}

function conditionToV1(c: HorizontalPodAutoscalerCondition): Json {
  return { type: c.type, status: c.status, lastTransitionTime: c.lastTransitionTime ?? null, ...opt('reason', c.reason || undefined), ...opt('message', c.message || undefined) };
}

function conditionFromV1(c: Json): HorizontalPodAutoscalerCondition {
  const time = c.lastTransitionTime;
  return { type: str(c.type), status: str(c.status), ...(typeof time === 'string' ? { lastTransitionTime: time } : {}), ...opt('reason', typeof c.reason === 'string' && c.reason ? c.reason : undefined), ...opt('message', typeof c.message === 'string' && c.message ? c.message : undefined) };
}

/** Convert_autoscaling_HorizontalPodAutoscaler_To_v1_HorizontalPodAutoscaler (from the stored v2 object). */
export function hpaToV1(hpa: HorizontalPodAutoscaler): HorizontalPodAutoscalerV1 {
  const spec = hpa.spec ?? { scaleTargetRef: { kind: '', name: '' }, maxReplicas: 0 };
  const status = hpa.status;
  const metrics = spec.metrics ?? [];
  const cpu = metrics.find((m) => m.type === 'Resource' && m.resource?.name === 'cpu');
  let currentCpu: number | undefined;
  for (const m of status?.currentMetrics ?? []) {
    if (m.type === 'Resource' && m.resource?.name === 'cpu' && m.resource.current.averageUtilization !== undefined) currentCpu = m.resource.current.averageUtilization;
  }
  const annotations: Record<string, string> = {};
  const others = metrics.filter((m) => !isCpuUtilization(m));
  if (others.length) annotations[HPA_ANNOTATIONS.metrics] = goMarshal(others.map(metricSpecToV1));
  if (status?.currentMetrics?.length) annotations[HPA_ANNOTATIONS.currentMetrics] = goMarshal(status.currentMetrics.map(metricStatusToV1));
  if (spec.behavior) annotations[HPA_ANNOTATIONS.behavior] = behaviorToGoJson(spec.behavior);
  if (status?.conditions?.length) annotations[HPA_ANNOTATIONS.conditions] = goMarshal(status.conditions.map(conditionToV1));
  const meta = dropRoundTripAnnotations(hpa.metadata);
  const metadata = Object.keys(annotations).length ? { ...meta, annotations: { ...(meta.annotations ?? {}), ...annotations } } : meta;
  const { spec: _s, status: _st, ...rest } = hpa;
  return {
    ...(rest as KubeObject),
    metadata,
    spec: { scaleTargetRef: ref(spec.scaleTargetRef), ...opt('minReplicas', spec.minReplicas), maxReplicas: spec.maxReplicas, ...opt('targetCPUUtilizationPercentage', cpu?.resource?.target.averageUtilization) },
    status: { ...opt('observedGeneration', status?.observedGeneration), ...opt('lastScaleTime', status?.lastScaleTime), currentReplicas: status?.currentReplicas ?? 0, desiredReplicas: status?.desiredReplicas ?? 0, ...opt('currentCPUUtilizationPercentage', currentCpu) },
  };
}

/** Convert_v1_HorizontalPodAutoscaler_To_autoscaling_HorizontalPodAutoscaler (no v2 defaulting). */
export function hpaFromV1(v1: HorizontalPodAutoscalerV1): HorizontalPodAutoscaler {
  const spec = v1.spec;
  const status = v1.status;
  const annotations = v1.metadata.annotations ?? {};
  const cpuTarget = spec?.targetCPUUtilizationPercentage;
  const cpuMetrics: MetricSpec[] = cpuTarget === undefined ? [] : [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: cpuTarget } } }];
  const others = parseList(annotations[HPA_ANNOTATIONS.metrics]);
  let metrics = others ? [...others.map(metricSpecFromV1), ...cpuMetrics] : cpuMetrics;
  if (metrics.length === 0) metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: DEFAULT_CPU_UTILIZATION } } }];
  const behaviorText = annotations[HPA_ANNOTATIONS.behavior];
  const behavior = behaviorText === undefined ? undefined : behaviorFromGoJson(behaviorText);
  const currentCpu = status?.currentCPUUtilizationPercentage;
  let currentMetrics: MetricStatus[] | undefined = currentCpu === undefined ? undefined : [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: currentCpu } } }];
  const statuses = parseList(annotations[HPA_ANNOTATIONS.currentMetrics]);
  if (statuses) currentMetrics = statuses.map(metricStatusFromV1);
  const conditions = parseList(annotations[HPA_ANNOTATIONS.conditions])?.map(conditionFromV1);
  const { spec: _s, status: _st, ...rest } = v1;
  return {
    ...(rest as KubeObject),
    metadata: dropRoundTripAnnotations(v1.metadata),
    spec: { scaleTargetRef: ref(spec?.scaleTargetRef), ...opt('minReplicas', spec?.minReplicas), maxReplicas: spec?.maxReplicas ?? 0, metrics, ...opt('behavior', behavior) },
    status: { ...opt('observedGeneration', status?.observedGeneration), ...opt('lastScaleTime', status?.lastScaleTime), ...opt('currentReplicas', status?.currentReplicas || undefined), desiredReplicas: status?.desiredReplicas ?? 0, ...opt('currentMetrics', currentMetrics), ...opt('conditions', conditions) },
  };
}
