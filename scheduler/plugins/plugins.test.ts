/** Table tests of the small plugins' pure decision functions. */
import { describe, expect, it } from 'vitest';
import { HostPortInfo, podHostPorts, type NodeScore, type QueuedPodInfo, newPodInfo } from '../framework/index.ts';
import { defaultNormalizeScore } from './helper/normalize.ts';
import { toleratesTaint } from './helper/taints.ts';
import { bindingFor } from './defaultbinder/index.ts';
import { fitsNodeName } from './nodename/index.ts';
import { fitsPorts } from './nodeports/index.ts';
import { unschedulableReason } from './nodeunschedulable/index.ts';
import { priorityLess } from './prioritysort/index.ts';
import { schedulingGatesStatus } from './schedulinggates/index.ts';
import { countIntolerablePreferNoSchedule, untoleratedTaintReason } from './tainttoleration/index.ts';
import { makeNode, makePod } from './testing/objects.ts';

describe('toleratesTaint', () => {
  const taint = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' };
  it.each([
    [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }, true],
    [{ key: 'dedicated', value: 'gpu' }, true],
    [{ key: 'dedicated', operator: 'Equal', value: 'cpu' }, false],
    [{ key: 'dedicated', operator: 'Exists' }, true],
    [{ operator: 'Exists' }, true],
    [{ key: 'other', operator: 'Exists' }, false],
    [{ key: 'dedicated', operator: 'Exists', effect: 'NoExecute' }, false],
    [{ key: '', operator: 'Equal', value: 'gpu' }, false],
  ])('%o → %s', (tol, expected) => expect(toleratesTaint(tol, taint)).toBe(expected));
});

describe('TaintToleration', () => {
  it.each([
    { name: 'no taints', taints: [], tolerations: [], reason: undefined },
    { name: 'control-plane taint, empty value', taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }], tolerations: [], reason: 'node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }' },
    { name: 'NoExecute with value', taints: [{ key: 'k', value: 'v', effect: 'NoExecute' }], tolerations: [], reason: 'node(s) had untolerated taint {k: v}' },
    { name: 'PreferNoSchedule does not filter', taints: [{ key: 'k', effect: 'PreferNoSchedule' }], tolerations: [], reason: undefined },
    { name: 'tolerated', taints: [{ key: 'k', value: 'v', effect: 'NoSchedule' }], tolerations: [{ key: 'k', operator: 'Exists' }], reason: undefined },
  ])('filter: $name', ({ taints, tolerations, reason }) => {
    expect(untoleratedTaintReason(makePod({ tolerations }), makeNode({ taints }))).toBe(reason);
  });

  it.each([
    { taints: [{ key: 'a', effect: 'PreferNoSchedule' }, { key: 'b', effect: 'PreferNoSchedule' }, { key: 'c', effect: 'NoSchedule' }], tolerations: [], count: 2 },
    { taints: [{ key: 'a', effect: 'PreferNoSchedule' }], tolerations: [{ key: 'a', operator: 'Exists' }], count: 0 },
  ])('score counts intolerable PreferNoSchedule taints → $count', ({ taints, tolerations, count }) => {
    expect(countIntolerablePreferNoSchedule(makeNode({ taints }), tolerations)).toBe(count);
  });
});

describe('defaultNormalizeScore', () => {
  it.each([
    { scores: [0, 1, 2], reverse: true, out: [100, 50, 0] },
    { scores: [0, 0], reverse: true, out: [100, 100] },
    { scores: [1, 3], reverse: false, out: [33, 100] },
    { scores: [0, 0], reverse: false, out: [0, 0] },
  ])('$scores reverse=$reverse → $out', ({ scores, reverse, out }) => {
    const list: NodeScore[] = scores.map((score, i) => ({ name: `n${i}`, score }));
    defaultNormalizeScore(list, reverse);
    expect(list.map((s) => s.score)).toEqual(out);
  });
});

describe('NodeName, NodeUnschedulable, NodePorts, SchedulingGates, PrioritySort, DefaultBinder', () => {
  it.each([
    ['', 'n1', true],
    ['n1', 'n1', true],
    ['n2', 'n1', false],
  ])('nodeName %j on %s → %s', (want, node, fits) => expect(fitsNodeName(makePod({ nodeName: want || undefined }), node)).toBe(fits));

  it.each([
    { name: 'schedulable', unschedulable: false, tolerations: [], reason: undefined },
    { name: 'cordoned', unschedulable: true, tolerations: [], reason: 'node(s) were unschedulable' },
    { name: 'cordoned, tolerated', unschedulable: true, tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }], reason: undefined },
  ])('unschedulable: $name', ({ unschedulable, tolerations, reason }) => {
    expect(unschedulableReason(makePod({ tolerations }), makeNode({ unschedulable }))).toBe(reason);
  });

  it.each([
    { name: 'free', used: [{ port: 80 }], want: [{ port: 8080 }], fits: true },
    { name: 'same port wildcard', used: [{ port: 80 }], want: [{ port: 80 }], fits: false },
    { name: 'specific IP vs wildcard', used: [{ port: 80, ip: '10.0.0.1' }], want: [{ port: 80 }], fits: false },
    { name: 'different IPs', used: [{ port: 80, ip: '10.0.0.1' }], want: [{ port: 80, ip: '10.0.0.2' }], fits: true },
    { name: 'different protocol', used: [{ port: 53, protocol: 'UDP' }], want: [{ port: 53 }], fits: true },
  ])('ports: $name', ({ used, want, fits }) => {
    const info = new HostPortInfo();
    for (const p of podHostPorts(makePod({ hostPorts: used }))) info.add(p);
    expect(fitsPorts(podHostPorts(makePod({ hostPorts: want })), info)).toBe(fits);
  });

  it('scheduling gates message', () => {
    const pod = { ...makePod(), spec: { ...makePod().spec, schedulingGates: [{ name: 'a' }, { name: 'b' }] } };
    expect(schedulingGatesStatus(pod).message()).toBe('waiting for scheduling gates: [a b]');
    expect(schedulingGatesStatus(makePod()).isSuccess()).toBe(true);
  });

  it.each([
    { a: { priority: 10, ts: 2 }, b: { priority: 1, ts: 1 }, less: true },
    { a: { priority: 1, ts: 1 }, b: { priority: 1, ts: 2 }, less: true },
    { a: { priority: 1, ts: 2 }, b: { priority: 1, ts: 1 }, less: false },
  ])('priority sort $a before $b → $less', ({ a, b, less }) => {
    const q = (o: { priority: number; ts: number }): QueuedPodInfo =>
      ({ podInfo: newPodInfo(makePod({ priority: o.priority })), timestamp: o.ts, attempts: 0, initialAttemptTimestamp: undefined, unschedulablePlugins: new Set(), pendingPlugins: new Set(), gated: false });
    expect(priorityLess(q(a), q(b))).toBe(less);
  });

  it('binding object', () => {
    expect(bindingFor(makePod({ name: 'web' }), 'n1')).toEqual({
      apiVersion: 'v1',
      kind: 'Binding',
      metadata: { name: 'web', namespace: 'default', uid: 'uid-web' },
      target: { kind: 'Node', name: 'n1' },
    });
  });
});
