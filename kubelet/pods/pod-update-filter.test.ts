import { describe, expect, it } from 'vitest';
import type { Pod } from '../../pkg/api/core/v1/pod.ts';
import { podUpdateNeedsSync } from './pod-update-filter.ts';

const base: Pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace: 'default', uid: 'u', resourceVersion: '1', labels: { app: 'a' }, annotations: { note: 'x' } },
  spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'busybox' }] },
  status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
};
const withChange = (change: (p: Pod) => void): Pod => {
  const next = structuredClone(base);
  next.metadata.resourceVersion = '2';
  change(next);
  return next;
};

describe('podUpdateNeedsSync', () => {
  it.each<[string, (p: Pod) => void, boolean]>([
    ['the kubelet\'s own status write (status and resourceVersion only)', (p) => { p.status = { ...p.status, podIP: '10.0.0.1' }; }, false],
    ['managed fields only', (p) => { p.metadata.managedFields = [{ manager: 'kubelet', operation: 'Update' }]; }, false],
    ['a spec change (an ephemeral container)', (p) => { p.spec!.ephemeralContainers = [{ name: 'dbg', image: 'busybox' }]; }, true],
    ['a label change (downward API)', (p) => { p.metadata.labels = { app: 'b' }; }, true],
    ['an annotation change', (p) => { p.metadata.annotations = { note: 'y' }; }, true],
    ['the deletion timestamp', (p) => { p.metadata.deletionTimestamp = '2026-12-07T10:00:00Z'; p.metadata.deletionGracePeriodSeconds = 30; }, true],
    ['a shorter grace period on a second delete', (p) => { p.metadata.deletionGracePeriodSeconds = 0; }, true],
    ['an empty map in place of none (semantically equal)', (p) => { p.spec!.nodeSelector = {}; }, false],
  ])('%s → %s', (_name, change, want) => {
    expect(podUpdateNeedsSync(base, withChange(change))).toBe(want);
  });

  it('a condition written by another controller syncs a pod with readiness gates, and only such a pod', () => {
    const gated = structuredClone(base);
    gated.spec!.readinessGates = [{ conditionType: 'example.com/ready' }];
    const addGate = (p: Pod) => { p.status!.conditions = [...(p.status!.conditions ?? []), { type: 'example.com/ready', status: 'True' }]; };
    const after = structuredClone(gated);
    addGate(after);
    expect(podUpdateNeedsSync(gated, after)).toBe(true);
    expect(podUpdateNeedsSync(base, withChange(addGate))).toBe(false);
  });
});
