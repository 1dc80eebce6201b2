import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../pkg/api/meta.ts';
import type { PatchMeta } from '../../pkg/api/resource.ts';
import { ApiError } from '../../pkg/errors/index.ts';
import { fieldSetOf, formatPath } from './field-set.ts';
import { serverSideApply, trackUpdate } from './managed-fields.ts';

const meta: PatchMeta = {
  'spec.template.spec.containers': { strategy: 'merge', mergeKey: 'name' },
  'spec.template.spec.containers[].ports': { strategy: 'merge', mergeKey: 'containerPort' },
  'metadata.finalizers': { strategy: 'merge' },
};
const now = '2026-11-22T12:00:00Z';

function deployment(replicas: number, image = 'nginx:1.25'): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image, ports: [{ containerPort: 80, protocol: 'TCP' }] }] } },
    },
  };
}

describe('field sets', () => {
  it('writes FieldsV1 as upstream: keyed items with ".", sets by value, atomic lists as leaves', () => {
    const set = fieldSetOf({ metadata: { name: 'x', finalizers: ['a'], labels: { app: 'web' } }, spec: { args: ['x'], template: { spec: { containers: [{ name: 'web', image: 'i', args: ['a'] }] } } } }, meta);
    expect(set).toEqual({
      'f:metadata': { 'f:finalizers': { 'v:"a"': {} }, 'f:labels': { 'f:app': {} } },
      'f:spec': { 'f:args': {}, 'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"web"}': { '.': {}, 'f:name': {}, 'f:image': {}, 'f:args': {} } } } } },
    });
  });

  it.each([
    [['f:spec', 'f:replicas'], '.spec.replicas'],
    [['f:spec', 'f:containers', 'k:{"name":"web"}', 'f:image'], '.spec.containers[name="web"].image'],
    [['f:metadata', 'f:finalizers', 'v:"a"'], '.metadata.finalizers[="a"]'],
  ])('formats %j as %s', (path, text) => {
    expect(formatPath(path)).toBe(text);
  });
});

