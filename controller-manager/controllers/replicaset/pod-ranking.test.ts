import { describe, expect, it } from 'vitest';
import type { Pod } from '../../../pkg/api/core/v1/pod.ts';
import { isPodAvailable, podsToDelete, slowStartBatches } from './pod-ranking.ts';

function pod(name: string, o: { node?: string; phase?: string; ready?: boolean; since?: string; restarts?: number; created?: string; cost?: number } = {}): Pod {
  return {
    metadata: { name, creationTimestamp: o.created ?? '2026-01-01T00:00:00Z', ...(o.cost !== undefined ? { annotations: { 'controller.kubernetes.io/pod-deletion-cost': String(o.cost) } } : {}) },
    spec: { nodeName: o.node, containers: [] },
    status: { phase: o.phase ?? 'Running', conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True', lastTransitionTime: o.since ?? '2026-01-01T00:00:00Z' }], containerStatuses: [{ name: 'c', restartCount: o.restarts ?? 0, ready: o.ready !== false, image: '', imageID: '' }] },
  } as Pod;
}

describe('podsToDelete (upstream ranking)', () => {
  it.each([
    ['unassigned before assigned', [pod('a', { node: 'n' }), pod('b')], 'b'],
    ['pending before running', [pod('a', { node: 'n' }), pod('b', { node: 'n', phase: 'Pending' })], 'b'],
    ['not ready before ready', [pod('a', { node: 'n' }), pod('b', { node: 'n', ready: false })], 'b'],
    ['more colocated first', [pod('a', { node: 'n1' }), pod('b', { node: 'n2' }), pod('c', { node: 'n2' })], 'b'],
    ['lower deletion cost first', [pod('a', { node: 'n', cost: 10 }), pod('b', { node: 'n', cost: -5 })], 'b'],
    ['ready for less time first', [pod('a', { node: 'n', since: '2026-01-01T00:00:00Z' }), pod('b', { node: 'n', since: '2026-01-02T00:00:00Z' })], 'b'],
    ['more restarts first', [pod('a', { node: 'n' }), pod('b', { node: 'n', restarts: 4 })], 'b'],
    ['newer first', [pod('a', { node: 'n', created: '2026-01-01T00:00:00Z' }), pod('b', { node: 'n', created: '2026-01-03T00:00:00Z' })], 'b'],
  ])('%s', (_name, pods, first) => expect(podsToDelete(pods, 1).map((p) => p.metadata.name)).toEqual([first]));
});

describe('slowStartBatches', () => {
  it.each([
    [0, []],
    [1, [1]],
    [3, [1, 2]],
    [10, [1, 2, 4, 3]],
    [500, [1, 2, 4, 8, 16, 32, 64, 128, 245]],
  ])('%d → %j', (n, batches) => expect(slowStartBatches(n)).toEqual(batches));
});

describe('isPodAvailable', () => {
  it.each([
    [0, '2026-01-01T00:00:00Z', true],
    [30, '2026-01-01T00:00:00Z', true],
    [30, '2026-01-01T00:00:45Z', false],
  ])('minReadySeconds %d, ready since %s → %s', (min, since, available) => {
    expect(isPodAvailable(pod('p', { since }), min, Date.parse('2026-01-01T00:01:00Z'))).toBe(available);
  });
});
