import { describe, expect, it } from 'vitest';
import type { Pod } from '../../pkg/api/core/v1/pod.ts';
import type { RuntimeContainer, RuntimePod } from '../runtime/types.ts';
import { computePodActions } from './actions.ts';
import { containerConfig } from './container-config.ts';
import { ephemeralTarget } from './ephemeral.ts';
import { generatePodStatus } from './status.ts';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const debug = { name: 'dbg', image: 'busybox', targetContainerName: 'app', stdin: true, tty: true };

function pod(spec: Record<string, unknown> = {}): Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'ns', uid: 'u1' }, spec: { containers: [{ name: 'app', image: 'busybox' }], ephemeralContainers: [debug], ...spec } } as Pod;
}

function ctr(name: string, state: RuntimeContainer['state'], extra: Partial<RuntimeContainer> = {}): RuntimeContainer {
  return { id: `${name}-id`, sandboxId: 's1', name, state, attempt: 0, hash: '', restartCount: 0, image: 'busybox', imageRef: 'sha256:abc', createdAtMs: T0, startedAtMs: T0, finishedAtMs: state === 'exited' ? T0 + 1000 : 0, exitCode: 0, reason: '', message: '', ...extra };
}

function runtime(containers: RuntimeContainer[], sandboxState: 'ready' | 'notready' = 'ready'): RuntimePod {
  return { uid: 'u1', name: 'p', namespace: 'ns', sandboxes: [{ id: 's1', state: sandboxState, attempt: 0, ip: '10.244.0.5', createdAtMs: T0 }], containers };
}

const noBackoff = () => 0;
const starts = (p: Pod, rt: RuntimePod | undefined) => computePodActions(p, rt, noBackoff).start.map((s) => `${s.container.name}${s.ephemeral ? `(ephemeral→${s.ephemeral.targetContainerName ?? ''})` : ''}`);

describe('ephemeral containers in computePodActions', () => {
  it.each<[string, Pod, RuntimePod | undefined, string[]]>([
    ['started in the running pod\'s sandbox', pod(), runtime([ctr('app', 'running')]), ['dbg(ephemeral→app)']],
    ['not with a new sandbox (only its regular containers)', pod(), undefined, ['app']],
    ['not again while it runs', pod(), runtime([ctr('app', 'running'), ctr('dbg', 'running')]), []],
    ['never restarted once it exited, whatever the exit code', pod(), runtime([ctr('app', 'running'), ctr('dbg', 'exited', { exitCode: 1 })]), []],
    ['not restarted when it ran in an older sandbox', pod(), runtime([ctr('app', 'running'), ctr('dbg', 'exited', { sandboxId: 's0' })]), []],
    ['started even while init containers run, before them', pod({ initContainers: [{ name: 'init', image: 'busybox' }] }), runtime([]), ['dbg(ephemeral→app)', 'init']],
    ['not in a pod that finished', pod({ restartPolicy: 'Never' }), runtime([ctr('app', 'exited')]), []],
  ])('%s', (_name, p, rt, expected) => {
    expect(starts(p, rt)).toEqual(expected);
  });

  it('a running ephemeral container is not killed as "not in the pod spec"', () => {
    expect(computePodActions(pod(), runtime([ctr('app', 'running'), ctr('dbg', 'running')]), noBackoff).kill).toEqual([]);
    expect(computePodActions(pod({ ephemeralContainers: [] }), runtime([ctr('app', 'running'), ctr('dbg', 'running')]), noBackoff).kill.map((k) => k.reason)).toEqual(['Container is not in the pod spec']);
  });
});

