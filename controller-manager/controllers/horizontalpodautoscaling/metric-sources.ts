/**
 * One metric of `spec.metrics` → a replica proposal and its `status.currentMetrics` entry, or the
 * failure with upstream's condition and event (horizontal.go `computeReplicasForMetric` and the
 * `computeStatusFor…Metric` functions). Resource and ContainerResource read the resource metrics
 * API; Pods, Object and External would need the custom and external metrics APIs, which this
 * cluster does not serve: they fail exactly as upstream does without those adapters.
 */
import type { LabelSelector } from '../../../pkg/api/meta.ts';
import type { MetricSpec, MetricStatus } from '../../../pkg/api/autoscaling/v2/horizontalpodautoscaler.ts';
import { formatQuantity, parseQuantity } from '../../../pkg/api/quantity.ts';
import type { Pod } from '../../../pkg/api/core/v1/pod.ts';
import type { DeepReadonly } from '../../../pkg/informer/index.ts';
import type { ConditionValue } from './behavior.ts';
import { CalcError, wrapCalcError } from './calc-error.ts';
import { getResourceMetric, type ResourceMetricsClient } from './metrics-client.ts';
import type { ReadinessOptions } from './pod-groups.ts';
import { plainMetricReplicas, resourceReplicas, type Tolerances } from './replica-calculator.ts';

/** What one metric computation needs. */
export interface MetricContext {
  namespace: string;
  /** The scale's `status.selector`. */
  selector: string;
  /** The pods that selector picks (from the cache). */
  pods: readonly DeepReadonly<Pod>[];
  specReplicas: number;
  tolerances: Tolerances;
  readiness: ReadinessOptions;
  metrics: ResourceMetricsClient;
  signal?: AbortSignal;
}

/** A Warning event to record on the HPA. */
export interface HpaEvent {
  reason: string;
  message: string;
}

/** The result of one metric: a proposal, or a failure with the ScalingActive condition and event upstream gives. */
export type MetricOutcome =
  | { ok: true; replicas: number; metricName: string; status: MetricStatus }
  | { ok: false; error: CalcError; condition: ConditionValue; event: HpaEvent };

const CUSTOM_API_MISSING = 'unable to fetch metrics from custom metrics API: no custom metrics API (custom.metrics.k8s.io) registered';

/** `resource.NewMilliQuantity(v, DecimalSI).String()`. */
export function milliQuantity(milli: number): string {
  return formatQuantity(BigInt(Math.trunc(milli)) * 1_000_000n, 'DecimalSI');
}

function milliOf(q: string | number | undefined): number | undefined {
  return q === undefined ? undefined : parseQuantity(q)?.milli;
}

/** `%+v` of a `*metav1.LabelSelector`, as upstream's external-metric messages print it. */
export function goLabelSelector(sel: DeepReadonly<LabelSelector> | undefined | null): string {
  if (!sel) return 'nil';
  const labels = Object.keys(sel.matchLabels ?? {}).sort().map((k) => `${k}: ${sel.matchLabels![k]},`).join('');
  const exprs = (sel.matchExpressions ?? []).map((e) => `LabelSelectorRequirement{Key:${e.key},Operator:${e.operator},Values:[${(e.values ?? []).join(' ')}],},`).join('');
  return `&LabelSelector{MatchLabels:map[string]string{${labels}},MatchExpressions:[]LabelSelectorRequirement{${exprs}},}`;
}

function failure(reason: string, inner: CalcError, returned: CalcError): MetricOutcome {
  return {
    ok: false,
    error: returned,
    condition: { status: 'False', reason, message: `the HPA was unable to compute the replica count: ${inner.message}` },
    event: { reason, message: inner.message },
  };
}

