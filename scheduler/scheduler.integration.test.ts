/**
 * The scheduler against the in-process control plane: Node objects created through the API
 * (no kubelet), pods bound or rejected with upstream messages, queue moves on node add, and
 * leader election between two schedulers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '../pkg/client/index.ts';
import { startTestControlPlane, type TestControlPlane } from '../pkg/testing/index.ts';
import { resolveConfiguration, Status, type BindPlugin, type FilterPlugin, type Registry } from './framework/index.ts';
import { inTreeRegistry } from './plugins/index.ts';
import { defaultBinder } from './plugins/defaultbinder/index.ts';
import { Scheduler } from './scheduler.ts';
import { MAX_BINDS_IN_FLIGHT } from './bind-gate.ts';
import { waitFor } from '../pkg/testing/wait.ts';
import { runScheduler } from './testing/run-scheduler.ts';

const NS = 'default';

const until = <T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> => waitFor(what, fn, { timeoutMs, intervalMs: 25, retryErrors: true });

function node(name: string, opts: { cpu: string; memory?: string; taints?: { key: string; value?: string; effect: string }[]; labels?: Record<string, string> }) {
  const resources = { cpu: opts.cpu, memory: opts.memory ?? '4Gi', pods: '110', 'ephemeral-storage': '10Gi' };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...opts.labels } },
    spec: { taints: opts.taints },
    status: { capacity: resources, allocatable: resources, conditions: [{ type: 'Ready', status: 'True' }] },
  };
}

function pod(name: string, cpu: string, extra: Record<string, unknown> = {}) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: NS },
    spec: { containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu, memory: '64Mi' } } }], ...extra },
  };
}

async function createNode(client: Client, n: ReturnType<typeof node>): Promise<void> {
  const created = await client.nodes.create(n as never);
  if (!(created as { status?: { allocatable?: unknown } }).status?.allocatable) await client.nodes.updateStatus({ ...(created as object), status: n.status } as never);
}

async function events(client: Client, podName: string, reason: string) {
  const list = await client.events.inNamespace(NS).list();
  return list.items.filter((e) => (e as { involvedObject?: { name?: string } }).involvedObject?.name === podName && (e as { reason?: string }).reason === reason);
}

/** The DefaultBinder factory with each bind going through `around`, which calls `bind()` to do it. */
function wrappedDefaultBinder(around: (bind: () => ReturnType<BindPlugin['bind']>) => ReturnType<BindPlugin['bind']>): Registry[string] {
  return async (args, handle) => {
    const inner = (await defaultBinder(args, handle)) as BindPlugin;
    return { name: 'DefaultBinder', bind: (state, p, nodeName) => around(() => inner.bind(state, p, nodeName)) } satisfies BindPlugin;
  };
}

