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

describe('generatePodStatus of a container the runtime lost while it ran (k8ts down/up, a reboot)', () => {
  const running = {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: 'p', namespace: 'ns', uid: 'u1' },
    spec: { containers: [{ name: 'app', image: 'busybox' }] },
    status: { phase: 'Running', containerStatuses: [{ name: 'app', image: 'busybox', imageID: 'x', ready: true, restartCount: 2, started: true, state: { running: { startedAt: '2026-01-01T00:00:10Z' } } }] },
  } as Pod;
  const lost = { terminated: { exitCode: 137, reason: 'ContainerStatusUnknown', message: 'The container could not be located when the pod was deleted.  The container used to be Running' } };

  it('reports it terminated with an unknown status and counts a restart, as upstream', () => {
    const s = generatePodStatus(running, { uid: 'u1', name: 'p', namespace: 'ns', sandboxes: [], containers: [] }, input);
    expect(s.containerStatuses?.[0]).toMatchObject({ restartCount: 3, ready: false, state: { waiting: { reason: 'ContainerCreating' } }, lastState: lost });
  });

  it('fails a `Never` pod, its container terminated with an unknown status, its restart counted for good', () => {
    const never = { ...running, spec: { ...running.spec, restartPolicy: 'Never' } } as Pod;
    const first = generatePodStatus(never, undefined, input);
    expect(first.phase).toBe('Failed');
    const terminated = { terminated: { exitCode: 137, reason: 'ContainerStatusUnknown', message: 'The container could not be located when the pod was terminated' } };
    expect(first.containerStatuses?.[0]).toMatchObject({ restartCount: 3, state: terminated, lastState: lost });
    // Generated again from what was written: unchanged.
    expect(generatePodStatus({ ...never, status: first }, undefined, input).containerStatuses).toEqual(first.containerStatuses);
  });

  it('counts no restart for a pod being deleted', () => {
    const deleting = { ...running, metadata: { ...running.metadata, deletionTimestamp: '2026-01-01T00:01:00Z' } } as Pod;
    expect(generatePodStatus(deleting, undefined, input).containerStatuses?.[0]).toMatchObject({ restartCount: 2, lastState: lost });
  });

  it('keeps that last state once the container runs again (the runtime has no earlier attempt)', () => {
    const restarted = { ...running, status: { ...running.status, containerStatuses: [{ ...running.status!.containerStatuses![0], restartCount: 3, ready: false, state: { waiting: { reason: 'ContainerCreating' } }, lastState: lost }] } } as Pod;
    const again: RuntimePod = {
      uid: 'u1', name: 'p', namespace: 'ns',
      sandboxes: [{ id: 's2', state: 'ready', attempt: 0, ip: '10.244.0.9', createdAtMs: T0 }],
      containers: [{ id: 'c2', sandboxId: 's2', name: 'app', state: 'running', attempt: 0, hash: '', restartCount: 3, image: 'busybox', imageRef: 'sha256:abc', createdAtMs: T0, startedAtMs: T0, finishedAtMs: 0, exitCode: 0, reason: '', message: '' }],
    };
    expect(generatePodStatus(restarted, again, input).containerStatuses?.[0]).toMatchObject({ restartCount: 3, state: { running: {} }, lastState: lost });
  });
});

describe('generatePodStatus of a pod terminated by its deletion (upstream podIsTerminal, TerminatePod)', () => {
  const deleted = (restartPolicy: string) =>
    ({
      apiVersion: 'v1', kind: 'Pod',
      metadata: { name: 'p', namespace: 'ns', uid: 'u1', deletionTimestamp: '2026-01-01T00:00:50Z' },
      spec: { restartPolicy, containers: [{ name: 'app', image: 'busybox' }] },
      status: { phase: 'Running' },
    }) as Pod;
  const exited = (exitCode: number): RuntimePod => ({ ...stopped, containers: [{ ...stopped.containers[0], exitCode, reason: exitCode === 0 ? 'Completed' : 'Error' }] });

  it.each([
    ['Always', 0, 'Succeeded'],
    ['Always', 137, 'Failed'],
    ['OnFailure', 1, 'Failed'],
    ['Never', 0, 'Succeeded'],
  ])('restartPolicy %s, exit code %i: %s whatever the policy', (policy, exitCode, phase) => {
    const s = generatePodStatus(deleted(policy), exited(exitCode), { ...input, terminal: true });
    expect(s.phase).toBe(phase);
    expect(s.containerStatuses?.[0].state?.terminated?.exitCode).toBe(exitCode);
    expect(s.conditions?.find((c) => c.type === 'Ready')).toMatchObject({ status: 'False', reason: 'PodCompleted' });
  });

  it('without the terminal mark an Always pod whose container exited is still Running (it restarts)', () => {
    expect(generatePodStatus(deleted('Always'), exited(0), input).phase).toBe('Running');
  });

  it("fails a pod whose container never ran, that container terminated with upstream's unknown status", () => {
    const pulling = { ...input, terminal: true, waiting: new Map([['app', { reason: 'ImagePullBackOff', message: 'Back-off pulling image "busybox"' }]]) };
    const s = generatePodStatus(deleted('Always'), { ...stopped, containers: [] }, pulling);
    expect(s.phase).toBe('Failed');
    expect(s.containerStatuses?.[0]).toMatchObject({ ready: false, state: { terminated: { exitCode: 137, reason: 'ContainerStatusUnknown', message: 'The container could not be located when the pod was terminated' } } });
  });
});
