import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../pkg/api/meta.ts';
import { decideDeletion, parseDeleteOptions } from './deletion.ts';
import { generateName, NAME_ALPHABET } from './generate-name.ts';
import { nextGeneration, tracksGeneration } from './generation.ts';
import { formatLabelSelector, toScale, applyScale } from './scale.ts';
import { filterEvent } from '../watch/filter.ts';

const now = new Date('2026-01-01T00:00:00Z');
const podInfo = { group: '', kind: 'Pod' };
const cmInfo = { group: '', kind: 'ConfigMap' };
const obj = (meta: Partial<KubeObject['metadata']> = {}, rest: Record<string, unknown> = {}): KubeObject => ({ metadata: { name: 'x', uid: 'u', ...meta }, ...rest });

describe('decideDeletion', () => {
  it.each([
    ['plain object, no policy', cmInfo, obj(), {}, 'delete', undefined],
    ['finalizers keep it', cmInfo, obj({ finalizers: ['a'] }), {}, 'mark', ['a']],
    ['Foreground adds foregroundDeletion', cmInfo, obj(), { propagationPolicy: 'Foreground' }, 'mark', ['foregroundDeletion']],
    ['Orphan adds orphan', cmInfo, obj({ finalizers: ['a'] }), { propagationPolicy: 'Orphan' }, 'mark', ['a', 'orphan']],
    ['orphanDependents=true is Orphan', cmInfo, obj(), { orphanDependents: true }, 'mark', ['orphan']],
    ['Background drops GC finalizers', cmInfo, obj({ finalizers: ['orphan'] }), { propagationPolicy: 'Background' }, 'delete', undefined],
    ['unscheduled pod goes at once', podInfo, obj({}, { spec: {} }), {}, 'delete', undefined],
    ['scheduled pod is graceful', podInfo, obj({}, { spec: { nodeName: 'n' } }), {}, 'mark', undefined],
    ['finished pod goes at once', podInfo, obj({}, { spec: { nodeName: 'n' }, status: { phase: 'Succeeded' } }), {}, 'delete', undefined],
    ['grace 0 forces a scheduled pod', podInfo, obj({}, { spec: { nodeName: 'n' } }), { gracePeriodSeconds: 0 }, 'delete', undefined],
  ] as const)('%s', (_name, info, o, options, action, finalizers) => {
    const d = decideDeletion(info, o, { dryRun: false, ...options } as never, now);
    expect(d.action).toBe(action);
    if (d.action === 'mark') {
      expect(d.object.metadata.finalizers).toEqual(finalizers);
      expect(d.object.metadata.deletionTimestamp).toBeDefined();
    }
  });

  it('gives a scheduled pod its terminationGracePeriodSeconds', () => {
    const d = decideDeletion(podInfo, obj({}, { spec: { nodeName: 'n', terminationGracePeriodSeconds: 10 } }), { dryRun: false }, now);
    expect(d).toMatchObject({ action: 'mark', object: { metadata: { deletionGracePeriodSeconds: 10, deletionTimestamp: '2026-01-01T00:00:10Z' } } });
  });

  it('bumps a tracked generation when deletion starts', () => {
    const d = decideDeletion(cmInfo, obj({ finalizers: ['a'], generation: 3 }), { dryRun: false }, now);
    expect(d).toMatchObject({ action: 'mark', object: { metadata: { generation: 4, deletionGracePeriodSeconds: 0 } } });
  });

  it('deletes a deleting object without finalizers', () => {
    expect(decideDeletion(cmInfo, obj({ deletionTimestamp: 'x', deletionGracePeriodSeconds: 0 }), { dryRun: false }, now).action).toBe('delete');
  });

  it.each([
    [{ propagationPolicy: 'Sideways' }, {}],
    [{ orphanDependents: true, propagationPolicy: 'Orphan' }, {}],
    [{}, { gracePeriodSeconds: 'soon' }],
  ])('parseDeleteOptions rejects %j %j', (body, query) => {
    expect(() => parseDeleteOptions(body, query, false)).toThrow(expect.objectContaining({ code: 400 }));
  });
});

