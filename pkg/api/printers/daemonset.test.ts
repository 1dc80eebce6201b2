import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../meta.ts';
import { getPrinter, toTable } from './index.ts';

const now = new Date('2026-11-22T12:00:00Z');
const created = '2026-11-22T11:59:30Z';

const ds = (nodeSelector?: Record<string, string>, status: Record<string, number> = {}): KubeObject => ({
  metadata: { name: 'fluentd-elasticsearch', namespace: 'kube-system', creationTimestamp: created },
  spec: { selector: { matchLabels: { name: 'fluentd-elasticsearch' } }, template: { spec: { nodeSelector, containers: [{ name: 'fluentd', image: 'quay.io/fluentd:v2' }, { name: 'sidecar', image: 'busybox' }] } } },
  status,
});

describe('DaemonSet printer', () => {
  it('has upstream columns, the last three only with -o wide', () => {
    const table = toTable({ info: { group: 'apps', kind: 'DaemonSet' }, objects: [], includeObject: 'None', now }) as { columnDefinitions: Array<{ name: string; priority: number; type: string }> };
    expect(table.columnDefinitions.map((c) => `${c.name}:${c.type}:${c.priority}`)).toEqual([
      'Name:string:0', 'Desired:integer:0', 'Current:integer:0', 'Ready:integer:0', 'Up-to-date:integer:0', 'Available:integer:0', 'Node Selector:string:0', 'Age:string:0',
      'Containers:string:1', 'Images:string:1', 'Selector:string:1',
    ]);
    expect(getPrinter('extensions', 'DaemonSet')).toBe(getPrinter('apps', 'DaemonSet'));
  });

  it.each([
    ['a fresh DaemonSet', ds(), ['fluentd-elasticsearch', 0, 0, 0, 0, 0, '<none>', '30s', 'fluentd,sidecar', 'quay.io/fluentd:v2,busybox', 'name=fluentd-elasticsearch']],
    ['a rolling one on selected nodes', ds({ 'kubernetes.io/os': 'linux', disk: 'ssd' }, { desiredNumberScheduled: 3, currentNumberScheduled: 3, numberReady: 2, updatedNumberScheduled: 1, numberAvailable: 2 }), ['fluentd-elasticsearch', 3, 3, 2, 1, 2, 'disk=ssd,kubernetes.io/os=linux', '30s', 'fluentd,sidecar', 'quay.io/fluentd:v2,busybox', 'name=fluentd-elasticsearch']],
  ])('%s', (_name, obj, cells) => {
    expect(getPrinter('apps', 'DaemonSet')!.row(obj, now)).toEqual(cells);
  });
});
