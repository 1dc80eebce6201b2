import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../meta.ts';
import { getPrinter } from './index.ts';

const now = new Date('2026-11-22T12:00:00Z');
const created = '2026-11-22T11:59:30Z';
const columns = (group: string, kind: string) => getPrinter(group, kind)!.columns.map((c) => `${c.name}:${c.type}:${c.priority}`);

describe('ReplicationController printer', () => {
  it('has upstream columns, the selector printed from the map', () => {
    expect(columns('', 'ReplicationController')).toEqual(['Name:string:0', 'Desired:integer:0', 'Current:integer:0', 'Ready:integer:0', 'Age:string:0', 'Containers:string:1', 'Images:string:1', 'Selector:string:1']);
    const rc: KubeObject = {
      metadata: { name: 'web', creationTimestamp: created },
      spec: { replicas: 3, selector: { tier: 'fe', app: 'web' }, template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1' }, { name: 'side', image: 'busybox' }] } } },
      status: { replicas: 2, readyReplicas: 1 },
    };
    expect(getPrinter('', 'ReplicationController')!.row(rc, now)).toEqual(['web', 3, 2, 1, '30s', 'nginx,side', 'nginx:1,busybox', 'app=web,tier=fe']);
  });
});

describe('PodTemplate printer', () => {
  it('prints containers, images and pod labels', () => {
    expect(columns('', 'PodTemplate')).toEqual(['Name:string:0', 'Containers:string:0', 'Images:string:0', 'Pod Labels:string:0']);
    const pt: KubeObject = { metadata: { name: 'pt' }, template: { metadata: { labels: { b: '2', a: '1' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } } as KubeObject;
    expect(getPrinter('', 'PodTemplate')!.row(pt, now)).toEqual(['pt', 'c', 'nginx', 'a=1,b=2']);
    expect(getPrinter('', 'PodTemplate')!.row({ metadata: { name: 'e' } }, now)).toEqual(['e', '', '', '<none>']);
  });
});

describe('ComponentStatus printer', () => {
  it.each([
    ['healthy', [{ type: 'Healthy', status: 'True', message: 'ok' }], ['scheduler', 'Healthy', 'ok', '']],
    ['unhealthy', [{ type: 'Healthy', status: 'False', message: 'refused', error: 'e' }], ['scheduler', 'Unhealthy', 'refused', 'e']],
    ['without a Healthy condition', [], ['scheduler', 'Unknown', '', '']],
  ])('%s', (_name, conditions, cells) => {
    expect(columns('', 'ComponentStatus')).toEqual(['Name:string:0', 'Status:string:0', 'Message:string:0', 'Error:string:0']);
    expect(getPrinter('', 'ComponentStatus')!.row({ metadata: { name: 'scheduler' }, conditions } as KubeObject, now)).toEqual(cells);
  });
});
