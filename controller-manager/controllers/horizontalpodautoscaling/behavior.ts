/**
 * From the metrics' wish to the replica count written (upstream horizontal.go
 * `normalizeDesiredReplicas` and `normalizeDesiredReplicasWithBehaviors`). Pure: the history of
 * recommendations and scale events is an input and the updated history an output; the clock is
 * an argument.
 *
 * Without `spec.behavior`: the highest recommendation of the downscale stabilization window
 * (default 5 minutes) wins, then the count is kept within [minReplicas, maxReplicas] and a
 * scale-up to at most max(2 × current, 4).
 * With it: the recommendation is kept between the lowest of the scale-up window and the highest
 * of the scale-down window, then limited by the policies of the direction (Pods / Percent per
 * period, selected by Max / Min, or Disabled) counting the scale events of each period.
 */

/** `HPAScalingPolicy`. */
export interface ScalingPolicy {
  type: 'Pods' | 'Percent';
  value: number;
  periodSeconds: number;
}

/** `HPAScalingRules` as the API carries it (any field may be unset before defaulting). */
export interface ScalingRules {
  stabilizationWindowSeconds?: number | null;
  selectPolicy?: 'Max' | 'Min' | 'Disabled' | null;
  policies?: readonly ScalingPolicy[] | null;
}

/** Rules with every field set. */
export interface ResolvedRules {
  stabilizationWindowSeconds: number;
  selectPolicy: 'Max' | 'Min' | 'Disabled';
  policies: readonly ScalingPolicy[];
}

/** One unstabilized recommendation. */
export interface Recommendation {
  replicas: number;
  timestampMs: number;
}

/** One rescale, as the absolute change; outdated events are reused by the next one. */
export interface ScaleEvent {
  change: number;
  timestampMs: number;
  outdated: boolean;
}

/** A condition to set on the HPA. */
export interface ConditionValue {
  status: 'True' | 'False';
  reason: string;
  message: string;
}

/** The outcome of a normalization. */
export interface Normalized {
  desired: number;
  ableToScale: ConditionValue;
  scalingLimited: ConditionValue;
  /** The recommendation history with this round's recommendation recorded. */
  recommendations: Recommendation[];
}

/** Upstream's API defaults of `behavior.scaleUp`: no window, max of +4 pods or +100 % per 15 s. */
export const DEFAULT_SCALE_UP: ResolvedRules = {
  stabilizationWindowSeconds: 0,
  selectPolicy: 'Max',
  policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }],
};

/** Upstream's API defaults of `behavior.scaleDown` (the window comes from the controller flag). */
export const DEFAULT_SCALE_DOWN_POLICIES: readonly ScalingPolicy[] = [{ type: 'Percent', value: 100, periodSeconds: 15 }];

/** Fills unset rules as the API defaulting and `maybeInitScaleDownStabilizationWindow` do. */
export function resolveRules(rules: ScalingRules | null | undefined, direction: 'up' | 'down', downscaleStabilizationSeconds: number): ResolvedRules {
  const fallback = direction === 'up' ? DEFAULT_SCALE_UP : { stabilizationWindowSeconds: downscaleStabilizationSeconds, selectPolicy: 'Max' as const, policies: DEFAULT_SCALE_DOWN_POLICIES };
  return {
    stabilizationWindowSeconds: rules?.stabilizationWindowSeconds ?? fallback.stabilizationWindowSeconds,
    selectPolicy: rules?.selectPolicy ?? fallback.selectPolicy,
    policies: rules?.policies ?? fallback.policies,
  };
}

const READY: ConditionValue = { status: 'True', reason: 'ReadyForNewScale', message: 'recommended size matches current size' };
const WITHIN: Omit<ConditionValue, 'status'> = { reason: 'DesiredWithinRange', message: 'the desired count is within the acceptable range' };
const TOO_FEW = { reason: 'TooFewReplicas', message: 'the desired replica count is less than the minimum replica count' };
const TOO_MANY = { reason: 'TooManyReplicas', message: 'the desired replica count is more than the maximum replica count' };
const UP_LIMIT = { reason: 'ScaleUpLimit', message: 'the desired replica count is increasing faster than the maximum scale rate' };
const DOWN_LIMIT = { reason: 'ScaleDownLimit', message: 'the desired replica count is decreasing faster than the maximum scale rate' };