describe('scheduler against the in-process control plane', () => {
  let cp: TestControlPlane;
  let scheduler: Scheduler;

  beforeAll(async () => {
    cp = await startTestControlPlane();
    await createNode(cp.client, node('control-plane', { cpu: '4', taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] }));
    await createNode(cp.client, node('worker-1', { cpu: '2' }));
    await createNode(cp.client, node('worker-2', { cpu: '2' }));
    ({ scheduler } = await runScheduler(cp));
  }, 30_000);

  afterAll(async () => {
    await cp?.stop();
  });

  it('binds a pod that fits to an untainted node and records Scheduled', async () => {
    await cp.client.pods.inNamespace(NS).create(pod('small', '500m') as never);
    const bound = await until('pod bound', async () => {
      const p = (await cp.client.pods.inNamespace(NS).get('small')) as { spec?: { nodeName?: string } };
      return p.spec?.nodeName;
    });
    expect(['worker-1', 'worker-2']).toContain(bound);
    const [ev] = await until('Scheduled event', async () => (await events(cp.client, 'small', 'Scheduled')).length > 0 && events(cp.client, 'small', 'Scheduled'));
    expect((ev as { message?: string }).message).toBe(`Successfully assigned default/small to ${bound}`);
    expect((ev as { type?: string }).type).toBe('Normal');
    const metrics = await scheduler.metrics.registry.metrics();
    expect(metrics).toMatch(/scheduler_schedule_attempts_total\{result="scheduled",profile="default-scheduler"\} [1-9]/);
    expect(metrics).toMatch(/scheduler_pending_pods\{queue="active"\} 0/);
  });

  it('a pod too big for every node gets PodScheduled=False and FailedScheduling with the upstream message, then binds when a big node is added', async () => {
    await cp.client.pods.inNamespace(NS).create(pod('big', '3') as never);
    const expected =
      '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.';
    const cond = await until('PodScheduled=False', async () => {
      const p = (await cp.client.pods.inNamespace(NS).get('big')) as { status?: { conditions?: { type: string; status: string; reason?: string; message?: string }[] } };
      return p.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
    });
    expect(cond.reason).toBe('Unschedulable');
    expect(cond.message).toBe(expected);
    const failed = await until('FailedScheduling event', async () => {
      const list = await events(cp.client, 'big', 'FailedScheduling');
      return list.length > 0 && list;
    });
    expect((failed[0] as { type?: string; message?: string }).type).toBe('Warning');
    expect((failed[0] as { message?: string }).message).toBe(expected);

    await createNode(cp.client, node('worker-big', { cpu: '8' }));
    const bound = await until('big pod bound after node add', async () => ((await cp.client.pods.inNamespace(NS).get('big')) as { spec?: { nodeName?: string } }).spec?.nodeName);
    expect(bound).toBe('worker-big');
  });

  it('a toleration lets a pod onto the tainted node; nodeName pins it', async () => {
    await cp.client.pods.inNamespace(NS).create(
      pod('tolerant', '3500m', { tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }] }) as never,
    );
    const bound = await until('tolerant bound', async () => ((await cp.client.pods.inNamespace(NS).get('tolerant')) as { spec?: { nodeName?: string } }).spec?.nodeName);
    // worker-big has 5 CPUs left after `big`, control-plane 4: both fit 3.5; either is legal.
    expect(['control-plane', 'worker-big']).toContain(bound);
  });
});