describe('server-side apply', () => {
  it('creates an object owned by the applier', () => {
    const out = serverSideApply({ live: undefined, applied: deployment(2), manager: 'kubectl', force: false, apiVersion: 'apps/v1', patchMeta: meta, now });
    expect((out.spec as { replicas: number }).replicas).toBe(2);
    expect(out.metadata.managedFields).toEqual([
      expect.objectContaining({ manager: 'kubectl', operation: 'Apply', apiVersion: 'apps/v1', fieldsType: 'FieldsV1', time: now }),
    ]);
    expect(out.metadata.managedFields?.[0].fieldsV1).toMatchObject({ 'f:spec': { 'f:replicas': {} } });
  });

  it('refuses to change a field another manager owns, naming manager and field, unless forced', () => {
    const first = serverSideApply({ live: undefined, applied: deployment(2), manager: 'alice', force: false, apiVersion: 'apps/v1', patchMeta: meta, now });
    let error: unknown;
    try {
      serverSideApply({ live: first, applied: deployment(5), manager: 'bob', force: false, apiVersion: 'apps/v1', patchMeta: meta, now });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ApiError);
    const status = (error as ApiError).toStatus();
    expect(status).toMatchObject({ code: 409, reason: 'Conflict', message: 'Apply failed with 1 conflict: conflict with "alice": .spec.replicas' });
    expect(status.details?.causes).toEqual([{ reason: 'FieldManagerConflict', message: 'conflict with "alice"', field: '.spec.replicas' }]);

    const forced = serverSideApply({ live: first, applied: deployment(5), manager: 'bob', force: true, apiVersion: 'apps/v1', patchMeta: meta, now });
    expect((forced.spec as { replicas: number }).replicas).toBe(5);
    const alice = forced.metadata.managedFields?.find((e) => e.manager === 'alice');
    expect((alice?.fieldsV1 as any)['f:spec']['f:replicas']).toBeUndefined();
    expect((alice?.fieldsV1 as any)['f:spec']['f:selector']).toBeDefined();
  });

  it('shares ownership when another manager applies the same value', () => {
    const first = serverSideApply({ live: undefined, applied: deployment(2), manager: 'alice', force: false, apiVersion: 'apps/v1', patchMeta: meta, now });
    const second = serverSideApply({ live: first, applied: deployment(2), manager: 'bob', force: false, apiVersion: 'apps/v1', patchMeta: meta, now });
    expect(second.metadata.managedFields?.map((e) => e.manager)).toEqual(['alice', 'bob']);
  });

  it('names an Update manager with its apiVersion in conflicts', () => {
    const created = trackUpdate({ oldObject: undefined, newObject: deployment(2), manager: 'kubectl-client-side-apply', apiVersion: 'apps/v1', patchMeta: meta, now });
    expect(() => serverSideApply({ live: created, applied: deployment(3), manager: 'kubectl', force: false, apiVersion: 'apps/v1', patchMeta: meta, now })).toThrow(
      'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas',
    );
  });

  it('removes fields the manager stopped applying, keeping list items others own', () => {
    const applied = deployment(2);
    (applied.metadata.labels as Record<string, string>).tier = 'web';
    const first = serverSideApply({ live: undefined, applied, manager: 'alice', force: false, apiVersion: 'apps/v1', patchMeta: meta, now });
    const second = serverSideApply({ live: first, applied: deployment(2), manager: 'alice', force: false, apiVersion: 'apps/v1', patchMeta: meta, now });
    expect(second.metadata.labels).toEqual({ app: 'web' });
  });

  it('merges a keyed list item by key instead of replacing the list', () => {
    const first = serverSideApply({ live: undefined, applied: deployment(2), manager: 'alice', force: false, apiVersion: 'apps/v1', patchMeta: meta, now });
    const sidecar: KubeObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { template: { spec: { containers: [{ name: 'sidecar', image: 'envoy' }] } } } };
    const out = serverSideApply({ live: first, applied: sidecar, manager: 'mesh', force: false, apiVersion: 'apps/v1', patchMeta: meta, now });
    const containers = (out.spec as any).template.spec.containers.map((c: { name: string }) => c.name);
    expect(containers).toEqual(['web', 'sidecar']);
  });

  it('matches a port applied without protocol to the stored TCP one (the key field\'s schema default)', () => {
    const live = serverSideApply({ live: undefined, applied: deployment(2), manager: 'kubectl-client-side-apply', force: false, apiVersion: 'apps/v1', patchMeta: meta, now });
    const applied = deployment(2);
    delete ((applied.spec as any).template.spec.containers[0].ports[0] as { protocol?: string }).protocol;
    const out = serverSideApply({ live, applied, manager: 'kubectl', force: true, apiVersion: 'apps/v1', patchMeta: meta, now });
    expect((out.spec as any).template.spec.containers[0].ports).toEqual([{ containerPort: 80, protocol: 'TCP' }]);
    const set = JSON.stringify(out.metadata.managedFields?.find((m) => m.manager === 'kubectl')?.fieldsV1);
    expect(set).toContain('k:{\\"containerPort\\":80,\\"protocol\\":\\"TCP\\"}');
  });
});

describe('update tracking', () => {
  it('gives changed fields to the writer and takes them from the previous owner', () => {
    const created = trackUpdate({ oldObject: undefined, newObject: deployment(2), manager: 'creator', apiVersion: 'apps/v1', patchMeta: meta, now });
    expect(created.metadata.managedFields).toHaveLength(1);
    const scaled = trackUpdate({ oldObject: created, newObject: { ...deployment(4), metadata: created.metadata }, manager: 'kubectl-scale', apiVersion: 'apps/v1', patchMeta: meta, now });
    const byManager = Object.fromEntries((scaled.metadata.managedFields ?? []).map((e) => [e.manager, e.fieldsV1 as any]));
    expect(byManager['kubectl-scale']).toEqual({ 'f:spec': { 'f:replicas': {} } });
    expect(byManager.creator['f:spec']['f:replicas']).toBeUndefined();
  });

  it('keeps managedFields sent by the client as they are', () => {
    const created = trackUpdate({ oldObject: undefined, newObject: deployment(2), manager: 'creator', apiVersion: 'apps/v1', patchMeta: meta, now });
    const rewritten = [{ manager: 'kubectl', operation: 'Apply', apiVersion: 'apps/v1', time: now, fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { 'f:replicas': {} } } }];
    const out = trackUpdate({ oldObject: created, newObject: { ...created, metadata: { ...created.metadata, managedFields: rewritten } }, manager: 'kubectl', apiVersion: 'apps/v1', patchMeta: meta, now });
    expect(out.metadata.managedFields).toEqual(rewritten);
  });
});
