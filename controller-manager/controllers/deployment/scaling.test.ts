import { describe, expect, it } from 'vitest';
import type { Deployment } from '../../../pkg/api/apps/v1/deployment.ts';
import type { ReplicaSet } from '../../../pkg/api/apps/v1/replicaset.ts';
import { isScalingEvent, scaleTargets } from './scaling.ts';

const deployment = (replicas: number, maxSurge: number | string = 3, maxUnavailable: number | string = 2): Deployment =>
  ({ metadata: { name: 'd' }, spec: { replicas, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge, maxUnavailable } } }, status: {} }) as Deployment;

const rs = (name: string, replicas: number, opts: { created: string; desired?: number; max?: number; available?: number }): ReplicaSet =>
  ({
    metadata: { name, creationTimestamp: opts.created, annotations: { ...(opts.desired !== undefined ? { 'deployment.kubernetes.io/desired-replicas': String(opts.desired) } : {}), ...(opts.max !== undefined ? { 'deployment.kubernetes.io/max-replicas': String(opts.max) } : {}) } },
    spec: { replicas },
    status: { availableReplicas: opts.available ?? replicas },
  }) as ReplicaSet;

const T1 = '2026-01-01T00:00:00Z';
const T2 = '2026-01-02T00:00:00Z';
const T3 = '2026-01-03T00:00:00Z';

describe('isScalingEvent', () => {
  it('is true when an active ReplicaSet was scaled for another size', () => {
    expect(isScalingEvent(deployment(10), [rs('a', 5, { created: T1, desired: 10 })])).toBe(false);
    expect(isScalingEvent(deployment(20), [rs('a', 5, { created: T1, desired: 10 })])).toBe(true);
    expect(isScalingEvent(deployment(20), [rs('a', 0, { created: T1, desired: 10 })])).toBe(false);
  });
});

describe('scaleTargets', () => {
  it('gives a single active ReplicaSet the whole size', () => {
    expect(scaleTargets(deployment(7), rs('new', 3, { created: T2 }), [rs('old', 0, { created: T1 })])).toEqual(new Map([['new', 7]]));
  });

  it('scales the old ReplicaSets to zero once the new one is saturated', () => {
    const newRS = rs('new', 10, { created: T2, desired: 10 });
    expect(scaleTargets(deployment(10), newRS, [rs('old', 2, { created: T1, desired: 10 })])).toEqual(new Map([['old', 0]]));
  });

  // Upstream TestScale "proportional scaling: 5 -> 10" style cases, maxSurge 3.
  it.each([
    ['up 10 → 20 mid-rollout: spread by size, leftovers to the largest', 20, [['new', 5, T2], ['old', 8, T1]], 13, { new: 9, old: 14 }],
    ['down 20 → 10 mid-rollout', 10, [['new', 9, T2], ['old', 14, T1]], 23, { new: 5, old: 8 }],
    ['three ReplicaSets up 10 → 30', 30, [['new', 5, T3], ['mid', 4, T2], ['old', 4, T1]], 13, { new: 13, mid: 10, old: 10 }],
    ['to zero: every ReplicaSet empties', 0, [['new', 5, T2], ['old', 8, T1]], 13, { new: 0, old: 0 }],
  ] as const)('%s', (_name, replicas, sets, maxBefore, want) => {
    const d = deployment(replicas);
    const [newSpec, ...oldSpecs] = sets;
    const newRS = rs(newSpec[0], newSpec[1], { created: newSpec[2], desired: 10, max: maxBefore, available: 0 });
    const olds = oldSpecs.map(([n, r, c]) => rs(n, r, { created: c, desired: 10, max: maxBefore }));
    const targets = scaleTargets(d, newRS, olds);
    const result = Object.fromEntries([newRS, ...olds].map((x) => [x.metadata.name, targets.get(x.metadata.name as string) ?? x.spec!.replicas]));
    expect(result).toEqual(want);
    const total = (Object.values(result) as number[]).reduce((a, b) => a + b, 0);
    expect(total).toBe(replicas === 0 ? 0 : replicas + 3);
  });
});

describe('scaleTargets annotations', () => {
  it('rewrites a stale desired-replicas annotation even when the size stays, so the scaling event ends', () => {
    // 10 → 11 with maxSurge 3: 13 → 14 allowed; the larger old RS takes the one extra replica.
    const newRS = rs('new', 5, { created: T2, desired: 10, max: 13, available: 0 });
    const old = rs('old', 8, { created: T1, desired: 10, max: 13 });
    const targets = scaleTargets(deployment(11), newRS, [old]);
    expect(targets).toEqual(new Map([['old', 9], ['new', 5]]));
  });
});
