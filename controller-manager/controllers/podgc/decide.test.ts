import { describe, expect, it } from 'vitest';
import type { Node } from '../../../pkg/api/core/v1/node.ts';
import type { Pod } from '../../../pkg/api/core/v1/pod.ts';
import { missingNodes, OUT_OF_SERVICE_TAINT, podsToCollect } from './decide.ts';

const node = (name: string, ready: boolean, outOfService = false): Node =>
  ({ metadata: { name }, spec: { taints: outOfService ? [{ key: OUT_OF_SERVICE_TAINT, value: 'nodeshutdown', effect: 'NoExecute' }] : undefined }, status: { conditions: [{ type: 'Ready', status: ready ? 'True' : 'Unknown' }] } }) as Node;
const pod = (name: string, o: { node?: string; terminating?: boolean; phase?: string; created?: string } = {}): Pod =>
  ({ metadata: { name, namespace: 'default', deletionTimestamp: o.terminating ? '2026-01-01T00:00:00Z' : undefined, creationTimestamp: o.created ?? '2026-01-01T00:00:00Z' }, spec: { nodeName: o.node, containers: [] }, status: { phase: o.phase ?? 'Running' } }) as Pod;

const run = (pods: Pod[], nodes: Node[], extra: { missingSince?: Map<string, number>; now?: number; threshold?: number } = {}) =>
  podsToCollect({ pods, nodes, missingSince: extra.missingSince ?? new Map(), now: extra.now ?? 100_000, quarantineMs: 40_000, terminatedThreshold: extra.threshold ?? 12_500 }).map((c) => `${c.pod.metadata.name}:${c.reason}`);

describe('podsToCollect', () => {
  it('force-deletes terminating pods only on a NotReady node with the out-of-service taint', () => {
    const pods = [pod('a', { node: 'down', terminating: true }), pod('b', { node: 'down' }), pod('c', { node: 'unreachable', terminating: true }), pod('d', { node: 'ready-oos', terminating: true })];
    expect(run(pods, [node('down', false, true), node('unreachable', false), node('ready-oos', true, true)])).toEqual(['a:OutOfServiceNode']);
  });

  it('collects pods of a vanished node only after the quarantine, and unscheduled terminating pods at once', () => {
    const pods = [pod('orphan', { node: 'gone' }), pod('unscheduled', { terminating: true })];
    expect(run(pods, [], { missingSince: new Map([['gone', 90_000]]) })).toEqual(['unscheduled:UnscheduledTerminating']);
    expect(run(pods, [], { missingSince: new Map([['gone', 50_000]]) })).toEqual(['orphan:OrphanedNode', 'unscheduled:UnscheduledTerminating']);
    expect([...missingNodes(pods, [])]).toEqual(['gone']);
  });

  it('deletes the oldest finished pods above the threshold', () => {
    const pods = [pod('new', { phase: 'Succeeded', created: '2026-01-03T00:00:00Z' }), pod('old', { phase: 'Failed', created: '2026-01-01T00:00:00Z' }), pod('mid', { phase: 'Succeeded', created: '2026-01-02T00:00:00Z' }), pod('running')];
    expect(run(pods, [], { threshold: 1 })).toEqual(['old:TerminatedOverThreshold', 'mid:TerminatedOverThreshold']);
    expect(run(pods, [], { threshold: 0 })).toEqual([]);
  });
});
