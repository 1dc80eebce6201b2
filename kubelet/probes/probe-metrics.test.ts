/**
 * `prober_probe_total` as the probe manager counts it, on a fake clock: one count per probe run
 * with upstream's labels and result values, nothing before the initial delay, the series kept
 * while the pod lives and dropped when its probes stop for good.
 */
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { Pod } from '../../pkg/api/core/v1/pod.ts';
import { FakeClock } from '../../pkg/workqueue/index.ts';
import { ProberMetrics } from '../metrics/prober-metrics.ts';
import type { ContainerRuntime, RuntimePod } from '../runtime/types.ts';
import { ProbeManager } from './probe-manager.ts';

const flush = async () => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
};

function setup() {
  const clock = new FakeClock();
  let exitCode = 0;
  const runtime = { exec: async () => ({ stdout: '', stderr: exitCode ? 'nope\n' : '', exitCode }) } as unknown as ContainerRuntime;
  const metrics = new ProberMetrics();
  const manager = new ProbeManager({ runtime, clock, log: pino({ level: 'silent' }), onChange: () => undefined, onUnhealthy: () => undefined, event: () => undefined, hostIP: () => '192.0.2.2', metrics });
  const pod = {
    metadata: { name: 'web', namespace: 'shop', uid: 'uid-1' },
    spec: { containers: [{ name: 'app', image: 'nginx', readinessProbe: { exec: { command: ['true'] }, initialDelaySeconds: 5, periodSeconds: 10 } }] },
  } as Pod;
  const running: RuntimePod = {
    uid: 'uid-1', name: 'web', namespace: 'shop',
    sandboxes: [{ id: 'sb', state: 'ready', attempt: 0, ip: '10.0.0.2', createdAtMs: clock.now() }],
    containers: [{ id: 'c1', sandboxId: 'sb', name: 'app', state: 'running', attempt: 0, startedAtMs: clock.now(), createdAtMs: clock.now() } as RuntimePod['containers'][number]],
  };
  // prom-client writes labels in insertion order; sorted here to compare with client_golang's order.
  const series = async () => (await metrics.registry.metrics()).split('\n').filter((l) => l.startsWith('prober_probe_total')).map((l) => l.replace(/\{(.*)\}/, (_m, inner: string) => `{${inner.split(',').sort().join(',')}}`));
  return { clock, manager, metrics, pod, running, series, fail: () => (exitCode = 1) };
}

const labels = (result: string) => `container="app",namespace="shop",pod="web",pod_uid="uid-1",probe_type="Readiness",result="${result}"`;

describe('prober_probe_total', () => {
  it('counts each probe run by result, not before the initial delay', async () => {
    const { clock, manager, metrics, pod, running, series, fail } = setup();
    manager.sync(pod, running);
    await flush();
    clock.step(4_999);
    await flush();
    expect(await series()).toEqual([]);
    clock.step(1);
    await flush();
    expect(await series()).toEqual([`prober_probe_total{${labels('successful')}} 1`]);
    clock.step(10_000);
    await flush();
    fail();
    clock.step(10_000);
    await flush();
    expect(await series()).toEqual([`prober_probe_total{${labels('successful')}} 2`, `prober_probe_total{${labels('failed')}} 1`]);
    expect(await metrics.registry.metrics()).toContain('# HELP prober_probe_total [ALPHA] Cumulative number of a liveness, readiness or startup probe for a container by result.\n# TYPE prober_probe_total counter');
  });

  it('keeps the series over a container restart and drops them when the pod\'s probes stop', async () => {
    const { clock, manager, pod, running, series } = setup();
    manager.sync(pod, running);
    clock.step(5_000);
    await flush();
    // The container exited and a new one runs: the worker is replaced, the count goes on.
    manager.sync(pod, { ...running, containers: [] });
    manager.sync(pod, { ...running, containers: [{ ...running.containers[0], id: 'c2', attempt: 1, startedAtMs: clock.now() }] });
    clock.step(5_000);
    await flush();
    expect(await series()).toEqual([expect.stringMatching(/result="successful".* 2$/)]);
    manager.stopPod('uid-1');
    expect(await series()).toEqual([]);
  });
});
