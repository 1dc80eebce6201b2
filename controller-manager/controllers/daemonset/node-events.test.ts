import { describe, expect, it } from 'vitest';
import type { Node } from '../../../pkg/api/core/v1/node.ts';
import { daemonSetsForNewNode, daemonSetsForNodeUpdate, nodeInSameCondition, shouldIgnoreNodeUpdate } from './node-events.ts';
import { ds, node } from './test-objects.ts';

const everywhere = ds();
const onSsd = ds({ podSpec: { nodeSelector: { disk: 'ssd' } } });
onSsd.metadata.name = 'on-ssd';
const names = (list: Array<{ metadata: { name?: string } }>) => list.map((d) => d.metadata.name);

describe('node events', () => {
  it.each([
    [[{ type: 'Ready', status: 'True' }], [{ type: 'Ready', status: 'True', lastHeartbeatTime: 'x' }], true],
    [[{ type: 'Ready', status: 'True' }], [{ type: 'Ready', status: 'False' }], false],
    [[{ type: 'Ready', status: 'False' }], [{ type: 'Ready', status: 'Unknown' }], true],
    [[], [{ type: 'MemoryPressure', status: 'True' }], false],
  ])('nodeInSameCondition #%#', (a, b, same) => expect(nodeInSameCondition(a, b)).toBe(same));

  it('ignores heartbeats and resourceVersion bumps, not label or taint changes', () => {
    const a = node('n1');
    expect(shouldIgnoreNodeUpdate(a, { ...a, metadata: { ...a.metadata, resourceVersion: '9' }, status: { conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: '2026-01-01T00:00:00Z' }] } } as Node)).toBe(true);
    expect(shouldIgnoreNodeUpdate(a, node('n1', { labels: { disk: 'ssd' } }))).toBe(false);
  });

  it.each([
    ['a new plain node', undefined, node('n1'), ['fluentd']],
    ['a new ssd node', undefined, node('n1', { labels: { disk: 'ssd' } }), ['fluentd', 'on-ssd']],
    ['a label making the node qualify', node('n1'), node('n1', { labels: { disk: 'ssd' } }), ['on-ssd']],
    ['a NoSchedule taint (pods stay; nothing new)', node('n1'), node('n1', { taints: [{ key: 'k', effect: 'NoSchedule' }] }), ['fluentd']],
    ['a heartbeat', node('n1'), node('n1', { conditions: [{ type: 'Ready', status: 'True' }] }), []],
  ])('%s → %j', (_name, old, cur, expected) => {
    const list = old ? daemonSetsForNodeUpdate(old, cur, [everywhere, onSsd]) : daemonSetsForNewNode(cur, [everywhere, onSsd]);
    expect(names(list)).toEqual(expected);
  });
});
