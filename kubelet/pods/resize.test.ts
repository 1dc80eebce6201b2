import { describe, expect, it } from 'vitest';
import type { Pod } from '../../pkg/api/core/v1/pod.ts';
import { ctr, noBackoff, pod, runtime } from '../testing/runtime-fixtures.ts';
import { computePodActions } from './actions.ts';
import { containerHash, legacyContainerHash, orderedContainerHash } from './container-config.ts';
import { allocatedCgroup, allocationsEqual, containerStatusResources, decideResize, desiredAllocation, resizeActions, withAllocation } from './resize.ts';
import pino from 'pino';
import { PodResizeManager } from './resize-manager.ts';

const noRuntime = { updateContainerResources: async () => undefined };

const sized = (requests: Record<string, string>, limits: Record<string, string> = {}, extra: Record<string, unknown> = {}, uid = 'u1'): Pod =>
  pod({ containers: [{ name: 'app', image: 'busybox', resources: { requests, limits }, ...extra }] }, { uid });
const node = { cpu: '2', memory: '4Gi' };

describe('decideResize (upstream canResizePod)', () => {
  it.each([
    ['fits beside the others', sized({ cpu: '1', memory: '1Gi' }), [sized({ cpu: '500m', memory: '1Gi' })], { grant: true }],
    ['more memory than the node has', sized({ cpu: '3', memory: '5Gi' }), [], { grant: false, reason: 'Infeasible', message: "Node didn't have enough capacity: memory, requested: 5368709120, capacity: 4294967296" }],
    ['more CPU than the node has', sized({ cpu: '2500m' }), [], { grant: false, reason: 'Infeasible', message: "Node didn't have enough capacity: cpu, requested: 2500, capacity: 2000" }],
    ['room taken by another pod', sized({ cpu: '1500m' }), [sized({ cpu: '1' })], { grant: false, reason: 'Deferred', message: "Node didn't have enough resource: cpu, requested: 1500, used: 1000, capacity: 2000" }],
    ['memory taken by other pods', sized({ memory: '3Gi' }), [sized({ memory: '1Gi' }), sized({ memory: '512Mi' })], { grant: false, reason: 'Deferred', message: "Node didn't have enough resource: memory, requested: 3221225472, used: 1610612736, capacity: 4294967296" }],
  ])('%s', (_name, resized, others, verdict) => {
    expect(decideResize(resized, others, node)).toEqual(verdict);
  });

  it('judges the spec alone: a resize already found Infeasible stays so (its status must not shrink the request)', () => {
    const pending = sized({ cpu: '2500m' });
    pending.status = {
      conditions: [{ type: 'PodResizePending', status: 'True', reason: 'Infeasible' }],
      containerStatuses: [{ name: 'app', allocatedResources: { cpu: '500m' }, resources: { requests: { cpu: '500m' } } }],
    } as unknown as Pod['status'];
    expect(decideResize(pending, [], node)).toMatchObject({ grant: false, reason: 'Infeasible' });
  });
});

describe('allocations', () => {
  it('compare quantities by value and swap into a pod', () => {
    const a = desiredAllocation(sized({ cpu: '1' }, { memory: '1Gi' }));
    expect(allocationsEqual(a, desiredAllocation(sized({ cpu: '1000m' }, { memory: '1024Mi' })))).toBe(true);
    expect(allocationsEqual(a, desiredAllocation(sized({ cpu: '900m' }, { memory: '1Gi' })))).toBe(false);
    expect(withAllocation(sized({ cpu: '3' }), a).spec?.containers?.[0]?.resources).toEqual({ requests: { cpu: '1' }, limits: { memory: '1Gi' } });
  });
});