/** Resource / ContainerResource: Utilization or AverageValue of a resource's usage. */
async function resourceMetric(spec: DeepReadonly<MetricSpec>, ctx: MetricContext): Promise<MetricOutcome> {
  const container = spec.type === 'ContainerResource';
  const source = container ? spec.containerResource : spec.resource;
  const name = source?.name ?? '';
  const containerName = container ? (spec.containerResource?.container ?? '') : '';
  const reason = container ? 'FailedGetContainerResourceMetric' : 'FailedGetResourceMetric';
  const outer = container ? `failed to get ${containerName} container metric value` : `failed to get ${name} resource metric value`;
  const current = (value: Record<string, unknown>): MetricStatus => (container
    ? { type: 'ContainerResource', containerResource: { name, container: containerName, current: value } }
    : { type: 'Resource', resource: { name, current: value } }) as MetricStatus;
  const fetch = async () => {
    try {
      return await getResourceMetric(ctx.metrics, { resource: name, namespace: ctx.namespace, selector: ctx.selector, container: containerName, signal: ctx.signal });
    } catch (err) {
      throw wrapCalcError(`unable to get metrics for resource ${name}`, err);
    }
  };
  const base = { currentReplicas: ctx.specReplicas, tolerances: ctx.tolerances, pods: ctx.pods, readiness: ctx.readiness };
  const averageValue = milliOf(source?.target?.averageValue);
  try {
    if (averageValue !== undefined) {
      let out: { replicas: number; usage: number };
      try {
        out = plainMetricReplicas({ ...base, metrics: await fetch(), targetUsage: averageValue, resource: name });
      } catch (err) {
        throw wrapCalcError(`failed to get ${name} usage`, err);
      }
      return { ok: true, replicas: out.replicas, metricName: `${name} resource`, status: current({ averageValue: milliQuantity(out.usage) }) };
    }
    const target = source?.target?.averageUtilization;
    if (target === undefined || target === null) {
      throw new CalcError('InvalidTarget', 'invalid resource metric source: neither an average utilization target nor an average value (usage) target was set');
    }
    let out: { replicas: number; utilization: number; rawAverage: number };
    try {
      out = resourceReplicas({ ...base, metrics: await fetch(), targetUtilization: target, resource: name, container: containerName });
    } catch (err) {
      throw wrapCalcError(`failed to get ${name} utilization`, err);
    }
    const metricName = container ? `${name} container resource utilization (percentage of request)` : `${name} resource utilization (percentage of request)`;
    return { ok: true, replicas: out.replicas, metricName, status: current({ averageUtilization: out.utilization, averageValue: milliQuantity(out.rawAverage) }) };
  } catch (err) {
    const inner = err instanceof CalcError ? err : wrapCalcError('unexpected failure', err);
    return failure(reason, inner, wrapCalcError(outer, inner));
  }
}

/** Pods, Object and External: the adapters' APIs are not served here, so they fail as upstream's clients do. */
function adapterMetric(spec: DeepReadonly<MetricSpec>, ctx: MetricContext): MetricOutcome {
  if (spec.type === 'Pods') {
    const inner = new CalcError('NoCustomMetricsApi', `unable to get metric ${spec.pods?.metric?.name ?? ''}: ${CUSTOM_API_MISSING}`);
    return failure('FailedGetPodsMetric', inner, wrapCalcError('failed to get pods metric value', inner));
  }
  if (spec.type === 'Object') {
    const o = spec.object;
    const metric = o?.metric?.name ?? '';
    const target = o?.target;
    if (target?.type === 'Value' && target.value !== undefined) {
      const inner = new CalcError('NoCustomMetricsApi', `unable to get metric ${metric}: ${o?.describedObject?.kind ?? ''} on ${ctx.namespace} ${o?.describedObject?.name ?? ''}/${CUSTOM_API_MISSING}`);
      return failure('FailedGetObjectMetric', inner, wrapCalcError('failed to get object metric value', inner));
    }
    if (target?.type === 'AverageValue' && target.averageValue !== undefined) {
      const inner = new CalcError('NoCustomMetricsApi', `unable to get metric ${metric}: ${o?.describedObject?.kind ?? ''} on ${ctx.namespace} ${o?.describedObject?.name ?? ''}/${CUSTOM_API_MISSING}`);
      return failure('FailedGetObjectMetric', inner, wrapCalcError('failed to get object metric value', wrapCalcError(`failed to get ${metric} object metric`, inner)));
    }
    const inner = new CalcError('InvalidTarget', 'invalid object metric source: neither a value target nor an average value target was set');
    return failure('FailedGetObjectMetric', inner, wrapCalcError('failed to get object metric value', inner));
  }
  const e = spec.external;
  const metric = e?.metric?.name ?? '';
  const inner = new CalcError(
    'NoExternalMetricsApi',
    `unable to get external metric ${ctx.namespace}/${metric}/${goLabelSelector(e?.metric?.selector)}: unable to fetch metrics from external metrics API: the server could not find the requested resource (get ${metric}.external.metrics.k8s.io)`,
  );
  const outer = `failed to get ${metric} external metric value`;
  if (e?.target?.averageValue !== undefined) return failure('FailedGetExternalMetric', inner, wrapCalcError(outer, wrapCalcError(`failed to get ${metric} external metric`, inner)));
  if (e?.target?.value !== undefined) return failure('FailedGetExternalMetric', inner, wrapCalcError(outer, wrapCalcError(`failed to get external metric ${metric}`, inner)));
  const invalid = new CalcError('InvalidTarget', 'invalid external metric source: neither a value target nor an average value target was set');
  return failure('FailedGetExternalMetric', invalid, wrapCalcError(outer, invalid));
}

