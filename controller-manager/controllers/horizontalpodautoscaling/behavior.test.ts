/**
 * Normalization of the desired count: the original algorithm (no `spec.behavior`: stabilization
 * window, min/max, the 2×/4-pod scale-up limit) and the behavior one (two windows, policies per
 * period, Max/Min/Disabled), with the conditions upstream sets.
 */
import { describe, expect, it } from 'vitest';
import {
  normalizeDesiredReplicas,
  normalizeWithBehaviors,
  recordScaleEvent,
  resolveRules,
  type BehaviorArgs,
  type Recommendation,
  type ScaleEvent,
  type ScalingRules,
} from './behavior.ts';

const NOW = 1_800_000_000_000;
const ago = (s: number) => NOW - s * 1000;

describe('normalizeDesiredReplicas (no behavior)', () => {
  const base = { history: [] as Recommendation[], nowMs: NOW, downscaleStabilizationMs: 300_000, current: 3, desired: 5, min: 1, max: 10 };
  it.each([
    ['within range', {}, 5, 'ReadyForNewScale', ['False', 'DesiredWithinRange']],
    ['at most max(2 × current, 4) in one step', { current: 1, desired: 10 }, 4, 'ReadyForNewScale', ['True', 'ScaleUpLimit']],
    ['twice the current count', { current: 4, desired: 10, max: 20 }, 8, 'ReadyForNewScale', ['True', 'ScaleUpLimit']],
    ['maxReplicas', { current: 3, desired: 10, max: 5 }, 5, 'ReadyForNewScale', ['True', 'TooManyReplicas']],
    ['minReplicas', { current: 3, desired: 0, min: 2 }, 2, 'ReadyForNewScale', ['True', 'TooFewReplicas']],
    ['a higher recommendation inside the window wins', { current: 5, desired: 2, history: [{ replicas: 5, timestampMs: ago(60) }] }, 5, 'ScaleDownStabilized', ['False', 'DesiredWithinRange']],
    ['the window edge still counts', { current: 5, desired: 2, history: [{ replicas: 4, timestampMs: ago(300) }] }, 4, 'ScaleDownStabilized', ['False', 'DesiredWithinRange']],
    ['older recommendations do not', { current: 5, desired: 2, history: [{ replicas: 5, timestampMs: ago(301) }] }, 2, 'ReadyForNewScale', ['False', 'DesiredWithinRange']],
  ] as Array<[string, Partial<typeof base>, number, string, [string, string]]>)('%s', (_name, over, desired, ableReason, [limited, limitedReason]) => {
    const out = normalizeDesiredReplicas({ ...base, ...over });
    expect(out.desired).toBe(desired);
    expect(out.ableToScale).toMatchObject({ status: 'True', reason: ableReason });
    expect(out.scalingLimited).toMatchObject({ status: limited, reason: limitedReason });
  });

  it('records the unstabilized recommendation, reusing an expired slot', () => {
    const history = [{ replicas: 7, timestampMs: ago(400) }, { replicas: 6, timestampMs: ago(100) }];
    const out = normalizeDesiredReplicas({ ...base, current: 6, desired: 2, history });
    expect(out.desired).toBe(6);
    expect(out.recommendations).toEqual([{ replicas: 2, timestampMs: NOW }, { replicas: 6, timestampMs: ago(100) }]);
    expect(history[0]).toEqual({ replicas: 7, timestampMs: ago(400) });
  });
});