describe('resizeActions (upstream computePodResizeAction)', () => {
  const policy = (cpu: string, memory: string) => ({ resizePolicy: [{ resourceName: 'cpu', restartPolicy: cpu }, { resourceName: 'memory', restartPolicy: memory }] });
  const running = (requests: Record<string, string>, limits: Record<string, string>) => ctr('app', 'running', { resources: allocatedCgroup({ requests, limits }) });

  it.each([
    ['a CPU change with NotRequired: in place', { cpu: '800m' }, { cpu: '800m', memory: '200Mi' }, policy('NotRequired', 'RestartContainer'), [{ restart: false, resources: { cpuShares: 819, cpuQuota: 80000, cpuPeriod: 100000, memoryLimitInBytes: 209715200 } }]],
    ['a memory limit change with RestartContainer: restart', { cpu: '500m' }, { cpu: '500m', memory: '300Mi' }, policy('NotRequired', 'RestartContainer'), [{ restart: true, resources: { cpuShares: 512, cpuQuota: 50000, cpuPeriod: 100000, memoryLimitInBytes: 314572800 } }]],
    ['no resizePolicy: NotRequired', { cpu: '500m' }, { cpu: '500m', memory: '300Mi' }, {}, [{ restart: false }]],
    ['a memory request change alone: nothing to apply', { cpu: '500m', memory: '100Mi' }, { cpu: '500m', memory: '200Mi' }, policy('RestartContainer', 'RestartContainer'), []],
  ])('%s', (_name, requests, limits, extra, expected) => {
    const p = sized(requests, limits, extra);
    const actual = running({ cpu: '500m' }, { cpu: '500m', memory: '200Mi' });
    expect(resizeActions(p, desiredAllocation(p), () => actual)).toEqual(expected.map((e) => expect.objectContaining(e)));
  });

  it('leaves a container alone when the runtime reports no resources, or it does not run', () => {
    const p = sized({ cpu: '800m' }, { cpu: '800m' });
    expect(resizeActions(p, desiredAllocation(p), () => ctr('app', 'running'))).toEqual([]);
    expect(resizeActions(p, desiredAllocation(p), () => ctr('app', 'exited', { resources: { cpuShares: 2 } }))).toEqual([]);
  });

  it('restarts a sidecar through the init container actions', () => {
    const withSidecar = pod({ initContainers: [{ name: 'proxy', image: 'busybox', restartPolicy: 'Always' }], containers: [{ name: 'app', image: 'busybox' }] });
    const actions = computePodActions(withSidecar, runtime([ctr('proxy', 'running'), ctr('app', 'running')]), noBackoff, () => true, new Set(['proxy']));
    expect(actions.kill).toEqual([expect.objectContaining({ message: 'Container proxy resize requires restart' })]);
    expect(actions.start).toEqual([expect.objectContaining({ init: true, restartCount: 1 })]);
  });

  it('restarts through the pod actions, with upstream Killing message and the next restart count', () => {
    const actions = computePodActions(sized({ cpu: '1' }), runtime([ctr('app', 'running', { restartCount: 2 })]), noBackoff, () => true, new Set(['app']));
    expect(actions.kill).toEqual([expect.objectContaining({ message: 'Container app resize requires restart' })]);
    expect(actions.start).toEqual([expect.objectContaining({ restartCount: 3 })]);
  });
});

describe('container hash', () => {
  it('ignores resources, and a container created under the older hash (with limits) counts as current', () => {
    const before = sized({ cpu: '1' }, { cpu: '1' }).spec!.containers![0]!;
    const after = sized({ cpu: '2' }, { cpu: '2' }).spec!.containers![0]!;
    expect(containerHash(before)).toBe(containerHash(after));
    const legacy = computePodActions(sized({ cpu: '1' }, { cpu: '1' }), runtime([ctr('app', 'running', { hash: legacyContainerHash(before) })]), noBackoff);
    expect(legacy.kill).toEqual([]);
    const changed = computePodActions(pod({ containers: [{ name: 'app', image: 'nginx' }] }), runtime([ctr('app', 'running', { hash: containerHash(before) })]), noBackoff);
    expect(changed.kill).toEqual([expect.objectContaining({ reason: 'Container app definition changed' })]);
  });

  it('ignores key order and empty members; a container created under the key-order-sensitive hash counts as current', () => {
    const created = { name: 'app', image: 'busybox', env: [{ name: 'IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP', apiVersion: 'v1' } } }] };
    const patched = { env: [{ valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'status.podIP' } }, name: 'IP' }], image: 'busybox', name: 'app', ports: [] };
    expect(containerHash(patched)).toBe(containerHash(created));
    const live = (hash: string) => computePodActions(pod({ containers: [patched] }), runtime([ctr('app', 'running', { hash })]), noBackoff);
    expect(live(containerHash(created)).kill).toEqual([]);
    expect(live(orderedContainerHash(patched)).kill).toEqual([]);
    expect(live(containerHash({ ...created, image: 'nginx' })).kill).toEqual([expect.objectContaining({ reason: 'Container app definition changed' })]);
  });
});

