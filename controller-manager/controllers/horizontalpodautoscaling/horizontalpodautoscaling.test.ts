/**
 * The horizontalpodautoscaling controller against the in-process control plane (replicaset and
 * deployment controllers running; no kubelet, so the test marks pods Running and Ready), on its
 * own manager with a manual clock and a fake resource metrics client that reports, for every
 * Running pod the selector picks, the cpu usage the test sets for its app.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { HorizontalPodAutoscaler } from '../../../pkg/api/autoscaling/v2/horizontalpodautoscaler.ts';
import type { Deployment } from '../../../pkg/api/apps/v1/deployment.ts';
import type { Pod } from '../../../pkg/api/core/v1/pod.ts';
import { Manager } from '../../../pkg/runtime/index.ts';
import { startTestControlPlane, type TestControlPlane } from '../../../pkg/testing/control-plane.ts';
import { waitFor } from '../../../pkg/testing/wait.ts';
import { FakeClock } from '../../../pkg/workqueue/index.ts';
import { DEFAULT_SETTINGS } from '../types.ts';
import { FakeResourceMetricsClient, HPA_COORDINATES, registerHorizontalPodAutoscaling, type PodMetricsItem } from './index.ts';

const NS = 'hpa-test';
let cp: TestControlPlane;
let stopCurrent: (() => Promise<void>) | undefined;
/** cpu usage per pod, by app label. */
const usage = new Map<string, string>();

const hpas = () => cp.client.resource<HorizontalPodAutoscaler>(HPA_COORDINATES).inNamespace(NS);
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

beforeAll(async () => {
  cp = await startTestControlPlane({ controllers: ['replicaset', 'deployment'] });
  await cp.client.namespaces.create({ metadata: { name: NS } });
});
afterEach(async () => {
  await stopCurrent?.();
  stopCurrent = undefined;
});
afterAll(() => cp?.stop());

/** Starts an HPA controller on a manual clock with a fake metrics client. */
async function startController(): Promise<{ clock: FakeClock; metrics: FakeResourceMetricsClient }> {
  const clock = new FakeClock(Date.now());
  const metrics = new FakeResourceMetricsClient(async (namespace, labelSelector) => {
    const pods = (await cp.client.pods.inNamespace(namespace).list({ labelSelector })).items;
    return pods
      .filter((p) => p.status?.phase === 'Running' && usage.has(p.metadata.labels?.app ?? ''))
      .map((p): PodMetricsItem => ({
        metadata: { name: p.metadata.name!, namespace, labels: p.metadata.labels ?? {} },
        timestamp: iso(clock.now()),
        window: '30s',
        containers: [{ name: 'php', usage: { cpu: usage.get(p.metadata.labels!.app!)!, memory: '10Mi' } }],
      }));
  });
  const manager = new Manager({ client: cp.client, clock, logger: pino({ level: 'silent' }) });
  registerHorizontalPodAutoscaling({ manager, settings: DEFAULT_SETTINGS }, { metrics });
  const stop = new AbortController();
  const running = manager.start(stop.signal).catch(() => {});
  stopCurrent = async () => {
    stop.abort();
    await running;
  };
  return { clock, metrics };
}

function deployment(name: string, replicas: number): Deployment {
  return {
    metadata: { name },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'php', image: 'registry.k8s.io/hpa-example', resources: { requests: { cpu: '200m' } } }] } },
    },
  } as Deployment;
}

/** Creates the Deployment and marks its pods Running and Ready since 10 minutes (what a kubelet would report). */
async function readyDeployment(clock: FakeClock, name: string, replicas: number): Promise<void> {
  await cp.client.deployments.inNamespace(NS).create(deployment(name, replicas));
  await makeReady(clock, name, replicas);
  // Let the deployment controller record the pods as available, so its status writes do not
  // race the autoscaler's first scale write (a conflict is only retried at the next sync).
  await waitFor(`${name} available`, async () => (await cp.client.deployments.inNamespace(NS).get(name)).status?.availableReplicas === replicas);
}