describe('generation', () => {
  const info = { group: 'apps', kind: 'Deployment', subresources: { status: true } };
  it.each([
    ['create', undefined, { spec: { a: 1 } }, 1],
    ['spec change', { metadata: { generation: 4 }, spec: { a: 1 } }, { metadata: {}, spec: { a: 2 } }, 5],
    ['label change', { metadata: { generation: 4 }, spec: { a: 1 } }, { metadata: { labels: { x: 'y' } }, spec: { a: 1 } }, 4],
    ['status change', { metadata: { generation: 4 }, spec: { a: 1 }, status: { r: 1 } }, { metadata: {}, spec: { a: 1 }, status: { r: 2 } }, 4],
    ['key order only', { metadata: { generation: 2 }, spec: { a: 1, b: 2 } }, { metadata: {}, spec: { b: 2, a: 1 } }, 2],
  ])('%s', (_name, old, next, expected) => {
    expect(nextGeneration(info, { metadata: {}, ...next } as KubeObject, old as KubeObject | undefined)).toBe(expected);
  });

  it('is not tracked for ConfigMaps', () => {
    expect(tracksGeneration({ group: '', kind: 'ConfigMap' })).toBe(false);
    expect(tracksGeneration({ group: 'apps', kind: 'Deployment' })).toBe(true);
  });

  it('advances a PodTemplate\'s when its template changes (upstream podTemplateStrategy)', () => {
    const podTemplate = { group: '', kind: 'PodTemplate', subresources: { status: false } };
    const old = { metadata: { generation: 1 }, template: { spec: { containers: [{ name: 'c', image: 'nginx' }] } } } as unknown as KubeObject;
    expect(nextGeneration(podTemplate, { metadata: {}, template: { spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] } } } as unknown as KubeObject, old)).toBe(2);
    expect(nextGeneration(podTemplate, { metadata: { labels: { a: 'b' } }, template: (old as unknown as { template: unknown }).template } as unknown as KubeObject, old)).toBe(1);
  });

  it('advances an EndpointSlice\'s when its labels change too (upstream endpointSliceStrategy)', () => {
    const slice = { group: 'discovery.k8s.io', kind: 'EndpointSlice', subresources: { status: false } };
    const old = { metadata: { generation: 3, labels: { a: 'b' }, annotations: { n: '1' } }, addressType: 'IPv4' } as unknown as KubeObject;
    expect(nextGeneration(slice, { metadata: { labels: { a: 'c' }, annotations: { n: '1' } }, addressType: 'IPv4' } as unknown as KubeObject, old)).toBe(4);
    expect(nextGeneration(slice, { metadata: { labels: { a: 'b' }, annotations: { n: '2' } }, addressType: 'IPv4' } as unknown as KubeObject, old)).toBe(3);
  });
});

describe('generateName', () => {
  it('appends five characters of the alphabet and truncates long bases', () => {
    expect(generateName('web-', () => 0)).toBe('web-bbbbb');
    const long = generateName('x'.repeat(80), (n) => n - 1);
    expect(long).toHaveLength(63);
    expect(long.endsWith(NAME_ALPHABET[NAME_ALPHABET.length - 1].repeat(5))).toBe(true);
  });
});

describe('scale', () => {
  const mapping = { specReplicasPath: 'spec.replicas', statusReplicasPath: 'status.replicas', labelSelectorPath: 'spec.selector' };
  it.each([
    [{ matchLabels: { b: '2', a: '1' } }, 'a=1,b=2'],
    [{ matchExpressions: [{ key: 'k', operator: 'In', values: ['y', 'x'] }, { key: 'e', operator: 'Exists' }] }, 'k in (x,y),e'],
    [{}, ''],
  ])('formatLabelSelector(%j) = %s', (sel, text) => {
    expect(formatLabelSelector(sel)).toBe(text);
  });

  it('maps replicas both ways', () => {
    const o = obj({ namespace: 'ns', resourceVersion: '5' }, { spec: { replicas: 2, selector: { matchLabels: { app: 'a' } } }, status: { replicas: 1 } });
    expect(toScale(o, mapping)).toMatchObject({ spec: { replicas: 2 }, status: { replicas: 1, selector: 'app=a' }, metadata: { resourceVersion: '5' } });
    expect((applyScale(o, { spec: { replicas: 7 } }, mapping).spec as { replicas: number }).replicas).toBe(7);
  });
});

describe('filterEvent', () => {
  const labelled = (app: string) => obj({ labels: { app } });
  const isX = (o: KubeObject) => o.metadata.labels?.app === 'x';
  it.each([
    ['ADDED', labelled('x'), undefined, 'ADDED'],
    ['ADDED', labelled('y'), undefined, undefined],
    ['MODIFIED', labelled('x'), labelled('x'), 'MODIFIED'],
    ['MODIFIED', labelled('x'), labelled('y'), 'ADDED'],
    ['MODIFIED', labelled('y'), labelled('x'), 'DELETED'],
    ['MODIFIED', labelled('y'), labelled('y'), undefined],
    ['DELETED', labelled('x'), labelled('x'), 'DELETED'],
    ['DELETED', labelled('y'), labelled('y'), undefined],
  ] as const)('%s now=%o before=%o → %s', (type, object, prevObject, expected) => {
    expect(filterEvent({ type, object, prevObject }, isX)?.type).toBe(expected);
  });
});
