/**
 * The HPA status the reconciler writes, assembled as upstream's `setStatus` /
 * `setCondition`. Pure: time is an argument.
 */
import type { HorizontalPodAutoscaler, HorizontalPodAutoscalerCondition, HorizontalPodAutoscalerStatus, MetricStatus } from '../../../pkg/api/autoscaling/v2/horizontalpodautoscaler.ts';
import type { DeepReadonly } from '../../../pkg/informer/index.ts';
import { setStatusCondition } from '../../../pkg/runtime/index.ts';
import { copyJson } from '../../../pkg/util/json-copy.ts';
import { semanticEqual } from '../../../pkg/util/semantic-json.ts';
import { rfc3339 } from '../../../pkg/util/time.ts';
import type { ConditionValue } from './behavior.ts';

export type HpaConditionType = 'AbleToScale' | 'ScalingActive' | 'ScalingLimited';

/**
 * The conditions of one reconcile: starts from the HPA's, and sets each as upstream's
 * `setCondition` does (appended when new; `lastTransitionTime` moves only when the status flips).
 */
export class ConditionSet {
  private list: HorizontalPodAutoscalerCondition[];

  constructor(initial: DeepReadonly<HorizontalPodAutoscalerCondition[]> | undefined, private readonly nowMs: number) {
    this.list = copyJson((initial ?? []) as HorizontalPodAutoscalerCondition[]);
  }

  set(type: HpaConditionType, value: ConditionValue): void {
    this.list = setStatusCondition(this.list as never, { type, ...value }, rfc3339(this.nowMs)) as HorizontalPodAutoscalerCondition[];
  }

  get(type: HpaConditionType): HorizontalPodAutoscalerCondition | undefined {
    return this.list.find((c) => c.type === type);
  }

  toList(): HorizontalPodAutoscalerCondition[] {
    return this.list;
  }
}

/** The status after a reconcile (upstream `setStatus`): `lastScaleTime` moves on a rescale. */
export function nextStatus(args: {
  hpa: DeepReadonly<HorizontalPodAutoscaler>;
  currentReplicas: number;
  desiredReplicas: number;
  metrics: MetricStatus[] | undefined;
  conditions: ConditionSet;
  rescaled: boolean;
  nowMs: number;
}): HorizontalPodAutoscalerStatus {
  const { hpa } = args;
  const lastScaleTime = args.rescaled ? rfc3339(args.nowMs) : hpa.status?.lastScaleTime;
  return {
    ...(lastScaleTime ? { lastScaleTime } : {}),
    currentReplicas: args.currentReplicas,
    desiredReplicas: args.desiredReplicas,
    currentMetrics: args.metrics ?? null,
    conditions: args.conditions.toList(),
  };
}

/** Whether writing `next` would change anything (upstream compares with `equality.Semantic`). */
export function statusChanged(current: DeepReadonly<HorizontalPodAutoscalerStatus> | undefined, next: HorizontalPodAutoscalerStatus): boolean {
  return !semanticEqual(current ?? {}, next);
}