describe('containerStatusResources (upstream convertContainerStatusResources)', () => {
  const allocation = { requests: { cpu: '800m', memory: '100Mi' }, limits: { cpu: '800m', memory: '200Mi' } };

  it('reports the allocation, keeping its spelling when the runtime agrees', () => {
    expect(containerStatusResources(allocation, ctr('app', 'running', { resources: allocatedCgroup(allocation) }))).toEqual({ allocatedResources: allocation.requests, resources: allocation });
  });

  it('reports what the runtime runs while it differs', () => {
    const old = ctr('app', 'running', { resources: { cpuShares: 512, cpuQuota: 50000, cpuPeriod: 100000, memoryLimitInBytes: 104857600 } });
    expect(containerStatusResources(allocation, old).resources).toEqual({ requests: { cpu: '500m', memory: '100Mi' }, limits: { cpu: '500m', memory: '100Mi' } });
  });

  it('reports only allocatedResources for a container that does not run, and nothing without requests or limits', () => {
    expect(containerStatusResources(allocation, ctr('app', 'exited'))).toEqual({ allocatedResources: allocation.requests });
    expect(containerStatusResources({ requests: {}, limits: {} }, ctr('app', 'running'))).toEqual({});
  });
});

describe('PodResizeManager', () => {
  it('grants at first sight, holds a resize pending while the room is taken, grants it once the room frees', () => {
    let others: Pod[] = [sized({ cpu: '1' }, {}, {}, 'u2')];
    const manager = new PodResizeManager({ allocatable: () => node, activePods: () => others, runtime: noRuntime, log: pino({ level: 'silent' }) });
    expect(manager.allocate(sized({ cpu: '500m' })).get('app')?.requests).toEqual({ cpu: '500m' });
    expect(manager.allocate(sized({ cpu: '1500m' })).get('app')?.requests).toEqual({ cpu: '500m' });
    const [pending] = manager.conditions('u1', false, '2026-12-07T00:00:00Z');
    expect(pending).toMatchObject({ type: 'PodResizePending', status: 'True', reason: 'Deferred', message: "Node didn't have enough resource: cpu, requested: 1500, used: 1000, capacity: 2000" });
    others = [];
    expect(manager.allocate(sized({ cpu: '1500m' })).get('app')?.requests).toEqual({ cpu: '1500m' });
    expect(manager.conditions('u1', false, '2026-12-07T00:00:01Z')).toEqual([]);
  });

  it('forgets the grants of pods no longer on the node, saving the checkpoint', () => {
    const saves: number[] = [];
    const granted = new Map([['app', { requests: { cpu: '500m' }, limits: {} }]]);
    const checkpoint = { load: () => new Map([['gone', granted], ['u1', granted]]), save: (all: ReadonlyMap<string, unknown>) => void saves.push(all.size) };
    const manager = new PodResizeManager({ allocatable: () => node, activePods: () => [], runtime: noRuntime, log: pino({ level: 'silent' }), checkpoint });
    expect(manager.asAllocated(sized({ cpu: '1' }, {}, {}, 'gone')).spec?.containers?.[0]?.resources?.requests).toEqual({ cpu: '500m' });
    manager.retain(new Set(['u1']));
    expect(saves).toEqual([1]);
    expect(manager.asAllocated(sized({ cpu: '1' }, {}, {}, 'gone')).spec?.containers?.[0]?.resources?.requests).toEqual({ cpu: '1' });
    manager.retain(new Set(['u1']));
    expect(saves).toEqual([1]);
  });

  it('reports a resize in progress, and a failure to apply it as reason Error until one succeeds, keeping the transition time', async () => {
    let fail = true;
    const runtime = { updateContainerResources: async () => (fail ? Promise.reject(new Error('boom')) : undefined) };
    const manager = new PodResizeManager({ allocatable: () => node, activePods: () => [], runtime, log: pino({ level: 'silent' }) });
    const [first] = manager.conditions('u1', true, '2026-12-07T00:00:00Z');
    expect(first).toMatchObject({ type: 'PodResizeInProgress', status: 'True' });
    expect(first?.reason).toBeUndefined();
    const update = [{ container: ctr('app', 'running'), resources: { cpuShares: 1024 }, restart: false }];
    await manager.applyInPlace('u1', update);
    expect(manager.conditions('u1', true, '2026-12-07T00:00:05Z', [first!])).toEqual([expect.objectContaining({ reason: 'Error', message: 'updating the resources of container app failed: boom', lastTransitionTime: '2026-12-07T00:00:00Z' })]);
    fail = false;
    await manager.applyInPlace('u1', update);
    expect(manager.conditions('u1', false, '2026-12-07T00:00:06Z')).toEqual([]);
  });
});
