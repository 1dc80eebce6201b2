/**
 * The runtime against the real API server (in-process, memory storage): builder sources,
 * reconcile outcomes, events, claims and leader election between two managers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConfigMap } from '../api/core/v1/configmap.ts';
import { selectorFromSet } from '../api/selectors/index.ts';
import { BUILTIN_COORDINATES as C } from '../client/index.ts';
import { startTestControlPlane, type TestControlPlane } from '../testing/control-plane.ts';
import { claimChildren, controllerRefOf, Manager, newControllerBuilder, TerminalError, type ReconcileRequest } from './index.ts';
import { waitFor } from '../testing/wait.ts';

let cp: TestControlPlane;
beforeAll(async () => {
  cp = await startTestControlPlane();
  await cp.client.namespaces.create({ metadata: { name: 'rt' } });
});
afterAll(() => cp?.stop());

const until = <T>(what: string, fn: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 10_000): Promise<T> => waitFor(what, fn, { timeoutMs, intervalMs: 20 });

function running(manager: Manager): { stop: () => Promise<void>; done: Promise<void> } {
  const ac = new AbortController();
  const done = manager.start(ac.signal);
  return { done, stop: async () => { ac.abort(); await done; } };
}

describe('controller builder and workers', () => {
  it('reconciles for() objects and owners of owned children; retries errors; stops on TerminalError; honours requeueAfterMs', async () => {
    const manager = new Manager({ client: cp.client });
    const calls: string[] = [];
    const failures = new Map<string, number>();
    newControllerBuilder(manager, 'cm-test')
      .for<ConfigMap>(C.configMaps, { predicates: [{ create: (o) => o.metadata.namespace === 'rt' }] })
      .owns(C.secrets)
      .withMaxConcurrentReconciles(2)
      .complete({
        async reconcile(req: ReconcileRequest) {
          calls.push(`${req.namespace}/${req.name}`);
          if (req.name === 'flaky') {
            const n = (failures.get(req.name) ?? 0) + 1;
            failures.set(req.name, n);
            if (n < 3) throw new Error('transient');
          }
          if (req.name === 'broken') throw new TerminalError('bad spec');
          if (req.name === 'periodic' && calls.filter((c) => c === 'rt/periodic').length < 3) return { requeueAfterMs: 10 };
        },
      });
    const run = running(manager);
    try {
      const cms = cp.client.configMaps.inNamespace('rt');
      const owner = await cms.create({ metadata: { name: 'owner' } });
      await cms.create({ metadata: { name: 'flaky' } });
      await cms.create({ metadata: { name: 'broken' } });
      await cms.create({ metadata: { name: 'periodic' } });
      await until('flaky to succeed after 2 failures', () => failures.get('flaky') === 3);
      await until('periodic to requeue twice', () => calls.filter((c) => c === 'rt/periodic').length >= 3);
      const before = calls.filter((c) => c === 'rt/owner').length;
      await cp.client.secrets.inNamespace('rt').create({
        metadata: { name: 'child', ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: owner.metadata.uid as string, controller: true }] },
      });
      await until('owner reconciled for its child', () => calls.filter((c) => c === 'rt/owner').length > before);
      await new Promise((r) => setTimeout(r, 100));
      expect(calls.filter((c) => c === 'rt/broken')).toHaveLength(1);
      expect(calls.filter((c) => c === 'rt/periodic')).toHaveLength(3);
      expect(calls.some((c) => c.startsWith('default/'))).toBe(false);
      const metrics = await manager.metrics.registry.getSingleMetricAsString('controller_runtime_reconcile_total');
      expect(metrics).toMatch(/controller="cm-test",result="terminal_error"} 1/);
    } finally {
      await run.stop();
    }
  });
});

describe('event recorder', () => {
  it('creates an Event and aggregates repeats into count', async () => {
    const manager = new Manager({ client: cp.client });
    const cm = await cp.client.configMaps.inNamespace('rt').create({ metadata: { name: 'evented' } });
    const recorder = manager.eventRecorder('test-controller');
    recorder.event({ ...cm, apiVersion: 'v1', kind: 'ConfigMap' }, 'Normal', 'Synced', 'synced it');
    await recorder.flush();
    recorder.event({ ...cm, apiVersion: 'v1', kind: 'ConfigMap' }, 'Normal', 'Synced', 'synced it');
    await recorder.flush();
    const events = (await cp.client.events.inNamespace('rt').list()).items.filter((e) => e.involvedObject?.name === 'evented');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ reason: 'Synced', message: 'synced it', type: 'Normal', count: 2, source: { component: 'test-controller' }, involvedObject: { kind: 'ConfigMap', uid: cm.metadata.uid } });
  });
});

describe('claimChildren', () => {
  it('adopts matching orphans, releases non-matching children, ignores children of other controllers', async () => {
    const cms = cp.client.configMaps.inNamespace('rt');
    const owner = await cms.create({ metadata: { name: 'claimer' } });
    const other = await cms.create({ metadata: { name: 'other-owner' } });
    const ref = (o: ConfigMap) => ({ apiVersion: 'v1', kind: 'ConfigMap', name: o.metadata.name as string, uid: o.metadata.uid as string, controller: true });
    await cms.create({ metadata: { name: 'orphan', labels: { app: 'x' } } });
    await cms.create({ metadata: { name: 'mine-nomatch', labels: { app: 'y' }, ownerReferences: [ref(owner)] } });
    await cms.create({ metadata: { name: 'theirs', labels: { app: 'x' }, ownerReferences: [ref(other)] } });
    const children = (await cms.list()).items.filter((c) => ['orphan', 'mine-nomatch', 'theirs'].includes(c.metadata.name as string));
    const claimed = await claimChildren({ owner, ownerType: { apiVersion: 'v1', kind: 'ConfigMap' }, selector: selectorFromSet({ app: 'x' }), children, client: cms, getOwnerFresh: () => cms.get('claimer') });
    expect(claimed.map((c) => c.metadata.name)).toEqual(['orphan']);
    expect(controllerRefOf(await cms.get('orphan'))).toMatchObject({ uid: owner.metadata.uid, blockOwnerDeletion: true });
    expect((await cms.get('mine-nomatch')).metadata.ownerReferences).toBeUndefined();
    expect(controllerRefOf(await cms.get('theirs'))?.uid).toBe(other.metadata.uid);
  });
});

describe('leader election', () => {
  it('only one of two managers runs leader runnables; the other takes over when the leader stops', async () => {
    const election = { name: 'rt-test', namespace: 'rt', leaseDurationMs: 1000, renewDeadlineMs: 800, retryPeriodMs: 100 };
    let active = 0;
    let maxActive = 0;
    const started: string[] = [];
    const make = (id: string) => {
      const m = new Manager({ client: cp.client, leaderElection: { ...election, identity: id } });
      m.add({
        name: 'work',
        start: async (signal) => {
          started.push(id);
          active += 1;
          maxActive = Math.max(maxActive, active);
          await new Promise<void>((r) => signal.addEventListener('abort', () => r(), { once: true }));
          active -= 1;
        },
      });
      return m;
    };
    const a = make('a');
    const b = make('b');
    const runA = running(a);
    await until('a leads', () => a.isLeader());
    const runB = running(b);
    await new Promise((r) => setTimeout(r, 400));
    expect(b.isLeader()).toBe(false);
    expect(started).toEqual(['a']);
    const lease = await cp.client.leases.inNamespace('rt').get('rt-test');
    expect(lease.spec).toMatchObject({ holderIdentity: 'a', leaseDurationSeconds: 1 });
    await runA.stop();
    await until('b takes over', () => b.isLeader());
    expect(started).toEqual(['a', 'b']);
    expect(maxActive).toBe(1);
    const after = await cp.client.leases.inNamespace('rt').get('rt-test');
    expect(after.spec).toMatchObject({ holderIdentity: 'b', leaseTransitions: 1 });
    await runB.stop();
  });
});

describe('event spam filter', () => {
  it('lets 25 events per object and reason through, then drops the rest', async () => {
    const manager = new Manager({ client: cp.client });
    const cm = await cp.client.configMaps.inNamespace('rt').create({ metadata: { name: 'noisy' } });
    const recorder = manager.eventRecorder('spammer');
    for (let i = 0; i < 40; i++) recorder.event({ ...cm, apiVersion: 'v1', kind: 'ConfigMap' }, 'Normal', 'Tick', `tick ${i}`);
    recorder.event({ ...cm, apiVersion: 'v1', kind: 'ConfigMap' }, 'Normal', 'Other', 'a different reason');
    await recorder.flush();
    const events = (await cp.client.events.inNamespace('rt').list()).items.filter((e) => e.involvedObject?.name === 'noisy');
    expect(events.filter((e) => e.reason === 'Tick')).toHaveLength(25);
    expect(events.filter((e) => e.reason === 'Other')).toHaveLength(1);
  });
});
