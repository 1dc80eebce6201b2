import { describe, expect, it } from 'vitest';
import type { Lease } from '../../../pkg/api/coordination/v1/lease.ts';
import type { Node, NodeCondition } from '../../../pkg/api/core/v1/node.ts';
import { rfc3339 } from '../../../pkg/util/time.ts';
import { assessNodeHealth, type NodeHealth } from './node-health.ts';

const T0 = Date.parse('2025-01-01T00:00:00Z');
const s = (sec: number) => rfc3339(T0 + sec * 1000);
const GRACE = 40_000;
const STARTUP = 60_000;

const cond = (type: string, status: string, heartbeatSec = 0, transitionSec = 0, extra: Partial<NodeCondition> = {}): NodeCondition => ({
  type, status, lastHeartbeatTime: s(heartbeatSec), lastTransitionTime: s(transitionSec), reason: `Kubelet${type}`, message: `kubelet says ${status}`, ...extra,
});
const node = (conditions?: NodeCondition[]): Node => ({ metadata: { name: 'n1', uid: 'u1', creationTimestamp: s(0) }, status: conditions ? { conditions } : {} });
const lease = (renewSec: number | null): Lease => ({ metadata: { name: 'n1', namespace: 'kube-node-lease' }, spec: { renewTime: renewSec === null ? null : `${s(renewSec).slice(0, -1)}.000000Z` } });
const healthy = [cond('Ready', 'True'), cond('MemoryPressure', 'False'), cond('DiskPressure', 'False'), cond('PIDPressure', 'False'), cond('NetworkUnavailable', 'False')];
const saved = (probeSec: number, conditions: NodeCondition[], leaseRenewSec?: number): NodeHealth => ({
  probeTimestamp: T0 + probeSec * 1000, readyTransitionTimestamp: T0, conditions, ...(leaseRenewSec === undefined ? {} : { lease: { renewTime: `${s(leaseRenewSec).slice(0, -1)}.000000Z` } }),
});
const assess = (n: Node, sv: NodeHealth | undefined, l: Lease | undefined, nowSec: number) =>
  assessNodeHealth({ node: n, saved: sv, lease: l, now: T0 + nowSec * 1000, nodeMonitorGracePeriodMs: GRACE, nodeStartupGracePeriodMs: STARTUP });

describe('assessNodeHealth', () => {
  it.each([
    // name, node conditions, saved, lease, now (s), want write?, want probe (s)
    ['first sight of a posting node: probe now, nothing written', healthy, undefined, undefined, 100, false, 100],
    ['heartbeat unchanged within the grace period', healthy, saved(10, healthy), undefined, 50, false, 10],
    ['heartbeat unchanged exactly at the grace period: not yet', healthy, saved(10, healthy), undefined, 50, false, 10],
    ['heartbeat unchanged past the grace period: Unknown', healthy, saved(10, healthy), undefined, 51, true, 10],
    ['a new heartbeat is a sign of life', [cond('Ready', 'True', 45)], saved(10, [cond('Ready', 'True')]), undefined, 60, false, 60],
    ['a renewed Lease is a sign of life', healthy, saved(10, healthy, 5), lease(55), 60, false, 60],
    ['a Lease not renewed since is not', healthy, saved(10, healthy, 5), lease(5), 60, true, 10],
    ['a Lease seen for the first time counts', healthy, saved(10, healthy), lease(5), 60, false, 60],
    ['a Lease without renewTime after one without counts only once', healthy, { ...saved(10, healthy), lease: { renewTime: null } }, lease(null), 60, true, 10],
    ['already Unknown: nothing more to write', [cond('Ready', 'Unknown', 0, 20)], saved(10, [cond('Ready', 'Unknown', 0, 20)]), undefined, 100, false, 10],
  ] as const)('%s', (_name, conditions, sv, l, nowSec, wantWrite, wantProbeSec) => {
    const a = assess(node([...conditions]), sv as NodeHealth | undefined, l, nowSec);
    expect(Boolean(a.conditionsToWrite)).toBe(wantWrite);
    expect(a.health.probeTimestamp).toBe(T0 + wantProbeSec * 1000);
  });

  it('turns every monitored condition Unknown with the upstream reason and message, NetworkUnavailable untouched', () => {
    const a = assess(node(healthy), saved(10, healthy), undefined, 51);
    expect(a.observedReady.status).toBe('True');
    expect(a.currentReady).toMatchObject({ type: 'Ready', status: 'Unknown' });
    expect(a.conditionsToWrite).toEqual([
      { ...healthy[0], status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastTransitionTime: s(51) },
      { ...healthy[1], status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastTransitionTime: s(51) },
      { ...healthy[2], status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastTransitionTime: s(51) },
      { ...healthy[3], status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastTransitionTime: s(51) },
      healthy[4],
    ]);
    expect(a.healthAfterWrite).toMatchObject({ probeTimestamp: T0 + 10_000, readyTransitionTimestamp: T0 + 51_000, conditions: a.conditionsToWrite });
  });

  it('appends the conditions the kubelet never posted as NodeStatusNeverUpdated', () => {
    const a = assess(node([cond('Ready', 'True')]), saved(10, [cond('Ready', 'True')]), undefined, 51);
    expect(a.conditionsToWrite?.map((c) => [c.type, c.status, c.reason])).toEqual([
      ['Ready', 'Unknown', 'NodeStatusUnknown'],
      ['MemoryPressure', 'Unknown', 'NodeStatusNeverUpdated'],
      ['DiskPressure', 'Unknown', 'NodeStatusNeverUpdated'],
      ['PIDPressure', 'Unknown', 'NodeStatusNeverUpdated'],
    ]);
    expect(a.conditionsToWrite?.[1]).toMatchObject({ message: 'Kubelet never posted node status.', lastHeartbeatTime: s(0), lastTransitionTime: s(51) });
  });

  it('holds a node that never posted Ready to the startup grace period from its creation', () => {
    expect(assess(node(), undefined, undefined, 60).conditionsToWrite).toBeUndefined();
    const late = assess(node(), undefined, undefined, 61);
    expect(late.gracePeriodMs).toBe(STARTUP);
    expect(late.observedReady).toMatchObject({ status: 'Unknown', lastHeartbeatTime: s(0) });
    expect(late.conditionsToWrite?.map((c) => c.reason)).toEqual(['NodeStatusNeverUpdated', 'NodeStatusNeverUpdated', 'NodeStatusNeverUpdated', 'NodeStatusNeverUpdated']);
  });

  it('moves the ready transition timestamp only when Ready transitioned', () => {
    const same = assess(node([cond('Ready', 'True', 30)]), { ...saved(10, [cond('Ready', 'True')]), readyTransitionTimestamp: T0 + 3000 }, undefined, 31);
    expect(same.health.readyTransitionTimestamp).toBe(T0 + 3000);
    const moved = assess(node([cond('Ready', 'False', 30, 30)]), saved(10, [cond('Ready', 'True')]), undefined, 31);
    expect(moved.health.readyTransitionTimestamp).toBe(T0 + 31_000);
  });
});
