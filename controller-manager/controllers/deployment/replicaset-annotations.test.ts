import { describe, expect, it } from 'vitest';
import type { Deployment } from '../../../pkg/api/apps/v1/deployment.ts';
import { MAX_REVISION_HISTORY_CHARS, newReplicaSetAnnotations } from './replicaset-annotations.ts';

const deployment = (annotations: Record<string, string>) => ({ metadata: { name: 'web', annotations } }) as Deployment;
const sizes = { replicas: 3, maxSurge: 1 };

describe('newReplicaSetAnnotations', () => {
  it('copies the Deployment\'s annotations but last-applied and the rollout bookkeeping, and sizes a new ReplicaSet', () => {
    const d = deployment({ 'kubernetes.io/change-cause': 'image updated', 'kubectl.kubernetes.io/last-applied-configuration': '{}', 'deployment.kubernetes.io/revision': '7', team: 'web' });
    expect(newReplicaSetAnnotations(d, undefined, '2', sizes)).toEqual({
      changed: true,
      annotations: { 'kubernetes.io/change-cause': 'image updated', team: 'web', 'deployment.kubernetes.io/revision': '2', 'deployment.kubernetes.io/desired-replicas': '3', 'deployment.kubernetes.io/max-replicas': '4' },
    });
  });

  it('changes nothing on a ReplicaSet that already has them, and never resizes an existing one', () => {
    const current = { 'kubernetes.io/change-cause': 'x', 'deployment.kubernetes.io/revision': '2', 'deployment.kubernetes.io/desired-replicas': '1' };
    expect(newReplicaSetAnnotations(deployment({ 'kubernetes.io/change-cause': 'x' }), current, '2', sizes)).toEqual({ changed: false, annotations: current });
    // A revision above the computed one (old ReplicaSets deleted since) stays.
    expect(newReplicaSetAnnotations(deployment({}), current, '1', sizes).changed).toBe(false);
  });

  it('raises a rollback target\'s revision and keeps the one it replaces in the history', () => {
    const first = newReplicaSetAnnotations(deployment({}), { 'deployment.kubernetes.io/revision': '1' }, '3', sizes).annotations;
    expect(first).toMatchObject({ 'deployment.kubernetes.io/revision': '3', 'deployment.kubernetes.io/revision-history': '1' });
    expect(newReplicaSetAnnotations(deployment({}), first, '5', sizes).annotations).toMatchObject({ 'deployment.kubernetes.io/revision': '5', 'deployment.kubernetes.io/revision-history': '1,3' });
  });

  it('drops the oldest revisions once the history would pass 2,000 characters', () => {
    const long = Array.from({ length: 400 }, (_, i) => String(1000 + i)).join(','); // 1,999 characters
    const next = newReplicaSetAnnotations(deployment({}), { 'deployment.kubernetes.io/revision': '5000', 'deployment.kubernetes.io/revision-history': long }, '5001', sizes).annotations;
    const history = next['deployment.kubernetes.io/revision-history']!;
    expect(history.length).toBeLessThanOrEqual(MAX_REVISION_HISTORY_CHARS);
    expect(history.endsWith(',1399,5000')).toBe(true);
    expect(history.startsWith('1001,')).toBe(true);
  });
});
