import { describe, expect, it } from 'vitest';
import type { Pod } from '../../../pkg/api/core/v1/pod.ts';
import type { PodCondition } from '../../../pkg/api/core/v1/pod-status.ts';
import { disruptionTargetConditions, notReadyConditions } from './pod-conditions.ts';

const NOW = '2025-01-01T00:01:00Z';
const THEN = '2025-01-01T00:00:00Z';
const pod = (conditions?: PodCondition[]): Pod => ({ metadata: { name: 'p', namespace: 'default' }, status: conditions ? { conditions } : {} });
const scheduled: PodCondition = { type: 'PodScheduled', status: 'True', lastTransitionTime: THEN };

describe('notReadyConditions (MarkPodsNotReady)', () => {
  it.each([
    ['Ready True → False, transition now', [scheduled, { type: 'Ready', status: 'True', lastTransitionTime: THEN }], [scheduled, { type: 'Ready', status: 'False', lastTransitionTime: NOW }]],
    ['reason and message kept', [{ type: 'Ready', status: 'True', reason: 'r', message: 'm', lastTransitionTime: THEN }], [{ type: 'Ready', status: 'False', reason: 'r', message: 'm', lastTransitionTime: NOW }]],
    ['already False: no change', [{ type: 'Ready', status: 'False', lastTransitionTime: THEN }], undefined],
    ['no Ready condition: left alone', [scheduled], undefined],
    ['no status: left alone', undefined, undefined],
  ] as const)('%s', (_name, conditions, want) => expect(notReadyConditions(pod(conditions && ([...conditions] as PodCondition[])), NOW)).toEqual(want));
});

describe('disruptionTargetConditions', () => {
  const target = { type: 'DisruptionTarget', status: 'True', reason: 'DeletionByTaintManager', message: 'Taint manager: deleting due to NoExecute taint' };
  it.each([
    ['added', [scheduled], [scheduled, { ...target, lastTransitionTime: NOW }]],
    ['already there: no change', [{ ...target, lastTransitionTime: THEN }], undefined],
    ['False → True', [{ ...target, status: 'False', lastTransitionTime: THEN }], [{ ...target, lastTransitionTime: NOW }]],
  ] as const)('%s', (_name, conditions, want) => expect(disruptionTargetConditions(pod([...conditions] as PodCondition[]), NOW)).toEqual(want));
});