/** Records `replicas` at `nowMs`, reusing the slot of a sample older than every window. */
function record(history: readonly Recommendation[], replicas: number, nowMs: number, isOld: (r: Recommendation) => boolean): Recommendation[] {
  const out = [...history];
  let old = -1;
  out.forEach((r, i) => {
    if (isOld(r)) old = i;
  });
  const entry = { replicas, timestampMs: nowMs };
  if (old >= 0) out[old] = entry;
  else out.push(entry);
  return out;
}

/** `ScalingLimited` from the limited and the wished count. */
function limitedCondition(desired: number, wished: number, why: Omit<ConditionValue, 'status'>): ConditionValue {
  return { status: desired === wished ? 'False' : 'True', ...why };
}

/** Normalization without `spec.behavior` (upstream's original algorithm). */
export function normalizeDesiredReplicas(args: { history: readonly Recommendation[]; nowMs: number; downscaleStabilizationMs: number; current: number; desired: number; min: number; max: number }): Normalized {
  const cutoff = args.nowMs - args.downscaleStabilizationMs;
  let stabilized = args.desired;
  for (const r of args.history) if (r.timestampMs >= cutoff && r.replicas > stabilized) stabilized = r.replicas;
  const recommendations = record(args.history, args.desired, args.nowMs, (r) => r.timestampMs < cutoff);
  const ableToScale: ConditionValue = stabilized !== args.desired
    ? { status: 'True', reason: 'ScaleDownStabilized', message: 'recent recommendations were higher than current one, applying the highest recent recommendation' }
    : READY;
  const scaleUpLimit = Math.trunc(Math.max(2 * args.current, 4));
  const [maxAllowed, maxWhy] = args.max > scaleUpLimit ? [scaleUpLimit, UP_LIMIT] : [args.max, TOO_MANY];
  let desired = stabilized;
  let why = WITHIN;
  if (stabilized < args.min) [desired, why] = [args.min, TOO_FEW];
  else if (stabilized > maxAllowed) [desired, why] = [maxAllowed, maxWhy];
  return { desired, ableToScale, scalingLimited: limitedCondition(desired, stabilized, why), recommendations };
}

/** Replicas changed by events newer than `periodSeconds`. */
export function changeInPeriod(events: readonly ScaleEvent[], periodSeconds: number, nowMs: number): number {
  const cutoff = nowMs - periodSeconds * 1000;
  return events.reduce((sum, e) => (e.timestampMs > cutoff ? sum + e.change : sum), 0);
}

/** The highest count the scale-up policies allow now (upstream `calculateScaleUpLimitWithScalingRules`). */
export function scaleUpLimit(current: number, up: readonly ScaleEvent[], down: readonly ScaleEvent[], rules: ResolvedRules, nowMs: number): number {
  if (rules.selectPolicy === 'Disabled') return current;
  const pick = rules.selectPolicy === 'Min' ? Math.min : Math.max;
  let result = rules.selectPolicy === 'Min' ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  for (const p of rules.policies) {
    const start = current - changeInPeriod(up, p.periodSeconds, nowMs) + changeInPeriod(down, p.periodSeconds, nowMs);
    result = pick(result, p.type === 'Pods' ? start + p.value : Math.ceil(start * (1 + p.value / 100)));
  }
  return result;
}

