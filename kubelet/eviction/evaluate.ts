/**
 * One round of the eviction manager's decision (upstream `synchronize` up to the ranking): which
 * thresholds are met now, which earlier ones still lack their minimum reclaim, since when each
 * has been met (soft thresholds act only after their grace period), which node conditions to
 * report (held for the pressure transition period after the signal clears) and which thresholds
 * drive an eviction this round, memory first. Pure: state in, state out.
 */
import { PRESSURE_CONDITIONS, SIGNAL_CONDITION, SIGNAL_RESOURCE, type Observations, type PressureCondition } from './signals.ts';
import { thresholdAmount, thresholdKey, type Threshold } from './thresholds.ts';

/** What the manager remembers between rounds. */
export interface EvictionState {
  /** Threshold key → when it was first seen met (ms). */
  firstObservedAt: ReadonlyMap<string, number>;
  /** Condition → when a threshold driving it was last seen met (ms). */
  conditionLastObservedAt: Readonly<Partial<Record<PressureCondition, number>>>;
  /** Thresholds met past their grace period last round (kept until their minimum reclaim is met). */
  thresholdsMet: readonly Threshold[];
  lastObservations: Observations;
}

export const INITIAL_STATE: EvictionState = { firstObservedAt: new Map(), conditionLastObservedAt: {}, thresholdsMet: [], lastObservations: {} };

/** Upstream `thresholdsMet`: `available < threshold` (+ minimum reclaim when `withMinReclaim`). */
export function thresholdsMet(thresholds: readonly Threshold[], observations: Observations, withMinReclaim: boolean): Threshold[] {
  return thresholds.filter((t) => {
    const o = observations[t.signal];
    if (!o) return false;
    let amount = thresholdAmount(t.value, o.capacity);
    if (withMinReclaim && t.minReclaim) amount += thresholdAmount(t.minReclaim, o.capacity);
    return amount > o.available;
  });
}

/** The result of one round. */
export interface Evaluation {
  state: EvictionState;
  /** Conditions to report True, in Memory, Disk, PID order. */
  conditions: PressureCondition[];
  /** Thresholds past their grace period with fresh stats, memory first: what eviction acts on. */
  act: Threshold[];
}

/** Inputs of {@link evaluate}. */
export interface EvaluateInput {
  thresholds: readonly Threshold[];
  observations: Observations;
  state: EvictionState;
  nowMs: number;
  pressureTransitionMs: number;
}

export function evaluate(input: EvaluateInput): Evaluation {
  const { observations, state, nowMs } = input;
  const met = thresholdsMet(input.thresholds, observations, false);
  const keys = new Set(met.map(thresholdKey));
  for (const t of thresholdsMet(state.thresholdsMet, observations, true)) {
    if (!keys.has(thresholdKey(t))) {
      keys.add(thresholdKey(t));
      met.push(t);
    }
  }
  const firstObservedAt = new Map(met.map((t) => [thresholdKey(t), state.firstObservedAt.get(thresholdKey(t)) ?? nowMs] as const));
  const lastAt: Partial<Record<PressureCondition, number>> = { ...state.conditionLastObservedAt };
  for (const t of met) lastAt[SIGNAL_CONDITION[t.signal]] = nowMs;
  const conditions = PRESSURE_CONDITIONS.filter((c) => lastAt[c] !== undefined && nowMs - (lastAt[c] as number) < input.pressureTransitionMs);
  const pastGrace = met.filter((t) => nowMs - (firstObservedAt.get(thresholdKey(t)) as number) >= t.gracePeriodMs);
  const fresh = pastGrace.filter((t) => {
    const o = observations[t.signal];
    const last = state.lastObservations[t.signal];
    return o !== undefined && (!last || o.atMs > last.atMs);
  });
  return {
    state: { firstObservedAt, conditionLastObservedAt: lastAt, thresholdsMet: pastGrace, lastObservations: observations },
    conditions,
    act: byEvictionPriority(fresh),
  };
}

/** Memory signals first, then the rest in their order (upstream `byEvictionPriority`). */
export function byEvictionPriority(thresholds: readonly Threshold[]): Threshold[] {
  const memory = (t: Threshold) => SIGNAL_RESOURCE[t.signal] === 'memory';
  return [...thresholds.filter(memory), ...thresholds.filter((t) => !memory(t))];
}