async function makeReady(clock: FakeClock, app: string, count: number): Promise<void> {
  const pods = cp.client.pods.inNamespace(NS);
  const list = await waitFor(`${count} pods of ${app}`, async () => {
    const items = (await pods.list({ labelSelector: `app=${app}` })).items.filter((p) => !p.metadata.deletionTimestamp);
    return items.length === count ? items : undefined;
  });
  for (const p of list) {
    if (p.status?.phase === 'Running') continue;
    const status = { phase: 'Running', startTime: iso(clock.now() - 600_000), conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: iso(clock.now() - 540_000) }] };
    await pods.updateStatus({ ...p, status } as Pod);
  }
}

function hpa(name: string, spec: Partial<NonNullable<HorizontalPodAutoscaler['spec']>> = {}): HorizontalPodAutoscaler {
  return {
    metadata: { name },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
      minReplicas: 1,
      maxReplicas: 10,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }],
      ...spec,
    },
  } as HorizontalPodAutoscaler;
}

/**
 * Polls the HPA until `check` accepts it; each poll moves the manual clock by `stepMs` (default
 * 1 s, so syncs every 15 s keep coming, e.g. after a scale write lost a conflict).
 */
function until(clock: FakeClock, what: string, check: (h: HorizontalPodAutoscaler) => boolean, name: string, stepMs = 1000): Promise<HorizontalPodAutoscaler> {
  return waitFor(what, async () => {
    clock.step(stepMs);
    const h = await hpas().get(name);
    return check(h) ? h : undefined;
  }, { explain: async () => JSON.stringify((await hpas().get(name)).status) });
}

/** Whether the controller has finished a sync and waits for the next one (its 15 s requeue timer is armed). */
const armed = (clock: FakeClock) => clock.pendingDelays().some((d) => d > 14_000 && d <= 15_000);

/** Moves the clock by `ms` and waits until the sync that fires has finished. */
async function syncAfter(clock: FakeClock, ms: number): Promise<void> {
  clock.step(ms);
  await waitFor(`a sync after ${ms} ms`, () => armed(clock));
}

const condition = (h: HorizontalPodAutoscaler, type: string) => h.status?.conditions?.find((c) => c.type === type);
const replicasOf = async (name: string) => (await cp.client.deployments.inNamespace(NS).get(name)).spec?.replicas;
const eventsOf = async (name: string) => (await cp.client.events.inNamespace(NS).list()).items.filter((e) => e.involvedObject?.name === name && e.involvedObject?.kind === 'HorizontalPodAutoscaler');

async function waitEvent(name: string, reason: string): Promise<{ message?: string; type?: string; source?: { component?: string } }> {
  return waitFor(`${reason} event on ${name}`, async () => (await eventsOf(name)).find((e) => e.reason === reason));
}