describe('node deletion', () => {
  let cp: TestControlPlane;

  beforeAll(async () => {
    cp = await startTestControlPlane();
    await createNode(cp.client, node('a', { cpu: '2' }));
    await createNode(cp.client, node('b', { cpu: '2' }));
    await createNode(cp.client, node('gone', { cpu: '2', taints: [{ key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' }] }));
    await runScheduler(cp);
  }, 30_000);

  afterAll(async () => {
    await cp?.stop();
  });

  it('requeues a pod held by topology spread when a node of its domains is deleted', async () => {
    const spread = { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 's' } } }] };
    for (const n of ['a', 'b']) await cp.client.pods.inNamespace(NS).create({ ...pod(`on-${n}`, '100m', { nodeName: n }), metadata: { name: `on-${n}`, namespace: NS, labels: { app: 's' } } } as never);
    await cp.client.pods.inNamespace(NS).create({ ...pod('third', '100m', spread), metadata: { name: 'third', namespace: NS, labels: { app: 's' } } } as never);
    // The tainted node counts as an empty domain (nodeTaintsPolicy Ignore): nowhere fits.
    const [failed] = await until('FailedScheduling', async () => (await events(cp.client, 'third', 'FailedScheduling')).length > 0 && events(cp.client, 'third', 'FailedScheduling'));
    expect((failed as { message?: string }).message).toBe(
      "0/3 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }, 2 node(s) didn't match pod topology spread constraints. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.",
    );
    await cp.client.nodes.delete('gone');
    // Well before the queue's 5-minute flush of unschedulable pods.
    const bound = await until('third bound after the node deletion', async () => ((await cp.client.pods.inNamespace(NS).get('third')) as { spec?: { nodeName?: string } }).spec?.nodeName);
    expect(['a', 'b']).toContain(bound);
  });
});

describe('two schedulers with leader election', () => {
  let cp: TestControlPlane;

  afterAll(async () => {
    await cp?.stop();
  });

  it('only the leader binds pods', async () => {
    cp = await startTestControlPlane();
    await createNode(cp.client, node('n1', { cpu: '16' }));
    const binds = [0, 0];
    const countingRegistry = (i: number): Registry => ({
      ...inTreeRegistry(),
      DefaultBinder: async (args, handle) => {
        const inner = (await defaultBinder(args, handle)) as BindPlugin;
        return {
          name: 'DefaultBinder',
          bind: async (state, p, nodeName) => {
            binds[i]!++;
            const s = await inner.bind(state, p, nodeName);
            return s.isSuccess() ? s : Status.asStatus(s.asError());
          },
        } satisfies BindPlugin;
      },
    });
    const a = await runScheduler(cp, { registry: countingRegistry(0), leaderElection: true });
    const b = await runScheduler(cp, { registry: countingRegistry(1), leaderElection: true });
    await until('a leader', async () => a.manager.isLeader() || b.manager.isLeader());
    const names = Array.from({ length: 10 }, (_, i) => `p${i}`);
    for (const n of names) await cp.client.pods.inNamespace(NS).create(pod(n, '100m') as never);
    await until('all pods bound', async () => {
      const list = await cp.client.pods.inNamespace(NS).list();
      return list.items.filter((p) => (p as { spec?: { nodeName?: string } }).spec?.nodeName).length === names.length;
    });
    expect(a.manager.isLeader() && b.manager.isLeader()).toBe(false);
    expect(binds.filter((n) => n > 0)).toHaveLength(1);
    expect(binds[0]! + binds[1]!).toBe(names.length);
    for (const n of names) expect(await events(cp.client, n, 'FailedScheduling')).toHaveLength(0);
  }, 30_000);
});

describe('binding failures', () => {
  let cp: TestControlPlane;

  afterAll(async () => {
    await cp?.stop();
  });

  it('a failed bind forgets the assumed pod, reports SchedulerError and retries after back-off', async () => {
    cp = await startTestControlPlane();
    await createNode(cp.client, node('only', { cpu: '1' }));
    let calls = 0;
    const registry: Registry = {
      ...inTreeRegistry(),
      DefaultBinder: wrappedDefaultBinder(async (bind) => {
        if (++calls === 1) throw new Error('injected bind failure');
        return bind();
      }),
    };
    const { scheduler } = await runScheduler(cp, { registry });
    // 800m of 1 CPU: if the failed attempt stayed assumed, the retry would not fit.
    await cp.client.pods.inNamespace(NS).create(pod('flaky', '800m') as never);
    const cond = await until('SchedulerError condition', async () => {
      const p = (await cp.client.pods.inNamespace(NS).get('flaky')) as { status?: { conditions?: { type: string; status: string; reason?: string; message?: string }[] } };
      return p.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.reason === 'SchedulerError');
    });
    expect(cond.message).toBe('binding rejected: running Bind plugin "DefaultBinder": injected bind failure');
    const bound = await until('bound on retry', async () => ((await cp.client.pods.inNamespace(NS).get('flaky')) as { spec?: { nodeName?: string } }).spec?.nodeName);
    expect(bound).toBe('only');
    expect(calls).toBe(2);
    expect(await scheduler.metrics.registry.metrics()).toMatch(/scheduler_schedule_attempts_total\{result="error",profile="default-scheduler"\} 1/);
  }, 20_000);
});

describe('profiles', () => {
  let cp: TestControlPlane;

  afterAll(async () => {
    await cp?.stop();
  });

  it('schedules pods of every configured schedulerName and leaves other schedulers\' pods alone', async () => {
    cp = await startTestControlPlane();
    await createNode(cp.client, node('n1', { cpu: '4' }));
    const config = resolveConfiguration({
      apiVersion: 'kubescheduler.config.k8s.io/v1',
      kind: 'KubeSchedulerConfiguration',
      profiles: [{ schedulerName: 'default-scheduler' }, { schedulerName: 'bin-packing', pluginConfig: [{ name: 'NodeResourcesFit', args: { scoringStrategy: { type: 'MostAllocated' } } }] }],
    });
    await runScheduler(cp, { config });
    await cp.client.pods.inNamespace(NS).create(pod('packed', '100m', { schedulerName: 'bin-packing' }) as never);
    await cp.client.pods.inNamespace(NS).create(pod('foreign', '100m', { schedulerName: 'someone-else' }) as never);
    await until('packed bound', async () => ((await cp.client.pods.inNamespace(NS).get('packed')) as { spec?: { nodeName?: string } }).spec?.nodeName);
    const [ev] = await until('Scheduled event', async () => {
      const list = await events(cp.client, 'packed', 'Scheduled');
      return list.length > 0 && list;
    });
    expect((ev as { source?: { component?: string } }).source?.component).toBe('bin-packing');
    const foreign = (await cp.client.pods.inNamespace(NS).get('foreign')) as { spec?: { nodeName?: string }; status?: { conditions?: unknown[] } };
    expect(foreign.spec?.nodeName).toBeFalsy();
    expect(foreign.status?.conditions ?? []).toHaveLength(0);
    expect(await events(cp.client, 'foreign', 'FailedScheduling')).toHaveLength(0);
  }, 20_000);
});

