/**
 * Reconciles one HorizontalPodAutoscaler (upstream horizontal.go `reconcileAutoscaler`): reads
 * the target's scale, computes the desired count from the metrics, normalizes it, writes the
 * scale when the count changes and the HPA status when it changed, and records upstream's
 * events. Level-based; failures of the metrics or the target are reported in the status and
 * events and retried at the next sync, as upstream's fixed-interval queue does. Every call asks
 * to be requeued after the sync period (`--horizontal-pod-autoscaler-sync-period`).
 */
import type { HorizontalPodAutoscaler, MetricStatus } from '../../../pkg/api/autoscaling/v2/horizontalpodautoscaler.ts';
import type { Pod } from '../../../pkg/api/core/v1/pod.ts';
import type { KubeObject } from '../../../pkg/api/meta.ts';
import { parseQuantity } from '../../../pkg/api/quantity.ts';
import { parseLabelSelector } from '../../../pkg/api/selectors/index.ts';
import { isNotFound } from '../../../pkg/errors/index.ts';
import type { DeepReadonly, Lister } from '../../../pkg/informer/index.ts';
import type { EventRecorder, ReconcileContext, ReconcileRequest, Reconciler, Result } from '../../../pkg/runtime/index.ts';
import { copyJson } from '../../../pkg/util/json-copy.ts';
import { normalizeDesiredReplicas, normalizeWithBehaviors, recordScaleEvent, resolveRules, type ConditionValue } from './behavior.ts';
import { CalcError } from './calc-error.ts';
import type { AutoscalerMemory } from './memory.ts';
import { computeReplicasForMetrics, type MetricsOutcome } from './metric-sources.ts';
import type { ResourceMetricsClient } from './metrics-client.ts';
import type { Tolerances } from './replica-calculator.ts';
import type { Scale, ScaleClient } from './scale-target.ts';
import { ConditionSet, nextStatus, statusChanged } from './status.ts';

/** The controller-manager flags of the autoscaler (durations in ms). */
export interface HpaOptions {
  /** `--horizontal-pod-autoscaler-sync-period` (default 15 s). */
  syncPeriodMs: number;
  /** `--horizontal-pod-autoscaler-downscale-stabilization` (default 5 m). */
  downscaleStabilizationMs: number;
  /** `--horizontal-pod-autoscaler-tolerance` (default 0.1). */
  tolerance: number;
  /** `--horizontal-pod-autoscaler-cpu-initialization-period` (default 5 m). */
  cpuInitializationPeriodMs: number;
  /** `--horizontal-pod-autoscaler-initial-readiness-delay` (default 30 s). */
  initialReadinessDelayMs: number;
}

export const DEFAULT_HPA_OPTIONS: HpaOptions = {
  syncPeriodMs: 15_000,
  downscaleStabilizationMs: 300_000,
  tolerance: 0.1,
  cpuInitializationPeriodMs: 300_000,
  initialReadinessDelayMs: 30_000,
};

/** What the reconciler reads (caches, the scale and metrics APIs), writes and reports through. */
export interface HpaReconcilerDeps {
  hpas: Lister<HorizontalPodAutoscaler>;
  pods: Lister<Pod>;
  scales: ScaleClient;
  metrics: ResourceMetricsClient;
  /** Writes the HPA through `/status`. */
  writeStatus(hpa: HorizontalPodAutoscaler): Promise<unknown>;
  recorder: EventRecorder;
  clock: { now(): number };
  memory: AutoscalerMemory;
  options: HpaOptions;
}

type ReadHpa = DeepReadonly<HorizontalPodAutoscaler>;