describe('ephemeral container target and namespaces', () => {
  it('the target must be running in the sandbox', () => {
    expect(ephemeralTarget(debug, runtime([ctr('app', 'running')]), 's1')).toEqual({ id: 'app-id' });
    expect(ephemeralTarget(debug, runtime([ctr('app', 'exited')]), 's1')).toEqual({ error: 'unable to find target container app' });
    expect(ephemeralTarget(debug, runtime([ctr('app', 'running', { sandboxId: 's0' })]), 's1')).toEqual({ error: 'unable to find target container app' });
    expect(ephemeralTarget({ name: 'dbg', image: 'busybox' }, undefined, 's1')).toEqual({});
  });

  it.each<[string, Record<string, unknown>, string | undefined, Record<string, unknown>]>([
    ['a target joins its PID namespace', {}, 'app-id', { network: 'POD', pid: 'TARGET', ipc: 'POD', targetId: 'app-id' }],
    ['no target: its own', {}, undefined, { network: 'POD', pid: 'CONTAINER', ipc: 'POD' }],
    ['a pod sharing its process namespace keeps POD', { shareProcessNamespace: true }, 'app-id', { network: 'POD', pid: 'POD', ipc: 'POD' }],
    ['host PID keeps NODE', { hostPID: true }, 'app-id', { network: 'POD', pid: 'NODE', ipc: 'POD' }],
  ])('%s', (_name, spec, targetId, expected) => {
    const config = containerConfig(pod(spec), { name: 'dbg', image: 'busybox', stdin: true, tty: true }, { restartCount: 0, env: [], mounts: [], image: 'busybox', rootDir: '/var/lib/kubelet', targetId });
    expect(config.linux?.securityContext?.namespaceOptions).toEqual(expected);
    expect(config).toMatchObject({ logPath: 'dbg/0.log', stdin: true, tty: true, labels: { 'io.kubernetes.container.name': 'dbg' } });
  });
});

describe('ephemeralContainerStatuses', () => {
  const status = (p: Pod, rt: RuntimePod | undefined, waiting = new Map()) => generatePodStatus(p, rt, { now: '2026-01-01T00:00:10Z', hostIP: '10.0.0.1', waiting });

  it('waiting, running, then terminated; never ready, never counted for the pod', () => {
    expect(status(pod(), runtime([ctr('app', 'running')])).ephemeralContainerStatuses).toEqual([{ name: 'dbg', image: 'busybox', imageID: '', ready: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } }]);
    const running = status(pod(), runtime([ctr('app', 'running'), ctr('dbg', 'running')]));
    expect(running.ephemeralContainerStatuses).toEqual([{ name: 'dbg', image: 'busybox', imageID: 'sha256:abc', containerID: 'containerd://dbg-id', ready: false, restartCount: 0, state: { running: { startedAt: '2026-01-01T00:00:00Z' } } }]);
    expect(running.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
    expect(running.phase).toBe('Running');
    const done = status(pod(), runtime([ctr('app', 'running'), ctr('dbg', 'exited', { exitCode: 0 })]));
    expect(done.ephemeralContainerStatuses?.[0]?.state).toEqual({ terminated: { exitCode: 0, reason: 'Completed', startedAt: '2026-01-01T00:00:00Z', finishedAt: '2026-01-01T00:00:01Z', containerID: 'containerd://dbg-id' } });
    expect(status(pod(), runtime([ctr('app', 'running'), ctr('dbg', 'exited', { exitCode: 2 })])).ephemeralContainerStatuses?.[0]?.state?.terminated).toMatchObject({ exitCode: 2, reason: 'Error' });
    expect(done.phase).toBe('Running');
    expect(done.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
  });

  it('a waiting reason of the sync; PodInitializing in a pod with init containers; absent without ephemeral containers', () => {
    const waiting = new Map([['dbg', { reason: 'CreateContainerConfigError', message: 'unable to find target container app' }]]);
    expect(status(pod(), runtime([ctr('app', 'running')]), waiting).ephemeralContainerStatuses?.[0]?.state).toEqual({ waiting: { reason: 'CreateContainerConfigError', message: 'unable to find target container app' } });
    expect(status(pod({ initContainers: [{ name: 'init', image: 'busybox' }] }), runtime([])).ephemeralContainerStatuses?.[0]?.state).toEqual({ waiting: { reason: 'PodInitializing' } });
    expect(status(pod({ ephemeralContainers: undefined }), runtime([ctr('app', 'running')]))).not.toHaveProperty('ephemeralContainerStatuses');
  });
});
