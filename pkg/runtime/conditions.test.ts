import { describe, expect, it } from 'vitest';
import { findStatusCondition, isStatusConditionTrue, removeStatusCondition, setStatusCondition, type StatusCondition } from './conditions.ts';

const T0 = '2026-01-01T00:00:00Z';
const T1 = '2026-01-02T00:00:00Z';

describe('status conditions', () => {
  const ready: StatusCondition = { type: 'Ready', status: 'False', reason: 'Waiting', message: 'no pods', lastTransitionTime: T0 };

  it('adds a missing condition with now as its transition time', () => {
    const out = setStatusCondition(undefined, { type: 'Ready', status: 'True', reason: 'Up' }, T1);
    expect(out).toEqual([{ type: 'Ready', status: 'True', reason: 'Up', lastTransitionTime: T1 }]);
  });

  it('moves lastTransitionTime only when the status changes, and never mutates the input', () => {
    const input = [ready];
    const sameStatus = setStatusCondition(input, { type: 'Ready', status: 'False', reason: 'StillWaiting', message: '1 pod' }, T1);
    expect(sameStatus[0]).toEqual({ type: 'Ready', status: 'False', reason: 'StillWaiting', message: '1 pod', lastTransitionTime: T0 });
    const flipped = setStatusCondition(input, { type: 'Ready', status: 'True', reason: 'Up', observedGeneration: 3 }, T1);
    expect(flipped[0]).toMatchObject({ status: 'True', reason: 'Up', observedGeneration: 3, lastTransitionTime: T1 });
    expect(input[0]).toBe(ready);
    expect(ready.status).toBe('False');
  });

  it('finds, tests and removes conditions', () => {
    const list = setStatusCondition([ready], { type: 'Synced', status: 'True' }, T1);
    expect(findStatusCondition(list, 'Synced')?.status).toBe('True');
    expect(isStatusConditionTrue(list, 'Synced')).toBe(true);
    expect(isStatusConditionTrue(list, 'Ready')).toBe(false);
    expect(isStatusConditionTrue(list, 'Missing')).toBe(false);
    expect(removeStatusCondition(list, 'Ready').map((c) => c.type)).toEqual(['Synced']);
  });
});
