import { describe, expect, it } from 'vitest';
import type { Pod } from '../../../pkg/api/core/v1/pod.ts';
import type { Service } from '../../../pkg/api/core/v1/service.ts';
import { ENDPOINTS_LAST_CHANGE_TRIGGER_TIME as LAST_CHANGE_TRIGGER_TIME } from '../../../pkg/api/core/v1/endpoints.ts';
import { TriggerTimeTracker, withTriggerTime } from './trigger-time.ts';

const svc = { metadata: { name: 'web', namespace: 'ns', creationTimestamp: '2026-12-07T10:00:00Z' } } as Service;
const pod = (name: string, readyAt?: string) => ({ metadata: { name }, status: readyAt ? { conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: readyAt }] } : {} }) as Pod;

describe('TriggerTimeTracker', () => {
  it('gives a Service first seen its creation time, whatever its pods', () => {
    expect(new TriggerTimeTracker().compute('ns/web', svc, [pod('a', '2026-12-07T09:00:00Z')])).toBe('2026-12-07T10:00:00Z');
  });

  it('then gives the earliest Ready transition not seen before, and nothing when none changed', () => {
    const tracker = new TriggerTimeTracker();
    tracker.compute('ns/web', svc, [pod('a', '2026-12-07T10:00:01Z')]);
    expect(tracker.compute('ns/web', svc, [pod('a', '2026-12-07T10:00:01Z'), pod('b', '2026-12-07T10:00:09Z'), pod('c', '2026-12-07T10:00:05Z'), pod('d')])).toBe('2026-12-07T10:00:05Z');
    expect(tracker.compute('ns/web', svc, [pod('a', '2026-12-07T10:00:01Z'), pod('b', '2026-12-07T10:00:09Z'), pod('c', '2026-12-07T10:00:05Z')])).toBeUndefined();
    // a turned not ready: its condition's transition time moved on.
    expect(tracker.compute('ns/web', svc, [pod('a', '2026-12-07T10:01:00Z'), pod('b', '2026-12-07T10:00:09Z')])).toBe('2026-12-07T10:01:00Z');
  });

  it('forgets a deleted Service: a new one of the same name starts again from its creation', () => {
    const tracker = new TriggerTimeTracker();
    tracker.compute('ns/web', svc, []);
    tracker.forget('ns/web');
    const again = { metadata: { ...svc.metadata, creationTimestamp: '2026-12-07T11:00:00Z' } } as Service;
    expect(tracker.compute('ns/web', again, [pod('a', '2026-12-07T10:00:01Z')])).toBe('2026-12-07T11:00:00Z');
  });
});

describe('withTriggerTime', () => {
  it('sets or removes the annotation and keeps the others', () => {
    expect(withTriggerTime({ a: '1', [LAST_CHANGE_TRIGGER_TIME]: 'old' }, 'new')).toEqual({ a: '1', [LAST_CHANGE_TRIGGER_TIME]: 'new' });
    expect(withTriggerTime({ a: '1', [LAST_CHANGE_TRIGGER_TIME]: 'old' }, undefined)).toEqual({ a: '1' });
    expect(withTriggerTime(undefined, undefined)).toEqual({});
  });
});
