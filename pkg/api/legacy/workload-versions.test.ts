import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { KubeObject } from '../meta.ts';
import type { ResourceInfo } from '../resource.ts';
import { defaultSelectorFromTemplate, legacyVersionOf, legacyWorkloadResources } from './workload-versions.ts';
import { anyResource } from '../core/v1/common.ts';
import { statefulSetResource } from '../apps/v1/statefulset.ts';

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
    const versions = legacyWorkloadResources([base, rs, anyResource(statefulSetResource)]).map((r) => `${r.kind} ${r.group}/${r.version}`);
    expect(versions).toEqual(['Deployment extensions/v1beta1', 'Deployment apps/v1beta1', 'Deployment apps/v1beta2', 'ReplicaSet extensions/v1beta1', 'ReplicaSet apps/v1beta2', 'StatefulSet apps/v1beta1', 'StatefulSet apps/v1beta2']);
  });

  it.each([
    ['v1beta1', { type: 'OnDelete' }],
    ['v1beta2', { type: 'RollingUpdate', rollingUpdate: { partition: 0 } }],
  ] as const)('serves StatefulSet in apps/%s with that version\'s update strategy default, stored as apps/v1', (version, strategy) => {
    const legacy = legacyVersionOf(anyResource(statefulSetResource), { group: 'apps', version });
    const manifest = {
      apiVersion: `apps/${version}`,
      kind: 'StatefulSet',
      metadata: { name: 'web', namespace: 'default' },
      spec: { serviceName: 'nginx', replicas: 2, ...(version === 'v1beta2' ? { selector: { matchLabels: { app: 'nginx' } } } : {}), template: { metadata: { labels: { app: 'nginx' } }, spec: { containers: [{ name: 'nginx', image: 'nginx' }] } } },
    };
    const decoded = legacy.schema.parse(manifest) as KubeObject;
    legacy.prepareForCreate?.(decoded);
    legacy.applyDefaults(decoded);
    expect(decoded.spec).toMatchObject({ selector: { matchLabels: { app: 'nginx' } }, podManagementPolicy: 'OrderedReady', updateStrategy: strategy, revisionHistoryLimit: 10 });
    expect(legacy.validate(decoded)).toEqual([]);
    expect(legacy.conversion!.toStorage(decoded).apiVersion).toBe('apps/v1');
  });

  it('keeps apps/v1beta2 StatefulSets strict about the selector', () => {
    const legacy = legacyVersionOf(anyResource(statefulSetResource), { group: 'apps', version: 'v1beta2' });
    const decoded = legacy.schema.parse({ apiVersion: 'apps/v1beta2', kind: 'StatefulSet', metadata: { name: 'web', namespace: 'default' }, spec: { template: { metadata: { labels: { app: 'nginx' } } } } }) as KubeObject;
    legacy.applyDefaults(decoded);
    expect(legacy.validate(decoded).map((e) => e.field)).toContain('spec.selector');
  });
});