describe('normalizeWithBehaviors', () => {
  const rules = (r: ScalingRules, dir: 'up' | 'down') => resolveRules(r, dir, 300);
  const base: BehaviorArgs = {
    history: [],
    scaleUpEvents: [],
    scaleDownEvents: [],
    scaleUp: rules({}, 'up'),
    scaleDown: rules({ stabilizationWindowSeconds: 0 }, 'down'),
    nowMs: NOW,
    current: 10,
    desired: 50,
    min: 1,
    max: 1000,
  };
  const percent = (value: number, periodSeconds = 60) => ({ type: 'Percent' as const, value, periodSeconds });
  const pods = (value: number, periodSeconds = 60) => ({ type: 'Pods' as const, value, periodSeconds });
  const events = (...changes: Array<[number, number]>): ScaleEvent[] => changes.map(([change, s]) => ({ change, timestampMs: ago(s), outdated: false }));

  it.each([
    ['default scale-up: max(+4 pods, +100 %) per 15 s', {}, 20, ['True', 'ScaleUpLimit']],
    ['one pod per minute', { scaleUp: rules({ policies: [pods(1)] }, 'up') }, 11, ['True', 'ScaleUpLimit']],
    ['selectPolicy Min takes the smaller step', { scaleUp: rules({ selectPolicy: 'Min', policies: [pods(4), percent(100)] }, 'up') }, 14, ['True', 'ScaleUpLimit']],
    ['scale-up Disabled', { scaleUp: rules({ selectPolicy: 'Disabled' }, 'up') }, 10, ['True', 'ScaleUpLimit']],
    ['events of the period use up the budget', { scaleUp: rules({ policies: [pods(4)] }, 'up'), scaleUpEvents: events([6, 30]) }, 10, ['True', 'ScaleUpLimit']],
    ['events older than the period do not', { scaleUp: rules({ policies: [pods(4)] }, 'up'), scaleUpEvents: events([6, 61]) }, 14, ['True', 'ScaleUpLimit']],
    ['maxReplicas below the rate limit', { max: 15 }, 15, ['True', 'TooManyReplicas']],
    ['a small scale-up within limits', { desired: 12 }, 12, ['False', 'DesiredWithinRange']],
    ['default scale-down: all pods may go, minReplicas holds', { desired: 0, min: 1 }, 1, ['True', 'TooFewReplicas']],
    ['10 % per minute down', { desired: 2, scaleDown: rules({ stabilizationWindowSeconds: 0, policies: [percent(10)] }, 'down') }, 9, ['True', 'ScaleDownLimit']],
    ['Max picks the bigger scale-down step', { desired: 2, scaleDown: rules({ stabilizationWindowSeconds: 0, policies: [pods(2), percent(50)] }, 'down') }, 5, ['True', 'ScaleDownLimit']],
    ['Min picks the smaller scale-down step', { desired: 2, scaleDown: rules({ stabilizationWindowSeconds: 0, selectPolicy: 'Min', policies: [pods(2), percent(50)] }, 'down') }, 8, ['True', 'ScaleDownLimit']],
    ['scale-down budget spent by recent events', { current: 8, desired: 2, scaleDownEvents: events([2, 20]), scaleDown: rules({ stabilizationWindowSeconds: 0, policies: [percent(10)] }, 'down') }, 8, ['True', 'ScaleDownLimit']],
    ['scale-down Disabled', { desired: 2, scaleDown: rules({ stabilizationWindowSeconds: 0, selectPolicy: 'Disabled' }, 'down') }, 10, ['True', 'ScaleDownLimit']],
  ] as Array<[string, Partial<BehaviorArgs>, number, [string, string]]>)('%s', (_name, over, desired, [limited, reason]) => {
    const out = normalizeWithBehaviors({ ...base, ...over });
    expect(out.desired).toBe(desired);
    expect(out.scalingLimited).toMatchObject({ status: limited, reason });
  });

  it('scale-down stabilization keeps the highest recommendation of the window', () => {
    const out = normalizeWithBehaviors({ ...base, scaleDown: rules({}, 'down'), current: 8, desired: 4, history: [{ replicas: 8, timestampMs: ago(100) }, { replicas: 6, timestampMs: ago(200) }] });
    expect(out.desired).toBe(8);
    expect(out.ableToScale).toEqual({ status: 'True', reason: 'ScaleDownStabilized', message: 'recent recommendations were higher than current one, applying the highest recent recommendation' });
    expect(out.recommendations).toHaveLength(3);
  });

  it('scale-up stabilization keeps the lowest recommendation of the window', () => {
    const out = normalizeWithBehaviors({ ...base, scaleUp: rules({ stabilizationWindowSeconds: 120 }, 'up'), current: 3, desired: 6, history: [{ replicas: 3, timestampMs: ago(60) }] });
    expect(out.desired).toBe(3);
    expect(out.ableToScale).toEqual({ status: 'True', reason: 'ScaleUpStabilized', message: 'recent recommendations were lower than current one, applying the lowest recent recommendation' });
    // 4 minutes later the low sample is out of the window: the scale-up goes through.
    const later = normalizeWithBehaviors({ ...base, scaleUp: rules({ stabilizationWindowSeconds: 120 }, 'up'), current: 3, desired: 6, nowMs: NOW + 240_000, history: out.recommendations });
    expect(later.desired).toBe(6);
    expect(later.ableToScale.reason).toBe('ReadyForNewScale');
  });

  it('the scale-down window defaults to the controller flag', () => {
    expect(resolveRules(undefined, 'down', 120)).toEqual({ stabilizationWindowSeconds: 120, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] });
    expect(resolveRules({ policies: [pods(1)] }, 'up', 120)).toEqual({ stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [pods(1)] });
  });
});

describe('recordScaleEvent', () => {
  it('marks events older than the longest period outdated and reuses the last such slot', () => {
    const rules = resolveRules({ policies: [{ type: 'Pods', value: 4, periodSeconds: 60 }] }, 'up', 300);
    const before: ScaleEvent[] = [{ change: 2, timestampMs: ago(120) }, { change: 1, timestampMs: ago(90) }, { change: 3, timestampMs: ago(10) }].map((e) => ({ ...e, outdated: false }));
    expect(recordScaleEvent(before, rules, 5, NOW)).toEqual([
      { change: 2, timestampMs: ago(120), outdated: true },
      { change: 5, timestampMs: NOW, outdated: false },
      { change: 3, timestampMs: ago(10), outdated: false },
    ]);
    expect(recordScaleEvent([], rules, 5, NOW)).toEqual([{ change: 5, timestampMs: NOW, outdated: false }]);
  });
});
