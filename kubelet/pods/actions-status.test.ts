import { describe, expect, it } from 'vitest';
import { ctr, noBackoff, pod, runtime, T0 } from '../testing/runtime-fixtures.ts';
import { computePodActions } from './actions.ts';
import { containerHash } from './container-config.ts';
import { generatePodStatus } from './status.ts';


describe('computePodActions', () => {
  it('no sandbox: create one (attempt 0) and start the first init container only', () => {
    const a = computePodActions(pod({ initContainers: [{ name: 'init1', image: 'busybox' }, { name: 'init2', image: 'busybox' }] }), undefined, noBackoff);
    expect(a.createSandbox).toEqual({ attempt: 0 });
    expect(a.killPod).toBe(false);
    expect(a.start.map((s) => s.container.name)).toEqual(['init1']);
  });

  it('dead sandbox: kill the pod and recreate with attempt + 1', () => {
    const a = computePodActions(pod(), runtime([ctr('app', 'running')], 'notready'), noBackoff);
    expect(a).toMatchObject({ killPod: true, createSandbox: { attempt: 1 } });
  });

  it('init containers run one after another, then the app containers', () => {
    const p = pod({ initContainers: [{ name: 'init1', image: 'busybox' }, { name: 'init2', image: 'busybox' }] });
    expect(computePodActions(p, runtime([ctr('init1', 'running')]), noBackoff).start).toEqual([]);
    expect(computePodActions(p, runtime([ctr('init1', 'exited')]), noBackoff).start.map((s) => s.container.name)).toEqual(['init2']);
    expect(computePodActions(p, runtime([ctr('init1', 'exited'), ctr('init2', 'exited')]), noBackoff).start.map((s) => s.container.name)).toEqual(['app']);
  });

  it.each([
    ['Always', 0, true],
    ['Always', 1, true],
    ['OnFailure', 0, false],
    ['OnFailure', 2, true],
    ['Never', 1, false],
  ])('restartPolicy %s, exit %d → restart %s', (restartPolicy, exitCode, restart) => {
    const a = computePodActions(pod({ restartPolicy }), runtime([ctr('app', 'exited', { exitCode })]), noBackoff);
    expect(a.start.map((s) => s.restartCount)).toEqual(restart ? [1] : []);
  });

  it('a container in back-off is held with the CrashLoopBackOff message', () => {
    const a = computePodActions(pod(), runtime([ctr('app', 'exited', { exitCode: 1, attempt: 2 })]), () => 40_000);
    expect(a.start).toEqual([]);
    expect(a.crashLoop.get('app')).toBe('back-off 40s restarting failed container=app pod=p_ns(u1)');
  });

  it('a running container with a changed spec hash is replaced; unknown running containers are killed', () => {
    const a = computePodActions(pod(), runtime([ctr('app', 'running', { hash: 'old' }), ctr('stray', 'running')]), noBackoff);
    expect(a.kill.map((k) => k.container.name)).toEqual(['app', 'stray']);
    expect(a.start.map((s) => [s.container.name, s.restartCount])).toEqual([['app', 1]]);
    const same = computePodActions(pod(), runtime([ctr('app', 'running', { hash: containerHash({ name: 'app', image: 'busybox' }) })]), noBackoff);
    expect(same.kill).toEqual([]);
    expect(same.start).toEqual([]);
  });

  it('a terminating pod is killed and nothing starts', () => {
    const a = computePodActions(pod({}, { deletionTimestamp: '2026-01-01T00:00:00Z' }), runtime([ctr('app', 'running')]), noBackoff);
    expect(a).toMatchObject({ killPod: true, createSandbox: null, start: [] });
  });
});

describe('generatePodStatus', () => {
  const input = { now: '2026-01-01T00:01:00Z', hostIP: '192.168.0.2', waiting: new Map() };

  it('running container → Running, Ready, pod IP, containerID', () => {
    const s = generatePodStatus(pod(), runtime([ctr('app', 'running')]), input);
    expect(s).toMatchObject({ phase: 'Running', podIP: '10.244.0.5', hostIP: '192.168.0.2' });
    expect(s.containerStatuses?.[0]).toMatchObject({ name: 'app', ready: true, started: true, restartCount: 0, containerID: 'containerd://app-0', state: { running: { startedAt: '2026-01-01T00:00:00Z' } } });
    expect(s.conditions?.map((c) => `${c.type}=${c.status}`)).toEqual(['PodReadyToStartContainers=True', 'Initialized=True', 'Ready=True', 'ContainersReady=True', 'PodScheduled=True']);
  });

  it('no container yet → Pending with ContainerCreating; image pull errors show as waiting reasons', () => {
    expect(generatePodStatus(pod(), runtime([]), input).containerStatuses?.[0].state).toEqual({ waiting: { reason: 'ContainerCreating' } });
    const s = generatePodStatus(pod(), runtime([]), { ...input, waiting: new Map([['app', { reason: 'ErrImagePull', message: 'failed to pull' }]]) });
    expect(s.phase).toBe('Pending');
    expect(s.containerStatuses?.[0].state).toEqual({ waiting: { reason: 'ErrImagePull', message: 'failed to pull' } });
    expect(s.conditions?.find((c) => c.type === 'Ready')).toMatchObject({ status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [app]' });
  });

  it('a terminated container the runtime no longer holds keeps its last status: a completed pod stays Completed', () => {
    const done = generatePodStatus(pod({ restartPolicy: 'Never' }), runtime([ctr('app', 'exited', { exitCode: 0 })]), input);
    expect(done.phase).toBe('Succeeded');
    const completed = pod({ restartPolicy: 'Never' });
    completed.status = done;
    // The runtime lost the container (collected, or the node's runtime state went with `k8ts down`).
    const again = generatePodStatus(completed, undefined, input);
    expect(again.phase).toBe('Succeeded');
    expect(again.containerStatuses?.[0]).toEqual(done.containerStatuses?.[0]);
    expect(again.containerStatuses?.[0].state?.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
  });

  it('crash loop: waiting CrashLoopBackOff with the last termination, phase Running', () => {
    const s = generatePodStatus(pod(), runtime([ctr('app', 'exited', { exitCode: 1, attempt: 3 })]), { ...input, waiting: new Map([['app', { reason: 'CrashLoopBackOff', message: 'back-off 40s …' }]]) });
    expect(s.phase).toBe('Running');
    expect(s.containerStatuses?.[0]).toMatchObject({ restartCount: 3, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1, reason: 'Error' } } });
  });

  it.each([
    ['Never', 0, 'Succeeded'],
    ['Never', 1, 'Failed'],
    ['OnFailure', 0, 'Succeeded'],
  ])('restartPolicy %s, all exited %d → %s', (restartPolicy, exitCode, phase) => {
    const s = generatePodStatus(pod({ restartPolicy }), runtime([ctr('app', 'exited', { exitCode })]), input);
    expect(s.phase).toBe(phase);
    expect(s.containerStatuses?.[0].state?.terminated).toMatchObject({ exitCode, reason: exitCode === 0 ? 'Completed' : 'Error' });
    expect(s.conditions?.find((c) => c.type === 'Ready')).toMatchObject({ status: 'False', reason: 'PodCompleted' });
  });

  it('keeps transition times of unchanged conditions', () => {
    const first = generatePodStatus(pod(), runtime([ctr('app', 'running')]), input);
    const second = generatePodStatus({ ...pod(), status: first }, runtime([ctr('app', 'running')]), { ...input, now: '2026-01-01T00:05:00Z' });
    expect(second.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime).toBe('2026-01-01T00:01:00Z');
    expect(second.startTime).toBe(first.startTime);
  });
});
