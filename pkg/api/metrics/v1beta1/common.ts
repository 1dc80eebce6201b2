/**
 * What metrics.k8s.io/v1beta1 kinds share: the group, the usage map (`cpu`, `memory` as
 * quantities) and `defineMetricsResource`, which makes a computed kind (`ResourceInfo.computed`):
 * get and list only — metrics-server serves no watch — answered from live data, never stored.
 */
import { z } from 'zod';
import type { KubeObject } from '../../meta.ts';
import type { ResourceInfo } from '../../resource.ts';
import { defineResource } from '../../core/v1/common.ts';

export const METRICS_GROUP = 'metrics.k8s.io';
export const METRICS_VERSION = 'v1beta1';

/** A ResourceList: resource name → quantity (`{"cpu":"250m","memory":"12Mi"}`). */
export const UsageSchema = z.record(z.string(), z.string());
export type Usage = z.infer<typeof UsageSchema>;

/**
 * A computed metrics kind. Upstream metrics-server reports an empty `singularName`
 * (`GetSingularName() == ""`), so discovery does too; no short names, no categories.
 */
export function defineMetricsResource<T extends KubeObject>(info: Pick<ResourceInfo<T>, 'kind' | 'plural' | 'namespaced' | 'schema'>): ResourceInfo<T> {
  return defineResource<T>({
    ...info,
    group: METRICS_GROUP,
    version: METRICS_VERSION,
    singular: '',
    verbs: ['get', 'list'],
    computed: true,
    applyDefaults: () => undefined,
    validate: () => [],
  });
}
