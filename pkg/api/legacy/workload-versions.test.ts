import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { KubeObject } from '../meta.ts';
import type { ResourceInfo } from '../resource.ts';
import { defaultSelectorFromTemplate, legacyVersionOf, legacyWorkloadResources } from './workload-versions.ts';

const base: ResourceInfo = {
  group: 'apps',
  version: 'v1',
  kind: 'Deployment',
  plural: 'deployments',
  singular: 'deployment',
  namespaced: true,
  shortNames: ['deploy'],
  categories: ['all'],
  verbs: ['get'],
  schema: z.object({
    apiVersion: z.string().optional(),
    kind: z.string().optional(),
    metadata: z.object({ name: z.string().optional(), labels: z.record(z.string(), z.string()).optional() }),
    spec: z.object({ selector: z.object({ matchLabels: z.record(z.string(), z.string()) }), template: z.unknown(), strategy: z.unknown().optional() }),
  }) as unknown as ResourceInfo['schema'],
  subresources: { status: true },
  patchMeta: {},
  applyDefaults(obj) {
    (obj.spec as Record<string, unknown>).replicas ??= 1;
  },
  validate: () => [],
};

const flaskapp = {
  apiVersion: 'extensions/v1beta1',
  kind: 'Deployment',
  metadata: { name: 'flaskapp' },
  spec: { replicas: 1, template: { metadata: { labels: { name: 'flaskapp' } }, spec: { containers: [{ name: 'flaskapp', image: 'flaskapp:0.0.2' }] } } },
};

describe('legacy workload versions', () => {
  it('defaults selector and labels from the template without touching the input', () => {
    const out = defaultSelectorFromTemplate(flaskapp) as KubeObject;
    expect((out.spec as any).selector).toEqual({ matchLabels: { name: 'flaskapp' } });
    expect(out.metadata.labels).toEqual({ name: 'flaskapp' });
    expect((flaskapp.spec as any).selector).toBeUndefined();
  });

  it('decodes an extensions/v1beta1 Deployment without selector, defaults as that version did, stores as apps/v1', () => {
    const ext = legacyVersionOf(base, { group: 'extensions', version: 'v1beta1' });
    expect([ext.group, ext.version, ext.categories, ext.shortNames]).toEqual(['extensions', 'v1beta1', [], []]);
    const decoded = ext.schema.parse(flaskapp) as KubeObject;
    ext.applyDefaults(decoded);
    expect(decoded.spec).toMatchObject({
      selector: { matchLabels: { name: 'flaskapp' } },
      replicas: 1,
      revisionHistoryLimit: 2147483647,
      progressDeadlineSeconds: 2147483647,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 1 } },
    });
    const stored = ext.conversion!.toStorage(decoded);
    expect(stored.apiVersion).toBe('apps/v1');
    expect(ext.conversion!.fromStorage(stored).apiVersion).toBe('extensions/v1beta1');
    expect(ext.conversion!.storageGroup).toBe('apps');
  });

  it('keeps apps/v1beta2 strict about the selector, as that version was', () => {
    const v1beta2 = legacyVersionOf(base, { group: 'apps', version: 'v1beta2' });
    expect(v1beta2.schema.safeParse({ ...flaskapp, apiVersion: 'apps/v1beta2' }).success).toBe(false);
  });

  it('serves Deployment in three legacy versions and ReplicaSet in two', () => {
    const rs = { ...base, kind: 'ReplicaSet', plural: 'replicasets' };
    const versions = legacyWorkloadResources([base, rs]).map((r) => `${r.kind} ${r.group}/${r.version}`);
    expect(versions).toEqual(['Deployment extensions/v1beta1', 'Deployment apps/v1beta1', 'Deployment apps/v1beta2', 'ReplicaSet extensions/v1beta1', 'ReplicaSet apps/v1beta2']);
  });
});
