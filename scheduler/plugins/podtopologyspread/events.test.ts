import { describe, expect, it } from 'vitest';
import { deepFreeze } from '../../../pkg/informer/index.ts';
import type { NodeObject, PodObject } from '../../framework/index.ts';
import { DO_NOT_SCHEDULE, filterTopologySpreadConstraints, type TopologySpreadConstraintLike } from './common.ts';
import { isSchedulableAfterNodeChange, isSchedulableAfterPodChange } from './events.ts';
import { onWeb, spreadPod } from './test-objects.ts';

const hard = (pod: PodObject) => filterTopologySpreadConstraints((pod.spec?.topologySpreadConstraints ?? []) as TopologySpreadConstraintLike[], pod.metadata?.labels, DO_NOT_SCHEDULE);
const pending = spreadPod({ name: 'pending', labels: { app: 'web' }, constraints: [onWeb('zone')] });
const pendingHonor = spreadPod({ name: 'pending', labels: { app: 'web' }, constraints: [onWeb('zone', 1, { nodeTaintsPolicy: 'Honor' })] });
const assigned = (labels: Record<string, string>, namespace = 'default') => spreadPod({ name: 'other', labels, nodeName: 'n1', namespace });

describe('isSchedulableAfterPodChange', () => {
  it.each([
    { name: 'matching assigned pod added', pod: pending, old: undefined, new: assigned({ app: 'web' }), want: 'Queue' },
    { name: 'non-matching assigned pod added', pod: pending, old: undefined, new: assigned({ app: 'db' }), want: 'QueueSkip' },
    { name: 'unscheduled pod added', pod: pending, old: undefined, new: spreadPod({ name: 'x', labels: { app: 'web' } }), want: 'QueueSkip' },
    { name: 'pod of another namespace added', pod: pending, old: undefined, new: assigned({ app: 'web' }, 'other'), want: 'QueueSkip' },
    { name: 'matching assigned pod deleted', pod: pending, old: assigned({ app: 'web' }), new: undefined, want: 'Queue' },
    { name: 'label change flips the match', pod: pending, old: assigned({ app: 'web' }), new: assigned({ app: 'db' }), want: 'Queue' },
    { name: 'label change keeps the match', pod: pending, old: assigned({ app: 'web', a: '1' }), new: assigned({ app: 'web', a: '2' }), want: 'QueueSkip' },
    { name: 'no label change', pod: pending, old: assigned({ app: 'web' }), new: assigned({ app: 'web' }), want: 'QueueSkip' },
    {
      name: 'own new toleration with nodeTaintsPolicy Honor',
      pod: pendingHonor,
      old: pendingHonor,
      new: spreadPod({ name: 'pending', labels: { app: 'web' }, constraints: [onWeb('zone', 1, { nodeTaintsPolicy: 'Honor' })], tolerations: [{ key: 'k', operator: 'Exists' }] }),
      want: 'Queue',
    },
    {
      name: 'own new toleration without Honor',
      pod: pending,
      old: pending,
      new: spreadPod({ name: 'pending', labels: { app: 'web' }, constraints: [onWeb('zone')], tolerations: [{ key: 'k', operator: 'Exists' }] }),
      want: 'QueueSkip',
    },
  ])('$name → $want', ({ pod, old, new: next, want }) => {
    expect(isSchedulableAfterPodChange(pod, old, next, hard)).toBe(want);
  });
});

describe('isSchedulableAfterNodeChange', () => {
  const node = (labels: Record<string, string>, taints?: { key: string; effect: string }[]) => deepFreeze({ metadata: { name: 'n', labels }, spec: { taints } }) as NodeObject;
  it.each([
    { name: 'added with the key', old: undefined, new: node({ zone: 'a' }), want: 'Queue' },
    { name: 'added without the key', old: undefined, new: node({}), want: 'QueueSkip' },
    { name: 'deleted with the key', old: node({ zone: 'a' }), new: undefined, want: 'Queue' },
    { name: 'deleted without the key', old: node({}), new: undefined, want: 'QueueSkip' },
    { name: 'key label added', old: node({}), new: node({ zone: 'a' }), want: 'Queue' },
    { name: 'key value changed', old: node({ zone: 'a' }), new: node({ zone: 'b' }), want: 'Queue' },
    { name: 'other label changed', old: node({ zone: 'a', x: '1' }), new: node({ zone: 'a', x: '2' }), want: 'QueueSkip' },
    { name: 'taints changed on a matching node', old: node({ zone: 'a' }), new: node({ zone: 'a' }, [{ key: 'k', effect: 'NoSchedule' }]), want: 'Queue' },
    { name: 'taints changed on a node without the key', old: node({}), new: node({}, [{ key: 'k', effect: 'NoSchedule' }]), want: 'QueueSkip' },
  ])('$name → $want', ({ old, new: next, want }) => {
    expect(isSchedulableAfterNodeChange(pending, old, next, hard)).toBe(want);
  });
});
