import { describe, expect, it } from 'vitest';
import { type DaemonSet, daemonSetResource } from '../apps/v1/daemonset.ts';
import { anyResource } from '../core/v1/common.ts';
import type { KubeObject } from '../meta.ts';
import { legacyDaemonSetResources } from './daemonset-versions.ts';

const [ext, v1beta2] = legacyDaemonSetResources(anyResource(daemonSetResource));

/** A DaemonSet from an old fluentd tutorial: no selector, no update strategy. */
const fluentd = {
  apiVersion: 'extensions/v1beta1',
  kind: 'DaemonSet',
  metadata: { name: 'fluentd', namespace: 'kube-system' },
  spec: { template: { metadata: { labels: { name: 'fluentd' } }, spec: { containers: [{ name: 'fluentd', image: 'fluentd:v1' }] } } },
};

function createVia(info: typeof ext, input: unknown): KubeObject {
  const obj = info!.schema.parse(input) as KubeObject;
  info!.prepareForCreate!(obj);
  info!.applyDefaults(obj);
  return obj;
}

describe('legacy DaemonSet versions', () => {
  it('are extensions/v1beta1 and apps/v1beta2, stored as apps/v1, without short names or categories', () => {
    expect([ext, v1beta2].map((r) => [`${r!.group}/${r!.version}`, r!.conversion?.storageGroup, r!.conversion?.storageVersion, r!.shortNames, r!.categories])).toEqual([
      ['extensions/v1beta1', 'apps', 'v1', [], []],
      ['apps/v1beta2', 'apps', 'v1', [], []],
    ]);
  });

  it('extensions/v1beta1 defaults selector, labels and OnDelete, and stores templateGeneration as the apps/v1 annotation', () => {
    const obj = createVia(ext, fluentd);
    expect(obj.metadata.labels).toEqual({ name: 'fluentd' });
    expect(obj.spec).toMatchObject({ selector: { matchLabels: { name: 'fluentd' } }, updateStrategy: { type: 'OnDelete' }, revisionHistoryLimit: 10, templateGeneration: 1 });
    expect(ext!.validate(obj)).toEqual([]);
    const stored = ext!.conversion!.toStorage(obj) as DaemonSet;
    expect(stored.apiVersion).toBe('apps/v1');
    expect(stored.metadata.annotations).toEqual({ 'deprecated.daemonset.template.generation': '1' });
    expect(stored.spec).not.toHaveProperty('templateGeneration');
    const served = ext!.conversion!.fromStorage({ ...stored, metadata: { ...stored.metadata, annotations: { a: 'b', 'deprecated.daemonset.template.generation': '3' } } });
    expect(served.apiVersion).toBe('extensions/v1beta1');
    expect(served.metadata.annotations).toEqual({ a: 'b' });
    expect((served.spec as { templateGeneration?: number }).templateGeneration).toBe(3);
  });

  it('extensions/v1beta1 RollingUpdate gets apps/v1 rolling defaults; an update bumps templateGeneration only for a template change and may change the selector', () => {
    const old = createVia(ext, { ...fluentd, spec: { ...fluentd.spec, updateStrategy: { type: 'RollingUpdate' } } });
    expect((old.spec as DaemonSet['spec'])?.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
    const next = structuredClone(old) as DaemonSet & { spec: { templateGeneration?: number } };
    next.spec.template!.spec!.containers![0]!.image = 'fluentd:v2';
    next.spec.selector = { matchLabels: { name: 'fluentd' }, matchExpressions: [{ key: 'name', operator: 'Exists' }] };
    ext!.prepareForUpdate!(next, old);
    ext!.applyDefaults(next);
    expect(next.spec.templateGeneration).toBe(2);
    expect(ext!.validate(next, old)).toEqual([]);
    const same = structuredClone(next);
    ext!.prepareForUpdate!(same, next);
    expect(same.spec.templateGeneration).toBe(2);
  });

  it('apps/v1beta2 requires the selector and defaults RollingUpdate like apps/v1', () => {
    const input = { ...fluentd, apiVersion: 'apps/v1beta2' };
    const obj = createVia(v1beta2, input);
    expect(obj.spec).toMatchObject({ updateStrategy: { type: 'RollingUpdate' } });
    expect(v1beta2!.validate(obj).map((e) => e.field)).toEqual(['spec.template.metadata.labels']);
    const withSelector = createVia(v1beta2, { ...input, spec: { ...input.spec, selector: { matchLabels: { name: 'fluentd' } } } });
    const changed = structuredClone(withSelector) as DaemonSet;
    changed.spec!.selector = { matchLabels: { name: 'fluentd', x: 'y' } };
    expect(v1beta2!.validate(changed, withSelector).map((e) => e.field)).toContain('spec.selector');
  });
});