describe('the scheduling loop and the event loop', () => {
  let cp: TestControlPlane;

  afterAll(async () => {
    await cp?.stop();
  });

  it('lets I/O and timers run between cycles while pods wait, so bindings go out as pods are scheduled', async () => {
    cp = await startTestControlPlane();
    await createNode(cp.client, node('roomy', { cpu: '64' }));
    const count = 40;
    for (let i = 0; i < count; i++) await cp.client.pods.inNamespace(NS).create(pod(`queued-${i}`, '10m') as never);
    // Each bind first waits for one turn of the event loop (a timer); it records how many
    // scheduling cycles had started by then. A loop that never yields starts all of them first.
    const cyclesAtFirstBind: number[] = [];
    let cycles = 0;
    const registry: Registry = {
      ...inTreeRegistry(),
      DefaultBinder: wrappedDefaultBinder(async (bind) => {
        await new Promise((resolve) => setTimeout(resolve, 0));
        if (cyclesAtFirstBind.length === 0) cyclesAtFirstBind.push(cycles);
        return bind();
      }),
      // One node: NodeName's Filter runs once per scheduling cycle.
      NodeName: async (args, handle) => {
        const plugin = (await inTreeRegistry().NodeName!(args, handle)) as FilterPlugin;
        return { ...plugin, filter: (state, p, nodeInfo) => (cycles++, plugin.filter(state, p, nodeInfo)) } satisfies FilterPlugin;
      },
    };
    await runScheduler(cp, { registry });
    await until(`${count} pods bound`, async () => (await cp.client.pods.inNamespace(NS).list()).items.filter((p) => (p as { spec?: { nodeName?: string } }).spec?.nodeName).length === count, 20_000);
    expect(cyclesAtFirstBind).toHaveLength(1);
    expect(cyclesAtFirstBind[0]).toBeLessThan(count / 2);
  }, 30_000);

});

describe('binds in flight', () => {
  let cp: TestControlPlane;

  afterAll(async () => {
    await cp?.stop();
  });

  it(`stops starting cycles while ${MAX_BINDS_IN_FLIGHT} binds are in flight, and goes on as they finish`, async () => {
    cp = await startTestControlPlane();
    await createNode(cp.client, node('wide', { cpu: '64', memory: '64Gi' }));
    const count = MAX_BINDS_IN_FLIGHT + 16;
    for (let i = 0; i < count; i++) await cp.client.pods.inNamespace(NS).create(pod(`held-${i}`, '10m') as never);
    let held = 0;
    let cycles = 0;
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const registry: Registry = {
      ...inTreeRegistry(),
      DefaultBinder: wrappedDefaultBinder(async (bind) => {
        held++;
        await released;
        return bind();
      }),
      NodeName: async (args, handle) => {
        const plugin = (await inTreeRegistry().NodeName!(args, handle)) as FilterPlugin;
        return { ...plugin, filter: (state, p, nodeInfo) => (cycles++, plugin.filter(state, p, nodeInfo)) } satisfies FilterPlugin;
      },
    };
    const { halt } = await runScheduler(cp, { registry });
    await until(`${MAX_BINDS_IN_FLIGHT} binds held`, async () => held === MAX_BINDS_IN_FLIGHT);
    await new Promise((resolve) => setTimeout(resolve, 300));
    // One node: NodeName's Filter ran once per cycle.
    expect(cycles).toBe(MAX_BINDS_IN_FLIGHT);
    expect(held).toBe(MAX_BINDS_IN_FLIGHT);
    release();
    await until(`${count} pods bound`, async () => (await cp.client.pods.inNamespace(NS).list()).items.filter((p) => (p as { spec?: { nodeName?: string } }).spec?.nodeName === 'wide').length === count, 20_000);
    expect(held).toBe(count);
    await halt();
  }, 30_000);
});