describe('horizontalpodautoscaling controller', () => {
  it('kubectl autoscale --cpu-percent=50: 1 pod at 400m of a 200m request scales to 4, with status and event', async () => {
    const { clock } = await startController();
    usage.set('php-apache', '400m');
    await readyDeployment(clock, 'php-apache', 1);
    await promisify(execFile)('kubectl', ['--kubeconfig', cp.kubeconfigPath, '-n', NS, 'autoscale', 'deployment', 'php-apache', '--cpu-percent=50', '--min=1', '--max=10']);
    const scaled = await until(clock, 'desiredReplicas 4', (h) => h.status?.desiredReplicas === 4, 'php-apache');
    expect(await replicasOf('php-apache')).toBe(4);
    expect(scaled.status).toMatchObject({
      currentReplicas: 1,
      desiredReplicas: 4,
      lastScaleTime: expect.stringMatching(/Z$/),
      currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 200, averageValue: '400m' } } }],
    });
    expect(scaled.status?.conditions?.map((c) => [c.type, c.status, c.reason, c.message])).toEqual([
      ['AbleToScale', 'True', 'SucceededRescale', 'the HPA controller was able to update the target scale to 4'],
      ['ScalingActive', 'True', 'ValidMetricFound', 'the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)'],
      ['ScalingLimited', 'False', 'DesiredWithinRange', 'the desired count is within the acceptable range'],
    ]);
    const event = await waitEvent('php-apache', 'SuccessfulRescale');
    expect(event).toMatchObject({ type: 'Normal', message: 'New size: 4; reason: cpu resource utilization (percentage of request) above target', source: { component: 'horizontal-pod-autoscaler' } });
    const { stdout } = await promisify(execFile)('kubectl', ['--kubeconfig', cp.kubeconfigPath, '-n', NS, 'get', 'hpa', 'php-apache', '--no-headers']);
    expect(stdout).toMatch(/^php-apache\s+Deployment\/php-apache\s+cpu: 200%\/50%\s+1\s+10\s+1\s+/);
  });

  it('scales in only after the downscale stabilization window', async () => {
    const { clock } = await startController();
    usage.set('web-down', '100m');
    await readyDeployment(clock, 'web-down', 4);
    await hpas().create(hpa('web-down'));
    await until(clock, 'first sync at the target', (h) => condition(h, 'ScalingActive')?.reason === 'ValidMetricFound', 'web-down', 0);
    await waitFor('the first sync to finish', () => armed(clock));
    usage.set('web-down', '20m');
    await syncAfter(clock, 15_000);
    const held = await hpas().get('web-down');
    expect(condition(held, 'AbleToScale')).toMatchObject({ reason: 'ScaleDownStabilized', message: 'recent recommendations were higher than current one, applying the highest recent recommendation' });
    expect(held.status).toMatchObject({ currentReplicas: 4, desiredReplicas: 4 });
    // Four minutes on: still inside the five-minute window.
    await syncAfter(clock, 240_000);
    expect((await hpas().get('web-down')).status?.desiredReplicas).toBe(4);
    expect(await replicasOf('web-down')).toBe(4);
    // Past the window: every recommendation of 4 has expired (a lost write conflict is retried a sync later).
    await syncAfter(clock, 75_000);
    const scaled = await until(clock, 'scale-in to 1', (h) => h.status?.desiredReplicas === 1, 'web-down');
    expect(scaled.status).toMatchObject({ currentReplicas: 4, desiredReplicas: 1 });
    expect(condition(scaled, 'AbleToScale')).toMatchObject({ status: 'True', reason: 'SucceededRescale' });
    expect(await replicasOf('web-down')).toBe(1);
    expect((await waitEvent('web-down', 'SuccessfulRescale')).message).toBe('New size: 1; reason: All metrics below target');
  });

  it('ContainerResource with a one-pod-per-minute scale-up policy: the policy paces the scale-out', async () => {
    const { clock } = await startController();
    usage.set('paced', '400m');
    await readyDeployment(clock, 'paced', 1);
    await hpas().create(hpa('paced', {
      metrics: [{ type: 'ContainerResource', containerResource: { name: 'cpu', container: 'php', target: { type: 'Utilization', averageUtilization: 50 } } }],
      behavior: { scaleUp: { policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] } },
    }));
    const first = await until(clock, 'one more pod', (h) => h.status?.desiredReplicas === 2, 'paced', 0);
    expect(condition(first, 'ScalingLimited')).toMatchObject({ status: 'True', reason: 'ScaleUpLimit', message: 'the desired replica count is increasing faster than the maximum scale rate' });
    expect(first.status?.currentMetrics).toEqual([{ type: 'ContainerResource', containerResource: { name: 'cpu', container: 'php', current: { averageUtilization: 200, averageValue: '400m' } } }]);
    expect((await waitEvent('paced', 'SuccessfulRescale')).message).toBe('New size: 2; reason: cpu container resource utilization (percentage of request) above target');
    await waitFor('the first sync to finish', () => armed(clock));
    // 15 s later the pod added this minute uses the policy's budget: no change.
    await syncAfter(clock, 15_000);
    expect(await replicasOf('paced')).toBe(2);
    // Once the minute is over, one more.
    await syncAfter(clock, 45_000);
    await until(clock, 'a third pod', (h) => h.status?.desiredReplicas === 3, 'paced', 0);
    expect(await replicasOf('paced')).toBe(3);
  });

  it('no metrics: ScalingActive False FailedGetResourceMetric and nothing scales', async () => {
    const { clock } = await startController();
    await readyDeployment(clock, 'no-metrics', 1);
    await hpas().create(hpa('no-metrics'));
    const failed = await until(clock, 'FailedGetResourceMetric', (h) => condition(h, 'ScalingActive')?.reason === 'FailedGetResourceMetric', 'no-metrics');
    expect(condition(failed, 'ScalingActive')).toMatchObject({
      status: 'False',
      message: 'the HPA was unable to compute the replica count: failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API',
    });
    expect(condition(failed, 'AbleToScale')).toMatchObject({ status: 'True', reason: 'SucceededGetScale' });
    // One entry per metric; a failed metric's is empty, as upstream writes it.
    expect(failed.status).toMatchObject({ currentReplicas: 1, desiredReplicas: 0, currentMetrics: [{ type: '' }] });
    expect((await waitEvent('no-metrics', 'FailedGetResourceMetric')).message).toBe('failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API');
    expect((await waitEvent('no-metrics', 'FailedComputeMetricsReplicas')).message).toBe(
      'invalid metrics (1 invalid out of 1), first error is: failed to get cpu resource metric value: failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API',
    );
    expect(await replicasOf('no-metrics')).toBe(1);
  });

  it('maxReplicas and minReplicas limit the count: ScalingLimited TooManyReplicas / TooFewReplicas', async () => {
    const { clock } = await startController();
    usage.set('capped', '400m');
    usage.set('floored', '10m');
    await readyDeployment(clock, 'capped', 2);
    await readyDeployment(clock, 'floored', 2);
    await hpas().create(hpa('capped', { minReplicas: 2, maxReplicas: 3 }));
    // A zero scale-down window: the floor, not the stabilization, holds the count.
    await hpas().create(hpa('floored', { minReplicas: 2, behavior: { scaleDown: { stabilizationWindowSeconds: 0 } } }));
    const capped = await until(clock, 'capped at 3', (h) => h.status?.desiredReplicas === 3, 'capped');
    expect(condition(capped, 'ScalingLimited')).toMatchObject({ status: 'True', reason: 'TooManyReplicas', message: 'the desired replica count is more than the maximum replica count' });
    expect(await replicasOf('capped')).toBe(3);
    const floored = await until(clock, 'TooFewReplicas', (h) => condition(h, 'ScalingLimited')?.reason === 'TooFewReplicas', 'floored');
    expect(condition(floored, 'ScalingLimited')).toMatchObject({ status: 'True', message: 'the desired replica count is less than the minimum replica count' });
    expect(floored.status).toMatchObject({ currentReplicas: 2, desiredReplicas: 2 });
    expect(await replicasOf('floored')).toBe(2);
  });

  it('a target above maxReplicas is brought down without metrics', async () => {
    const { clock } = await startController();
    await cp.client.deployments.inNamespace(NS).create(deployment('too-big', 5));
    await hpas().create(hpa('too-big', { maxReplicas: 3 }));
    await until(clock, 'desiredReplicas 3', (h) => h.status?.desiredReplicas === 3, 'too-big');
    expect(await replicasOf('too-big')).toBe(3);
    expect((await waitEvent('too-big', 'SuccessfulRescale')).message).toBe('New size: 3; reason: Current number of replicas above Spec.MaxReplicas');
  });

  it('a missing target: AbleToScale False FailedGetScale', async () => {
    const { clock } = await startController();
    await hpas().create(hpa('nowhere'));
    const failed = await until(clock, 'FailedGetScale', (h) => condition(h, 'AbleToScale')?.reason === 'FailedGetScale', 'nowhere');
    expect(condition(failed, 'AbleToScale')).toMatchObject({ status: 'False', message: 'the HPA controller was unable to get the target\'s current scale: deployments.apps "nowhere" not found' });
    expect((await waitEvent('nowhere', 'FailedGetScale')).message).toBe('deployments.apps "nowhere" not found');
  });

  it('a target scaled to zero disables scaling', async () => {
    const { clock } = await startController();
    await cp.client.deployments.inNamespace(NS).create(deployment('idle', 0));
    await hpas().create(hpa('idle'));
    const idle = await until(clock, 'ScalingDisabled', (h) => condition(h, 'ScalingActive')?.reason === 'ScalingDisabled', 'idle');
    expect(condition(idle, 'ScalingActive')).toMatchObject({ status: 'False', message: 'scaling is disabled since the replica count of the target is zero' });
    // currentReplicas is omitempty in autoscaling/v2: 0 is not written.
    expect(idle.status?.currentReplicas ?? 0).toBe(0);
    expect(idle.status?.desiredReplicas).toBe(0);
  });

  it('two HPAs over the same pods: AmbiguousSelector', async () => {
    const { clock } = await startController();
    usage.set('dup', '100m');
    await readyDeployment(clock, 'dup', 1);
    await hpas().create(hpa('dup'));
    await until(clock, 'the first HPA synced', (h) => condition(h, 'ScalingActive')?.reason === 'ValidMetricFound', 'dup', 0);
    await hpas().create({ ...hpa('dup-2'), spec: { ...hpa('dup-2').spec!, scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'dup' } } });
    const second = await until(clock, 'AmbiguousSelector', (h) => condition(h, 'ScalingActive')?.reason === 'AmbiguousSelector', 'dup-2', 0);
    const message = `pods by selector app=dup are controlled by multiple HPAs: [${NS}/dup ${NS}/dup-2]`;
    expect(condition(second, 'ScalingActive')).toMatchObject({ status: 'False', message });
    expect((await waitEvent('dup-2', 'AmbiguousSelector')).message).toBe(message);
    // The first one finds out at its next sync.
    await until(clock, 'the first HPA sees it too', (h) => condition(h, 'ScalingActive')?.reason === 'AmbiguousSelector', 'dup');
  });

  it('a Pods metric without a custom metrics API: FailedGetPodsMetric, no scaling', async () => {
    const { clock } = await startController();
    await readyDeployment(clock, 'custom', 1);
    await hpas().create(hpa('custom', { metrics: [{ type: 'Pods', pods: { metric: { name: 'packets-per-second' }, target: { type: 'AverageValue', averageValue: '1k' } } }] }));
    const failed = await until(clock, 'FailedGetPodsMetric', (h) => condition(h, 'ScalingActive')?.reason === 'FailedGetPodsMetric', 'custom');
    expect(condition(failed, 'ScalingActive')?.message).toBe(
      'the HPA was unable to compute the replica count: unable to get metric packets-per-second: unable to fetch metrics from custom metrics API: no custom metrics API (custom.metrics.k8s.io) registered',
    );
    expect(await replicasOf('custom')).toBe(1);
  });
});

describe('startTestControlPlane({ controllers: true })', () => {
  it('runs the autoscaler with the other default controllers', async () => {
    const plane = await startTestControlPlane({ controllers: true });
    try {
      await plane.client.namespaces.create({ metadata: { name: 'hpa-default' } });
      await plane.client.resource<HorizontalPodAutoscaler>(HPA_COORDINATES).inNamespace('hpa-default').create(hpa('absent'));
      const failed = await waitFor('FailedGetScale', async () => {
        const h = await plane.client.resource<HorizontalPodAutoscaler>(HPA_COORDINATES).inNamespace('hpa-default').get('absent');
        return condition(h, 'AbleToScale')?.reason === 'FailedGetScale' ? h : undefined;
      });
      expect(condition(failed, 'AbleToScale')?.status).toBe('False');
    } finally {
      await plane.stop();
    }
  });
});
