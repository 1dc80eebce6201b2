import { describe, expect, it } from 'vitest';
import type { Pod } from '../../pkg/api/core/v1/pod.ts';
import { gcPodState } from './pod-state.ts';

const pod = (over: { deletionTimestamp?: string; phase?: string } = {}): Pod => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', uid: 'u', ...(over.deletionTimestamp ? { deletionTimestamp: over.deletionTimestamp } : {}) }, spec: { containers: [] }, status: over.phase ? { phase: over.phase } : {} }) as Pod;

describe('gcPodState', () => {
  it.each([
    ['no pod', undefined, undefined, 'removable'],
    ['deleted', pod({ deletionTimestamp: '2026-01-01T00:00:00Z' }), undefined, 'removable'],
    ['evicted by this kubelet', pod({ phase: 'Running' }), { evicted: true }, 'removable'],
    ['rejected at admission', pod(), { evicted: false }, 'terminated'],
    ['Succeeded', pod({ phase: 'Succeeded' }), undefined, 'terminated'],
    ['Failed', pod({ phase: 'Failed' }), undefined, 'terminated'],
    ['Running', pod({ phase: 'Running' }), undefined, 'active'],
    ['Pending', pod({ phase: 'Pending' }), undefined, 'active'],
  ] as const)('%s → %s', (_n, p, fate, expected) => {
    expect(gcPodState({ pod: p, fate })).toBe(expected);
  });
});