/** The lowest count the scale-down policies allow now (upstream `calculateScaleDownLimitWithBehaviors`). */
export function scaleDownLimit(current: number, up: readonly ScaleEvent[], down: readonly ScaleEvent[], rules: ResolvedRules, nowMs: number): number {
  if (rules.selectPolicy === 'Disabled') return current;
  const pick = rules.selectPolicy === 'Min' ? Math.max : Math.min;
  let result = rules.selectPolicy === 'Min' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  for (const p of rules.policies) {
    const start = current - changeInPeriod(up, p.periodSeconds, nowMs) + changeInPeriod(down, p.periodSeconds, nowMs);
    result = pick(result, p.type === 'Pods' ? start - p.value : Math.trunc(start * (1 - p.value / 100)));
  }
  return result;
}

/** The inputs of {@link normalizeWithBehaviors}. */
export interface BehaviorArgs {
  history: readonly Recommendation[];
  scaleUpEvents: readonly ScaleEvent[];
  scaleDownEvents: readonly ScaleEvent[];
  scaleUp: ResolvedRules;
  scaleDown: ResolvedRules;
  nowMs: number;
  current: number;
  desired: number;
  min: number;
  max: number;
}

/** Stabilization between the two windows, then the rate limits of the policies. */
export function normalizeWithBehaviors(a: BehaviorArgs): Normalized {
  const upCutoff = a.nowMs - a.scaleUp.stabilizationWindowSeconds * 1000;
  const downCutoff = a.nowMs - a.scaleDown.stabilizationWindowSeconds * 1000;
  let upRecommendation = a.desired;
  let downRecommendation = a.desired;
  for (const r of a.history) {
    if (r.timestampMs > upCutoff) upRecommendation = Math.min(upRecommendation, r.replicas);
    if (r.timestampMs > downCutoff) downRecommendation = Math.max(downRecommendation, r.replicas);
  }
  const stabilized = Math.min(Math.max(a.current, upRecommendation), downRecommendation);
  const recommendations = record(a.history, a.desired, a.nowMs, (r) => r.timestampMs < upCutoff && r.timestampMs < downCutoff);
  const ableToScale: ConditionValue = stabilized === a.desired
    ? READY
    : a.desired >= a.current
      ? { status: 'True', reason: 'ScaleUpStabilized', message: 'recent recommendations were lower than current one, applying the lowest recent recommendation' }
      : { status: 'True', reason: 'ScaleDownStabilized', message: 'recent recommendations were higher than current one, applying the highest recent recommendation' };
  let desired = stabilized;
  let why = WITHIN;
  if (stabilized > a.current) {
    const limit = Math.max(scaleUpLimit(a.current, a.scaleUpEvents, a.scaleDownEvents, a.scaleUp, a.nowMs), a.current);
    const [maxAllowed, maxWhy] = a.max > limit ? [limit, UP_LIMIT] : [a.max, TOO_MANY];
    if (stabilized > maxAllowed) [desired, why] = [maxAllowed, maxWhy];
  } else if (stabilized < a.current) {
    const limit = Math.min(scaleDownLimit(a.current, a.scaleUpEvents, a.scaleDownEvents, a.scaleDown, a.nowMs), a.current);
    const [minAllowed, minWhy] = a.min < limit ? [limit, DOWN_LIMIT] : [a.min, TOO_FEW];
    if (stabilized < minAllowed) [desired, why] = [minAllowed, minWhy];
  }
  return { desired, ableToScale, scalingLimited: limitedCondition(desired, stabilized, why), recommendations };
}

/**
 * The event list of a direction after a rescale by `change` (upstream `storeScaleEvent`):
 * events older than the longest policy period are marked outdated and the last outdated slot is
 * reused.
 */
export function recordScaleEvent(events: readonly ScaleEvent[], rules: ResolvedRules, change: number, nowMs: number): ScaleEvent[] {
  const longest = rules.policies.reduce((m, p) => Math.max(m, p.periodSeconds), 0);
  const cutoff = nowMs - longest * 1000;
  const out = events.map((e) => (e.timestampMs < cutoff ? { ...e, outdated: true } : e));
  const slot = out.map((e) => e.outdated).lastIndexOf(true);
  const entry = { change, timestampMs: nowMs, outdated: false };
  if (slot >= 0) out[slot] = entry;
  else out.push(entry);
  return out;
}
