import { describe, expect, it } from 'vitest';
import type { Node, Taint } from '../../../pkg/api/core/v1/node.ts';
import { applyTaintChanges, desiredNoScheduleTaints, noExecuteTaintSwap, noScheduleTaintChanges } from './node-taints.ts';

const node = (conditions: Array<[string, string]>, taints: Taint[] = [], unschedulable = false): Node => ({
  metadata: { name: 'n1' },
  spec: { taints, unschedulable },
  status: { conditions: conditions.map(([type, status]) => ({ type, status })) },
});
const ns = (key: string) => ({ key: `node.kubernetes.io/${key}`, effect: 'NoSchedule' });

describe('desiredNoScheduleTaints (TaintNodesByCondition)', () => {
  it.each([
    ['Ready True, no pressure', [['Ready', 'True'], ['MemoryPressure', 'False']], false, []],
    ['Ready False', [['Ready', 'False']], false, [ns('not-ready')]],
    ['Ready Unknown', [['Ready', 'Unknown']], false, [ns('unreachable')]],
    ['pressures and network', [['Ready', 'True'], ['MemoryPressure', 'True'], ['DiskPressure', 'True'], ['PIDPressure', 'True'], ['NetworkUnavailable', 'True']], false, [ns('memory-pressure'), ns('disk-pressure'), ns('pid-pressure'), ns('network-unavailable')]],
    ['pressure Unknown is no taint', [['MemoryPressure', 'Unknown'], ['DiskPressure', 'Unknown']], false, []],
    ['cordoned', [['Ready', 'True']], true, [ns('unschedulable')]],
  ] as const)('%s', (_name, conditions, unschedulable, want) => {
    expect(desiredNoScheduleTaints(node(conditions.map(([a, b]) => [a, b]), [], unschedulable))).toEqual(want);
  });
});

describe('noScheduleTaintChanges', () => {
  it.each([
    ['adds what is missing', [['Ready', 'Unknown']], [], { add: [ns('unreachable')], remove: [] }],
    ['removes its own stale taints only', [['Ready', 'True']], [ns('unreachable'), ns('unschedulable'), { key: 'example.com/gpu', effect: 'NoSchedule' }, { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }], { add: [], remove: [ns('unreachable'), ns('unschedulable')] }],
    ['swaps not-ready for unreachable', [['Ready', 'Unknown']], [ns('not-ready')], { add: [ns('unreachable')], remove: [ns('not-ready')] }],
    ['nothing to do', [['Ready', 'False']], [{ ...ns('not-ready'), timeAdded: '2025-01-01T00:00:00Z' }], { add: [], remove: [] }],
  ] as const)('%s', (_name, conditions, taints, want) => {
    expect(noScheduleTaintChanges(node(conditions.map(([a, b]) => [a, b]), taints.map((t) => ({ ...t }))))).toEqual(want);
  });
});

describe('noExecuteTaintSwap', () => {
  it.each([
    ['False', { add: { key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' }, remove: { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' } }],
    ['Unknown', { add: { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }, remove: { key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' } }],
    ['True', undefined],
    [undefined, undefined],
  ] as const)('Ready %s → %j', (status, want) => expect(noExecuteTaintSwap(status)).toEqual(want));
});

describe('applyTaintChanges', () => {
  const at = '2025-01-01T00:00:00Z';
  const unreachable = { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' };
  const notReady = { key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' };
  const gpu: Taint = { key: 'example.com/gpu', value: 'true', effect: 'NoSchedule' };
  it.each([
    ['adds with timeAdded after existing taints', [gpu], { add: [unreachable], remove: [notReady] }, [gpu, { ...unreachable, timeAdded: at }]],
    ['swaps', [{ ...notReady, timeAdded: 'earlier' }], { add: [unreachable], remove: [notReady] }, [{ ...unreachable, timeAdded: at }]],
    ['keeps a taint already there (its timeAdded does not move)', [{ ...unreachable, timeAdded: 'earlier' }], { add: [unreachable], remove: [notReady] }, undefined],
    ['removing what is not there changes nothing', [gpu], { add: [], remove: [unreachable, notReady] }, undefined],
    ['removes only by key and effect', [gpu, { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' }, { ...unreachable, timeAdded: 'x' }], { add: [], remove: [unreachable] }, [gpu, { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' }]],
  ] as const)('%s', (_name, current, changes, want) => expect(applyTaintChanges(current as readonly Taint[], changes, at)).toEqual(want));
});
