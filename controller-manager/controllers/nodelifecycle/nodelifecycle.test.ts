import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import type { Node, NodeCondition, Taint } from '../../../pkg/api/core/v1/node.ts';
import type { Pod } from '../../../pkg/api/core/v1/pod.ts';
import { isNotFound } from '../../../pkg/errors/index.ts';
import { Manager, microTime } from '../../../pkg/runtime/index.ts';
import { startTestControlPlane, type TestControlPlane } from '../../../pkg/testing/control-plane.ts';
import { waitFor } from '../../../pkg/testing/wait.ts';
import { DEFAULT_SETTINGS, type ControllerManagerSettings } from '../types.ts';
import { nodeLifecycleController, taintEvictionController } from './index.ts';

const rfc3339 = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const UNREACHABLE = 'node.kubernetes.io/unreachable';
const NOT_READY = 'node.kubernetes.io/not-ready';

/** Conditions a healthy kubelet posts, heartbeat now. */
function kubeletConditions(ready: 'True' | 'False' = 'True'): NodeCondition[] {
  const now = rfc3339(Date.now());
  const c = (type: string, status: string, reason: string): NodeCondition => ({ type, status, reason, message: `kubelet: ${reason}`, lastHeartbeatTime: now, lastTransitionTime: now });
  return [c('MemoryPressure', 'False', 'KubeletHasSufficientMemory'), c('DiskPressure', 'False', 'KubeletHasNoDiskPressure'), c('PIDPressure', 'False', 'KubeletHasSufficientPID'), c('Ready', ready, ready === 'True' ? 'KubeletReady' : 'KubeletNotReady')];
}

const taintsOf = (node: Node) => (node.spec?.taints ?? []).map((t: Taint) => `${t.key}:${t.effect}`).sort();

