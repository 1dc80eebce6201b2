/** Sidecar containers (init containers with restartPolicy Always): the sync's decisions and the status it reports. */
import { describe, expect, it } from 'vitest';
import { ctr, noBackoff, pod, runtime } from '../testing/runtime-fixtures.ts';
import { computePodActions } from './actions.ts';
import { generatePodStatus } from './status.ts';

const sidecar = (name: string, extra: Record<string, unknown> = {}) => ({ name, image: 'busybox', restartPolicy: 'Always', ...extra });

const names = (a: { start: Array<{ container: { name?: string } }> }) => a.start.map((s) => s.container.name);

describe('sidecar actions (upstream computeInitContainerActions)', () => {
  const p = pod({ initContainers: [sidecar('proxy'), { name: 'migrate', image: 'busybox' }] });

  it('starts a sidecar in its turn and the next init container once it runs; then the app containers', () => {
    expect(names(computePodActions(p, runtime([]), noBackoff))).toEqual(['proxy']);
    expect(names(computePodActions(p, runtime([ctr('proxy', 'running')]), noBackoff))).toEqual(['migrate']);
    expect(names(computePodActions(p, runtime([ctr('proxy', 'running'), ctr('migrate', 'running')]), noBackoff))).toEqual([]);
    expect(names(computePodActions(p, runtime([ctr('proxy', 'running'), ctr('migrate', 'exited')]), noBackoff))).toEqual(['app']);
  });

  it('holds the next init container until a sidecar passes its startup probe', () => {
    const probed = pod({ initContainers: [sidecar('proxy', { startupProbe: { exec: { command: ['true'] } } }), { name: 'migrate', image: 'busybox' }] });
    expect(names(computePodActions(probed, runtime([ctr('proxy', 'running')]), noBackoff, () => false))).toEqual([]);
    expect(names(computePodActions(probed, runtime([ctr('proxy', 'running')]), noBackoff, () => true))).toEqual(['migrate']);
  });

  it('restarts a stopped sidecar whatever the pod restartPolicy, after its back-off, also once the app runs', () => {
    const never = pod({ restartPolicy: 'Never', initContainers: [sidecar('proxy')] });
    const running = [ctr('proxy', 'exited', { exitCode: 0, attempt: 1 }), ctr('app', 'running')];
    const a = computePodActions(never, runtime(running), noBackoff);
    expect(a.start.map((s) => [s.container.name, s.init, s.restartCount])).toEqual([['proxy', true, 2]]);
    const held = computePodActions(never, runtime(running), () => 20_000);
    expect(held.start).toEqual([]);
    expect(held.crashLoop.get('proxy')).toBe('back-off 20s restarting failed container=proxy pod=p_ns(u1)');
  });

  it('stops the sidecars, last declared first, when the app containers have finished for good', () => {
    const job = pod({ restartPolicy: 'Never', initContainers: [sidecar('logs'), sidecar('proxy')] });
    const a = computePodActions(job, runtime([ctr('logs', 'running'), ctr('proxy', 'running'), ctr('app', 'exited', { exitCode: 0 })]), noBackoff);
    expect(a.start).toEqual([]);
    expect(a.stop.map((c) => c.name)).toEqual(['proxy', 'logs']);
    // Stopped, they are not started again.
    const after = computePodActions(job, runtime([ctr('logs', 'exited'), ctr('proxy', 'exited'), ctr('app', 'exited', { exitCode: 0 })]), noBackoff);
    expect(after.start).toEqual([]);
    expect(after.stop).toEqual([]);
  });
});

describe('sidecar status (upstream getPhase and pod conditions)', () => {
  const input = { now: '2026-01-01T00:01:00Z', hostIP: '10.0.0.1', waiting: new Map() };
  const p = pod({ initContainers: [sidecar('proxy', { readinessProbe: { exec: { command: ['true'] } } })] });
  const condition = (status: ReturnType<typeof generatePodStatus>, type: string) => status.conditions?.find((c) => c.type === type);

  it('a running sidecar is started; the pod is initialized, and Ready only when the sidecar is ready too', () => {
    const rt = runtime([ctr('proxy', 'running'), ctr('app', 'running')]);
    const unready = generatePodStatus(p, rt, { ...input, readiness: new Map([['proxy', false]]) });
    expect(unready.phase).toBe('Running');
    expect(unready.initContainerStatuses?.[0]).toMatchObject({ name: 'proxy', started: true, ready: false, state: { running: {} } });
    expect(condition(unready, 'Initialized')?.status).toBe('True');
    expect(condition(unready, 'ContainersReady')).toMatchObject({ status: 'False', message: 'containers with unready status: [proxy]' });
    const ready = generatePodStatus(p, rt, { ...input, readiness: new Map([['proxy', true]]) });
    expect(condition(ready, 'Ready')?.status).toBe('True');
  });

  it('a sidecar not yet started keeps the pod Pending and not initialized', () => {
    const status = generatePodStatus(p, runtime([ctr('proxy', 'running')]), { ...input, started: () => false });
    expect(status.phase).toBe('Pending');
    expect(condition(status, 'Initialized')).toMatchObject({ status: 'False', message: 'containers with incomplete status: [proxy]' });
  });

  it('a restarting sidecar leaves the pod initialized; a Job pod with stopped sidecars Succeeded', () => {
    const restarting = generatePodStatus(p, runtime([ctr('proxy', 'exited', { exitCode: 1 }), ctr('app', 'running')]), input);
    expect(restarting.phase).toBe('Running');
    expect(condition(restarting, 'Initialized')?.status).toBe('True');
    const job = pod({ restartPolicy: 'Never', initContainers: [sidecar('proxy')] });
    expect(generatePodStatus(job, runtime([ctr('proxy', 'running'), ctr('app', 'exited')]), input).phase).toBe('Running');
    expect(generatePodStatus(job, runtime([ctr('proxy', 'exited', { exitCode: 137 }), ctr('app', 'exited')]), input).phase).toBe('Succeeded');
  });
});