/** One reconcile's working state. */
interface Round {
  key: string;
  hpa: ReadHpa;
  nowMs: number;
  conditions: ConditionSet;
  /** The HPA as events name it (cache objects may lack apiVersion/kind). */
  involved: KubeObject;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export class HorizontalPodAutoscalerReconciler implements Reconciler {
  constructor(private readonly deps: HpaReconcilerDeps) {}

  async reconcile(req: ReconcileRequest, ctx: ReconcileContext): Promise<Result> {
    const key = `${req.namespace}/${req.name}`;
    const hpa = this.deps.hpas.get(key);
    if (!hpa) {
      this.deps.memory.forget(key);
      return {};
    }
    const nowMs = this.deps.clock.now();
    const involved = { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: hpa.metadata } as KubeObject;
    const round: Round = { key, hpa, nowMs, conditions: new ConditionSet(hpa.status?.conditions, nowMs), involved };
    await this.sync(round, ctx);
    return { requeueAfterMs: this.deps.options.syncPeriodMs };
  }

  private warn(round: Round, reason: string, message: string): void {
    this.deps.recorder.event(round.involved, 'Warning', reason, message);
  }

  private async sync(round: Round, ctx: ReconcileContext): Promise<void> {
    const { hpa, key, conditions } = round;
    const ref = hpa.spec?.scaleTargetRef ?? { kind: '', name: '' };
    const namespace = hpa.metadata.namespace ?? '';
    let scale: Scale;
    try {
      scale = await this.deps.scales.get(namespace, { apiVersion: ref.apiVersion, kind: ref.kind ?? '', name: ref.name ?? '' }, ctx.signal);
    } catch (err) {
      this.warn(round, 'FailedGetScale', messageOf(err));
      conditions.set('AbleToScale', { status: 'False', reason: 'FailedGetScale', message: `the HPA controller was unable to get the target's current scale: ${messageOf(err)}` });
      await this.write(round, hpa.status?.currentReplicas ?? 0, hpa.status?.desiredReplicas ?? 0, (hpa.status?.currentMetrics ?? undefined) as MetricStatus[] | undefined, false);
      ctx.log.info({ hpa: key, target: `${ref.kind}/${namespace}/${ref.name}`, err: messageOf(err) }, 'failed to query scale subresource');
      return;
    }
    conditions.set('AbleToScale', { status: 'True', reason: 'SucceededGetScale', message: "the HPA controller was able to get the target's current scale" });
    const current = scale.spec?.replicas ?? 0;
    this.deps.memory.recordInitialRecommendation(key, current, round.nowMs);
    const min = hpa.spec?.minReplicas ?? 1;
    const max = hpa.spec?.maxReplicas ?? 0;
    let desired = 0;
    let reason = '';
    let rescale = true;
    let statuses: MetricStatus[] | undefined;
    if (current === 0 && min !== 0) {
      rescale = false;
      conditions.set('ScalingActive', { status: 'False', reason: 'ScalingDisabled', message: 'scaling is disabled since the replica count of the target is zero' });
    } else if (current > max) {
      [desired, reason] = [max, 'Current number of replicas above Spec.MaxReplicas'];
    } else if (current < min) {
      [desired, reason] = [min, 'Current number of replicas below Spec.MinReplicas'];
    } else {
      const outcome = await this.computeMetrics(round, scale, current, ctx);
      statuses = outcome.statuses;
      if (outcome.replicas === -1) {
        await this.write(round, current, hpa.status?.desiredReplicas ?? 0, statuses, false);
        if (outcome.error) this.warn(round, 'FailedComputeMetricsReplicas', outcome.error.message);
        ctx.log.info({ hpa: key, err: outcome.error?.message }, 'failed to compute desired number of replicas');
        return;
      }
      if (outcome.error) ctx.log.info({ hpa: key, err: outcome.error.message }, 'some metrics are invalid; scaling on the rest');
      desired = outcome.replicas;
      if (desired > current) reason = `${outcome.metricName} above target`;
      if (desired < current) reason = 'All metrics below target';
      desired = this.normalize(round, current, desired, min, max);
      rescale = desired !== current;
    }
    if (rescale && !(await this.rescale(round, scale, ref, current, desired, reason, statuses, ctx))) return;
    await this.write(round, current, rescale ? desired : current, statuses, rescale);
  }

  /** Selector checks (upstream `validateAndParseSelector`), then every metric. */
  private async computeMetrics(round: Round, scale: Scale, current: number, ctx: ReconcileContext): Promise<MetricsOutcome> {
    const { hpa, key, conditions } = round;
    const namespace = hpa.metadata.namespace ?? '';
    const selector = scale.status?.selector ?? '';
    const fail = (reason: string, message: string, condition: ConditionValue): MetricsOutcome => {
      this.warn(round, reason, message);
      conditions.set('ScalingActive', condition);
      return { replicas: -1, metricName: '', statuses: undefined, scalingActive: condition, events: [], error: new CalcError('InvalidTarget', message) };
    };
    if (!selector) return fail('SelectorRequired', 'selector is required', { status: 'False', reason: 'InvalidSelector', message: "the HPA target's scale is missing a selector" });
    let matcher: ReturnType<typeof parseLabelSelector>;
    try {
      matcher = parseLabelSelector(selector);
    } catch (err) {
      const message = `couldn't convert selector into a corresponding internal selector object: ${messageOf(err)}`;
      return fail('InvalidSelector', message, { status: 'False', reason: 'InvalidSelector', message });
    }
    this.deps.memory.setSelector(key, selector);
    const pods = this.deps.pods.listInNamespace(namespace, matcher);
    const owners = this.deps.memory.hpasSelecting(namespace, pods.map((p) => p.metadata.labels ?? {}));
    if (owners.length > 1) {
      const message = `pods by selector ${selector} are controlled by multiple HPAs: [${owners.join(' ')}]`;
      return fail('AmbiguousSelector', message, { status: 'False', reason: 'AmbiguousSelector', message });
    }
    // A per-direction `tolerance` (1.33 alpha, HPAConfigurableTolerance) wins over the flag when the API kept it.
    const toleranceOf = (q: string | number | undefined) => (q === undefined ? undefined : parseQuantity(q)?.value);
    const tolerances: Tolerances = {
      scaleDown: toleranceOf(hpa.spec?.behavior?.scaleDown?.tolerance) ?? this.deps.options.tolerance,
      scaleUp: toleranceOf(hpa.spec?.behavior?.scaleUp?.tolerance) ?? this.deps.options.tolerance,
    };
    const outcome = await computeReplicasForMetrics(hpa.spec?.metrics ?? [], {
      namespace,
      selector,
      pods,
      specReplicas: current,
      tolerances,
      readiness: { nowMs: round.nowMs, cpuInitializationPeriodMs: this.deps.options.cpuInitializationPeriodMs, initialReadinessDelayMs: this.deps.options.initialReadinessDelayMs },
      metrics: this.deps.metrics,
      signal: ctx.signal,
    });
    for (const e of outcome.events) this.warn(round, e.reason, e.message);
    conditions.set('ScalingActive', outcome.scalingActive);
    return outcome;
  }

  /** Stabilization and limits, with or without `spec.behavior`; sets AbleToScale and ScalingLimited. */
  private normalize(round: Round, current: number, desired: number, min: number, max: number): number {
    const { hpa, key, nowMs, conditions } = round;
    const { memory, options } = this.deps;
    const behavior = hpa.spec?.behavior;
    const history = memory.recommendations(key);
    const out = behavior
      ? normalizeWithBehaviors({
          history,
          scaleUpEvents: memory.scaleEvents(key).up,
          scaleDownEvents: memory.scaleEvents(key).down,
          scaleUp: resolveRules(behavior.scaleUp as never, 'up', options.downscaleStabilizationMs / 1000),
          scaleDown: resolveRules(behavior.scaleDown as never, 'down', options.downscaleStabilizationMs / 1000),
          nowMs,
          current,
          desired,
          min,
          max,
        })
      : normalizeDesiredReplicas({ history, nowMs, downscaleStabilizationMs: options.downscaleStabilizationMs, current, desired, min, max });
    memory.setRecommendations(key, out.recommendations);
    conditions.set('AbleToScale', out.ableToScale);
    conditions.set('ScalingLimited', out.scalingLimited);
    return out.desired;
  }

  /** Writes the new count through `/scale`; false when that failed (status and events already written). */
  private async rescale(round: Round, scale: Scale, ref: { apiVersion?: string; kind?: string; name?: string }, current: number, desired: number, reason: string, statuses: MetricStatus[] | undefined, ctx: ReconcileContext): Promise<boolean> {
    const { hpa, key, conditions, nowMs } = round;
    const namespace = hpa.metadata.namespace ?? '';
    try {
      const next = copyJson(scale);
      next.spec = { ...next.spec, replicas: desired };
      await this.deps.scales.update(namespace, { apiVersion: ref.apiVersion, kind: ref.kind ?? '', name: ref.name ?? '' }, next, ctx.signal);
    } catch (err) {
      this.warn(round, 'FailedRescale', `New size: ${desired}; reason: ${reason}; error: ${messageOf(err)}`);
      conditions.set('AbleToScale', { status: 'False', reason: 'FailedUpdateScale', message: `the HPA controller was unable to update the target scale: ${messageOf(err)}` });
      await this.write(round, current, hpa.status?.desiredReplicas ?? 0, statuses, false);
      ctx.log.info({ hpa: key, err: messageOf(err) }, 'failed to rescale');
      return false;
    }
    conditions.set('AbleToScale', { status: 'True', reason: 'SucceededRescale', message: `the HPA controller was able to update the target scale to ${desired}` });
    this.deps.recorder.event(round.involved, 'Normal', 'SuccessfulRescale', `New size: ${desired}; reason: ${reason}`);
    const behavior = hpa.spec?.behavior;
    if (behavior) {
      const up = desired > current;
      const rules = resolveRules((up ? behavior.scaleUp : behavior.scaleDown) as never, up ? 'up' : 'down', this.deps.options.downscaleStabilizationMs / 1000);
      const events = this.deps.memory.scaleEvents(key);
      this.deps.memory.setScaleEvents(key, up ? 'up' : 'down', recordScaleEvent(up ? events.up : events.down, rules, Math.abs(desired - current), nowMs));
    }
    ctx.log.info({ hpa: key, currentReplicas: current, desiredReplicas: desired, reason }, 'successfully rescaled');
    return true;
  }

  /** Writes the status when it changed; a vanished HPA is fine, other failures are retried. */
  private async write(round: Round, current: number, desired: number, metrics: MetricStatus[] | undefined, rescaled: boolean): Promise<void> {
    const { hpa } = round;
    const status = nextStatus({ hpa, currentReplicas: current, desiredReplicas: desired, metrics, conditions: round.conditions, rescaled, nowMs: round.nowMs });
    if (!statusChanged(hpa.status, status)) return;
    try {
      await this.deps.writeStatus({ ...copyJson(hpa as HorizontalPodAutoscaler), status });
    } catch (err) {
      if (isNotFound(err)) return;
      this.warn(round, 'FailedUpdateStatus', messageOf(err));
      throw err;
    }
  }
}