describe('node lifecycle and taint eviction against the API server', () => {
  let cp: TestControlPlane;
  const stop = new AbortController();
  let running: Promise<void>;
  let renewer: ReturnType<typeof setInterval>;
  const settings: ControllerManagerSettings = { ...DEFAULT_SETTINGS, nodeMonitorGracePeriodMs: 2_000, nodeMonitorPeriodMs: 200, nodeEvictionRate: 100 };
  const pods = () => cp.client.pods.inNamespace('default');
  const leases = () => cp.client.leases.inNamespace('kube-node-lease');

  async function renewLease(name: string): Promise<void> {
    const lease = await leases().get(name);
    await leases().update({ ...lease, spec: { ...lease.spec, renewTime: microTime(Date.now()) } });
  }

  async function postStatus(name: string, ready: 'True' | 'False'): Promise<void> {
    await waitFor(`status of ${name} posted`, async () => {
      const node = await cp.client.nodes.get(name);
      await cp.client.nodes.updateStatus({ ...node, status: { ...node.status, conditions: kubeletConditions(ready) } });
      return true;
    }, { retryErrors: true });
  }

  function pod(name: string, tolerations: object[] = []): Pod {
    return { metadata: { name }, spec: { nodeName: 'dead', containers: [{ name: 'c', image: 'busybox' }], tolerations } } as Pod;
  }
  const unreachableToleration = (seconds: number) => ({ key: UNREACHABLE, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: seconds });
  const gone = async (name: string) => {
    try {
      return Boolean((await pods().get(name)).metadata.deletionTimestamp);
    } catch (err) {
      if (isNotFound(err)) return true;
      throw err;
    }
  };

  beforeAll(async () => {
    cp = await startTestControlPlane();
    for (const name of ['alive', 'dead']) {
      await cp.client.nodes.create({ metadata: { name }, status: { conditions: kubeletConditions() } } as Node);
      await leases().create({ metadata: { name, namespace: 'kube-node-lease' }, spec: { holderIdentity: name, leaseDurationSeconds: 40, renewTime: microTime(Date.now()) } });
    }
    renewer = setInterval(() => void renewLease('alive').catch(() => {}), 300);
    await pods().create(pod('at-once', [unreachableToleration(0)]));
    await pods().create(pod('short', [unreachableToleration(1)]));
    await pods().create(pod('patient', [unreachableToleration(3600)]));
    await pods().create(pod('defaulted'));
    const patient = await pods().get('patient');
    await pods().updateStatus({ ...patient, status: { ...patient.status, conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: rfc3339(Date.now()) }] } });

    const manager = new Manager({ client: cp.client, logger: pino({ level: 'silent' }) });
    nodeLifecycleController.register({ manager, settings });
    taintEvictionController.register({ manager, settings });
    running = manager.start(stop.signal);
  });

  afterAll(async () => {
    clearInterval(renewer);
    stop.abort();
    await running;
    await cp?.stop();
  });

  it('marks a node whose kubelet went silent Unknown, taints it unreachable and marks its pods not ready', async () => {
    const dead = await waitFor('dead node Unknown and tainted', async () => {
      const node = await cp.client.nodes.get('dead');
      return taintsOf(node).length === 2 ? node : undefined;
    }, { explain: async () => JSON.stringify(await cp.client.nodes.get('dead')) });
    const conditions = dead.status?.conditions ?? [];
    for (const type of ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure']) {
      expect(conditions.find((c) => c.type === type)).toMatchObject({ status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' });
    }
    const ready = conditions.find((c) => c.type === 'Ready') as NodeCondition;
    expect(ready.lastTransitionTime).not.toBe(ready.lastHeartbeatTime);
    expect(taintsOf(dead)).toEqual([`${UNREACHABLE}:NoExecute`, `${UNREACHABLE}:NoSchedule`]);
    expect(dead.spec?.taints?.find((t) => t.effect === 'NoExecute')?.timeAdded).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

    const alive = await cp.client.nodes.get('alive');
    expect(alive.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
    expect(taintsOf(alive)).toEqual([]);

    const patient = await waitFor('patient pod not ready', async () => {
      const p = await pods().get('patient');
      return p.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'False' ? p : undefined;
    });
    expect(patient.metadata.deletionTimestamp).toBeUndefined();
    const events = (await cp.client.events.list({ namespace: 'default' })).items;
    expect(events).toEqual(expect.arrayContaining([expect.objectContaining({ reason: 'NodeNotReady', message: 'Node dead status is now: NodeNotReady', source: expect.objectContaining({ component: 'node-controller' }) })]));
  });

  it('evicts pods by their tolerations: at once, after tolerationSeconds, not within an hour', async () => {
    await waitFor('at-once pod deleted', () => gone('at-once'));
    const started = Date.now();
    await waitFor('short pod deleted', () => gone('short'));
    const short = await pods().get('short').catch(() => undefined);
    if (short) expect(short.status?.conditions?.find((c) => c.type === 'DisruptionTarget')).toMatchObject({ status: 'True', reason: 'DeletionByTaintManager', message: 'Taint manager: deleting due to NoExecute taint' });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await gone('patient')).toBe(false);
    // DefaultTolerationSeconds gave it 300 s.
    const defaulted = await pods().get('defaulted');
    expect(defaulted.spec?.tolerations).toEqual(expect.arrayContaining([expect.objectContaining({ key: UNREACHABLE, tolerationSeconds: 300 })]));
    expect(defaulted.metadata.deletionTimestamp).toBeUndefined();
    const events = await waitFor('eviction event', async () => {
      const items = (await cp.client.events.list({ namespace: 'default' })).items.filter((e) => e.reason === 'TaintManagerEviction');
      return items.some((e) => e.message === 'Marking for deletion Pod default/short') ? items : undefined;
    });
    expect(events[0]).toMatchObject({ type: 'Normal', involvedObject: expect.objectContaining({ kind: 'Pod' }), source: expect.objectContaining({ component: 'taint-eviction-controller' }) });

    // The evicted pods go (as a kubelet would end them): an eviction that already ran is not
    // "cancelled" (upstream's CancelWork is false for it), so their deletion adds no Cancelling
    // event (earlier taint changes may have cancelled waiting ones). Another pod's eviction,
    // completed before, makes sure theirs had finished; one more after is the sync point.
    const evictionEvents = async () => {
      const counts = new Map<string, number>();
      for (const e of (await cp.client.events.list({ namespace: 'default' })).items) {
        if (e.reason === 'TaintManagerEviction') counts.set(e.message ?? '', (counts.get(e.message ?? '') ?? 0) + (e.count ?? 1));
      }
      return counts;
    };
    const evictionSeen = (name: string) => waitFor(`eviction event of ${name}`, async () => (await evictionEvents()).has(`Marking for deletion Pod default/${name}`));
    await pods().create(pod('later', [unreachableToleration(0)]));
    await evictionSeen('later');
    await waitFor('later pod evicted', () => gone('later'));
    const before = await evictionEvents();
    for (const name of ['at-once', 'short']) await pods().delete(name, { gracePeriodSeconds: 0 }).catch(() => {});
    await pods().create(pod('last', [unreachableToleration(0)]));
    await evictionSeen('last');
    const after = await evictionEvents();
    for (const name of ['at-once', 'short']) {
      const cancelled = `Cancelling deletion of Pod default/${name}`;
      expect(after.get(cancelled) ?? 0).toBe(before.get(cancelled) ?? 0);
    }
  });

  it('removes the taints once the kubelet renews its Lease and posts Ready again', async () => {
    await renewLease('dead');
    await postStatus('dead', 'True');
    await waitFor('dead node untainted', async () => taintsOf(await cp.client.nodes.get('dead')).length === 0, { explain: async () => JSON.stringify((await cp.client.nodes.get('dead')).spec) });
    expect(await gone('patient')).toBe(false);
  });

  it('taints a node whose kubelet reports Ready=False not-ready instead', async () => {
    await renewLease('dead');
    await postStatus('dead', 'False');
    const renewing = setInterval(() => void renewLease('dead').catch(() => {}), 300);
    try {
      await waitFor('not-ready taints', async () => {
        const taints = taintsOf(await cp.client.nodes.get('dead'));
        return taints.join() === [`${NOT_READY}:NoExecute`, `${NOT_READY}:NoSchedule`].join();
      }, { explain: async () => JSON.stringify((await cp.client.nodes.get('dead')).spec) });
      expect((await cp.client.nodes.get('dead')).status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('False');
    } finally {
      clearInterval(renewing);
    }
  });
});