/** One metric's proposal or failure. */
export async function computeReplicasForMetric(spec: DeepReadonly<MetricSpec>, ctx: MetricContext): Promise<MetricOutcome> {
  switch (spec.type) {
    case 'Resource':
    case 'ContainerResource':
      return resourceMetric(spec, ctx);
    case 'Pods':
    case 'Object':
    case 'External':
      return adapterMetric(spec, ctx);
    default: {
      const err = new CalcError('InvalidTarget', `unknown metric source type "${spec.type}"`);
      return failure('InvalidMetricSourceType', err, err);
    }
  }
}

/** The combined result of every metric (upstream `computeReplicasForMetrics`). */
export interface MetricsOutcome {
  /** -1 when the HPA cannot act (every metric failed, or some failed and the rest would scale down). */
  replicas: number;
  metricName: string;
  /** Per metric, `{ type: '' }` for a failed one; undefined when no metric was computed. */
  statuses: MetricStatus[] | undefined;
  /** ScalingActive as this computation leaves it. */
  scalingActive: ConditionValue;
  events: HpaEvent[];
  /** `invalid metrics (N invalid out of M), first error is: …` when any metric failed. */
  error?: CalcError;
}

/** Every metric; the highest proposal wins, as upstream. */
export async function computeReplicasForMetrics(specs: readonly DeepReadonly<MetricSpec>[], ctx: MetricContext): Promise<MetricsOutcome> {
  let replicas = 0;
  let metricName = '';
  let invalid = 0;
  let first: Extract<MetricOutcome, { ok: false }> | undefined;
  const statuses: MetricStatus[] = [];
  const events: HpaEvent[] = [];
  for (const spec of specs) {
    const outcome = await computeReplicasForMetric(spec, ctx);
    if (!outcome.ok) {
      first ??= outcome;
      invalid++;
      events.push(outcome.event);
      statuses.push({ type: '' } as MetricStatus);
      continue;
    }
    statuses.push(outcome.status);
    if (replicas === 0 || outcome.replicas > replicas) [replicas, metricName] = [outcome.replicas, outcome.metricName];
  }
  const error = first ? new CalcError(first.error.code, `invalid metrics (${invalid} invalid out of ${specs.length}), first error is: ${first.error.message}`, { cause: first.error }) : undefined;
  if (first && (invalid >= specs.length || replicas < ctx.specReplicas)) {
    return { replicas: -1, metricName: '', statuses, scalingActive: first.condition, events, error };
  }
  const scalingActive: ConditionValue = { status: 'True', reason: 'ValidMetricFound', message: `the HPA was able to successfully calculate a replica count from ${metricName}` };
  return { replicas, metricName, statuses, scalingActive, events, error };
}
