/** The probe manager's workers on a fake clock: `stopAll` (the kubelet stopping) ends every one of them. */
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { Pod } from '../../pkg/api/core/v1/pod.ts';
import { FakeClock } from '../../pkg/workqueue/index.ts';
import type { ContainerRuntime, RuntimePod } from '../runtime/types.ts';
import { ProbeManager } from './probe-manager.ts';

const flush = async () => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
};

describe('ProbeManager.stopAll', () => {
  it('stops the workers of every pod: no probe runs, and no event is recorded, afterwards', async () => {
    const clock = new FakeClock();
    const execs: string[] = [];
    const events: string[] = [];
    const runtime = { exec: async (id: string) => (execs.push(id), { stdout: '', stderr: 'down\n', exitCode: 1 }) } as unknown as ContainerRuntime;
    const manager = new ProbeManager({ runtime, clock, log: pino({ level: 'silent' }), onChange: () => undefined, onUnhealthy: () => undefined, event: (_pod, _type, reason) => events.push(reason), hostIP: () => '192.0.2.2' });
    const probed = (uid: string, kind: 'readinessProbe' | 'livenessProbe'): [Pod, RuntimePod] => [
      { metadata: { name: uid, namespace: 'default', uid }, spec: { containers: [{ name: 'app', image: 'busybox', [kind]: { exec: { command: ['false'] }, periodSeconds: 2, failureThreshold: 100 } }] } } as Pod,
      {
        uid, name: uid, namespace: 'default',
        sandboxes: [{ id: `sb-${uid}`, state: 'ready', attempt: 0, ip: '10.0.0.2', createdAtMs: clock.now() }],
        containers: [{ id: `c-${uid}`, sandboxId: `sb-${uid}`, name: 'app', state: 'running', attempt: 0, startedAtMs: clock.now(), createdAtMs: clock.now() } as RuntimePod['containers'][number]],
      },
    ];
    for (const [pod, running] of [probed('a', 'readinessProbe'), probed('b', 'livenessProbe')]) manager.sync(pod, running);
    clock.step(2_000);
    await flush();
    expect(execs.sort()).toEqual(['c-a', 'c-b']);
    expect(events).toEqual(['Unhealthy', 'Unhealthy']);
    manager.stopAll();
    for (let i = 0; i < 5; i++) {
      clock.step(2_000);
      await flush();
    }
    expect(execs).toHaveLength(2);
    expect(events).toHaveLength(2);
  });
});
