import { describe, expect, it } from 'vitest';
import type { Pod } from '../../pkg/api/core/v1/pod.ts';
import type { RuntimePod } from '../runtime/types.ts';
import { generatePodStatus } from './status.ts';
import { isTerminalPodPhase } from '../../pkg/api/core/v1/pod-status.ts';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const input = { now: '2026-01-01T00:01:00Z', hostIP: '10.0.0.1', waiting: new Map() };
const stopped: RuntimePod = {
  uid: 'u1', name: 'p', namespace: 'ns',
  sandboxes: [{ id: 's1', state: 'notready', attempt: 0, ip: '', createdAtMs: T0 }],
  containers: [{ id: 'c1', sandboxId: 's1', name: 'app', state: 'exited', attempt: 0, hash: '', restartCount: 0, image: 'busybox', imageRef: 'sha256:abc', createdAtMs: T0, startedAtMs: T0, finishedAtMs: T0 + 1000, exitCode: 137, reason: 'Error', message: '' }],
};

describe('generatePodStatus of an evicted pod', () => {
  const evicted = {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: 'p', namespace: 'ns', uid: 'u1' },
    spec: { containers: [{ name: 'app', image: 'busybox' }] },
    status: {
      phase: 'Failed', reason: 'Evicted', message: 'The node was low on resource: memory. ', podIP: '10.244.0.5',
      conditions: [{ type: 'DisruptionTarget', status: 'True', reason: 'TerminationByKubelet', message: 'The node was low on resource: memory. ', lastTransitionTime: '2026-01-01T00:00:30Z' }],
    },
  } as Pod;

  it('keeps the final phase, reason, message and the DisruptionTarget condition others own', () => {
    const s = generatePodStatus(evicted, stopped, input);
    expect(s).toMatchObject({ phase: 'Failed', reason: 'Evicted', message: 'The node was low on resource: memory. ', podIP: '10.244.0.5' });
    expect(s.conditions?.find((c) => c.type === 'DisruptionTarget')).toEqual(evicted.status!.conditions![0]);
    expect(s.conditions?.find((c) => c.type === 'Ready')).toMatchObject({ status: 'False', reason: 'PodCompleted' });
    expect(s.containerStatuses?.[0].state?.terminated).toMatchObject({ exitCode: 137 });
  });

  it.each([
    ['Failed', true],
    ['Succeeded', true],
    ['Running', false],
    ['Pending', false],
    [undefined, false],
  ])('isTerminalPodPhase(%s) is %s', (phase, want) => {
    expect(isTerminalPodPhase(phase)).toBe(want);
  });
});
